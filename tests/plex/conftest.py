"""Fixtures: a running Plex simulator and a PlexClient pointed at it.

plexapi reads its config file at import time: point it at a file that does
not exist so no developer's ~/.config/plexapi leaks into the tests.
"""

from __future__ import annotations

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", "/nonexistent/plexsync-tests/plexapi.ini")

from collections.abc import Iterator

import pytest

from custom_components.plexsync.plex.client import PlexClient
from custom_components.plexsync.plex.errors import RetryPolicy
from custom_components.plexsync.plex.session import ServiceHosts
from tests.simulators.plex import PlexSimulator

FAST = RetryPolicy(retries=2, backoff=0.01)


def other_listings(sim: PlexSimulator, section: int) -> int:
    """Listing requests a read makes for the sections other than `section`
    while they hold nothing: one page per query (2 per film section, 6 per
    series section: rated and watched of each type)."""
    return sum(
        2 if other.kind == "movie" else 6
        for other in sim.state.sections.values()
        if other.key != section
    )


def make_client(sim: PlexSimulator, **kwargs: object) -> PlexClient:
    options: dict[str, object] = {"timeout": 2.0, "retry": FAST, **kwargs}
    return PlexClient(
        sim.token, hosts=ServiceHosts.from_json(sim.hosts_json), **options
    )  # type: ignore[arg-type]


@pytest.fixture
def sim(socket_enabled: None) -> Iterator[PlexSimulator]:
    """A running simulator (HA's test plugin blocks sockets unless enabled)."""
    with PlexSimulator() as simulator:
        yield simulator


@pytest.fixture
def client(sim: PlexSimulator) -> Iterator[PlexClient]:
    plex = make_client(sim)
    yield plex
    plex.close()
