"""The demo behind scripts/develop: PlexSync working in a real Home Assistant
against both simulators, no Plex or SensCritique account needed.

    python -m tests.e2e.demo

1. starts both simulators with the demo data (tests/simulators/serve.py) on
   fixed ports, so the entry created on the first run keeps working;
2. starts Home Assistant on http://127.0.0.1:8123 from ./config (git-ignored)
   with PLEXSYNC_PLEX_HOSTS / PLEXSYNC_SENSCRITIQUE_URL pointing at them;
3. completes onboarding through HA's onboarding API (first run only);
4. creates the household's PlexSync entries through the config-flow HTTP API
   (those missing: the Plex account's owner with the demo SensCritique member,
   and the managed Home user "Anna", PIN 2468, with the second member; each
   set-up runs the first sync);
5. runs a sync of each entry through the plexsync.sync action;
6. creates the "PlexSync" dashboard (status sensors, Sync now, the watchlist;
   a view per person);
7. prints the address and the demo user's credentials, then waits.
Ctrl-C (or SIGTERM) stops Home Assistant and the simulators; the simulators
save their state in config/ so a second run carries on where this one stopped.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import aiohttp

from . import scenario
from .hass_process import ROOT, HassClient, HassProcess

CONFIG = ROOT / "config"
SIMULATOR_STATE = CONFIG / "simulators.json"
SIMULATOR_DATA = CONFIG / "simulators.pickle"
PORT = 8123
SIMULATOR_PORTS = 18400  # Plex 18400..18404, SensCritique 18405
DEMO_WORKS = 60  # of the catalogue: the first sync writes a few hundred times
USER_NAME = "Demo"
USERNAME = "demo"
PASSWORD = "plexsync-demo"


class Stop(Exception):
    """SIGINT or SIGTERM arrived."""


def _stop(*_: object) -> None:
    raise Stop


def start_simulators() -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    SIMULATOR_STATE.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.simulators.serve",
            "--state",
            str(SIMULATOR_STATE),
            "--port-base",
            str(SIMULATOR_PORTS),
            "--works",
            str(DEMO_WORKS),
            "--data",
            str(SIMULATOR_DATA),
        ],
        cwd=ROOT,
        start_new_session=True,  # Ctrl-C reaches us; we stop it in order
    )
    deadline = time.monotonic() + 60
    while not SIMULATOR_STATE.exists():
        if process.poll() is not None:
            raise SystemExit(f"the simulators exited with {process.returncode}")
        if time.monotonic() > deadline:
            process.terminate()
            raise SystemExit("the simulators did not start within 60 s")
        time.sleep(0.2)
    return process, json.loads(SIMULATOR_STATE.read_text())


async def prepare(hass: HassProcess, info: dict[str, Any]) -> str:
    """Onboard, create the entry, sync, build the dashboard; the dashboard URL."""
    await hass.wait_until_up()
    async with aiohttp.ClientSession() as session:
        client = HassClient(session, hass.url)
        if await client.onboarded():
            await client.login(USERNAME, PASSWORD)
            print("Home Assistant is already onboarded.", flush=True)
        else:
            await client.onboard(USER_NAME, USERNAME, PASSWORD)
            print(f"Onboarded: user {USERNAME!r} created.", flush=True)
        if await client.config_entries(scenario.DOMAIN):
            await scenario.wait_loaded(client)
        print(
            "Creating the household's PlexSync entries through the config flow "
            "where missing (a first sync takes a minute)...",
            flush=True,
        )
        entry_ids = await scenario.ensure_entries(client, info)
        await scenario.wait_loaded(client)
        views = []
        for entry_id in entry_ids:
            response = await scenario.sync(client, entry_id)
            report = response["report"]
            print(
                f"Sync: {report['planned']} writes planned, applied "
                f"{report['applied']}, {len(report['failed'])} failed.",
                flush=True,
            )
            if await scenario.enable_counts(client, entry_id):
                print("Enabling the per-side count sensors (reloads the entry)...")
                await scenario.reload_entry(client, entry_id)
            views.append(await scenario.entities(client, entry_id))
        titles = {
            e["entry_id"]: e["title"]
            for e in await client.config_entries(scenario.DOMAIN)
        }
        others = [
            (titles[i], ids) for i, ids in zip(entry_ids[1:], views[1:], strict=True)
        ]
        path = await scenario.ensure_dashboard(client, views[0], others)
        return f"{hass.url}/{path}/sync"


def main() -> None:
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    simulators: subprocess.Popen[bytes] | None = None
    hass: HassProcess | None = None
    try:
        simulators, info = start_simulators()
        hass = HassProcess(CONFIG, port=PORT, env=info["env"])
        hass.spawn()
        print(f"Home Assistant is starting (log: {CONFIG / 'hass-stdout.log'})...")
        url = asyncio.run(prepare(hass, info))
        print(
            "\n"
            f"  PlexSync demo: {url}\n"
            f"  user: {USERNAME}   password: {PASSWORD}\n"
            "  Ctrl-C stops Home Assistant and the simulators.\n",
            flush=True,
        )
        while hass.process is not None and hass.process.poll() is None:
            time.sleep(1)
        print("Home Assistant exited.", file=sys.stderr)
    except Stop:
        print("\nStopping...", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # finish the clean-up
        if hass is not None:
            hass.stop()
        if simulators is not None and simulators.poll() is None:
            os.killpg(simulators.pid, signal.SIGTERM)
            simulators.wait(30)


if __name__ == "__main__":
    main()
