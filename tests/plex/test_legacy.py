"""A mixed library (current agents, legacy agents, personal media) read and
written through real plexapi against the simulator."""

from __future__ import annotations

import pytest

from custom_components.plexsync.engine.errors import Unsupported
from custom_components.plexsync.engine.model import Action, Kind, Side
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.plex.client import PlexClient
from tests.simulators.plex import PlexSimulator
from tests.simulators.plex_state import (
    IMDB_AGENT,
    PERSONAL_AGENT,
    TMDB_AGENT,
    TVDB_AGENT,
)

from .conftest import make_client

T0 = 1_700_000_000
HEAT_IDS = ("imdb://tt0113277", "tmdb://949")
HEAT = "com.plexapp.agents.imdb://tt0113277"


def op(action: Action, key: str, value: int | None = None) -> Op:
    return Op(Side.PLEX, action, key, f"1|{key}", "test", value=value)


def lookups(sim: PlexSimulator) -> int:
    """Discover item details asked of the metadata host."""
    return sim.requests["metadata:metadata"]


def test_a_mixed_library_is_read_with_legacy_keys(
    sim: PlexSimulator, client: PlexClient
) -> None:
    modern = sim.add_movie("Ran", 1985, guids=("imdb://tt0089881",), rating=9)
    legacy = sim.add_movie("Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, rating=8)
    tmdb = sim.add_movie(
        "Brazil", 1985, guids=("tmdb://68",), agent=TMDB_AGENT, viewed_at=T0
    )
    _show, _season, ep1, ep2 = sim.add_show(
        "Breaking Bad", 2008, seasons={1: 2}, guids=("tvdb://81189",), agent=TVDB_AGENT
    )
    sim.set_user_state(ep2, viewed_at=T0 + 5)
    sim.add_movie("Birthday", 2019, agent=PERSONAL_AGENT, rating=10, viewed_at=T0)
    played = sim.add_show("Twin Peaks", 1990, seasons={1: 2}, agent=TVDB_AGENT)[0]
    sim.set_series_views(played, 2, T0 - 1000)
    client.connect(sim.server_id)

    snap = client.read_snapshot()

    assert sim.listed_guid(legacy) == f"{HEAT}?lang=en"
    assert snap.works[modern].guids == ("imdb://tt0089881",)
    heat = snap.works[HEAT]
    assert (heat.kind, heat.title, heat.year, heat.guids, heat.side) == (
        Kind.MOVIE,
        "Heat",
        1995,
        ("imdb://tt0113277",),
        Side.PLEX,
    )
    assert snap.ratings[HEAT].value == 8
    brazil = sim.listed_guid(tmdb).split("?")[0]
    assert snap.works[brazil].guids == ("tmdb://68",)
    assert brazil in snap.watched
    # The series is read (an episode was played), its episode under it.
    series_key = "com.plexapp.agents.thetvdb://81189"
    assert snap.works[series_key].year == 2008
    assert snap.works[series_key].guids == ("tvdb://81189",)
    episode_key = sim.listed_guid(ep2).split("?")[0]
    assert episode_key == f"{series_key}/1/2"
    episode = snap.works[episode_key]
    assert (episode.parent, episode.season, episode.episode) == (series_key, 1, 2)
    assert episode_key in snap.watched
    assert sim.listed_guid(ep1).split("?")[0] not in snap.watched
    # A series played with no episode watched is read but not watched.
    twin_peaks = sim.listed_guid(played).split("?")[0]
    assert twin_peaks in snap.works
    assert twin_peaks not in snap.watched
    assert series_key not in snap.watched
    # Personal media is never part of a snapshot.
    assert not [w for w in snap.works.values() if w.title == "Birthday"]
    assert not any(k.startswith(("local://", PERSONAL_AGENT)) for k in snap.works)
    report = client.read_report()
    assert report["personal_media"] == 2  # rated, and watched: two listings
    assert report["legacy_works"] == 5
    assert report["skipped"] == {}
    assert lookups(sim) == 0  # nothing on the account to fold


def test_ratings_and_watches_of_legacy_works_are_written_by_rating_key(
    sim: PlexSimulator, client: PlexClient
) -> None:
    legacy = sim.add_movie("Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, viewed_at=T0)
    _show, _season, ep1, ep2 = sim.add_show(
        "Breaking Bad", 2008, seasons={1: 2}, guids=("tvdb://81189",), agent=TVDB_AGENT
    )
    sim.set_user_state(ep1, viewed_at=T0)
    client.connect(sim.server_id)
    client.read_snapshot()
    sim.requests.clear()

    client.apply(op(Action.SET_RATING, HEAT, 7))
    client.apply(op(Action.MARK_WATCHED, "com.plexapp.agents.thetvdb://81189/1/1"))
    client.apply(op(Action.MARK_UNWATCHED, HEAT))

    heat = sim.library_item(legacy)
    assert heat is not None
    assert (heat.user_rating, heat.view_count) == (7.0, 0)
    episode = sim.library_item(ep1)
    assert episode is not None
    assert episode.view_count == 2
    assert sim.requests["pms:*"] == 3
    assert sim.requests["discover:*"] == sim.requests["metadata:*"] == 0
    other = sim.library_item(ep2)
    assert other is not None
    assert other.view_count == 0


def test_a_legacy_film_reaches_the_watchlist_through_its_discover_twin(
    sim: PlexSimulator, client: PlexClient
) -> None:
    legacy = sim.add_movie("Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, rating=9)
    sim.add_movie("Heat", 1986, guids=("imdb://tt0091189",), in_library=False)
    client.connect(sim.server_id)
    client.read_snapshot()

    client.apply(op(Action.ADD_WATCHLIST, HEAT))

    assert set(sim.watchlist()) == {legacy}  # the Discover item of this Heat
    snap = client.read_snapshot()
    assert set(snap.watchlist) == {HEAT}  # folded back into the legacy work
    assert legacy not in snap.works
    client.apply(op(Action.REMOVE_WATCHLIST, HEAT))
    assert sim.watchlist() == {}


def test_the_fold_survives_a_new_client_with_another_title(sim: PlexSimulator) -> None:
    """After a restart nothing is remembered: a watchlist item is still
    folded into its legacy work by external ids, whatever the titles (a
    library in French, Discover in English), at one lookup per item, once."""
    legacy = sim.add_movie("Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, viewed_at=T0)
    sim.state.catalog[legacy.rsplit("/", 1)[-1]].library_title = "Heat, la traque"
    sim.watchlist_add(legacy, T0)
    sim.add_movie("Casino", 1995, in_library=False, watchlisted_at=T0)  # asked
    sim.add_movie("Alien", 1979, in_library=False, watchlisted_at=T0)  # not asked
    client = make_client(sim)
    client.connect(sim.server_id)

    snap = client.read_snapshot()

    assert snap.works[HEAT].title == "Heat, la traque"
    assert HEAT in snap.watchlist
    assert legacy not in snap.works
    assert len(snap.watchlist) == 3
    # One per watchlist item of a year within one of a legacy work's.
    assert lookups(sim) == 2
    client.read_snapshot()
    assert lookups(sim) == 2  # remembered: an unchanged account asks nothing


def test_account_records_of_a_legacy_film_are_folded_into_it(
    sim: PlexSimulator, client: PlexClient
) -> None:
    """Rated on watch.plex.tv, watched in a legacy library: one work, the
    latest rating and watch of both."""
    legacy = sim.add_movie("Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, viewed_at=T0)
    hex_id = legacy.rsplit("/", 1)[-1]
    account = sim.state.state_of(hex_id)
    account.rating, account.rated_at = 6.0, T0 + 100
    sim.state.scrobble_account(hex_id, T0 + 200, played=True)
    sim.add_movie("Ran", 1985, in_library=False, rating=8)  # no legacy title
    client.connect(sim.server_id)

    snap = client.read_snapshot()

    assert legacy not in snap.works
    assert snap.ratings[HEAT].value == 6
    watch = snap.watched[HEAT]
    assert watch.watched_at is not None
    assert int(watch.watched_at.timestamp()) == T0 + 200
    assert lookups(sim) == 1  # Heat only: Ran's title matches no legacy work


def test_a_legacy_film_without_a_discover_twin_is_unreachable_once(
    sim: PlexSimulator, client: PlexClient
) -> None:
    sim.add_movie(
        "Obscure Short", 1971, agent=IMDB_AGENT, viewed_at=T0, on_discover=False
    )
    client.connect(sim.server_id)
    snap = client.read_snapshot()
    [key] = [k for k in snap.works if k.startswith(IMDB_AGENT)]
    assert client.capabilities().holds_on_watchlist(Kind.MOVIE, key)

    with pytest.raises(Unsupported, match="cannot be on the Plex watchlist"):
        client.apply(op(Action.ADD_WATCHLIST, key))

    assert not client.capabilities().holds_on_watchlist(Kind.MOVIE, key)
    assert client.capabilities().holds_on_watchlist(Kind.MOVIE, "plex://movie/x")
    searches = sim.requests["discover:search"]
    with pytest.raises(Unsupported):
        client.apply(op(Action.ADD_WATCHLIST, key))
    assert sim.requests["discover:search"] == searches  # remembered
    [unreachable] = client.read_report()["watchlist_unreachable"]
    assert unreachable["key"] == key
    assert "Obscure Short" in unreachable["reason"]
    assert sim.watchlist() == {}


def test_one_orphan_history_node_among_a_thousand_leaves_999_watches(
    sim: PlexSimulator,
) -> None:
    for i in range(999):
        sim.add_movie(f"Film {i}", 1950 + i % 70, in_library=False, viewed_at=T0 + i)
    sim.add_orphan_watch("Episode 5", T0 + 5_000)
    client = make_client(sim)

    snap = client.read_snapshot()

    assert len(snap.watched) == 999
    assert client.read_report()["skipped"] == {"watch history": 1}


def test_the_demo_library_is_mixed_and_reads_whole(sim: PlexSimulator) -> None:
    sim.load_demo()
    client = make_client(sim)
    client.connect(sim.server_id)

    snap = client.read_snapshot()

    report = client.read_report()
    assert report["legacy_works"] > 20
    assert report["personal_media"] > 0
    assert report["skipped"] == {"watch history": 1}  # the orphan node
    agents = {key.split("://")[0] for key in snap.works}
    assert {"plex", IMDB_AGENT, TMDB_AGENT, TVDB_AGENT} <= agents
    assert not any(k.startswith(("local://", PERSONAL_AGENT)) for k in snap.works)
    played = [w for w in snap.works.values() if w.title == "Twin Peaks"]
    assert [w.key in snap.watched for w in played] == [False]


def test_a_work_the_client_puts_on_the_watchlist_needs_no_lookup_on_the_next_read(
    sim: PlexSimulator, client: PlexClient
) -> None:
    """With legacy works around, a new watchlist item is looked up once, at
    the write that put it there: the next read costs its list pages only."""
    sim.add_movie("Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, viewed_at=T0)
    casino = sim.add_movie(
        "Casino", 1995, guids=("imdb://tt0112641",), in_library=False
    )
    client.connect(sim.server_id)
    client.read_snapshot()

    client.apply(op(Action.ADD_WATCHLIST, casino))
    assert lookups(sim) == 1
    snap = client.read_snapshot()

    assert set(snap.watchlist) == {casino}
    assert lookups(sim) == 1


def test_a_film_in_a_current_and_a_legacy_section_stays_two_library_works(
    sim: PlexSimulator, client: PlexClient
) -> None:
    """Two library items, each with its ratingKey: both stay (matching links
    both to the one SensCritique film by their IMDb id), the current one keeps
    the account's records of its Discover guid."""
    modern = sim.add_movie("Heat", 1995, guids=HEAT_IDS, rating=9, watchlisted_at=T0)
    legacy_copy = sim.add_movie(
        "Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, viewed_at=T0
    )
    client.connect(sim.server_id)

    snap = client.read_snapshot()

    assert {modern, HEAT} <= set(snap.works)
    assert set(snap.watchlist) == {modern}
    assert snap.ratings[modern].value == 9
    assert HEAT in snap.watched
    assert sim.listed_guid(legacy_copy).startswith(HEAT)
    assert lookups(sim) == 0


def test_a_removal_clears_the_folded_account_records_too(
    sim: PlexSimulator, client: PlexClient
) -> None:
    """A rating or watch removed from a legacy work whose account records were
    folded into it is removed at account level too: the older account record
    never comes back as if it were new."""
    legacy = sim.add_movie(
        "Heat", 1995, guids=HEAT_IDS, agent=IMDB_AGENT, rating=8, viewed_at=T0
    )
    hex_id = legacy.rsplit("/", 1)[-1]
    account = sim.state.state_of(hex_id)
    account.rating, account.rated_at = 6.0, T0 - 100
    sim.state.scrobble_account(hex_id, T0 - 200, played=True)
    client.connect(sim.server_id)
    assert client.read_snapshot().ratings[HEAT].value == 8

    client.apply(op(Action.CLEAR_RATING, HEAT))
    client.apply(op(Action.MARK_UNWATCHED, HEAT))

    snap = client.read_snapshot()
    assert HEAT not in snap.ratings
    assert HEAT not in snap.watched
    assert sim.account_ratings() == {}
    assert sim.account_watched() == {}
