"""Bench "memory": peak RSS growth of reading, linking and planning 50,000
works per side (5,000 with --quick).

The simulators serve the synthetic account (synthetic_account.py) from their
own process. The measured work runs in a fresh child process so nothing else
(Home Assistant, earlier benches, the simulators) is on its heap:

1. import everything, build both real clients, sign in (Plex account and
   server, SensCritique e-mail and password), collect garbage;
2. note the resident size, then reset the peak (``echo 5 >
   /proc/self/clear_refs`` resets VmHWM on Linux);
3. read both complete snapshots (Plex in a worker thread, SensCritique in the
   event loop, at the same time, as the coordinator does), match them locally
   and plan the first sync from an empty base;
4. report the peak (VmHWM) minus the resident size of step 2, and what is
   still resident with the snapshots, links and plan alive.

Where VmHWM cannot be reset, the peak since the process started is used
(``method`` says which); it can only overstate the growth.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .sim_process import SimulatorProcess, Wiring

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kib(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from {STATUS}")


def _reset_peak() -> bool:
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


async def _read_link_plan(wiring: Wiring) -> dict[str, Any]:
    import aiohttp

    from custom_components.plexsync.engine.matching import match_local
    from custom_components.plexsync.engine.model import Side, SyncState
    from custom_components.plexsync.engine.planner import plan
    from custom_components.plexsync.engine.settings import SyncOptions
    from custom_components.plexsync.plex.client import PlexClient
    from custom_components.plexsync.plex.session import ServiceHosts
    from custom_components.plexsync.senscritique.client import (
        Politeness,
        SensCritiqueClient,
    )

    from . import synthetic_account as account

    loop = asyncio.get_running_loop()
    plex = PlexClient(
        wiring.plex_token, hosts=ServiceHosts.from_json(wiring.plex_hosts)
    )
    async with aiohttp.ClientSession() as session:
        senscritique = SensCritiqueClient(
            session, url=wiring.sc_url, politeness=Politeness(min_interval=0.0)
        )
        await loop.run_in_executor(None, plex.account)
        await loop.run_in_executor(None, plex.connect, wiring.plex_server_id)
        await senscritique.sign_in(account.EMAIL, account.PASSWORD)
        capabilities = {
            Side.PLEX: await loop.run_in_executor(None, plex.capabilities),
            Side.SENSCRITIQUE: await senscritique.capabilities(),
        }
        gc.collect()
        baseline = _status_kib("VmRSS")
        method = "VmHWM reset" if _reset_peak() else "VmHWM since start"

        started = time.perf_counter()
        plex_snapshot, sc_snapshot = await asyncio.gather(
            loop.run_in_executor(None, plex.read_snapshot),
            senscritique.read_snapshot(),
        )
        read_s = time.perf_counter() - started
        matched = match_local(
            sc_snapshot.works.values(), plex_snapshot.works.values(), {}
        )
        state = SyncState(links=dict(matched.links))
        result = plan(
            plex_snapshot,
            sc_snapshot,
            state,
            SyncOptions(),
            capabilities,
            datetime.now(UTC),
        )
        total_s = time.perf_counter() - started
        peak = _status_kib("VmHWM")
        resident = _status_kib("VmRSS")
        figures = {
            "works": {
                "plex": len(plex_snapshot.works),
                "senscritique": len(sc_snapshot.works),
            },
            "links": len(matched.links),
            "ops": len(result.ops),
            "peak_growth_mb": round((peak - baseline) / 1024, 1),
            "retained_mb": round((resident - baseline) / 1024, 1),
            "baseline_mb": round(baseline / 1024, 1),
            "read_s": round(read_s, 1),
            "seconds": round(total_s, 1),
            "method": method,
        }
    await loop.run_in_executor(None, plex.close)
    return figures


def _child(conn: Connection, wiring: Wiring) -> None:
    try:
        conn.send(asyncio.run(_read_link_plan(wiring)))
    except Exception as err:  # reported by the parent, not lost in the child
        conn.send({"error": repr(err)})


def run(quick: bool) -> dict[str, Any]:
    works = 5_000 if quick else 50_000
    with SimulatorProcess(works) as sims:
        assert sims.wiring is not None
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_child, args=(child, sims.wiring))
        process.start()
        try:
            if not parent.poll(900):
                raise RuntimeError("the measured process did not finish")
            figures: dict[str, Any] = parent.recv()
        finally:
            process.join(30)
            if process.is_alive():
                process.terminate()
                process.join(5)
    if "error" in figures:
        raise RuntimeError(figures["error"])
    return {"name": "memory", "works_per_side": works, **figures}


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True)))
