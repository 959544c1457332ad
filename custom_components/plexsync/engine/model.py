"""Immutable data model shared by the engine, both clients and the HA layer.

Identity: a work is known on each side by a *key*: the SensCritique product id
(as a string) or the Plex Discover GUID (``plex://movie/<hex>``). A `Link` joins
one key of each side. The `Agreed` record of a link is the base of the
three-way merge: what both sides held after the last successful write.

Rating scale, in one place: both services use whole numbers 1..10. Plex stores
``userRating`` as a float 0..10 where odd values are half stars and 0 or none
means unrated; `rating_from_plex` and `rating_to_plex` convert.

Watch dates, in one place: SensCritique keeps a watch date to the day only (it
takes ``YYYY-MM-DD`` and reads back midnight UTC of that day), so the sync
counts two watch dates on the same UTC calendar day as the same date;
`same_watch_date` is the one comparison the planner uses for them. Which of two
different dates is the latest still orders them to the second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

STATE_VERSION = 1
RATING_MIN = 1
RATING_MAX = 10


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


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class Op:
    """One write on one side, with a sentence a person can read."""

    side: Side
    action: Action
    key: str
    link: str
    reason: str
    value: int | None = None
    at: datetime | None = None

    @property
    def feature(self) -> Feature:
        return self.action.feature


class GuardKind(StrEnum):
    MASS_REMOVAL = "mass_removal"
    SHRINK = "shrink"


@dataclass(frozen=True, slots=True)
class GuardReport:
    """Why removals on a side were held or suppressed: `count` removals (for a
    shrink, agreed items the side lost) against the `limit` a run may remove
    of the `agreed` items the limit was measured on."""

    kind: GuardKind
    side: Side
    feature: Feature
    count: int
    limit: int
    agreed: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    """What a run should write.

    `settled` holds new base records for links whose two sides already agree
    (no write needed); `held` are removals a guard stopped; `resolved` are
    pending writes that now show or whose grace window passed (dropped by
    `settle`); `awaiting` are the pending writes this plan's read did not show
    yet and that still stand in for it: the writes that are really pending
    (a write the run makes after its read is in neither: no read could show
    it yet).
    """

    ops: tuple[Op, ...] = ()
    held: tuple[Op, ...] = ()
    guards: tuple[GuardReport, ...] = ()
    settled: Mapping[str, Agreed] = field(default_factory=dict)
    resolved: tuple[Pending, ...] = ()
    awaiting: tuple[Pending, ...] = ()


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
    automatically; a manual link of the pair forgets it."""

    links: Mapping[str, Link] = field(default_factory=dict)
    agreed: Mapping[str, Agreed] = field(default_factory=dict)
    pending: tuple[Pending, ...] = ()
    misses: Mapping[str, SearchMiss] = field(default_factory=dict)
    unlinked: frozenset[tuple[str, str]] = frozenset()
    version: int = STATE_VERSION


# --------------------------------------------------------------------------- scale


def rating_from_plex(user_rating: float | None) -> int | None:
    """Plex userRating (0..10 float, 0/None = unrated) -> 1..10 or None."""
    if user_rating is None or user_rating <= 0:
        return None
    return max(RATING_MIN, min(RATING_MAX, round(user_rating)))


def rating_to_plex(value: int) -> float:
    """1..10 -> Plex userRating."""
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(f"rating {value} is outside {RATING_MIN}..{RATING_MAX}")
    return float(value)


# --------------------------------------------------------------------------- watch dates


def same_watch_date(a: datetime | None, b: datetime | None) -> bool:
    """Whether two watch dates are the same for the sync: on the same UTC
    calendar day (a side may keep only the day). None, unknown, equals only
    None."""
    if a is None or b is None:
        return a is None and b is None
    return a.astimezone(UTC).date() == b.astimezone(UTC).date()
