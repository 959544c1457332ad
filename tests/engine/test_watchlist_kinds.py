"""A watchlist that cannot hold a kind of work (Plex's: films and series only).

SensCritique wishes seasons and episodes; Plex's watchlist refuses them. The
planner must plan no watchlist write of such a kind there, read the side's
absence of it as nothing (neither a wish to copy nor a removal), never claim
in the base that the two sides agree, and plan the same nothing every run.
"""

from __future__ import annotations

from datetime import UTC, datetime

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Kind,
    Link,
    Provenance,
    Side,
    Snapshot,
    SyncState,
    Watch,
    WatchlistEntry,
    Work,
)
from custom_components.plexsync.engine.planner import plan, settle
from custom_components.plexsync.engine.settings import Capabilities, SyncOptions

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
FILMS_AND_SERIES = frozenset({Kind.MOVIE, Kind.SHOW})
PLEX_LIKE = {
    Side.PLEX: Capabilities(set_watched_date=False, watchlist_kinds=FILMS_AND_SERIES),
    Side.SENSCRITIQUE: Capabilities(),
}
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
    side: Side, *, wished: tuple[Link, ...] = (), watched: tuple[Link, ...] = ()
) -> Snapshot:
    filler = f"{FILLER}-{side.value}"
    return Snapshot.build(
        side,
        [_work(link, side) for link in LINKS] + [Work(filler, Kind.MOVIE, "Other")],
        [WatchlistEntry(filler)] + [WatchlistEntry(w.key_on(side)) for w in wished],
        [],
        [Watch(filler)] + [Watch(w.key_on(side), NOW) for w in watched],
    )


def sync_state(agreed: dict[str, Agreed] | None = None) -> SyncState:
    return SyncState(links={link.id: link for link in LINKS}, agreed=agreed or {})


def test_default_capabilities_hold_every_kind() -> None:
    assert all(Capabilities().holds_on_watchlist(kind) for kind in Kind)
    plex_like = PLEX_LIKE[Side.PLEX]
    assert plex_like.holds_on_watchlist(Kind.MOVIE)
    assert plex_like.holds_on_watchlist(Kind.SHOW)
    assert not plex_like.holds_on_watchlist(Kind.SEASON)
    assert not plex_like.holds_on_watchlist(Kind.EPISODE)


def test_season_and_episode_wished_on_senscritique_are_not_added_to_plex() -> None:
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, wished=(SHOW, SEASON, EPISODE))
    state = sync_state()

    result = plan(plex, sc, state, SyncOptions(), PLEX_LIKE, NOW)

    # The series still goes to the Plex watchlist; its season and episode do not.
    assert [(op.side, op.action, op.key) for op in result.ops] == [
        (Side.PLEX, Action.ADD_WATCHLIST, SHOW.plex)
    ]
    # The base does not pretend the two sides agree on the season/episode.
    for link in (SEASON, EPISODE):
        assert not result.settled.get(link.id, Agreed()).watchlist

    # Planned again after settling (no write showed: there was none): nothing.
    again = plan(plex, sc, settle(state, result, NOW), SyncOptions(), PLEX_LIKE, NOW)
    assert [op.key for op in again.ops] == [SHOW.plex]


def test_unholdable_kinds_are_added_where_every_kind_is_held() -> None:
    """With the default capabilities (every kind) the same world plans the
    season and the episode too: the capability alone makes the difference."""
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, wished=(SEASON, EPISODE))
    full = {side: Capabilities() for side in Side}

    result = plan(plex, sc, sync_state(), SyncOptions(), full, NOW)

    assert sorted(op.key for op in result.ops) == sorted([SEASON.plex, EPISODE.plex])


def test_a_base_left_on_is_not_read_as_a_removal_on_plex() -> None:
    """A base that (from an older version) says the season was agreed on the
    watchlist: Plex never shows it, which is no removal to copy to
    SensCritique; the base goes back off, and nothing is planned."""
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, wished=(SEASON,))
    state = sync_state({SEASON.id: Agreed(watchlist=True)})

    result = plan(plex, sc, state, SyncOptions(), PLEX_LIKE, NOW)

    assert result.ops == ()
    assert result.held == ()
    assert result.settled[SEASON.id].watchlist is False
    again = plan(plex, sc, settle(state, result, NOW), SyncOptions(), PLEX_LIKE, NOW)
    assert again.ops == ()
    assert again.settled == {}


def test_the_other_way_round_senscritique_unable() -> None:
    """The rule is about capabilities, not about Plex: a side that cannot hold
    episodes gets no episode from the other side."""
    caps = {
        Side.PLEX: Capabilities(),
        Side.SENSCRITIQUE: Capabilities(watchlist_kinds=FILMS_AND_SERIES),
    }
    plex = snapshot(Side.PLEX, wished=(EPISODE,))
    sc = snapshot(Side.SENSCRITIQUE)

    result = plan(plex, sc, sync_state(), SyncOptions(), caps, NOW)

    assert result.ops == ()
    assert EPISODE.id not in result.settled


def test_other_features_of_a_season_still_sync() -> None:
    plex = snapshot(Side.PLEX)
    sc = snapshot(Side.SENSCRITIQUE, wished=(SEASON,), watched=(SEASON,))

    result = plan(plex, sc, sync_state(), SyncOptions(), PLEX_LIKE, NOW)

    assert [(op.side, op.action, op.key) for op in result.ops] == [
        (Side.PLEX, Action.MARK_WATCHED, SEASON.plex)
    ]
