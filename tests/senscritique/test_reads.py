"""Sign-in, read-only mode, complete snapshots, pagination and search."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from custom_components.plexsync.engine.errors import AuthError, NotFound
from custom_components.plexsync.engine.model import Action, Kind, Side
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.senscritique import SensCritiqueClient, SensCritiqueUser
from tests.simulators.senscritique import SensCritiqueSimulator

from .conftest import EMAIL, PASSWORD, USERNAME, Catalogue, make_client


async def test_sign_in_returns_the_member(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    assert client.read_only
    user = await client.sign_in(EMAIL, PASSWORD)
    assert user == SensCritiqueUser(id=4815162, username=USERNAME)
    assert not client.read_only
    assert sim.requests["SignIn"] == 1


async def test_wrong_password_is_an_auth_error(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    with pytest.raises(AuthError) as caught:
        await client.sign_in(EMAIL, "wrong")
    assert EMAIL not in str(caught.value)
    assert client.read_only


async def test_snapshot_of_films_series_seasons_and_episodes(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    snap = await client.read_snapshot()
    assert snap.side is Side.SENSCRITIQUE
    parasite = str(catalogue.parasite)
    show = str(catalogue.severance)
    season1 = str(sim.state.season(catalogue.severance, 1))
    episode = str(sim.state.episode(catalogue.severance, 1, 1))
    episode2 = str(sim.state.episode(catalogue.severance, 1, 2))

    work = snap.works[parasite]
    assert (work.kind, work.title, work.original_title, work.year) == (
        Kind.MOVIE,
        "Parasite",
        "기생충",
        2019,
    )
    assert snap.works[show].kind is Kind.SHOW
    assert snap.works[season1].kind is Kind.SEASON
    assert (snap.works[season1].parent, snap.works[season1].season) == (show, 1)
    ep = snap.works[episode]
    assert (ep.kind, ep.parent, ep.season, ep.episode) == (Kind.EPISODE, show, 1, 1)
    # Every season and episode of a series read is a work (for linking), marked or not.
    assert snap.works[episode2].episode == 2
    assert str(sim.state.season(catalogue.severance, 2)) in snap.works

    # Books are another universe: never part of the snapshot.
    assert str(catalogue.book) not in snap.works
    assert str(catalogue.book) not in snap.ratings

    assert set(snap.watchlist) == {
        str(catalogue.oppenheimer),
        str(catalogue.home_alone),
    }
    assert {k: r.value for k, r in snap.ratings.items()} == {
        parasite: 9,
        show: 8,
        episode: 7,
    }
    rating = snap.ratings[parasite]
    assert rating.rated_at is None  # SensCritique has no rating date
    assert rating.watched_at == datetime(2024, 11, 3, 20, 41, 12, tzinfo=UTC)
    assert set(snap.watched) == {
        parasite,
        str(catalogue.amelie),
        show,
        season1,
        episode,
    }
    assert snap.watched[str(catalogue.amelie)].watched_at is None  # done, no date
    assert snap.watched[episode].watched_at == datetime(
        2022, 12, 20, 21, 10, 44, tzinfo=UTC
    )


async def test_a_small_library_costs_one_request(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    await client.read_snapshot()
    assert sim.requests["UserLibrary"] == 1


async def test_pagination_over_many_pages(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    for index in range(23):
        pid = sim.state.add_movie(f"Film n°{index}", 2000 + index)
        sim.state.set_mark(USERNAME, pid, done=True)
        if index % 2:
            sim.state.set_mark(USERNAME, pid, rating=1 + index % 10)
    client = make_client(session, sim, page_size=4)
    await client.sign_in(EMAIL, PASSWORD)
    snap = await client.read_snapshot()
    done_total = 23 + 3  # + Parasite, Amélie, Severance
    assert len([k for k in snap.watched if snap.works[k].kind is Kind.MOVIE]) == 25
    assert len(snap.ratings) == 11 + 3
    # The longest list (done: 26 products) needs 7 pages of 4; the others ride along.
    assert sim.requests["UserLibrary"] == -(-done_total // 4)


async def test_server_page_cap_is_followed(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    for index in range(12):
        sim.state.set_mark(USERNAME, sim.state.add_movie(f"Cap {index}"), wished=True)
    sim.max_page_size = 3  # the service answers fewer than asked for
    client = make_client(session, sim, page_size=100)
    await client.sign_in(EMAIL, PASSWORD)
    snap = await client.read_snapshot()
    assert len(snap.watchlist) == 14
    assert sim.requests["UserLibrary"] == 5


async def test_a_list_that_changes_while_read_is_read_again(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    for index in range(9):
        sim.state.set_mark(USERNAME, sim.state.add_movie(f"Vœu {index}"), wished=True)
    client = make_client(session, sim, page_size=4)
    await client.sign_in(EMAIL, PASSWORD)
    # A wish written just before, visible only from the 2nd list read on:
    # the total moves between pages, so the wish list is read again.
    sim.set_wish_lag(reads=1)
    fresh = sim.state.add_movie("Nouveau vœu")
    sim.state.set_mark(USERNAME, fresh, wished=False)
    await client.apply(_wish(fresh))
    snap = await client.read_snapshot()
    assert str(fresh) in snap.watchlist
    assert len(snap.watchlist) == 12
    # The list holds 12 then 13 products (the wished book counts for paging):
    # 1st page, 2nd page sees the total move: restart, then 4 pages of 4.
    assert sim.requests["UserLibrary"] == 6


async def test_wish_lag_hides_a_new_wish_for_some_reads(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    sim.set_wish_lag(reads=2)
    await client.apply(_wish(catalogue.parasite))
    first = await client.read_snapshot()
    second = await client.read_snapshot()
    third = await client.read_snapshot()
    key = str(catalogue.parasite)
    assert (
        key in first.watchlist,
        key in second.watchlist,
        key in third.watchlist,
    ) == (
        False,
        False,
        True,
    )


async def test_wish_lag_by_time(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    sim.set_wish_lag(seconds=0.0)
    await client.apply(_wish(catalogue.parasite))
    assert str(catalogue.parasite) in (await client.read_snapshot()).watchlist
    sim.set_wish_lag(seconds=3600)
    await client.apply(_wish(catalogue.amelie))
    assert str(catalogue.amelie) not in (await client.read_snapshot()).watchlist


async def test_read_only_mode_by_username(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    user = await client.use_username(USERNAME)
    assert user.id == 4815162
    assert client.read_only
    snap = await client.read_snapshot()
    assert "Authorization" not in sim.last_headers
    assert set(snap.watchlist) == {
        str(catalogue.oppenheimer),
        str(catalogue.home_alone),
    }
    assert snap.ratings[str(catalogue.parasite)].value == 9


async def test_unknown_username_is_not_found(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    with pytest.raises(NotFound):
        await client.use_username("nobody_here_42")
    with pytest.raises(NotFound):
        await client.use_username("   ")


async def test_member_deleted_between_reads_is_not_found(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    await client.use_username(USERNAME)
    del sim.state.users[USERNAME]
    with pytest.raises(NotFound):
        await client.read_snapshot()


async def test_reading_before_choosing_a_member_is_a_programming_error(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator
) -> None:
    with pytest.raises(RuntimeError):
        await make_client(session, sim).read_snapshot()


# ---------------------------------------------------------------------- search


async def test_search_filters_by_universe_and_orders_by_year(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    old = sim.state.add_movie("Parasite", 1982)
    sim.state.add_show("Parasite", 2019)
    found = await client.search("parasite", Kind.MOVIE, 1983)
    assert [w.key for w in found] == [str(old), str(catalogue.parasite)]
    assert all(w.kind is Kind.MOVIE for w in found)
    shows = await client.search("Parasite", Kind.SHOW, None)
    assert [w.kind for w in shows] == [Kind.SHOW]
    assert sim.requests["SearchAutocomplete"] == 2


async def test_search_with_apostrophes_and_accents(
    client: SensCritiqueClient, catalogue: Catalogue
) -> None:
    found = await client.search("Maman, j'ai raté l'avion", Kind.MOVIE, 1990)
    assert [(w.key, w.title, w.original_title) for w in found] == [
        (str(catalogue.home_alone), "Maman, j'ai raté l'avion !", "Home Alone")
    ]
    amelie = await client.search("amélie", Kind.MOVIE, None)
    assert amelie[0].title == "Le Fabuleux Destin d'Amélie Poulain"
    assert await client.search("기생충", Kind.MOVIE, None) != []


async def test_seasons_and_episodes_are_never_searched(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    assert await client.search("Severance", Kind.SEASON, None) == []
    assert await client.search("  ", Kind.MOVIE, None) == []
    assert sim.requests["SearchAutocomplete"] == 0


def _wish(pid: int) -> Op:
    return Op(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, str(pid), "l", "test")
