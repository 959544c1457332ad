"""What the to-do list's actions write: add by title, remove, mark watched.

The writes go through the coordinator (one at a time with the syncs) and
linked ones are recorded in the base, so the next sync agrees with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from .coordinator import PlexSyncCoordinator
from .engine.matching import match_candidates
from .engine.model import Action, Kind, Link, Op, Side, SyncState, Work
from .summary import FailedOp, WatchlistItem

_TITLE_YEAR = re.compile(r"^\s*(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")
REASON = "asked from the Home Assistant to-do list"


def parse_title(text: str) -> tuple[str, int | None]:
    """ "Heat (1995)" -> ("Heat", 1995); a title without a year keeps None."""
    if match := _TITLE_YEAR.match(text):
        return match["title"], int(match["year"])
    return text.strip(), None


async def async_find(
    coordinator: PlexSyncCoordinator, title: str, year: int | None
) -> tuple[Work | None, Work | None, Link | None]:
    """The work on each side (None where not found) and their link, if any.

    Films are tried first, then series. SensCritique's best result decides;
    its Plex counterpart is picked by the engine's matcher, never guessed.
    """
    sides = coordinator.sides
    for kind in (Kind.MOVIE, Kind.SHOW):
        on_sc = await sides.search(Side.SENSCRITIQUE, title, kind, year)
        on_plex = await sides.search(Side.PLEX, title, kind, year)
        if on_sc:
            found = match_candidates(on_sc[0], on_plex)
            if isinstance(found, Link):
                plex_work = next((w for w in on_plex if w.key == found.plex), None)
                return on_sc[0], plex_work, found
            return on_sc[0], None, None
        if on_plex:
            return None, on_plex[0], None
    return None, None, None


async def async_add(
    coordinator: PlexSyncCoordinator, text: str, now: datetime
) -> tuple[bool, list[FailedOp]]:
    """Add a work found by title to both watchlists; False when not found."""
    title, year = parse_title(text)
    sc_work, plex_work, link = await async_find(coordinator, title, year)
    if sc_work is None and plex_work is None:
        return False, []
    link_key = ""
    if link is not None:
        new_link = link

        def add_link(state: SyncState) -> SyncState:
            taken = any(
                other.plex == new_link.plex
                or other.senscritique == new_link.senscritique
                for other in state.links.values()
            )
            return (
                state
                if taken
                else replace(state, links={**state.links, new_link.id: new_link})
            )

        await coordinator.async_change_state(add_link)
        if link.id in coordinator.state.links:
            link_key = link.id
    ops: list[Op] = []
    if plex_work is not None:
        ops.append(
            Op(Side.PLEX, Action.ADD_WATCHLIST, plex_work.key, link_key, REASON, at=now)
        )
    if sc_work is not None and not coordinator.read_only:
        ops.append(
            Op(
                Side.SENSCRITIQUE,
                Action.ADD_WATCHLIST,
                sc_work.key,
                link_key,
                REASON,
                at=now,
            )
        )
    return True, await coordinator.async_write(ops)


def _ops(
    item: WatchlistItem, action: Action, now: datetime, *, read_only: bool
) -> Iterable[Op]:
    link = item.link or ""
    removing = action is Action.REMOVE_WATCHLIST
    if item.plex is not None and (item.on_plex or not removing):
        yield Op(Side.PLEX, action, item.plex, link, REASON, at=now)
    if (
        item.senscritique is not None
        and not read_only
        and (item.on_senscritique or not removing)
    ):
        yield Op(Side.SENSCRITIQUE, action, item.senscritique, link, REASON, at=now)


def remove_ops(item: WatchlistItem, now: datetime, *, read_only: bool) -> list[Op]:
    """Take the work off the watchlist on each side that has it."""
    return list(_ops(item, Action.REMOVE_WATCHLIST, now, read_only=read_only))


def watched_ops(item: WatchlistItem, now: datetime, *, read_only: bool) -> list[Op]:
    """Mark the work watched on each side where it is known."""
    return list(_ops(item, Action.MARK_WATCHED, now, read_only=read_only))
