"""What the rules see of one link, and how they word and build its Ops.

`Reading` is the link as both sides show it this run (pending writes already
standing in, see pending.py); `LinkPlan` is the link with its base and what
each side can write. Each feature's rule (rules_watchlist.py, rules_ratings.py,
rules_watched.py) takes both and returns an `Outcome`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .model import (
    Action,
    Agreed,
    Feature,
    Link,
    Rating,
    Shown,
    Side,
    Snapshot,
    Watch,
    Work,
)
from .plans import Op
from .settings import Capabilities, FeatureOptions

SIDES = (Side.PLEX, Side.SENSCRITIQUE)
NAME = {Side.PLEX: "Plex", Side.SENSCRITIQUE: "SensCritique"}
LIST = {
    Side.PLEX: "your Plex watchlist",
    Side.SENSCRITIQUE: "your SensCritique wishlist",
}
NO_BASE = Agreed()
# The base fields of a watch, as if it had never been agreed.
FORGET_WATCHED: dict[str, Any] = {
    "watched": False,
    "watched_at": None,
    "plex_watched_at": None,
    "senscritique_watched_at": None,
}

# What a rule decides for one link: the Ops to write, the base fields to
# settle, and whether those fields lower the base (a removal both sides show,
# which the shrink guard may keep from settling).
Outcome = tuple[list[Op], dict[str, Any], bool]


@dataclass(slots=True)
class Reading:
    """One link as both sides show it, pending writes included."""

    watchlist: dict[Side, bool]
    rating: dict[Side, Rating | None]
    watch: dict[Side, Watch | None]
    real_watch: dict[Side, bool]  # False when the watch comes from a pending write

    def shown(self, side: Side, feature: Feature) -> Shown:
        """What `side` shows of `feature`, pending writes included."""
        if feature is Feature.WATCHLIST:
            return Shown(self.watchlist[side])
        if feature is Feature.RATINGS:
            rating = self.rating[side]
            return Shown(rating is not None, value=rating.value if rating else None)
        watch = self.watch[side]
        return Shown(watch is not None, at=watch.watched_at if watch else None)


@dataclass(slots=True)
class LinkPlan:
    """Everything needed to write Ops for one link."""

    link_id: str
    link: Link
    base: Agreed
    snapshots: Mapping[Side, Snapshot]
    capabilities: Mapping[Side, Capabilities]
    # The date standing in for an unknown rating date. While watches are
    # synced, the date the link's watches are headed for, identical on both
    # sides and unchanged by this run's own writes; otherwise each rating's own
    # last watched date.
    watch_date: datetime | None = None
    watches_synced: bool = False

    def rating_date(self, rating: Rating) -> datetime | None:
        if rating.rated_at is not None:
            return rating.rated_at
        return self.watch_date if self.watches_synced else rating.watched_at

    def work(self) -> Work | None:
        """The work as the first side that read it knows it."""
        for side in SIDES:
            work = self.snapshots[side].works.get(self.link.key_on(side))
            if work is not None:
                return work
        return None

    def title(self) -> str:
        work = self.work()
        if work is not None:
            return f"“{work.title}” ({work.year})" if work.year else f"“{work.title}”"
        return f"“{self.link.senscritique}”"

    def op(
        self,
        side: Side,
        action: Action,
        reason: str,
        value: int | None = None,
        at: datetime | None = None,
        *,
        at_shown_on: frozenset[Side] = frozenset(),
    ) -> Op:
        key = self.link.key_on(side)
        work = self.work()
        return Op(
            side,
            action,
            key,
            self.link_id,
            reason,
            value,
            at,
            title=work.title if work is not None else None,
            before=shown_on(self.snapshots[side], key, action.feature),
            at_shown_on=at_shown_on,
        )

    def may(self, options: FeatureOptions, side: Side, action: Action) -> bool:
        return options.direction.writes_to(side) and self.capabilities[side].allows(
            action
        )


def shown_on(snapshot: Snapshot, key: str, feature: Feature) -> Shown:
    """What `snapshot` shows of one feature of the work `key`."""
    if feature is Feature.WATCHLIST:
        return Shown(key in snapshot.watchlist)
    if feature is Feature.RATINGS:
        rating = snapshot.ratings.get(key)
        if rating is None:
            return Shown(False)
        return Shown(True, value=rating.value, at=rating.rated_at)
    watch = snapshot.watched.get(key)
    return Shown(watch is not None, at=watch.watched_at if watch else None)
