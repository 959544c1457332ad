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
