"""Reads through real plexapi against the simulator."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from custom_components.plexsync.engine.errors import AuthError, NotFound
from custom_components.plexsync.engine.model import Kind, Side
from custom_components.plexsync.plex.client import PlexClient
from tests.simulators.plex import PlexSimulator

from .conftest import make_client, other_listings

T0 = 1_700_000_000


def at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def test_account_and_servers(sim: PlexSimulator, client: PlexClient) -> None:
    info = client.account()
    assert (info.id, info.uuid, info.username) == (
        31415926,
        sim.account_uuid,
        "cinephile42",
    )
    servers = client.servers()
    assert [(s.id, s.name) for s in servers] == [(sim.server_id, sim.server_name)]


def test_bad_token_is_an_auth_error(sim: PlexSimulator) -> None:
    sim.expire_token()
    with pytest.raises(AuthError):
        make_client(sim).account()


def test_unknown_server_is_not_found(client: PlexClient) -> None:
    with pytest.raises(NotFound):
        client.connect("0" * 40)


def test_library_snapshot(sim: PlexSimulator, client: PlexClient) -> None:
    heat = sim.add_movie(
        "Heat", 1995, guids=("imdb://tt0113277",), rating=9, viewed_at=T0
    )
    rated_only = sim.add_movie(
        "Amélie", 2001, original_title="Le Fabuleux Destin", rating=7
    )
    watched_only = sim.add_movie("The Matrix", 1999, viewed_at=T0 + 10)
    untouched = sim.add_movie("Spirited Away", 2001)
    show, season1, ep1, ep2 = sim.add_show("Breaking Bad", 2008, seasons={1: 2})
    sim.set_user_state(ep1, rating=8, viewed_at=T0 + 20)
    sim.set_user_state(ep2, viewed_at=T0 + 30)
    client.connect(sim.server_id)

    snap = client.read_snapshot()

    assert snap.side is Side.PLEX
    assert untouched not in snap.works
    work = snap.works[heat]
    assert (work.kind, work.title, work.year, work.guids) == (
        Kind.MOVIE,
        "Heat",
        1995,
        ("imdb://tt0113277",),
    )
    assert work.ref == str(sim.library_item(heat).rating_key)  # type: ignore[union-attr]
    assert snap.ratings[heat].value == 9
    assert snap.ratings[heat].rated_at == at(T0 + 60)
    assert snap.ratings[heat].watched_at == at(T0)
    assert snap.watched[heat].watched_at == at(T0)
    assert snap.works[rated_only].original_title == "Le Fabuleux Destin"
    assert rated_only in snap.ratings
    assert rated_only not in snap.watched
    assert watched_only in snap.watched
    assert watched_only not in snap.ratings
    episode = snap.works[ep1]
    assert (episode.kind, episode.parent, episode.season, episode.episode) == (
        Kind.EPISODE,
        show,
        1,
        1,
    )
    assert snap.ratings[ep1].value == 8
    # Both episodes watched: the season and the show count as watched.
    assert snap.watched[season1].watched_at == at(T0 + 30)
    assert snap.works[season1].parent == show
    assert snap.works[season1].season == 1
    assert snap.watched[show].watched_at == at(T0 + 30)


def test_dates_do_not_depend_on_the_local_zone(
    sim: PlexSimulator, client: PlexClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    heat = sim.add_movie("Heat", 1995, viewed_at=T0)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        client.connect(sim.server_id)
        watched_at = client.read_snapshot().watched[heat].watched_at
    finally:
        monkeypatch.undo()
        time.tzset()
    assert watched_at == at(T0)
    assert watched_at is not None
    assert watched_at.utcoffset() is not None


def test_watchlist_over_many_pages_without_dates(sim: PlexSimulator) -> None:
    """The listing carries no watchlistedAt (reference, real-world shapes):
    the client neither asks for it nor needs it."""
    guids = [sim.add_movie(f"Wish {i}", 2000 + i, in_library=False) for i in range(7)]
    for i, guid in enumerate(guids):
        sim.watchlist_add(guid, T0 + i)
    client = make_client(sim, page_size=2)

    snap = client.read_snapshot()

    assert set(snap.watchlist) == set(guids)
    assert {entry.added_at for entry in snap.watchlist.values()} == {None}
    assert snap.works[guids[3]].title == "Wish 3"
    listings = [q for role, _, path, q, _ in sim.log if path.endswith("/watchlist/all")]
    assert listings
    assert all("includeUserState" not in dict(q) for q in listings)
    assert sim.requests["discover:watchlist"] == 4  # 2+2+2+1
    # No per-item reload: their details (original titles, ids) in one batch,
    # asked once for good.
    assert sim.requests["metadata:metadata"] == 1
    client.read_snapshot()
    assert sim.requests["metadata:metadata"] == 1


def test_library_pagination_beyond_three_pages(sim: PlexSimulator) -> None:
    rated = [sim.add_movie(f"Film {i}", 1990 + i, rating=i % 10 + 1) for i in range(9)]
    client = make_client(sim, page_size=2)
    client.connect(sim.server_id)

    snap = client.read_snapshot()

    assert set(snap.ratings) == set(rated)
    rated_pages = [
        paging
        for role, _, path, query, paging in sim.log
        if role == "pms"
        and path == "/library/sections/1/all"
        and ("userRating>>", "0") in query
    ]
    assert rated_pages == [(0, 2), (2, 2), (4, 2), (6, 2), (8, 2)]
    # rated 5 pages, watched 1, one page per query of the other sections
    assert sim.requests["pms:listing"] == 5 + 1 + other_listings(sim, 1)


def test_account_level_ratings_and_history(sim: PlexSimulator) -> None:
    outside = [
        sim.add_movie(f"Cinema {i}", 2010 + i, in_library=False) for i in range(5)
    ]
    for i, guid in enumerate(outside):
        sim.set_user_state(guid, rating=i + 2, viewed_at=T0 + i)
    client = make_client(sim, page_size=2)

    snap = client.read_snapshot()  # not connected: account level only

    assert {k: r.value for k, r in snap.ratings.items()} == {
        g: i + 2 for i, g in enumerate(outside)
    }
    assert snap.watched[outside[4]].watched_at == at(T0 + 4)
    assert snap.ratings[outside[4]].watched_at == at(T0 + 4)
    assert snap.works[outside[0]].title == "Cinema 0"
    assert sim.requests["community:reviews"] == 3
    assert sim.requests["pms:*"] == 0


def test_ten_thousand_items_read_in_pages_only(sim: PlexSimulator) -> None:
    sim.seed_synthetic(10_000, rated=4_000, watched=6_000, watchlisted=50, seed=7)
    client = make_client(sim, timeout=20.0)
    client.connect(sim.server_id)
    sim.requests.clear()

    snap = client.read_snapshot()

    assert len(snap.ratings) == 4_000
    assert len(snap.watched) == 6_000
    assert len(snap.watchlist) == 50
    # 40 pages of rated + 60 of watched films, one empty page per other query.
    listings = 40 + 60 + other_listings(sim, 1)
    assert sim.requests["pms:listing"] == listings
    assert sim.requests["pms:metadata"] == 0
    # The 50 watchlist items' details, 20 a request (library items have theirs).
    assert sim.requests["metadata:metadata"] == 3
    assert sim.requests["pms:*"] == 1 + listings  # + /library/sections


def test_discover_search_in_a_language_knows_its_titles(sim: PlexSimulator) -> None:
    key = sim.add_movie("An Autumn Afternoon", 1962, in_library=False)
    with sim.state.lock:
        sim.state.catalog[key.rsplit("/", 1)[-1]].titles["fr"] = "Le Goût du saké"
    client = make_client(sim)

    assert client.search("Le Goût du saké", Kind.MOVIE, 1962) == []
    (found,) = client.search("Le Goût du saké", Kind.MOVIE, 1962, "fr")
    assert (found.key, found.title) == (key, "Le Goût du saké")
    client.close()
