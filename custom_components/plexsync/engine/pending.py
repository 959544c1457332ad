"""Writes the sync made that a read may not show yet.

A successful write is remembered as `Pending` (see `planner.record`). Until the
side's read shows it, or `options.pending_grace` passes, the write stands in
for the read, so a slow service (SensCritique can take a long time to show a
new wish) is not mistaken for the user undoing it. A pending write that never
showed is forgotten by putting the base back as if it had never been agreed,
so the rules plan the write again rather than read its absence as a user's
removal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from .link_view import FORGET_WATCHED, SIDES, Reading
from .model import (
    Action,
    Agreed,
    Feature,
    Link,
    Pending,
    Rating,
    Side,
    SyncState,
    Watch,
)


@dataclass(frozen=True, slots=True)
class PendingWrites:
    """The pending writes one plan reads: the latest per (link, side, feature)
    in `live`; `resolved` collects those that showed, expired or were
    superseded, for `planner.settle` to drop; `awaiting` those the read did
    not show yet and that stood in for it."""

    live: Mapping[tuple[str, Side, Feature], Pending]
    resolved: list[Pending]
    now: datetime
    grace: timedelta
    awaiting: list[Pending] = field(default_factory=list)

    @classmethod
    def of(cls, state: SyncState, now: datetime, grace: timedelta) -> PendingWrites:
        """Index the state's pending writes; older duplicates and writes of
        links no longer in the state are resolved at once."""
        live: dict[tuple[str, Side, Feature], Pending] = {}
        resolved: list[Pending] = []
        for entry in state.pending:
            if entry.link not in state.links:
                resolved.append(entry)
                continue
            key = (entry.link, entry.side, entry.action.feature)
            older = live.get(key)
            if older is not None and older.since > entry.since:
                resolved.append(entry)
                continue
            if older is not None:
                resolved.append(older)
            live[key] = entry
        return cls(live, resolved, now, grace)

    def apply(self, link_id: str, link: Link, base: Agreed, reading: Reading) -> Agreed:
        """Let the link's pending writes stand in for `reading` (changed in
        place); return the base after forgetting the writes that expired."""
        if not self.live:
            return base
        for side in SIDES:
            for feature in Feature:
                entry = self.live.get((link_id, side, feature))
                if entry is None:
                    continue
                if _shows(entry, reading, side):
                    self.resolved.append(entry)
                elif self.now - entry.since >= self.grace:
                    self.resolved.append(entry)
                    base = _forget(base, entry, reading)
                else:
                    self.awaiting.append(entry)
                    _stand_in(entry, reading, side, link.key_on(side))
        return base


def _shows(entry: Pending, reading: Reading, side: Side) -> bool:
    """Whether the side's read already shows the pending write, or a newer
    change that supersedes it.

    A rating write is done with once the side shows any rating: the value
    written, or another the user gave since (only new wishes are known to
    lag, not ratings), which must not be hidden behind the written value.
    """
    rating = reading.rating[side]
    match entry.action:
        case Action.ADD_WATCHLIST:
            return reading.watchlist[side]
        case Action.REMOVE_WATCHLIST:
            return not reading.watchlist[side]
        case Action.SET_RATING:
            return rating is not None
        case Action.CLEAR_RATING:
            return rating is None
        case Action.MARK_WATCHED:
            return reading.watch[side] is not None
        case Action.MARK_UNWATCHED:
            return reading.watch[side] is None
    raise AssertionError(entry.action)  # pragma: no cover - exhaustive


def _stand_in(entry: Pending, reading: Reading, side: Side, key: str) -> None:
    """Read the side as if the pending write already showed.

    A watch shows the date it wrote (`Pending.at`), never the base's date:
    the base may have moved on to a later date since (settled from a re-watch
    on the other side), which this side does not show until it is written.
    """
    match entry.action:
        case Action.ADD_WATCHLIST | Action.REMOVE_WATCHLIST:
            reading.watchlist[side] = entry.action is Action.ADD_WATCHLIST
        case Action.SET_RATING:
            reading.rating[side] = Rating(key, entry.value or 0)
        case Action.CLEAR_RATING:
            reading.rating[side] = None
        case Action.MARK_WATCHED:
            reading.watch[side] = Watch(key, entry.at)
            reading.real_watch[side] = False
        case Action.MARK_UNWATCHED:
            reading.watch[side] = None


def _forget(base: Agreed, entry: Pending, reading: Reading) -> Agreed:
    """The base as if the write that never showed had not been agreed, so the
    rules plan it again instead of reading its absence as a user's change."""
    match entry.action:
        case Action.ADD_WATCHLIST:
            return replace(base, watchlist=False)
        case Action.REMOVE_WATCHLIST:
            return replace(base, watchlist=True)
        case Action.SET_RATING:
            return replace(base, rating=None, rated_at=None)
        case Action.CLEAR_RATING:
            still = reading.rating[entry.side]
            return replace(base, rating=still.value if still else None)
        case Action.MARK_WATCHED:
            return replace(base, **FORGET_WATCHED)
        case Action.MARK_UNWATCHED:
            watch = reading.watch[entry.side]
            return replace(
                base, watched=True, watched_at=watch.watched_at if watch else None
            )
    raise AssertionError(entry.action)  # pragma: no cover - exhaustive
