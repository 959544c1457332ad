"""A write the next read shows needs nothing more, however the service shows it.

Each example records one successful write (`planner.record`, pending only
where its side lags: SensCritique's wishlist), then plans from a read that
shows it the way the real service does (what the simulators and
tests/e2e/world.py reproduce): Plex records "now" for a watch, SensCritique
keeps only the day of a done date and no date for a rating, the Plex
watchlist shows an add, a season is keyed by its own GUID. A pending write
must be resolved (dropped by `settle`), not awaiting, and nothing more is
planned. A lagging write the read does not show stands in, awaiting, until
the grace window passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.plexsync.engine.model import (
    Action,
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
from custom_components.plexsync.engine.planner import plan, record, settle
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.engine.settings import (
    Capabilities,
    FeatureOptions,
    SyncOptions,
)

from .builders import LINK, LINK_ID, NOW, PLEX_LIKE, plex, sc, state

HOUR = timedelta(hours=1)
WRITTEN = NOW  # when the write succeeded
READ = NOW + HOUR  # the next run
SC_DAY = datetime(2020, 3, 1, tzinfo=UTC)  # SensCritique: midnight of the day
PLEX_DATE = datetime(2021, 5, 1, 20, 0, tzinfo=UTC)


def write(
    side: Side,
    action: Action,
    *,
    value: int | None = None,
    at: datetime | None = None,
    base: Agreed | None = None,
    link: Link = LINK,
    sync_state: SyncState | None = None,
    capabilities: Mapping[Side, Capabilities] = PLEX_LIKE,
) -> SyncState:
    start = sync_state if sync_state is not None else state(base)
    op = Op(side, action, link.key_on(side), link.id, "test", value, at)
    lags = capabilities[side].lags(action.feature)
    return record(start, op, WRITTEN, lags=lags)


def resolved_in_one_read(
    written: SyncState, plex_read: Snapshot, sc_read: Snapshot
) -> None:
    """The next read resolves every pending write and plans nothing; plan
    again from the settled state: still nothing, nothing pending."""
    result = plan(plex_read, sc_read, written, SyncOptions(), PLEX_LIKE, READ)
    assert result.resolved == written.pending
    assert result.awaiting == ()
    assert result.ops == ()
    settled = settle(written, result, READ)
    assert settled.pending == ()
    again = plan(plex_read, sc_read, settled, SyncOptions(), PLEX_LIKE, READ)
    assert (again.ops, again.resolved, again.awaiting) == ((), (), ())


def test_plex_watch_shows_the_date_plex_recorded_not_the_one_written() -> None:
    """SC done on 2020-03-01 -> Plex scrobble: Plex shows the write's time."""
    written = write(Side.PLEX, Action.MARK_WATCHED, at=SC_DAY)
    resolved_in_one_read(
        written,
        plex(watched=True, watched_at=WRITTEN + timedelta(seconds=3)),
        sc(watched=True, watched_at=SC_DAY),
    )


def test_senscritique_done_date_shows_only_the_day() -> None:
    """Plex watched 2021-05-01 20:00 -> SC done date: SC shows midnight."""
    written = write(Side.SENSCRITIQUE, Action.MARK_WATCHED, at=PLEX_DATE)
    resolved_in_one_read(
        written,
        plex(watched=True, watched_at=PLEX_DATE),
        sc(watched=True, watched_at=datetime(2021, 5, 1, tzinfo=UTC)),
    )


def test_senscritique_rating_shows_without_a_date() -> None:
    written = write(Side.SENSCRITIQUE, Action.SET_RATING, value=6, at=PLEX_DATE)
    resolved_in_one_read(
        written, plex(rating=6, rated_at=PLEX_DATE), sc(rating=6, rated_at=None)
    )


def test_plex_rating_shows_with_the_date_plex_recorded() -> None:
    written = write(Side.PLEX, Action.SET_RATING, value=8, at=SC_DAY)
    resolved_in_one_read(
        written,
        plex(rating=8, rated_at=WRITTEN + timedelta(seconds=2)),
        sc(rating=8),
    )


@pytest.mark.parametrize("side", list(Side))
def test_watchlist_add_shows(side: Side) -> None:
    written = write(side, Action.ADD_WATCHLIST)
    # Pending on SensCritique only: Plex shows every write at once.
    assert len(written.pending) == (side is Side.SENSCRITIQUE)
    resolved_in_one_read(written, plex(wish=True), sc(wish=True))


@pytest.mark.parametrize("side", list(Side))
def test_watchlist_removal_shows(side: Side) -> None:
    written = write(side, Action.REMOVE_WATCHLIST, base=Agreed(watchlist=True))
    resolved_in_one_read(written, plex(), sc())


def test_a_season_write_is_resolved_by_the_season_key() -> None:
    show = Link("100", "plex://show/aa", Kind.SHOW, Provenance.LOCAL)
    season = Link("101", "plex://season/bb", Kind.SEASON, Provenance.PARENT)
    links = {show.id: show, season.id: season}
    written = write(
        Side.PLEX,
        Action.MARK_WATCHED,
        at=SC_DAY,
        link=season,
        sync_state=SyncState(links=links),
    )

    def read(side: Side, at: datetime) -> Snapshot:
        parent = show.key_on(side)
        key = season.key_on(side)
        return Snapshot.build(
            side,
            [
                Work(parent, Kind.SHOW, "Dark", year=2017),
                Work(key, Kind.SEASON, "Season 1", parent=parent, season=1),
            ],
            [WatchlistEntry(parent)],
            [Rating(parent, 7)],
            [Watch(key, at)],
        )

    resolved_in_one_read(
        written,
        read(Side.PLEX, WRITTEN + timedelta(seconds=1)),
        read(Side.SENSCRITIQUE, SC_DAY),
    )


def test_a_write_the_read_does_not_show_awaits_then_expires() -> None:
    """SensCritique's wish lag: the add stands in (awaiting, no removal on
    Plex) until the grace window passes; then it is planned again."""
    written = write(Side.SENSCRITIQUE, Action.ADD_WATCHLIST)
    (entry,) = written.pending
    plex_read, sc_read = plex(wish=True), sc()

    lagging = plan(plex_read, sc_read, written, SyncOptions(), PLEX_LIKE, READ)
    assert lagging.awaiting == (entry,)
    assert lagging.resolved == ()
    assert lagging.ops == ()
    assert settle(written, lagging, READ).pending == (entry,)

    late = WRITTEN + SyncOptions().pending_grace
    expired = plan(plex_read, sc_read, written, SyncOptions(), PLEX_LIKE, late)
    assert expired.awaiting == ()
    assert expired.resolved == (entry,)
    assert [(op.side, op.action) for op in expired.ops] == [
        (Side.SENSCRITIQUE, Action.ADD_WATCHLIST)
    ]
    assert settle(written, expired, late).pending == ()


def test_every_write_of_a_run_is_confirmed_and_shows_in_the_next_read() -> None:
    """Rating and watch written on both sides by one run (Plex rated and
    watched, SC rated and done), read back with each service's quirks."""
    start = state(None)
    first = plan(
        plex(rating=6, rated_at=PLEX_DATE, watched=True, watched_at=PLEX_DATE),
        sc(wish=True),
        start,
        SyncOptions(),
        PLEX_LIKE,
        WRITTEN,
    )
    assert {(op.side, op.action) for op in first.ops} == {
        (Side.SENSCRITIQUE, Action.SET_RATING),
        (Side.SENSCRITIQUE, Action.MARK_WATCHED),
        (Side.PLEX, Action.ADD_WATCHLIST),
    }
    written = settle(start, first, WRITTEN)
    for op in first.ops:
        written = record(written, op, WRITTEN, lags=PLEX_LIKE[op.side].lags(op.feature))
    # None of these lags (a Plex wish, SensCritique ratings and watches): all
    # confirmed, nothing pending; the next read is the truth.
    assert written.pending == ()

    result = plan(
        plex(
            wish=True, rating=6, rated_at=PLEX_DATE, watched=True, watched_at=PLEX_DATE
        ),
        sc(
            wish=True,
            rating=6,
            watched=True,
            watched_at=datetime(2021, 5, 1, tzinfo=UTC),
        ),
        written,
        SyncOptions(),
        PLEX_LIKE,
        READ,
    )
    assert set(result.resolved) == set(written.pending)
    assert result.awaiting == ()
    assert result.ops == ()
    assert settle(written, result, READ).pending == ()
    assert LINK_ID in written.agreed


def test_a_rating_changed_after_the_write_supersedes_it() -> None:
    """Property counter-example: the sync rated 2 on SensCritique; before the
    next read the user rates 1 there and removes the Plex rating. SC's 1 is
    the newest change: it is not hidden behind the pending 2 (which would
    read as "SC still holds the agreed 2" and clear it, following Plex's
    removal), it wins and goes to Plex. (On a side whose ratings lag: no
    service's do today, the engine allows any feature to.)"""
    ratings_lag = {
        Side.PLEX: PLEX_LIKE[Side.PLEX],
        Side.SENSCRITIQUE: Capabilities(lagging=frozenset({Feature.RATINGS})),
    }
    written = write(
        Side.SENSCRITIQUE,
        Action.SET_RATING,
        value=2,
        base=Agreed(),
        capabilities=ratings_lag,
    )
    (entry,) = written.pending
    options = SyncOptions(ratings=FeatureOptions(propagate_removals=True))

    result = plan(plex(), sc(rating=1), written, options, ratings_lag, READ)

    assert result.resolved == (entry,)
    assert result.awaiting == ()
    assert [(op.side, op.action, op.value) for op in result.ops] == [
        (Side.PLEX, Action.SET_RATING, 1)
    ]
