"""Plex Home users through real plexapi: listing them, switching to one
(with a PIN when they have one), and reading and writing as that user only."""

from __future__ import annotations

import pytest

from custom_components.plexsync.engine.errors import AuthError, NotFound
from custom_components.plexsync.engine.model import Action, Side
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.plex.client import PlexClient
from custom_components.plexsync.plex.home import PlexHomeUser
from custom_components.plexsync.plex.session import ServiceHosts
from tests.simulators.plex import PlexSimulator

from .conftest import FAST

T0 = 1_700_000_000


def _as(sim: PlexSimulator, token: str) -> PlexClient:
    return PlexClient(
        token, hosts=ServiceHosts.from_json(sim.hosts_json), timeout=2.0, retry=FAST
    )


def op(action: Action, key: str, value: int | None = None) -> Op:
    return Op(Side.PLEX, action, key, link=f"1|{key}", reason="test", value=value)


def test_home_users_are_listed_without_friends(
    sim: PlexSimulator, client: PlexClient
) -> None:
    anna = sim.add_home_user("Anna", managed=True)
    bob = sim.add_home_user("Bob", pin="1234")
    sim.friends.append("faraway_friend")
    assert client.home_users() == [
        PlexHomeUser(anna.user.id, "Anna", protected=False, managed=True),
        PlexHomeUser(bob.user.id, "Bob", protected=True, managed=False),
    ]
    assert sim.requests["plextv:api/users"] == 1


def test_switch_gives_the_users_own_identity(
    sim: PlexSimulator, client: PlexClient
) -> None:
    anna = sim.add_home_user("Anna", managed=True)
    bob = sim.add_home_user("Bob", pin="1234")
    token = client.switch_home_user(anna.user.id)
    assert token == anna.user.token
    as_anna = _as(sim, token)
    account = as_anna.account()
    # A managed user has no username: the client names them by their Home name.
    assert (account.id, account.uuid, account.username) == (
        anna.user.id,
        anna.user.uuid,
        "Anna",
    )
    assert [s.id for s in as_anna.servers()] == [sim.server_id]
    assert as_anna.home_users() == []
    with pytest.raises(AuthError):
        client.switch_home_user(bob.user.id)
    with pytest.raises(AuthError):
        client.switch_home_user(bob.user.id, "0000")
    assert client.switch_home_user(bob.user.id, "1234") == bob.user.token
    assert _as(sim, bob.user.token).account().username == "bob"
    with pytest.raises(NotFound):
        client.switch_home_user(99)


def test_a_home_user_reads_and_writes_only_their_own_data(
    sim: PlexSimulator, client: PlexClient
) -> None:
    """One server library, one Discover catalogue; each user's ratings,
    watches and watchlist, on the server and the account alike, are theirs."""
    heat = sim.add_movie("Heat", 1995, rating=9, viewed_at=T0)
    alien = sim.add_movie("Alien", 1979, in_library=False, rating=8)
    dune = sim.add_movie("Dune", 2021, watchlisted_at=T0)
    anna = sim.add_home_user("Anna", managed=True)
    anna.set_user_state(dune, rating=6, viewed_at=T0 + 10)
    amelie = sim.add_movie("Amélie", 2001)  # added after Anna joined
    anna.watchlist_add(alien, T0)

    as_anna = _as(sim, client.switch_home_user(anna.user.id))
    as_anna.connect(sim.server_id)
    client.connect(sim.server_id)
    mine, hers = client.read_snapshot(), as_anna.read_snapshot()
    assert (set(mine.ratings), set(mine.watched)) == ({heat, alien}, {heat})
    assert set(mine.watchlist) == {dune}
    assert (set(hers.ratings), set(hers.watched)) == ({dune}, {dune})
    assert set(hers.watchlist) == {alien}

    # Her writes land in her state: server items and account alike.
    as_anna.apply(op(Action.SET_RATING, heat, 4))
    as_anna.apply(op(Action.MARK_WATCHED, amelie))
    as_anna.apply(op(Action.SET_RATING, alien, 5))
    as_anna.apply(op(Action.REMOVE_WATCHLIST, alien))
    as_anna.apply(op(Action.ADD_WATCHLIST, heat))
    her_heat, my_heat = anna.library_item(heat), sim.library_item(heat)
    assert her_heat is not None
    assert my_heat is not None
    assert (her_heat.user_rating, my_heat.user_rating) == (4.0, 9.0)
    her_amelie, my_amelie = anna.library_item(amelie), sim.library_item(amelie)
    assert her_amelie is not None
    assert my_amelie is not None
    assert (her_amelie.view_count, my_amelie.view_count) == (1, 0)
    assert anna.account_ratings() == {alien: 5.0}
    assert sim.account_ratings() == {alien: 8.0}
    assert set(anna.watchlist()) == {heat}
    assert set(sim.watchlist()) == {dune}

    hers = as_anna.read_snapshot()
    assert {k: r.value for k, r in hers.ratings.items()} == {
        heat: 4,
        alien: 5,
        dune: 6,
    }
    assert set(hers.watched) == {dune, amelie}
    assert client.read_snapshot() == mine
    as_anna.close()
