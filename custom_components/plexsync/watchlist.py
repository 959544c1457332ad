"""What the to-do list's actions write: add by title, remove, mark watched.

The writes go through the coordinator (one at a time with the syncs) and
linked ones are recorded in the base, so the next sync agrees with them.
Like the planner, they respect what each side can write: no watchlist write of
a kind its watchlist cannot hold (Plex's: films and series), no watch of a kind
it does not keep on its own (Plex: a series or season, derived from the
episodes); when that leaves nothing to write, `Unwritable` says which side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from .coordinator import PlexSyncCoordinator
from .engine.manual_links import may_link
from .engine.matching import match_candidates
from .engine.model import Action, Feature, Kind, Link, Op, Side, SyncState, Work
from .engine.settings import Capabilities
from .summary import FailedOp, WatchlistItem

_TITLE_YEAR = re.compile(r"^\s*(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")
REASON = "asked from the Home Assistant to-do list"


class Unwritable(Exception):
    """Nothing to write: `side` cannot take the action for a work of `kind`."""

    def __init__(self, side: Side, kind: Kind) -> None:
        super().__init__(f"{side.value} cannot take this for a {kind.value}")
        self.side = side
        self.kind = kind


def can_write(capabilities: Capabilities, action: Action, kind: Kind | None) -> bool:
    """Whether a side with `capabilities` takes `action` for a work of `kind`
    (None: unknown kind, only the action is checked)."""
    if not capabilities.allows(action):
        return False
    if kind is None:
        return True
    if action.feature is Feature.WATCHLIST:
        return capabilities.holds_on_watchlist(kind)
    if action.feature is Feature.WATCHED:
        return capabilities.keeps_watched(kind)
    return True


async def async_capabilities(
    coordinator: PlexSyncCoordinator,
) -> dict[Side, Capabilities]:
    """What each side can write (SensCritique's probed once, then cached)."""
    return {side: await coordinator.sides.capabilities(side) for side in Side}


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
    """Add a work found by title to both watchlists; False when not found;
    `Unwritable` when no watchlist it was found for can hold it."""
    title, year = parse_title(text)
    sc_work, plex_work, link = await async_find(coordinator, title, year)
    if sc_work is None and plex_work is None:
        return False, []
    capabilities = await async_capabilities(coordinator)
    targets: list[tuple[Side, Work]] = []
    refused: Unwritable | None = None
    for side, work in ((Side.PLEX, plex_work), (Side.SENSCRITIQUE, sc_work)):
        if work is None or (side is Side.SENSCRITIQUE and coordinator.read_only):
            continue
        if can_write(capabilities[side], Action.ADD_WATCHLIST, work.kind):
            targets.append((side, work))
        elif refused is None:
            refused = Unwritable(side, work.kind)
    if not targets and refused is not None:
        raise refused
    link_key = ""
    if link is not None:
        new_link = link

        def add_link(state: SyncState) -> SyncState:
            if not may_link(state, new_link):
                return state
            return replace(state, links={**state.links, new_link.id: new_link})

        await coordinator.async_change_state(add_link)
        if link.id in coordinator.state.links:
            link_key = link.id
    ops = [
        Op(side, Action.ADD_WATCHLIST, work.key, link_key, REASON, at=now)
        for side, work in targets
    ]
    return True, await coordinator.async_write(ops)


def _ops(
    item: WatchlistItem,
    action: Action,
    now: datetime,
    *,
    read_only: bool,
    capabilities: Mapping[Side, Capabilities],
) -> list[Op]:
    link = item.link or ""
    removing = action is Action.REMOVE_WATCHLIST
    ops: list[Op] = []
    refused: Unwritable | None = None
    for side, key, on in (
        (Side.PLEX, item.plex, item.on_plex),
        (Side.SENSCRITIQUE, item.senscritique, item.on_senscritique),
    ):
        if key is None or (removing and not on):
            continue
        if side is Side.SENSCRITIQUE and read_only:
            continue
        if can_write(capabilities[side], action, item.kind):
            ops.append(Op(side, action, key, link, REASON, at=now))
        elif refused is None and item.kind is not None:
            refused = Unwritable(side, item.kind)
    if not ops and refused is not None:
        raise refused
    return ops


def remove_ops(
    item: WatchlistItem,
    now: datetime,
    *,
    read_only: bool,
    capabilities: Mapping[Side, Capabilities],
) -> list[Op]:
    """Take the work off the watchlist on each side that has it."""
    return _ops(
        item,
        Action.REMOVE_WATCHLIST,
        now,
        read_only=read_only,
        capabilities=capabilities,
    )


def watched_ops(
    item: WatchlistItem,
    now: datetime,
    *,
    read_only: bool,
    capabilities: Mapping[Side, Capabilities],
) -> list[Op]:
    """Mark the work watched on each side where it is known and that keeps
    watches of its kind on its own."""
    return _ops(
        item, Action.MARK_WATCHED, now, read_only=read_only, capabilities=capabilities
    )
