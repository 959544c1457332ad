"""What the to-do list's actions write: add by title, remove, mark watched.

The writes go through the coordinator (one at a time with the syncs) and
linked ones are recorded in the base, so the next sync agrees with them.
Like the planner, they respect what each side can write: no watchlist write of
a kind its watchlist cannot hold (Plex's: films and series), no watch of a kind
it does not keep on its own (Plex: a series or season, derived from the
episodes); when that leaves nothing to write, `Unwritable` says which side.
Removing more works at once than the mass-removal guard lets a sync remove
from a side writes nothing: the removals are held until the user confirms
them (approvals.py), and `RemovalsHeld` says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from .approvals import ISSUE_TODO_HELD, async_update_hold_issue, hold_todo_removals
from .changes import Title
from .coordinator import PlexSyncCoordinator
from .engine.guards import NOTHING_HELD, Held
from .engine.link_view import LIST, NAME
from .engine.manual_links import may_link
from .engine.matching import match_candidates
from .engine.model import Action, Feature, Kind, Link, Shown, Side, SyncState, Work
from .engine.plans import Op
from .engine.settings import Capabilities
from .options import sync_options
from .summary import FailedOp
from .watchlist_items import WatchlistItem, listed_keys

_TITLE_YEAR = re.compile(r"^\s*(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")
_LIST = {
    Side.PLEX: "your Plex watchlist",
    Side.SENSCRITIQUE: "your SensCritique wishlist",
}
_NAME = {Side.PLEX: "Plex", Side.SENSCRITIQUE: "SensCritique"}


def reason(action: Action, side: Side, title: Title) -> str:
    """A to-do list write in plain words, as the engine words a sync's."""
    work = title.quoted()
    if action is Action.ADD_WATCHLIST:
        return f"Added {work} to {LIST[side]} because you added it to the to-do list."
    if action is Action.REMOVE_WATCHLIST:
        return (
            f"Removed {work} from {LIST[side]} because you deleted it from the "
            "to-do list."
        )
    return (
        f"Marked {work} watched on {NAME[side]} because you ticked it on the "
        "to-do list."
    )


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


async def async_adopt_link(coordinator: PlexSyncCoordinator, link: Link) -> str:
    """Keep a link a search found (unless the user's links forbid it): its
    id, or "" when it was not kept."""

    def add_link(state: SyncState) -> SyncState:
        if not may_link(state, link):
            return state
        return replace(state, links={**state.links, link.id: link})

    await coordinator.async_change_state(add_link)
    return link.id if link.id in coordinator.state.links else ""


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
    link_key = "" if link is None else await async_adopt_link(coordinator, link)
    listed = listed_keys(coordinator.data.watchlist if coordinator.data else ())
    titles = [Title(work.title, work.year) for _, work in targets]
    ops = [
        Op(
            side,
            Action.ADD_WATCHLIST,
            work.key,
            link_key,
            reason(Action.ADD_WATCHLIST, side, title),
            at=now,
            title=work.title,
            before=Shown((side, work.key) in listed),
        )
        for (side, work), title in zip(targets, titles, strict=True)
    ]
    return True, await coordinator.async_write(ops, titles)


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
            # Removing: it was listed there; marking watched: neither side
            # had it watched (the item was not completed).
            before = Shown(removing)
            ops.append(
                Op(
                    side,
                    action,
                    key,
                    link,
                    reason(action, side, Title(item.title, item.year)),
                    at=now,
                    title=item.title,
                    before=before,
                )
            )
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


class RemovalsHeld(Exception):
    """The to-do list's deletions were held for a confirmation."""

    def __init__(self, held: Held) -> None:
        super().__init__(f"{len(held.ops)} removals held")
        self.held = held


async def async_remove(
    coordinator: PlexSyncCoordinator, ops: Sequence[Op], titles: Sequence[Title]
) -> list[FailedOp]:
    """Remove works from the watchlists, unless that is more than the
    mass-removal guard lets a sync remove from a side: then nothing is
    written, the removals are held for a confirmation (approvals.py) and
    `RemovalsHeld` says so."""
    entry = coordinator.config_entry
    options = sync_options(entry.options, read_only=coordinator.read_only)
    agreed = sum(1 for base in coordinator.state.agreed.values() if base.watchlist)
    held = hold_todo_removals(ops, agreed, options)
    if not held.empty:
        coordinator.todo_held = held
        async_update_hold_issue(coordinator.hass, entry, ISSUE_TODO_HELD, held)
        raise RemovalsHeld(held)
    return await coordinator.async_write(ops, titles)


async def async_confirm_removals(
    coordinator: PlexSyncCoordinator, shown: Held
) -> list[FailedOp]:
    """Make the held deletions the user confirmed, as shown: those whose
    work is still listed on that side; one to-do action for an undo."""
    data = coordinator.data
    listed = listed_keys(data.watchlist if data else ())
    ops = [op for op in shown.ops if (op.side, op.key) in listed]
    coordinator.todo_held = NOTHING_HELD
    async_update_hold_issue(
        coordinator.hass, coordinator.config_entry, ISSUE_TODO_HELD, NOTHING_HELD
    )
    failed = await coordinator.async_write(
        ops, [Title(op.title or op.key) for op in ops]
    )
    await coordinator.async_request_refresh()
    return failed
