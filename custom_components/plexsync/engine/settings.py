"""What the planner is allowed to do: the user's sync options and what each
side can write.

Both are handed to the planner on every run; nothing in the rules hard-codes
either. Kept apart from model.py, which holds the data the sync reads and
writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from .model import Action, Direction, Feature, Kind


@dataclass(frozen=True, slots=True)
class FeatureOptions:
    enabled: bool = True
    direction: Direction = Direction.BOTH
    propagate_removals: bool = False


@dataclass(frozen=True, slots=True)
class SyncOptions:
    watchlist: FeatureOptions = FeatureOptions(propagate_removals=True)
    ratings: FeatureOptions = FeatureOptions()
    watched: FeatureOptions = FeatureOptions()
    pending_grace: timedelta = timedelta(hours=24)
    guard_min: int = 5
    guard_ratio: float = 0.10

    def feature(self, feature: Feature) -> FeatureOptions:
        if feature is Feature.WATCHLIST:
            return self.watchlist
        if feature is Feature.RATINGS:
            return self.ratings
        return self.watched


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What one side can write. Handed to the planner, never hard-coded there.

    `watchlist_kinds` are the kinds of work the side's watchlist can hold at
    all (Plex's holds films and series, never a season or an episode): the
    planner plans no watchlist write of another kind there, and reads that
    side's absence of such a work as nothing, never as a removal.

    `watchlist_unreachable` are the keys of works the side's watchlist cannot
    hold although their kind can: a film of a legacy Plex library that has no
    Discover counterpart (the watchlist holds Discover items only). The
    planner treats them as it treats a kind the watchlist cannot hold.

    `watched_kinds` are the kinds of work the side keeps a watch of on its own.
    Plex derives a series' or a season's watched state from its episodes
    (marking a series watched marks every episode watched "now"), so it keeps
    films and episodes only: the planner syncs no watch of another kind with
    it, in either direction (the episodes carry the series' watches).

    `lagging` are the features whose writes the side can be slow to show in
    its reads (SensCritique's wishlist: a new wish can stay out of its lists
    for hours). A write of any other feature is confirmed once the service
    accepts it, and the next read is the truth (see pending.py).
    """

    watchlist: bool = True
    rate: bool = True
    unrate: bool = True
    mark_watched: bool = True
    mark_unwatched: bool = True
    set_watched_date: bool = True
    watchlist_kinds: frozenset[Kind] = frozenset(Kind)
    watched_kinds: frozenset[Kind] = frozenset(Kind)
    watchlist_unreachable: frozenset[str] = frozenset()
    lagging: frozenset[Feature] = frozenset()

    def holds_on_watchlist(self, kind: Kind, key: str | None = None) -> bool:
        """Whether the side's watchlist can hold a work of `kind` (the work
        keyed `key`, when given)."""
        return kind in self.watchlist_kinds and key not in self.watchlist_unreachable

    def keeps_watched(self, kind: Kind) -> bool:
        """Whether the side keeps a watch of a work of `kind` on its own
        (rather than deriving it from other works, as Plex does for a series
        from its episodes)."""
        return kind in self.watched_kinds

    def lags(self, feature: Feature) -> bool:
        """Whether a write of `feature` can take a while to show in the
        side's reads."""
        return feature in self.lagging

    def allows(self, action: Action) -> bool:
        return {
            Action.ADD_WATCHLIST: self.watchlist,
            Action.REMOVE_WATCHLIST: self.watchlist,
            Action.SET_RATING: self.rate,
            Action.CLEAR_RATING: self.unrate,
            Action.MARK_WATCHED: self.mark_watched,
            Action.MARK_UNWATCHED: self.mark_unwatched,
        }[action]
