"""The demo's household (tests/simulators/serve.py, behind scripts/develop):
two people, each with their own Plex state (the account's owner and a
managed Home user with a PIN) and SensCritique member, kept across a
restart of the simulators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from custom_components.plexsync.plex.client import PlexClient
from custom_components.plexsync.plex.errors import RetryPolicy
from custom_components.plexsync.plex.session import ServiceHosts

from .simulators.plex_demo import DEMO_HOME_USER
from .simulators.senscritique_demo import DEMO_SECOND_USER, DEMO_USER
from .simulators.serve import Simulators

WORKS = 40


@pytest.fixture(name="sims")
def sims_fixture(socket_enabled: None) -> Iterator[Simulators]:
    with Simulators(works=WORKS) as sims:
        yield sims


def _client(sims: Simulators, token: str) -> PlexClient:
    hosts = ServiceHosts.from_json(sims.plex.hosts_json)
    return PlexClient(token, hosts=hosts, timeout=5.0, retry=RetryPolicy(1, 0.01))


def test_two_people_with_their_own_data(sims: Simulators) -> None:
    (anna,) = sims.plex.home
    assert (anna.name, anna.pin, anna.username) == (*DEMO_HOME_USER, "")
    people = sims.info()["people"]
    assert [(p["plex_user"], p["pin"]) for p in people] == [
        ("account", None),
        (str(anna.id), DEMO_HOME_USER[1]),
    ]
    assert [tuple(p["senscritique"].values()) for p in people] == [
        DEMO_USER,
        DEMO_SECOND_USER,
    ]
    owner = _client(sims, sims.plex.token)
    as_anna = _client(sims, owner.switch_home_user(anna.id, DEMO_HOME_USER[1]))
    for client in (owner, as_anna):
        client.connect(sims.plex.server_id)
    mine, hers = owner.read_snapshot(), as_anna.read_snapshot()
    # Each has data of their own; some works both touched, some one only.
    assert hers.ratings
    assert hers.watchlist
    assert set(mine.ratings) & set(hers.ratings)
    assert set(hers.ratings) - set(mine.ratings)
    assert mine.ratings != hers.ratings
    sc = sims.senscritique.state
    first, second = DEMO_USER[0], DEMO_SECOND_USER[0]
    assert sc.ratings(second)
    assert sc.ratings(first) != sc.ratings(second)
    owner.close()
    as_anna.close()


def test_the_household_survives_a_restart(sims: Simulators, tmp_path: Path) -> None:
    path = tmp_path / "simulators.pickle"
    (anna,) = sims.plex.home
    ratings = {
        key: item.user_rating
        for key, item in anna.state.library.items()
        if item.user_rating is not None
    }
    assert ratings
    watchlist = {h for h, st in anna.state.account.items() if st.watchlisted_at}
    sims.save(path)
    again = Simulators(demo=False)
    again.load(path)
    (restored,) = again.plex.home
    assert (restored.id, restored.name, restored.pin) == (anna.id, anna.name, anna.pin)
    assert {
        key: item.user_rating
        for key, item in restored.state.library.items()
        if item.user_rating is not None
    } == ratings
    assert {h for h, st in restored.state.account.items() if st.watchlisted_at} == (
        watchlist
    )
    assert restored.state.catalog is again.plex.state.catalog
    assert again.sc_others == [DEMO_SECOND_USER]
