"""Fixtures: a running SensCritique simulator, a small catalogue, a client.

Politeness is shrunk (no spacing, tiny backoff, short timeout) so the fault
tests stay fast; the politeness tests build their own clients.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
import pytest

from custom_components.plexsync.senscritique import Politeness, SensCritiqueClient
from tests.simulators.senscritique import SensCritiqueSimulator

FAST = Politeness(
    concurrency=4,
    min_interval=0.0,
    retries=2,
    backoff=0.01,
    timeout=0.5,
    max_retry_after=0.2,
)
EMAIL, PASSWORD, USERNAME = "camille@example.org", "s3cret", "camille"


@dataclass
class Catalogue:
    """Ids of the small inline catalogue every test starts from."""

    parasite: int
    amelie: int
    home_alone: int
    oppenheimer: int
    severance: int
    book: int


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[SensCritiqueSimulator]:
    async with SensCritiqueSimulator() as simulator:
        yield simulator


@pytest.fixture
def catalogue(sim: SensCritiqueSimulator) -> Catalogue:
    state = sim.state
    ids = Catalogue(
        parasite=state.add_movie(
            "Parasite", 2019, original_title="기생충", id=35310418
        ),
        amelie=state.add_movie(
            "Le Fabuleux Destin d'Amélie Poulain", 2001, original_title=None
        ),
        home_alone=state.add_movie(
            "Maman, j'ai raté l'avion !", 1990, original_title="Home Alone"
        ),
        oppenheimer=state.add_movie("Oppenheimer", 2023),
        severance=state.add_show("Severance", 2022, [2, 1], id=44120397),
        book=state.add_product("L'Étranger", universe=2, year=1942),
    )
    state.add_user(USERNAME, EMAIL, PASSWORD, id=4815162)
    when = datetime(2024, 11, 3, 20, 41, 12, tzinfo=UTC)
    state.set_mark(USERNAME, ids.parasite, rating=9, date_done=when)
    state.set_mark(USERNAME, ids.amelie, done=True)  # done without a date
    state.set_mark(USERNAME, ids.oppenheimer, wished=True)
    state.set_mark(USERNAME, ids.home_alone, wished=True)
    state.set_mark(USERNAME, ids.book, rating=7, wished=True)
    show = ids.severance
    state.set_mark(USERNAME, show, rating=8, done=True)
    state.set_mark(
        USERNAME,
        state.episode(show, 1, 1),
        rating=7,
        date_done=datetime(2022, 12, 20, 21, 10, 44, tzinfo=UTC),
    )
    state.set_mark(USERNAME, state.season(show, 1), done=True)
    return ids


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


def make_client(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, **kwargs: object
) -> SensCritiqueClient:
    options: dict[str, object] = {"politeness": FAST, **kwargs}
    return SensCritiqueClient(session, url=sim.url, **options)  # type: ignore[arg-type]


@pytest.fixture
async def client(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> SensCritiqueClient:
    """A signed-in client of the catalogue's member."""
    sc = make_client(session, sim)
    await sc.sign_in(EMAIL, PASSWORD)
    return sc
