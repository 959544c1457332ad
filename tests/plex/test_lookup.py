"""Looking a work up by its Discover GUID (plexsync.link checks ids this way)."""

from __future__ import annotations

import pytest

from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Kind
from custom_components.plexsync.plex.client import PlexClient
from tests.simulators.plex import PlexSimulator


def test_lookup_gives_kind_title_and_year(
    sim: PlexSimulator, client: PlexClient
) -> None:
    heat = sim.add_movie("Heat", 1995, in_library=False)
    dark = sim.add_show("Dark", 2017, seasons={1: 2}, in_library=False)
    work = client.lookup(heat)
    assert work is not None
    assert (work.key, work.kind, work.title, work.year) == (
        heat,
        Kind.MOVIE,
        "Heat",
        1995,
    )
    show = client.lookup(dark[0])
    assert show is not None
    assert (show.kind, show.title) == (Kind.SHOW, "Dark")
    season = client.lookup(dark[1])
    assert season is not None
    assert season.kind is Kind.SEASON
    assert sim.requests["metadata:metadata"] == 3


def test_lookup_of_an_unknown_guid_is_none(
    sim: PlexSimulator, client: PlexClient
) -> None:
    heat = sim.add_movie("Heat", 1995)
    assert client.lookup("plex://movie/5d7768244af8d1001f2effff") is None
    # A film's id under the show prefix names no work.
    assert client.lookup(heat.replace("plex://movie/", "plex://show/")) is None


def test_lookup_failures_are_typed(sim: PlexSimulator, client: PlexClient) -> None:
    heat = sim.add_movie("Heat", 1995)
    sim.fail(503, role="metadata", count=10)
    with pytest.raises(ServiceUnavailable):
        client.lookup(heat)
