"""Faults injected in the simulator become typed engine errors."""

from __future__ import annotations

import socket

import pytest

from custom_components.plexsync.engine.errors import (
    AuthError,
    MalformedResponse,
    RateLimited,
    ServiceUnavailable,
)
from custom_components.plexsync.engine.model import Action, Side
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.plex.client import PlexClient
from custom_components.plexsync.plex.session import ServiceHosts
from tests.simulators.plex import PlexSimulator

from .conftest import FAST, make_client, other_listings


def test_expired_token_on_read_is_auth_error(
    sim: PlexSimulator, client: PlexClient
) -> None:
    client.account()
    sim.expire_token()
    with pytest.raises(AuthError):
        client.read_snapshot()


def test_rate_limit_keeps_retry_after_and_is_not_retried(
    sim: PlexSimulator, client: PlexClient
) -> None:
    client.account()
    sim.fail(429, role="discover", retry_after=30)
    with pytest.raises(RateLimited) as caught:
        client.read_snapshot()
    assert caught.value.retry_after == 30
    assert sim.requests["discover:watchlist"] == 1


def test_transient_5xx_is_retried(sim: PlexSimulator, client: PlexClient) -> None:
    sim.add_movie("Heat", 1995, rating=8)
    client.connect(sim.server_id)
    sim.fail(500, role="pms", path="/library/sections/1/all", count=2)
    assert client.read_snapshot().ratings
    # two failures then success on the first listing, its watched query, and
    # the other (empty) sections
    assert sim.requests["pms:listing"] == 3 + 1 + other_listings(sim, 1)


def test_lasting_5xx_gives_up(sim: PlexSimulator, client: PlexClient) -> None:
    client.account()
    sim.fail(503, role="community", count=10)
    with pytest.raises(ServiceUnavailable):
        client.read_snapshot()
    assert sim.requests["community:*"] == FAST.retries + 1


def test_timeout_is_bounded_and_typed(sim: PlexSimulator) -> None:
    client = make_client(sim, timeout=0.3)
    client.account()
    sim.stall(1.0, role="discover", count=5)
    with pytest.raises(ServiceUnavailable):
        client.read_snapshot()
    assert sim.requests["discover:watchlist"] == FAST.retries + 1


def test_writes_are_not_retried(sim: PlexSimulator, client: PlexClient) -> None:
    heat = sim.add_movie("Heat", 1995, in_library=False)
    sim.fail(502, role="discover")
    with pytest.raises(ServiceUnavailable):
        client.apply(Op(Side.PLEX, Action.SET_RATING, heat, "1|x", "test", value=8))
    assert sim.requests["discover:rate"] == 1
    assert sim.account_ratings() == {}


@pytest.mark.parametrize("role", ["discover", "community", "pms"])
def test_malformed_payloads(sim: PlexSimulator, client: PlexClient, role: str) -> None:
    sim.add_movie("Heat", 1995, rating=8)
    sim.add_movie("Dune", 2024, in_library=False, watchlisted_at=1_700_000_000)
    client.connect(sim.server_id)
    sim.malform(role=role, count=10)
    with pytest.raises(MalformedResponse):
        client.read_snapshot()


def test_graphql_errors_are_malformed(sim: PlexSimulator) -> None:
    sim.graphql_errors = 1
    with pytest.raises(MalformedResponse):
        make_client(sim).read_snapshot()


def test_unreachable_service(socket_enabled: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hosts = ServiceHosts({"https://plex.tv": f"http://127.0.0.1:{port}"})
    client = PlexClient("token", hosts=hosts, timeout=1.0, retry=FAST)
    with pytest.raises(ServiceUnavailable):
        client.account()
