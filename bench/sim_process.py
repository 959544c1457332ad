"""Both simulators in a child process, seeded with a synthetic account.

Why a separate process: in production the services are remote, so their work
must not share the sync's interpreter (the GIL) or its event loop. Measuring
loop stalls or memory with the simulators in-process would charge their XML
rendering and GraphQL execution to the sync.

The parent talks to the child over a pipe: `counts()` (requests by side and
kind since the last `reset()`), `lower_bound()` (list pages the current
account needs at the clients' page size), `stop()`.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from tests.simulators.plex import PlexSimulator
from tests.simulators.plex_state import LibraryItem, PlexState, Section
from tests.simulators.senscritique import SensCritiqueSimulator

from . import synthetic_account as account

PAGE_SIZE = 100  # both clients' page size


class CountingSensCritique(SensCritiqueSimulator):
    """Tells a capability probe (a mutation sent without variables) from a write."""

    def __init__(self) -> None:
        super().__init__()
        self.probes = 0

    def _run(self, op: Any, viewer: Any) -> Any:
        if (
            isinstance(op, dict)
            and str(op.get("query", "")).lstrip().startswith("mutation")
            and not op.get("variables")
        ):
            self.probes += 1
        return super()._run(op, viewer)


def plex_kind(role: str, path: str) -> str:
    """What one Plex request was for."""
    if role == "plextv":
        return "signin"
    if role == "community":
        return "read"
    if role == "pms":
        if path.startswith("/library/sections"):
            return "read"
        if path.startswith("/:/"):
            return "write"
        if path == "/library/all" or path.startswith("/library/metadata"):
            return "lookup"
        return "signin"  # server root / identity on connect
    if path.startswith("/actions/"):
        return "write"
    if path == "/library/search":
        return "search"
    if path.startswith("/library/sections/watchlist"):
        return "read"
    return "lookup"


SC_READS = {"UserLibrary"}
SC_SEARCHES = {"SearchAutocomplete"}
SC_SIGNIN = {"SignIn", "UserLookup"}
SC_LOOKUPS = {"ProductLookup", "ProductState"}  # one product (by id)


def sc_counts(sim: CountingSensCritique) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for name, count in sim.requests.items():
        if name in SC_READS:
            kinds["read"] += count
        elif name in SC_SEARCHES:
            kinds["search"] += count
        elif name in SC_SIGNIN:
            kinds["signin"] += count
        elif name in SC_LOOKUPS:
            kinds["lookup"] += count
        else:
            kinds["write"] += count
    kinds["write"] -= sim.probes
    kinds["probe"] += sim.probes
    return +kinds


def _pages(items: int) -> int:
    return max(1, math.ceil(items / PAGE_SIZE))


def _section_pages(state: PlexState, section: Section) -> int:
    """Pages of the library queries of one section (reads.LIBRARY_QUERIES):
    rated and watched films; or rated and played series, rated and watched
    seasons, rated and watched episodes. An empty query still costs a page."""
    items = [i for i in state.library.values() if i.section == section.key]

    def of(kind: str) -> list[LibraryItem]:
        return [i for i in items if state.kind_of(i) == kind]

    def views(item: LibraryItem) -> int:
        return sum(leaf.view_count for leaf in state.leaves(item)) + item.own_views

    def watched(item: LibraryItem) -> bool:
        leaves = state.leaves(item)
        return bool(leaves) and all(leaf.view_count for leaf in leaves)

    def rated(kind: str) -> int:
        return sum(i.user_rating is not None for i in of(kind))

    if section.kind == "movie":
        return _pages(rated("movie")) + _pages(sum(views(i) > 0 for i in of("movie")))
    return (
        _pages(rated("show"))
        + _pages(sum(views(i) > 0 for i in of("show")))
        + _pages(rated("season"))
        + _pages(sum(watched(i) for i in of("season")))
        + _pages(rated("episode"))
        + _pages(sum(i.view_count > 0 for i in of("episode")))
    )


def plex_lower_bound(sim: PlexSimulator) -> int:
    """Pages of every list the Plex APIs offer for this account's state."""
    state = sim.state
    with state.lock:
        library = sum(_section_pages(state, s) for s in state.sections.values())
        watchlist = sum(bool(st.watchlisted_at) for st in state.account.values())
        reviews = sum(st.rating is not None for st in state.account.values())
        history = len(state.history)
    # /library/sections, each section's queries, watchlist, GraphQL lists.
    return 1 + library + _pages(watchlist) + _pages(reviews) + _pages(history)


def sc_lower_bound(sim: SensCritiqueSimulator) -> int:
    """The three lists are paged together: the longest one's pages."""
    marks = sim.state.users[account.USERNAME].marks.values()
    longest = max(
        sum(m.wished for m in marks),
        sum(m.rating is not None for m in marks),
        sum(m.done for m in marks),
    )
    return _pages(longest)


@dataclass(frozen=True)
class Wiring:
    """What the sync side needs to reach the simulators."""

    plex_hosts: str
    plex_token: str
    plex_server_id: str
    plex_server_name: str
    plex_account_id: int
    plex_username: str
    sc_url: str
    sc_user_id: int
    expected_writes: int
    list_sizes: dict[str, int]


async def _serve(conn: Connection, n: int, seed: int) -> None:
    works = account.build(n, seed)
    plex = PlexSimulator()
    account.seed_plex(plex.state, works)
    sc = CountingSensCritique()
    account.seed_senscritique(sc.state, works)
    plex.start()
    await sc.start()
    loop = asyncio.get_running_loop()
    conn.send(
        Wiring(
            plex_hosts=plex.hosts_json,
            plex_token=plex.token,
            plex_server_id=plex.server_id,
            plex_server_name=plex.server_name,
            plex_account_id=plex.account_id,
            plex_username=plex.username,
            sc_url=sc.url,
            sc_user_id=sc.state.users[account.USERNAME].id,
            expected_writes=account.expected_writes(works),
            list_sizes=account.list_sizes(works),
        )
    )
    try:
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "stop":
                break
            if command == "reset":
                plex.requests.clear()
                plex.log.clear()
                sc.requests.clear()
                sc.probes = 0
                conn.send(None)
            elif command == "counts":
                plex_kinds = Counter(plex_kind(r[0], r[2]) for r in plex.log)
                conn.send(
                    {"plex": dict(plex_kinds), "senscritique": dict(sc_counts(sc))}
                )
            elif isinstance(command, tuple) and command[0] == "rate":
                # ("rate", guid, value): the user rates a library item on
                # Plex; answers its ratingKey (None: not in the library).
                item = plex.library_item(command[1])
                if item is not None:
                    with plex.state.lock:
                        plex.state.rate_library(item, command[2], int(time.time()))
                conn.send(None if item is None else str(item.rating_key))
            elif command == "lower_bound":
                conn.send(
                    {"plex": plex_lower_bound(plex), "senscritique": sc_lower_bound(sc)}
                )
    finally:
        await sc.stop()
        plex.stop()


def _child(conn: Connection, n: int, seed: int) -> None:
    asyncio.run(_serve(conn, n, seed))


class SimulatorProcess:
    """`with SimulatorProcess(n) as sims:` -> sims.wiring, sims.counts(), ..."""

    def __init__(self, n: int, seed: int = 10) -> None:
        self._n, self._seed = n, seed
        self._conn: Connection | None = None
        self._process: Any = None
        self.wiring: Wiring | None = None

    def __enter__(self) -> SimulatorProcess:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(
            target=_child, args=(child, self._n, self._seed), daemon=True
        )
        self._process.start()
        self._conn = parent
        if not parent.poll(600):
            raise RuntimeError("the simulators did not start")
        self.wiring = parent.recv()
        return self

    def _ask(self, command: str) -> Any:
        assert self._conn is not None
        self._conn.send(command)
        if not self._conn.poll(120):
            raise RuntimeError(f"the simulators did not answer {command!r}")
        return self._conn.recv()

    def reset(self) -> None:
        self._ask("reset")

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = self._ask("counts")
        return result

    def rate(self, guid: str, value: float) -> str | None:
        """Rate the library item `guid` on Plex as its user would; its
        ratingKey, or None when it is not in the library."""
        assert self._conn is not None
        self._conn.send(("rate", guid, value))
        if not self._conn.poll(120):
            raise RuntimeError("the simulators did not answer 'rate'")
        result: str | None = self._conn.recv()
        return result

    def lower_bound(self) -> dict[str, int]:
        result: dict[str, int] = self._ask("lower_bound")
        return result

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.send("stop")
        if self._process is not None:
            self._process.join(30)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(5)
