"""Two clients, two simulators, at once: nothing leaks between them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from plexapi.myplex import MyPlexAccount, MyPlexResource

from custom_components.plexsync.plex.session import ServiceHosts
from tests.simulators.plex import PlexSimulator

from .conftest import make_client


@pytest.fixture
def other_sim(socket_enabled: None) -> Iterator[PlexSimulator]:
    with PlexSimulator(
        token="OTHER-TOKEN", server_id="1" * 40, server_name="Other"
    ) as sim:
        yield sim


def test_two_clients_stay_apart(sim: PlexSimulator, other_sim: PlexSimulator) -> None:
    mine = sim.add_movie("Heat", 1995, rating=9)
    theirs = other_sim.add_movie("Amélie", 2001, rating=7)
    first, second = make_client(sim), make_client(other_sim)

    first.connect(sim.server_id)
    second.connect(other_sim.server_id)
    snap_one = first.read_snapshot()
    snap_two = second.read_snapshot()
    snap_one_again = first.read_snapshot()

    assert set(snap_one.ratings) == {mine} == set(snap_one_again.ratings)
    assert set(snap_two.ratings) == {theirs}
    assert sim.requests["plextv:*"]
    assert other_sim.requests["plextv:*"]
    assert [s.name for s in second.servers()] == ["Other"]
    # plexapi's class-level hosts are untouched.
    assert MyPlexAccount.key == "https://plex.tv/api/v2/user"
    assert MyPlexAccount.DISCOVER == "https://discover.provider.plex.tv"
    assert MyPlexResource.key.startswith("https://plex.tv/api/v2/resources")


def test_service_hosts_json() -> None:
    hosts = ServiceHosts.from_json('{"https://plex.tv/": "http://127.0.0.1:5001/"}')
    assert (
        hosts.rewrite("https://plex.tv/api/v2/user?x=1")
        == "http://127.0.0.1:5001/api/v2/user?x=1"
    )
    assert (
        hosts.rewrite("http://127.0.0.1:32400/library")
        == "http://127.0.0.1:32400/library"
    )
    assert ServiceHosts.from_json(hosts.to_json()) == hosts
    for bad in (
        "[]",
        "{",
        '{"https://example.com": "http://x"}',
        '{"https://plex.tv": "ftp:/x"}',
    ):
        with pytest.raises(ValueError, match=r"service|base URL|JSON"):
            ServiceHosts.from_json(bad)
