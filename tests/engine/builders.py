"""Small builders for example tests: one linked film, both sides, one call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.plexsync.engine.guards import NOTHING_HELD, Held
from custom_components.plexsync.engine.model import (
    Agreed,
    Feature,
    Kind,
    Link,
    Provenance,
    Rating,
    Side,
    Snapshot,
    SyncState,
    Watch,
    WatchlistEntry,
    Work,
)
from custom_components.plexsync.engine.planner import plan
from custom_components.plexsync.engine.plans import Plan
from custom_components.plexsync.engine.settings import Capabilities, SyncOptions

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
SC_KEY = "35310418"
PLEX_KEY = "plex://movie/5fc6c1b44af8d1001f2e3c01"
LINK = Link(SC_KEY, PLEX_KEY, Kind.MOVIE, Provenance.LOCAL)
LINK_ID = LINK.id
FILLER = "unlinked"
FULL = {Side.PLEX: Capabilities(), Side.SENSCRITIQUE: Capabilities()}
# As the clients declare them: Plex cannot set a watch date and shows every
# write at once; SensCritique's wishlist lags.
PLEX_LIKE = {
    Side.PLEX: Capabilities(set_watched_date=False),
    Side.SENSCRITIQUE: Capabilities(lagging=frozenset({Feature.WATCHLIST})),
}


def side(
    which: Side,
    *,
    wish: bool = False,
    rating: int | None = None,
    rated_at: datetime | None = None,
    watched: bool = False,
    watched_at: datetime | None = None,
    key: str | None = None,
) -> Snapshot:
    """One side's snapshot of the one film, plus an unlinked film on every
    list (a side whose list reads empty trips the shrink guard)."""
    key = key or (PLEX_KEY if which is Side.PLEX else SC_KEY)
    other = f"{FILLER}-{which.value}"
    return Snapshot.build(
        which,
        [Work(key, Kind.MOVIE, "Heat", year=1995), Work(other, Kind.MOVIE, "Other")],
        [WatchlistEntry(other)] + ([WatchlistEntry(key)] if wish else []),
        [Rating(other, 5)]
        + ([Rating(key, rating, rated_at, watched_at)] if rating is not None else []),
        [Watch(other)] + ([Watch(key, watched_at)] if watched else []),
    )


def plex(**kwargs: object) -> Snapshot:
    return side(Side.PLEX, **kwargs)  # type: ignore[arg-type]


def sc(**kwargs: object) -> Snapshot:
    return side(Side.SENSCRITIQUE, **kwargs)  # type: ignore[arg-type]


def state(base: Agreed | None = None, **kwargs: object) -> SyncState:
    agreed = {LINK_ID: base} if base is not None else {}
    return SyncState(links={LINK_ID: LINK}, agreed=agreed, **kwargs)  # type: ignore[arg-type]


def run(
    plex_snapshot: Snapshot,
    sc_snapshot: Snapshot,
    base: Agreed | None = None,
    *,
    options: SyncOptions | None = None,
    capabilities: dict[Side, Capabilities] | None = None,
    now: datetime = NOW,
    sync_state: SyncState | None = None,
    confirmed: Held = NOTHING_HELD,
) -> Plan:
    return plan(
        plex_snapshot,
        sc_snapshot,
        sync_state if sync_state is not None else state(base),
        options or SyncOptions(),
        capabilities or FULL,
        now,
        confirmed=confirmed,
    )
