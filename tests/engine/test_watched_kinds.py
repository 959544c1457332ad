"""A side that keeps no watch of its own for a kind (Plex: series and seasons).

Plex derives a series' or a season's watched state from its episodes: it reads
a series watched only when every episode is, and marking a series watched
marks every episode watched "now". So no watch of a series or season is synced
with it, either way: the planner writes nothing for one on either side, never
claims in the base that the two agree, and plans the same nothing every run;
the episodes carry the watches.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
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

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
DONE = datetime(2021, 2, 3, tzinfo=UTC)
FILMS_AND_EPISODES = frozenset({Kind.MOVIE, Kind.EPISODE})
PLEX_LIKE = {
    Side.PLEX: Capabilities(set_watched_date=False, watched_kinds=FILMS_AND_EPISODES),
    Side.SENSCRITIQUE: Capabilities(),
}
PROPAGATE = SyncOptions(watched=FeatureOptions(propagate_removals=True))
SHOW = Link("100", "plex://show/aa", Kind.SHOW, Provenance.LOCAL)
SEASON = Link("101", "plex://season/bb", Kind.SEASON, Provenance.PARENT)
EPISODE = Link("102", "plex://episode/cc", Kind.EPISODE, Provenance.PARENT)
LINKS = (SHOW, SEASON, EPISODE)
# Every list of both sides also holds a work of its own: a list that reads
# empty trips the shrink guard, which is not what these tests are about.
FILLER = "filler"


def _work(link: Link, side: Side) -> Work:
    key = link.key_on(side)
    if link.kind is Kind.SHOW:
        return Work(key, Kind.SHOW, "Dark", year=2017)
    parent = SHOW.key_on(side)
    if link.kind is Kind.SEASON:
        return Work(key, Kind.SEASON, "Season 1", parent=parent, season=1)
    return Work(key, Kind.EPISODE, "Episode 1", parent=parent, season=1, episode=1)


def snapshot(
    side: Side,
    *,
    watched: tuple[Link, ...] = (),
    rated: tuple[Link, ...] = (),
    at: datetime = DONE,
) -> Snapshot:
    filler = f"{FILLER}-{side.value}"
    return Snapshot.build(
        side,
        [_work(link, side) for link in LINKS] + [Work(filler, Kind.MOVIE, "Other")],
        [WatchlistEntry(filler)],
        [Rating(filler, 5)] + [Rating(w.key_on(side), 8, None, at) for w in rated],
        [Watch(filler)] + [Watch(w.key_on(side), at) for w in watched],
    )


def sync_state(agreed: dict[str, Agreed] | None = None) -> SyncState:
    return SyncState(links={link.id: link for link in LINKS}, agreed=agreed or {})


def _writes(ops: tuple[Op, ...]) -> list[tuple[Side, Action, str]]:
    return [(op.side, op.action, op.key) for op in ops]


def test_default_capabilities_keep_watches_of_every_kind() -> None:
    assert all(Capabilities().keeps_watched(kind) for kind in Kind)
    plex_like = PLEX_LIKE[Side.PLEX]
    assert plex_like.keeps_watched(Kind.MOVIE)
    assert plex_like.keeps_watched(Kind.EPISODE)
    assert not plex_like.keeps_watched(Kind.SHOW)
    assert not plex_like.keeps_watched(Kind.SEASON)


def test_series_done_on_senscritique_marks_only_its_episodes_on_plex() -> None:
    """The reported bug: SC shows the series, the season and the episode done.
    Plex gets the episode (with its date), never the series or season (which
    would mark every episode watched "now")."""
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, watched=LINKS)
    state = sync_state()

    result = plan(plex, sc, state, SyncOptions(), PLEX_LIKE, NOW)

    assert _writes(result.ops) == [(Side.PLEX, Action.MARK_WATCHED, EPISODE.plex)]
    assert result.ops[0].at == DONE
    for link in (SHOW, SEASON):
        assert not result.settled.get(link.id, Agreed()).watched

    # The episode's write shows on Plex at "now"; its series and season now
    # read watched there too (all their episodes are): still nothing for them,
    # and Plex's "now" never travels to SensCritique.
    written = record(settle(state, result, NOW), result.ops[0], NOW, lags=False)
    later = NOW + timedelta(hours=1)
    plex_now = snapshot(Side.PLEX, watched=LINKS, at=NOW)
    again = plan(plex_now, sc, written, SyncOptions(), PLEX_LIKE, later)
    assert again.ops == ()
    settled = settle(written, again, later)
    third = plan(plex_now, sc, settled, SyncOptions(), PLEX_LIKE, later)
    assert (third.ops, third.settled) == ((), {})
    for link in (SHOW, SEASON):
        assert not settled.agreed.get(link.id, Agreed()).watched


def test_series_watched_on_plex_is_not_copied_to_senscritique() -> None:
    """Plex reads the series and season watched because every episode is:
    the episode goes to SensCritique, its series and season do not."""
    plex = snapshot(Side.PLEX, watched=LINKS)
    sc = snapshot(Side.SENSCRITIQUE)

    result = plan(plex, sc, sync_state(), SyncOptions(), PLEX_LIKE, NOW)

    assert _writes(result.ops) == [
        (Side.SENSCRITIQUE, Action.MARK_WATCHED, EPISODE.senscritique)
    ]


def test_a_base_left_on_is_not_read_as_an_unwatch() -> None:
    """A base that (from an older version) says the series was agreed watched:
    Plex no longer reads it watched (a new episode came out), which is no
    unwatch to copy to SensCritique even when removals propagate; the base
    goes back off, and nothing is planned, run after run."""
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, watched=(SHOW,))
    state = sync_state({SHOW.id: Agreed(watched=True, watched_at=DONE)})

    result = plan(plex, sc, state, PROPAGATE, PLEX_LIKE, NOW)

    assert result.ops == ()
    assert result.held == ()
    assert result.settled[SHOW.id].watched is False
    again = plan(plex, sc, settle(state, result, NOW), PROPAGATE, PLEX_LIKE, NOW)
    assert (again.ops, again.settled) == ((), {})


def test_the_other_way_round_senscritique_unable() -> None:
    """The rule is about capabilities, not about Plex."""
    caps = {
        Side.PLEX: Capabilities(),
        Side.SENSCRITIQUE: Capabilities(watched_kinds=FILMS_AND_EPISODES),
    }
    plex = snapshot(Side.PLEX, watched=(SHOW, SEASON))
    sc = snapshot(Side.SENSCRITIQUE)

    result = plan(plex, sc, sync_state(), SyncOptions(), caps, NOW)

    assert result.ops == ()
    assert result.settled == {}


def test_unkept_kinds_sync_where_every_kind_is_kept() -> None:
    """With the default capabilities the same world marks the series and the
    season too: the capability alone makes the difference."""
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, watched=LINKS)
    full = {side: Capabilities() for side in Side}

    result = plan(plex, sc, sync_state(), SyncOptions(), full, NOW)

    assert sorted(op.key for op in result.ops) == sorted(link.plex for link in LINKS)


def test_a_series_rating_still_syncs_dated_by_its_own_watch() -> None:
    """Ratings of a series still travel; with its watches not synced, an
    undated rating is dated by its own side's last watch."""
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, rated=(SHOW,), watched=(SHOW,))

    result = plan(plex, sc, sync_state(), SyncOptions(), PLEX_LIKE, NOW)

    (op,) = result.ops
    assert (op.side, op.action, op.key, op.value, op.at) == (
        Side.PLEX,
        Action.SET_RATING,
        SHOW.plex,
        8,
        DONE,
    )
