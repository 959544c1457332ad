"""The simulator's payloads parse as plexapi's own objects (not only our decoder)."""

from __future__ import annotations

from plexapi.myplex import MyPlexAccount
from plexapi.server import PlexServer

from custom_components.plexsync.plex.reads import DISCOVER
from custom_components.plexsync.plex.session import ServiceHosts, build_session
from tests.simulators.plex import PlexSimulator


def test_plexapi_objects_from_the_simulator(sim: PlexSimulator) -> None:
    heat = sim.add_movie("Heat", 1995, guids=("imdb://tt0113277",), rating=9)
    sim.add_movie("Dune", 2024, in_library=False, watchlisted_at=1_700_000_000)
    session = build_session(ServiceHosts.from_json(sim.hosts_json), 5.0)

    account = MyPlexAccount(token=sim.token, session=session, timeout=5)
    assert account.username == "cinephile42"
    # The watchlist where our client reads it: plexapi's own watchlist() asks a
    # host that depends on its version (metadata.provider before 4.17.1).
    watchlist = account.fetchItems(f"{DISCOVER}/library/sections/watchlist/all")
    assert [(w.title, w.year) for w in watchlist] == [("Dune", 2024)]
    assert [
        (r.title, r.year) for r in account.searchDiscover("heat", libtype="movie")
    ] == [("Heat", 1995)]
    server = PlexServer(sim.pms_url, sim.server_token, session=session, timeout=5)
    movies = server.library.section("Movies").all()
    assert [(m.guid, m.userRating) for m in movies] == [(heat, 9.0)]
    assert [g.id for g in movies[0].guids] == ["imdb://tt0113277"]


def test_the_real_world_shapes_parse_as_plexapi_objects(sim: PlexSimulator) -> None:
    """Legacy-agent items (their guid, no <Guid> children even with
    includeGuids=1), personal media, a series played with no episode watched,
    a watchlist without watchlistedAt and a history node without parents."""
    from tests.simulators.plex_state import IMDB_AGENT, PERSONAL_AGENT, TVDB_AGENT

    sim.add_movie("Heat", 1995, guids=("imdb://tt0113277",), agent=IMDB_AGENT)
    sim.add_movie("Birthday", 2019, agent=PERSONAL_AGENT)
    show = sim.add_show(
        "Twin Peaks", 1990, seasons={1: 1}, guids=("tvdb://70533",), agent=TVDB_AGENT
    )
    sim.set_series_views(show[0], 2, 1_650_000_000)
    sim.add_movie("Dune", 2024, in_library=False, watchlisted_at=1_700_000_000)
    sim.add_orphan_watch("Episode 5", 1_700_000_000)
    session = build_session(ServiceHosts.from_json(sim.hosts_json), 5.0)
    server = PlexServer(sim.pms_url, sim.server_token, session=session, timeout=5)

    old = server.library.section("Films (old agent)")
    assert old.agent == IMDB_AGENT
    [heat] = old.all()
    assert heat.guid == "com.plexapp.agents.imdb://tt0113277?lang=en"
    raw = server.query("/library/sections/3/all?includeGuids=1")
    assert raw is not None
    assert raw[0].findall("Guid") == []
    [birthday] = server.library.section("Home Videos").all()
    assert birthday.guid.startswith(("local://", PERSONAL_AGENT))
    series = server.library.section("Series (old agent)")
    [peaks] = series.all()
    assert (peaks.viewCount, peaks.viewedLeafCount) == (2, 0)
    [episode] = series.searchEpisodes()
    assert episode.guid == "com.plexapp.agents.thetvdb://70533/1/1?lang=en"
    assert episode.grandparentGuid == "com.plexapp.agents.thetvdb://70533?lang=en"

    account = MyPlexAccount(token=sim.token, session=session, timeout=5)
    listing = account.query(
        "https://discover.provider.plex.tv/library/sections/watchlist/all"
        "?includeUserState=1"
    )
    assert [item.get("watchlistedAt") for item in listing] == [None]
    history = account.query(
        "https://community.plex.tv/api",
        method=session.post,
        json={
            "query": "query { user { watchHistory(first: 10) { nodes { id } } } }",
            "variables": {"uuid": sim.account_uuid, "first": 10},
        },
    )
    [node] = history["data"]["user"]["watchHistory"]["nodes"]
    item = node["metadataItem"]
    assert (item["type"], item["parent"], item["grandparent"]) == (
        "EPISODE",
        None,
        None,
    )
    assert node["date"].endswith(".000Z")
