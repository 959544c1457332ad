"""Link the works of both sides: local match, then a bounded number of searches.

Matching itself is the engine's (pure, run in the executor: a large account
takes a second); this module only adds the searches, which are reads on the
other service, and their backoff bookkeeping. A pair the user unlinked is
never linked again here (local match or search): its works stay unmatched.
A work the user said the other service lacks (the review) is not searched.

A work is searched by its title, then by its original title when that is
another and the first search linked nothing: a film SensCritique knows as
"Le Voyage de Chihiro" is found on Plex's Discover asked in French (it
knows the French titles), then by "Sen to Chihiro no kamikakushi"; a Plex
"Spirited Away" on SensCritique by its original title. The searches
of one run are bounded (`SEARCH_REQUESTS_PER_RUN`, requests, not works) and
spent where a link pays most: works on a watchlist first, then rated ones,
then watched ones, the latest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from .clients import SideClients
from .const import LOGGER
from .engine.errors import AuthError, SyncServiceError
from .engine.matching import (
    SEARCH_REQUESTS_PER_RUN,
    Ambiguity,
    due_for_search,
    match_candidates,
    record_misses,
)
from .engine.model import Link, Side, Snapshot, SyncState, Work
from .engine.romanise import release_readers
from .match_memo import LocalMatchMemo

# SensCritique's titles are French: Plex's Discover is asked in French for
# them (it knows a film's title in each language), as is.
SENSCRITIQUE_LANGUAGE = "fr"
# Search requests of a dry run (the set-up's preview among them): about half
# a minute at SensCritique's pace, well within the preview's time limit.
DRY_RUN_SEARCH_REQUESTS = 100


def search_order(
    unmatched: Iterable[tuple[Side, Work]], snapshots: dict[Side, Snapshot]
) -> list[tuple[Side, Work]]:
    """The works to search, where a link pays most first: on a watchlist,
    then rated, then watched (the latest first), then the rest; by key."""

    def rank(item: tuple[Side, Work]) -> tuple[int, float, str]:
        side, work = item
        snapshot = snapshots[side]
        watch = snapshot.watched.get(work.key)
        seen = -watch.watched_at.timestamp() if watch and watch.watched_at else 0.0
        if work.key in snapshot.watchlist:
            return 0, 0.0, work.key
        if work.key in snapshot.ratings:
            return 1, seen, work.key
        if watch is not None:
            return 2, seen, work.key
        return 3, 0.0, work.key

    return sorted(unmatched, key=rank)


async def async_link_works(
    sides: SideClients,
    state: SyncState,
    plex: Snapshot,
    senscritique: Snapshot,
    now: datetime,
    *,
    budget: int = SEARCH_REQUESTS_PER_RUN,
    memo: LocalMatchMemo | None = None,
) -> SyncState:
    """Return `state` with every link this run can establish.

    A search that fails ends the searching for this run (the sync itself goes
    on with the links it has); an expired sign-in is raised. `memo` keeps the
    local match for the next run (see LocalMatchMemo).
    """
    try:
        return await _link(
            sides, state, plex, senscritique, now=now, budget=budget, memo=memo
        )
    finally:
        # The kanji dictionary (~100 MB) is only needed while matching.
        release_readers()


async def _link(
    sides: SideClients,
    state: SyncState,
    plex: Snapshot,
    senscritique: Snapshot,
    *,
    now: datetime,
    budget: int,
    memo: LocalMatchMemo | None,
) -> SyncState:
    result = await sides.run_blocking(
        (memo or LocalMatchMemo()).match,
        senscritique.works,
        plex.works,
        state.links,
        state.unlinked,
    )
    links = dict(result.links)
    unmatched = [
        *((Side.SENSCRITIQUE, w) for w in result.unmatched_senscritique),
        *((Side.PLEX, w) for w in result.unmatched_plex),
    ]
    due = [
        (side, work)
        for side, work in unmatched
        if work.parent is None
        and (side, work.key) not in state.alone
        and due_for_search(state, work, now)
    ]
    snapshots = {Side.PLEX: plex, Side.SENSCRITIQUE: senscritique}
    # Keys linked so far: a search's link joins two free works only (and a
    # work its partner's search linked is not searched). Kept as sets, and
    # the links and misses copied once: a run makes hundreds of searches.
    taken = {
        Side.PLEX: {link.plex for link in links.values()},
        Side.SENSCRITIQUE: {link.senscritique for link in links.values()},
    }
    missed: list[tuple[Side, Work]] = []
    for side, work in search_order(due, snapshots):
        if budget <= 0:
            break
        if work.key in taken[side]:
            continue  # found by a search of its partner this run
        titles = list(dict.fromkeys(t for t in (work.title, work.original_title) if t))
        try:
            found, searched = await _search(sides, side, work, titles[:budget])
        except AuthError:
            raise
        except SyncServiceError as err:
            LOGGER.debug("Search on %s stopped: %s", side.other, err)
            break
        budget -= searched
        if _free(found, taken, state.unlinked):
            assert isinstance(found, Link)
            links[found.id] = found
            taken[Side.PLEX].add(found.plex)
            taken[Side.SENSCRITIQUE].add(found.senscritique)
        elif searched == len(titles):
            missed.append((side, work))
    return record_misses(replace(state, links=links), missed, now)


async def _search(
    sides: SideClients, side: Side, work: Work, titles: list[str]
) -> tuple[Link | Ambiguity | None, int]:
    """Search the other side by each of `titles` until one links `work`;
    what the results give, and how many searches it took."""
    candidates: dict[str, Work] = {}
    found: Link | Ambiguity | None = None
    for searched, title in enumerate(titles, start=1):
        hits = await sides.search(
            side.other,
            title,
            work.kind,
            work.year,
            language=SENSCRITIQUE_LANGUAGE
            if side is Side.SENSCRITIQUE and title == work.title
            else None,
        )
        candidates.update((hit.key, hit) for hit in hits)
        found = await sides.run_blocking(
            match_candidates, work, list(candidates.values())
        )
        if isinstance(found, Link):
            return found, searched
    return found, len(titles)


def _free(
    found: Link | Ambiguity | None,
    taken: dict[Side, set[str]],
    unlinked: frozenset[tuple[str, str]],
) -> bool:
    """Whether `found` is a link of two works no link holds, of a pair the
    user did not unlink (manual_links.may_link, on the sets)."""
    return (
        isinstance(found, Link)
        and (found.senscritique, found.plex) not in unlinked
        and found.plex not in taken[Side.PLEX]
        and found.senscritique not in taken[Side.SENSCRITIQUE]
    )
