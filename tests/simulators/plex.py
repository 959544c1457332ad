"""A stateful loopback Plex: Plex Media Server + plex.tv + Discover + metadata
provider + community GraphQL, which the unmodified `plexapi` talks to.

Each virtual host listens on its own 127.0.0.1 port so paths stay exactly as
in production; `sim.hosts` maps the real service base URLs to them (the
`ServiceHosts` JSON). The aiohttp servers run on their own event loop in a
background thread, so blocking plexapi can call them from sync tests.

    with PlexSimulator() as sim:            # or: async with PlexSimulator() as sim
        sim.add_movie("Heat", 1995, rating=9, viewed_at=...)
        client = PlexClient(sim.token, hosts=ServiceHosts.from_json(sim.hosts_json))

CLI: ``python -m tests.simulators.plex --port N --demo`` (N is the plex.tv
port; the other hosts take N+1..N+4; 0 = random ports).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import threading
import time
from collections import Counter
from typing import Self

from aiohttp import web

from .plex_household import HomeUser, HomeUserView
from .plex_http import MAX_STALL, Fault, PlexHttp
from .plex_seed import PlexSeeding
from .plex_state import PlexState

ROLES = ("plextv", "metadata", "discover", "community", "pms")
SERVICE_HOSTS = {
    "https://plex.tv": "plextv",
    "https://clients.plex.tv": "plextv",
    "https://metadata.provider.plex.tv": "metadata",
    "https://discover.provider.plex.tv": "discover",
    "https://community.plex.tv": "community",
}


class PlexSimulator(PlexHttp, PlexSeeding):
    """The simulator; see the module docstring."""

    def __init__(
        self,
        *,
        token: str = "SIM-ACCOUNT-TOKEN",  # noqa: S107 - a simulator's fake token
        server_token: str = "SIM-SERVER-TOKEN",  # noqa: S107
        server_id: str = "9f3c2a7b1e5d4c8a0b6f2e1d3c5a7b9e0f1a2b3c",
        server_name: str = "Living Room PMS",
        base_port: int = 0,
    ) -> None:
        self.token = token
        self.server_token = server_token
        self.server_id = server_id
        self.server_name = server_name
        self.account_id = 31415926
        self.account_uuid = "a1b2c3d4e5f60718"
        self.username = "cinephile42"
        self.plex_pass = True
        self.webhooks: list[str] = []
        self.state = PlexState()
        self.home: list[HomeUser] = []  # the account's Plex Home
        self.friends: list[str] = []  # usernames of friends (not in the Home)
        self.requests: Counter[str] = Counter()
        # (role, method, path, query pairs, (container start, size)) per request
        self.log: list[
            tuple[str, str, str, list[tuple[str, str]], tuple[int, int | None]]
        ] = []
        self.latency = 0.0
        self.graphql_errors = 0  # next N community calls answer GraphQL errors
        self._faults: list[Fault] = []
        self._token_valid = True
        self._base_port = base_port
        self._ports: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runners: list[web.AppRunner] = []

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._serve())
            except BaseException as err:  # reported to start()
                errors.append(err)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="plex-simulator", daemon=True)
        self._thread.start()
        if not ready.wait(10) or errors:
            raise RuntimeError(f"Plex simulator did not start: {errors}")

    async def _serve(self) -> None:
        for i, role in enumerate(ROLES):
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handler(role))
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            port = self._base_port + i if self._base_port else 0
            site = web.TCPSite(runner, "127.0.0.1", port)
            await site.start()
            self._runners.append(runner)
            server = site._server
            assert server is not None
            self._ports[role] = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _cleanup(self) -> None:
        for runner in self._runners:
            await runner.cleanup()

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    # ------------------------------------------------------------------ addresses
    def url(self, role: str) -> str:
        return f"http://127.0.0.1:{self._ports[role]}"

    @property
    def pms_url(self) -> str:
        return self.url("pms")

    @property
    def hosts(self) -> dict[str, str]:
        """Real service base URL -> loopback base URL (ServiceHosts-ready)."""
        return {real: self.url(role) for real, role in SERVICE_HOSTS.items()}

    @property
    def hosts_json(self) -> str:
        return json.dumps(self.hosts)

    # ------------------------------------------------------------------ household
    def add_home_user(
        self, name: str, *, managed: bool = False, pin: str | None = None
    ) -> HomeUserView:
        """A user of the account's Plex Home (managed: no plex.tv account);
        seed and inspect their own state through the returned view."""
        with self.state.lock:
            user = HomeUser(
                self.account_id + 1 + len(self.home),
                name,
                "" if managed else name.lower(),
                pin,
                self.state.member(),
            )
            self.home.append(user)
        return HomeUserView(user)

    # ------------------------------------------------------------------ faults
    def fail(
        self,
        status: int,
        *,
        count: int = 1,
        role: str | None = None,
        path: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """The next `count` matching requests answer `status` (429 may carry Retry-After)."""
        self._faults.append(Fault("status", count, role, path, status, retry_after))

    def stall(
        self,
        seconds: float,
        *,
        count: int = 1,
        role: str | None = None,
        path: str | None = None,
    ) -> None:
        """The next `count` matching requests wait `seconds` (capped) before answering."""
        self._faults.append(
            Fault("stall", count, role, path, seconds=min(seconds, MAX_STALL))
        )

    def malform(
        self, *, count: int = 1, role: str | None = None, path: str | None = None
    ) -> None:
        """The next `count` matching requests get a truncated, unparsable body."""
        self._faults.append(Fault("malformed", count, role, path))

    def expire_token(self) -> None:
        """The account token stops working (401 everywhere) until `renew_token`."""
        self._token_valid = False

    def renew_token(self) -> None:
        self._token_valid = True

    def reset_faults(self) -> None:
        self._faults.clear()
        self.latency = 0.0
        self._token_valid = True


def main() -> None:
    parser = argparse.ArgumentParser(description="Loopback Plex simulator")
    parser.add_argument(
        "--port", type=int, default=0, help="first port (5 consecutive)"
    )
    parser.add_argument("--demo", action="store_true", help="load the demo catalogue")
    args = parser.parse_args()
    sim = PlexSimulator(base_port=args.port)
    if args.demo:
        sim.load_demo()
    sim.start()
    print(f"Plex simulator PMS at {sim.pms_url}")
    print(f"token: {sim.token}")
    print(f"PLEXSYNC_PLEX_HOSTS='{sim.hosts_json}'", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
