"""Writes the sync made that a lagging side may not show yet.

Write lag is a property of a side and feature, declared by the side's client
(`Capabilities.lagging`): Plex has none; SensCritique's wishlist lags (a new
wish can stay out of its lists for hours). The rules, in the order a write
meets them:

- A write the service accepted is folded into the base (`planner.record`).
  Where the side does not lag for the feature, it is confirmed there and then:
  nothing more is remembered, and the next read is the truth. A write missing
  from it was undone by the user, and that undo travels like any change.
- Where the side lags, `record` also remembers the write as `Pending`. While
  the side has never yet shown it, it stands in for the read
  (`PendingWrites.apply`), so the lag is not taken for the user's undo.
- The first read that shows it (or shows a newer change that supersedes it:
  another rating) resolves it (`planner.settle` drops it): from then on, any
  difference is the user's edit.
- When the grace window (`SyncOptions.pending_grace`) ends on a write never
  seen, the write counts as failed: the base is put back as if it had never
  been agreed (`_forget`), so the rules plan it again from what both sides
  show. It is never taken as agreed, which would read its absence as the
  user's removal and let the other side's value overwrite it.
- A pending write of a side and feature that does not lag (one stored before
  the lag was declared) is confirmed at once: resolved, never standing in.

What follows: an undo of a lagging write made before any read has shown it
cannot be told from the lag. It is hidden for the grace window, then the write
is planned again (README, "Platform limits").
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
from .settings import Capabilities


@dataclass(frozen=True, slots=True)
class PendingWrites:
    """The pending writes one plan reads: the latest per (link, side, feature)
    in `live`; `resolved` collects those that showed, expired, were
    superseded or need no waiting (their side does not lag), for
    `planner.settle` to drop; `awaiting` those the read did not show yet and
    that stood in for it."""

    live: Mapping[tuple[str, Side, Feature], Pending]
    resolved: list[Pending]
    now: datetime
    grace: timedelta
    awaiting: list[Pending] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        state: SyncState,
        now: datetime,
        grace: timedelta,
        capabilities: Mapping[Side, Capabilities],
    ) -> PendingWrites:
        """Index the state's pending writes; older duplicates, writes of links
        no longer in the state and writes of a side and feature that does not
        lag are resolved at once."""
        live: dict[tuple[str, Side, Feature], Pending] = {}
        resolved: list[Pending] = []
        for entry in state.pending:
            lags = capabilities[entry.side].lags(entry.action.feature)
            if entry.link not in state.links or not lags:
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
    written, or another the user gave since, which must not be hidden behind
    the written value.
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
