"""Immutable data model shared by the engine, both clients and the HA layer.

Identity: a work is known on each side by a *key*: the SensCritique product id
(as a string) or the Plex Discover GUID (``plex://movie/<hex>``). A `Link` joins
one key of each side. The `Agreed` record of a link is the base of the
three-way merge: what both sides held after the last successful write.

The rating scale and watch dates, in one place: scale.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .scale import same_watch_date

STATE_VERSION = 1


class Kind(StrEnum):
    """Kind of a work."""

    MOVIE = "movie"
    SHOW = "show"
    SEASON = "season"
    EPISODE = "episode"


class Side(StrEnum):
    """One of the two services."""

    PLEX = "plex"
    SENSCRITIQUE = "senscritique"

    @property
    def other(self) -> Side:
        return Side.SENSCRITIQUE if self is Side.PLEX else Side.PLEX


class Feature(StrEnum):
    """What is synchronised."""

    WATCHLIST = "watchlist"
    RATINGS = "ratings"
    WATCHED = "watched"


class Action(StrEnum):
    """A write the sync can make on one side."""

    ADD_WATCHLIST = "add_watchlist"
    REMOVE_WATCHLIST = "remove_watchlist"
    SET_RATING = "set_rating"
    CLEAR_RATING = "clear_rating"
    MARK_WATCHED = "mark_watched"
    MARK_UNWATCHED = "mark_unwatched"

    @property
    def feature(self) -> Feature:
        return _ACTION_FEATURE[self]

    @property
    def is_removal(self) -> bool:
        return self in _REMOVALS


_ACTION_FEATURE = {
    Action.ADD_WATCHLIST: Feature.WATCHLIST,
    Action.REMOVE_WATCHLIST: Feature.WATCHLIST,
    Action.SET_RATING: Feature.RATINGS,
    Action.CLEAR_RATING: Feature.RATINGS,
    Action.MARK_WATCHED: Feature.WATCHED,
    Action.MARK_UNWATCHED: Feature.WATCHED,
}
_REMOVALS = frozenset(
    {Action.REMOVE_WATCHLIST, Action.CLEAR_RATING, Action.MARK_UNWATCHED}
)


class Direction(StrEnum):
    """Which way a feature flows."""

    BOTH = "both"
    PLEX_TO_SENSCRITIQUE = "plex_to_senscritique"
    SENSCRITIQUE_TO_PLEX = "senscritique_to_plex"

    def writes_to(self, side: Side) -> bool:
        """Whether this direction allows writing on `side`."""
        if self is Direction.BOTH:
            return True
        if self is Direction.PLEX_TO_SENSCRITIQUE:
            return side is Side.SENSCRITIQUE
        return side is Side.PLEX


class Provenance(StrEnum):
    """Where a link came from, strongest first."""

    MANUAL = "manual"
    LOCAL = "local"
    SEARCH = "search"
    PARENT = "parent"  # a season or episode linked through its series' link


# --------------------------------------------------------------------------- works


@dataclass(frozen=True, slots=True)
class Work:
    """One film, series, season or episode as one side knows it.

    `ref` is an opaque handle the side's client needs to write (for Plex, the
    library ratingKey when the work is in a library); the engine ignores it.
    Seasons and episodes name their series in `parent` and carry their numbers.

    `side` is the service the work was read from, set by that service's
    decoder. It is what the matcher trusts to place a key in a link: a key's
    text says nothing reliable about its service (a legacy Plex library key
    such as ``com.plexapp.agents.imdb://tt0103639`` is no ``plex://`` GUID).
    None only for works built outside a client (tests, evaluation inputs),
    which the matcher refuses to place.
    """

    key: str
    kind: Kind
    title: str
    original_title: str | None = None
    year: int | None = None
    parent: str | None = None
    season: int | None = None
    episode: int | None = None
    guids: tuple[str, ...] = ()
    ref: str | None = None
    side: Side | None = None


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    key: str
    added_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    """A rating 1..10; `watched_at` is the last watched/done date, the fallback
    when the rating date is unknown."""

    key: str
    value: int
    rated_at: datetime | None = None
    watched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Watch:
    key: str
    watched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A complete read of one side. Never built from a partial read."""

    side: Side
    works: Mapping[str, Work] = field(default_factory=dict)
    watchlist: Mapping[str, WatchlistEntry] = field(default_factory=dict)
    ratings: Mapping[str, Rating] = field(default_factory=dict)
    watched: Mapping[str, Watch] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        side: Side,
        works: list[Work] | tuple[Work, ...] = (),
        watchlist: list[WatchlistEntry] | tuple[WatchlistEntry, ...] = (),
        ratings: list[Rating] | tuple[Rating, ...] = (),
        watched: list[Watch] | tuple[Watch, ...] = (),
    ) -> Snapshot:
        """A snapshot of `side`; a work read from the other side is refused."""
        strays = [w.key for w in works if w.side is not None and w.side is not side]
        if strays:
            raise ValueError(f"works of the other side in a {side} snapshot: {strays}")
        return cls(
            side=side,
            works={w.key: w for w in works},
            watchlist={e.key: e for e in watchlist},
            ratings={r.key: r for r in ratings},
            watched={w.key: w for w in watched},
        )


# --------------------------------------------------------------------------- links


@dataclass(frozen=True, slots=True)
class Link:
    senscritique: str
    plex: str
    kind: Kind
    provenance: Provenance
    score: float = 1.0

    @property
    def id(self) -> str:
        return link_id(self.senscritique, self.plex)

    def key_on(self, side: Side) -> str:
        return self.plex if side is Side.PLEX else self.senscritique


def link_id(senscritique: str, plex: str) -> str:
    return f"{senscritique}|{plex}"


# --------------------------------------------------------------------------- base


@dataclass(frozen=True, slots=True)
class Agreed:
    """Per link: what both sides held after the last successful write."""

    watchlist: bool = False
    rating: int | None = None
    rated_at: datetime | None = None
    watched: bool = False
    watched_at: datetime | None = None
    # The watch date each side showed when the base was last settled (None =
    # not seen yet, learned on the next plan). A side showing another date
    # since has re-watched; a side that records "now" instead of the date we
    # wrote (Plex) is not mistaken for a re-watch.
    plex_watched_at: datetime | None = None
    senscritique_watched_at: datetime | None = None

    def seen_watched_at(self, side: Side) -> datetime | None:
        return (
            self.plex_watched_at if side is Side.PLEX else self.senscritique_watched_at
        )

    # The rating each side showed when the ratings rule last decided against
    # it (None = not overruled since both sides last agreed). While the side
    # still shows it, it is no change of the user's: the other side's removal
    # travels instead of bringing the overruled rating back.
    plex_rating_overruled: int | None = None
    senscritique_rating_overruled: int | None = None

    def overruled_rating(self, side: Side) -> int | None:
        return (
            self.plex_rating_overruled
            if side is Side.PLEX
            else self.senscritique_rating_overruled
        )


@dataclass(frozen=True, slots=True)
class Pending:
    """A write that succeeded but that reads may not show yet.

    `at`: for a watch, the date the write agreed on, which the pending write
    shows while it stands in for the read. It is kept here, not taken from the
    base, because the base's date moves on (a re-watch on the other side)
    while the write still shows the date it wrote.
    """

    link: str
    side: Side
    action: Action
    since: datetime
    value: int | None = None
    at: datetime | None = None


# --------------------------------------------------------------------------- shown


@dataclass(frozen=True, slots=True)
class Shown:
    """What one side showed of one feature of a work: on the watchlist, rated
    or watched (`present`), with the rating (`value`) or the watch date (`at`)."""

    present: bool
    value: int | None = None
    at: datetime | None = None

    def same(self, other: Shown) -> bool:
        """The same for the sync (watch dates by their day)."""
        return (
            self.present == other.present
            and self.value == other.value
            and same_watch_date(self.at, other.at)
        )


@dataclass(frozen=True, slots=True)
class Declined:
    """Writes the user undid: while the link's two sides still show what they
    showed once the undo was written (`plex`, `senscritique`), the sync makes
    no write of `feature` for the link. Any change on either side ends it."""

    link: str
    feature: Feature
    plex: Shown
    senscritique: Shown

    def shown(self, side: Side) -> Shown:
        return self.plex if side is Side.PLEX else self.senscritique


# --------------------------------------------------------------------------- state


@dataclass(frozen=True, slots=True)
class SearchMiss:
    """A work a search on the other side did not link; retried with backoff."""

    side: Side
    key: str
    attempts: int
    retry_at: datetime


@dataclass(frozen=True, slots=True)
class SyncState:
    """Everything persisted between runs. `links` and `agreed` are keyed by
    `Link.id`; `misses` by the searched work's key. `unlinked` holds the
    (SensCritique key, Plex key) pairs the user unlinked: never linked again
    automatically; a manual link of the pair forgets it. `declined`: writes
    the user undid, not made again while both sides stay as they are.
    `alone`: (side, key) of works the user said the other service lacks."""

    links: Mapping[str, Link] = field(default_factory=dict)
    agreed: Mapping[str, Agreed] = field(default_factory=dict)
    pending: tuple[Pending, ...] = ()
    misses: Mapping[str, SearchMiss] = field(default_factory=dict)
    unlinked: frozenset[tuple[str, str]] = frozenset()
    declined: tuple[Declined, ...] = ()
    alone: frozenset[tuple[Side, str]] = frozenset()
    version: int = STATE_VERSION
