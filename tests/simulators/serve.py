"""Both simulators in one process: the demo's and the end-to-end tests' backend.

`Simulators` runs the Plex simulator (its own thread, as always) and the
SensCritique simulator on an event loop in a second thread, so a caller that
is blocking (the demo's CLI) or async (pytest) can seed and inspect both.

CLI::

    python -m tests.simulators.serve --state FILE [--port-base N] [--works N]
                                     [--data FILE]

loads the demo data (the first N works of the catalogue with --works), or
the state saved in --data by an earlier run, writes FILE (JSON: the URLs, the Plex token and hosts
mapping, the SensCritique demo member's credentials and the two environment
variables PlexSync reads) and runs until SIGTERM or Ctrl-C. With a fixed
--port-base the addresses, token and credentials are the same on every run,
so a Home Assistant entry created against them keeps working after a restart.
Ports: Plex takes N..N+4, SensCritique N+5. With --data both simulators'
state is saved there on exit and loaded on the next start, so what a demo
wrote survives a restart (the file is ours: pickle is fine for it).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Self, TypeVar

from .plex import PlexSimulator
from .plex_demo import CATALOGUE, DEMO_HOME_USER, seed_home_user
from .plex_state import PlexState
from .senscritique import SensCritiqueSimulator
from .senscritique_demo import DEMO_SECOND_USER, DEMO_USER, load_demo as load_sc_demo

T = TypeVar("T")
ENV_PLEX_HOSTS = "PLEXSYNC_PLEX_HOSTS"
ENV_SENSCRITIQUE_URL = "PLEXSYNC_SENSCRITIQUE_URL"


class Simulators:
    """Plex + SensCritique simulators on loopback, each on its own thread."""

    def __init__(
        self, *, port_base: int = 0, demo: bool = True, works: int | None = None
    ) -> None:
        self.plex = PlexSimulator(base_port=port_base)
        self.senscritique = SensCritiqueSimulator(
            port=port_base + 5 if port_base else 0
        )
        self.sc_credentials: tuple[str, str, str] | None = None
        # The SensCritique members of the Plex Home users, in their order.
        self.sc_others: list[tuple[str, str, str]] = []
        if demo:
            self._load_demo(works)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _load_demo(self, works: int | None) -> None:
        """The shared catalogue (or its first `works` works) on both sides,
        for a household of two: the account's owner and a managed Home user
        with a PIN, each with a SensCritique member of their own."""
        catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))["works"]
        subset = catalogue if works is None else catalogue[:works]
        self.plex.load_demo(subset)
        name, pin = DEMO_HOME_USER
        home_user = self.plex.add_home_user(name, managed=True, pin=pin)
        with self.plex.state.lock:
            seed_home_user(home_user.state, subset)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "catalogue.json"
            path.write_text(json.dumps({"works": subset}), encoding="utf-8")
            self.sc_credentials = load_sc_demo(
                self.senscritique.state, path, household=True
            )
        self.sc_others = [DEMO_SECOND_USER]

    # ------------------------------------------------------------ persistence
    def save(self, path: Path) -> None:
        """Both simulators' state (call it while they run)."""
        with self.plex.state.lock:
            plex = {k: v for k, v in vars(self.plex.state).items() if k != "lock"}
            plex.pop("_keys")
            plex.pop("members")  # saved with their Home users, under "home"
            home = [
                (u.name, u.username, u.pin, _own_state(u.state)) for u in self.plex.home
            ]
            blob = pickle.dumps(
                {
                    "plex": plex,
                    "home": home,
                    "sc_others": self.sc_others,
                    "senscritique": self.on_senscritique(
                        lambda s: pickle.dumps(s.state)
                    ),
                    "sc_credentials": self.sc_credentials,
                }
            )
        partial = path.with_suffix(".tmp")
        partial.write_bytes(blob)
        partial.replace(path)

    def load(self, path: Path) -> None:
        """Replace the state by a saved one (before `start`)."""
        saved = pickle.loads(path.read_bytes())  # noqa: S301 - our own file
        state = self.plex.state
        for key, value in saved["plex"].items():
            setattr(state, key, value)
        state._keys = itertools.count(max(state.library, default=1000) + 1)
        for item in state.catalog.values():  # saved before items had titles
            item.__dict__.setdefault("titles", {})
        for name, username, pin, own in saved.get("home", []):
            view = self.plex.add_home_user(name, managed=not username, pin=pin)
            for key, value in own.items():
                setattr(view.state, key, value)
        self.sc_others = saved.get("sc_others", [])
        self.senscritique.state = pickle.loads(saved["senscritique"])  # noqa: S301
        self.sc_credentials = saved["sc_credentials"]

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        self.plex.start()
        started: Future[None] = Future()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.senscritique.start())
            except BaseException as err:  # reported to start()
                started.set_exception(err)
                return
            started.set_result(None)
            loop.run_forever()
            loop.run_until_complete(self.senscritique.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="sc-simulator", daemon=True)
        self._thread.start()
        try:
            started.result(timeout=10)
        except BaseException:
            self.plex.stop()
            raise

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = None
        self.plex.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ access
    def on_senscritique(self, fn: Callable[[SensCritiqueSimulator], T]) -> T:
        """Run `fn(sim)` on the SensCritique simulator's loop (its state is
        not locked: every read and write goes through that loop)."""
        if self._loop is None:
            return fn(self.senscritique)

        async def call() -> T:
            return fn(self.senscritique)

        return asyncio.run_coroutine_threadsafe(call(), self._loop).result(30)

    def set_latency(self, seconds: float) -> None:
        """Every request to either simulator waits `seconds` (capped by them)."""
        self.plex.latency = seconds
        self.on_senscritique(lambda sim: sim.set_latency(seconds))

    @property
    def env(self) -> dict[str, str]:
        """The environment variables that point PlexSync at the simulators."""
        return {
            ENV_PLEX_HOSTS: self.plex.hosts_json,
            ENV_SENSCRITIQUE_URL: self.senscritique.url,
        }

    def info(self) -> dict[str, Any]:
        """What a client needs: addresses, the Plex token, SC credentials."""
        username, email, password = self.sc_credentials or DEMO_USER
        members = [(username, email, password), *self.sc_others]
        plex_users = [("account", None), *((str(u.id), u.pin) for u in self.plex.home)]
        people = [
            {
                "plex_user": plex_user,
                "pin": pin,
                "senscritique": dict(
                    zip(("username", "email", "password"), member, strict=True)
                ),
            }
            for (plex_user, pin), member in zip(plex_users, members, strict=False)
        ]
        return {
            "plex": {
                "token": self.plex.token,
                "hosts": self.plex.hosts,
                "pms_url": self.plex.pms_url,
                "server_id": self.plex.server_id,
                "server_name": self.plex.server_name,
                "username": self.plex.username,
            },
            "senscritique": {
                "url": self.senscritique.url,
                "username": username,
                "email": email,
                "password": password,
            },
            "env": self.env,
            # One per person of the household: whose Plex data (the account's
            # or a Home user's, with its PIN) and their SensCritique member.
            "people": people,
        }


def _own_state(state: PlexState) -> dict[str, Any]:
    """What of a Home user's state is theirs (the rest is the server's)."""
    return {
        "library": state.library,
        "account": state.account,
        "history": state.history,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Run both simulators with their demo data until SIGTERM/Ctrl-C."
    )
    parser.add_argument("--state", type=Path, required=True, help="JSON file to write")
    parser.add_argument(
        "--port-base",
        type=int,
        default=0,
        help="first of 6 consecutive ports (0 = random ports)",
    )
    parser.add_argument(
        "--works", type=int, default=None, help="only the first N catalogue works"
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="save/restore the state here"
    )
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    restore = args.data is not None and args.data.exists()
    sims = Simulators(port_base=args.port_base, demo=not restore, works=args.works)
    if restore:
        sims.load(args.data)
    with sims:
        args.state.parent.mkdir(parents=True, exist_ok=True)
        partial = args.state.with_suffix(".tmp")
        partial.write_text(json.dumps(sims.info(), indent=2))
        partial.replace(args.state)  # readers never see half a file
        print(
            f"Simulators up: Plex {sims.plex.url('plextv')}, "
            f"SensCritique {sims.senscritique.url} (state in {args.state})",
            flush=True,
        )
        while not stop.wait(1):
            pass
        if args.data is not None:
            sims.save(args.data)
    args.state.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
