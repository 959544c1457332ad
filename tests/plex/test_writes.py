"""Every write through real plexapi against the simulator."""

from __future__ import annotations

import pytest

from custom_components.plexsync.engine.errors import NotFound, Unsupported
from custom_components.plexsync.engine.model import Action, Kind, Side
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.plex.capabilities import CAPABILITIES
from custom_components.plexsync.plex.client import PlexClient
from tests.simulators.plex import PlexSimulator

T0 = 1_700_000_000


def op(action: Action, key: str, value: int | None = None) -> Op:
    return Op(Side.PLEX, action, key, link=f"1|{key}", reason="test", value=value)


def test_capabilities_say_plex_cannot_backdate(client: PlexClient) -> None:
    caps = client.capabilities()
    assert caps == CAPABILITIES
    assert caps.set_watched_date is False
    assert caps.watchlist
    assert caps.rate
    # The Discover watchlist holds films and series, never a season or episode.
    assert caps.watchlist_kinds == {Kind.MOVIE, Kind.SHOW}
    # A series' or season's watch is derived from its episodes on Plex.
    assert caps.watched_kinds == {Kind.MOVIE, Kind.EPISODE}


def test_library_item_rating_and_watch(sim: PlexSimulator, client: PlexClient) -> None:
    heat = sim.add_movie("Heat", 1995)
    client.connect(sim.server_id)

    client.apply(op(Action.SET_RATING, heat, 7))
    client.apply(op(Action.MARK_WATCHED, heat))
    item = sim.library_item(heat)
    assert item is not None
    assert item.user_rating == 7.0
    assert item.view_count == 1
    assert sim.requests["pms:rate"] == 1
    assert sim.requests["pms:scrobble"] == 1
    snap = client.read_snapshot()
    assert snap.ratings[heat].value == 7
    assert heat in snap.watched

    client.apply(op(Action.CLEAR_RATING, heat))
    client.apply(op(Action.MARK_UNWATCHED, heat))
    assert item.user_rating is None
    assert item.view_count == 0
    assert sim.account_ratings() == {}
    assert sim.account_watched() == {}
    snap = client.read_snapshot()
    assert heat not in snap.ratings
    assert heat not in snap.watched


def test_library_item_found_by_guid_without_a_prior_read(
    sim: PlexSimulator, client: PlexClient
) -> None:
    heat = sim.add_movie("Heat", 1995)
    client.connect(sim.server_id)
    client.apply(op(Action.SET_RATING, heat, 9))
    item = sim.library_item(heat)
    assert item is not None
    assert item.user_rating == 9.0
    lookups = [e for e in sim.log if e[0] == "pms" and e[2] == "/library/all"]
    assert len(lookups) == 1
    assert ("guid", heat) in lookups[0][3]


def test_outside_library_rating_and_watch(
    sim: PlexSimulator, client: PlexClient
) -> None:
    dune = sim.add_movie("Dune: Part Two", 2024, in_library=False)
    client.connect(sim.server_id)

    client.apply(op(Action.SET_RATING, dune, 8))
    client.apply(op(Action.MARK_WATCHED, dune))
    assert sim.account_ratings() == {dune: 8.0}
    assert dune in sim.account_watched()
    assert sim.requests["discover:rate"] == 1
    assert sim.requests["metadata:scrobble"] == 1
    snap = client.read_snapshot()
    assert snap.ratings[dune].value == 8
    assert dune in snap.watched

    client.apply(op(Action.CLEAR_RATING, dune))
    client.apply(op(Action.MARK_UNWATCHED, dune))
    assert sim.account_ratings() == {}
    assert sim.account_watched() == {}


def test_account_level_writes_without_a_server(
    sim: PlexSimulator, client: PlexClient
) -> None:
    heat = sim.add_movie("Heat", 1995)  # in the library, but no server chosen
    client.apply(op(Action.SET_RATING, heat, 6))
    assert sim.account_ratings() == {heat: 6.0}
    assert sim.requests["pms:*"] == 0


def test_watchlist_add_remove_is_idempotent(
    sim: PlexSimulator, client: PlexClient
) -> None:
    heat = sim.add_movie("Heat", 1995, in_library=False)
    client.apply(op(Action.ADD_WATCHLIST, heat))
    client.apply(op(Action.ADD_WATCHLIST, heat))
    assert heat in sim.watchlist()
    assert heat in client.read_snapshot().watchlist
    client.apply(op(Action.REMOVE_WATCHLIST, heat))
    client.apply(op(Action.REMOVE_WATCHLIST, heat))
    assert sim.watchlist() == {}
    assert sim.requests["discover:addToWatchlist"] == 2


def test_only_films_and_series_go_on_the_watchlist(
    sim: PlexSimulator, client: PlexClient
) -> None:
    _show, season, _ep = sim.add_show("Shōgun", 2024, seasons={1: 1})
    # What the capabilities say (so the planner never plans this write) ...
    assert not client.capabilities().holds_on_watchlist(Kind.SEASON)
    # ... is what the client enforces.
    with pytest.raises(Unsupported):
        client.apply(op(Action.ADD_WATCHLIST, season))
    assert sim.requests["discover:*"] == 0


def test_bad_keys_and_unknown_works(sim: PlexSimulator, client: PlexClient) -> None:
    with pytest.raises(Unsupported):
        client.apply(op(Action.ADD_WATCHLIST, "35310418"))
    with pytest.raises(NotFound):
        client.apply(op(Action.ADD_WATCHLIST, "plex://movie/000000000000000000000000"))


def test_search_returns_discover_works(sim: PlexSimulator, client: PlexClient) -> None:
    old = sim.add_movie("Heat", 1986, in_library=False)
    new = sim.add_movie("Heat", 1995, in_library=False)
    sim.add_show("Heat Wave", 2020)
    found = client.search("Heat", Kind.MOVIE, 1995)
    assert [(w.key, w.year) for w in found] == [(new, 1995), (old, 1986)]
    assert client.search("Heat", Kind.SEASON, None) == []
    assert [w.title for w in client.search("Heat", Kind.SHOW, None)] == ["Heat Wave"]
