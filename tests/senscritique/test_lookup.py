"""Looking a product up by its id (plexsync.link checks ids this way)."""

from __future__ import annotations

import pytest

from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Kind, Side, Work
from custom_components.plexsync.senscritique import SensCritiqueClient
from tests.simulators.senscritique import SensCritiqueSimulator

from .conftest import USERNAME, Catalogue, make_client


async def test_lookup_tells_films_series_seasons_and_episodes(
    session, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client: SensCritiqueClient = make_client(session, sim)
    await client.use_username(USERNAME)
    assert await client.lookup(str(catalogue.parasite)) == Work(
        str(catalogue.parasite),
        Kind.MOVIE,
        "Parasite",
        "기생충",
        2019,
        side=Side.SENSCRITIQUE,
    )
    show = await client.lookup(str(catalogue.severance))
    assert show is not None
    assert (show.kind, show.title, show.year) == (Kind.SHOW, "Severance", 2022)
    season = await client.lookup(str(sim.state.season(catalogue.severance, 2)))
    assert season is not None
    assert (season.kind, season.season, season.episode) == (Kind.SEASON, 2, None)
    episode = await client.lookup(str(sim.state.episode(catalogue.severance, 1, 2)))
    assert episode is not None
    assert (episode.kind, episode.season, episode.episode) == (Kind.EPISODE, 1, 2)


async def test_lookup_of_an_unknown_id_or_another_universe_is_none(
    session, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    await client.use_username(USERNAME)
    assert await client.lookup("99999999") is None
    assert await client.lookup(str(catalogue.book)) is None


async def test_lookup_failures_are_typed(
    session, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    client = make_client(session, sim)
    await client.use_username(USERNAME)
    sim.fail_next(10, status=503)
    with pytest.raises(ServiceUnavailable):
        await client.lookup(str(catalogue.parasite))
