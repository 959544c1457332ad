"""Shapes of real collection reads (reference 6.4b): seasons and episodes
listed as items of their own, and single unreadable items."""

from __future__ import annotations

from collections.abc import Mapping

from custom_components.plexsync.engine.model import Kind
from custom_components.plexsync.senscritique import SensCritiqueClient
from custom_components.plexsync.senscritique.documents import Document
from custom_components.plexsync.senscritique.library import read_library
from tests.simulators.senscritique import SensCritiqueSimulator

from .conftest import USERNAME, Catalogue


async def test_listed_seasons_and_episodes_are_works_of_their_series(
    client: SensCritiqueClient, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    """A season or an episode listed on its own carries its numbers and its
    series: it is decoded as a season or episode of that series, never as a
    series, and the series comes along (without marks) so it can be linked."""
    state = sim.state
    show = catalogue.severance
    state.children_listed = True
    state.set_mark(USERNAME, show, rating=None, done=False)  # only children marked
    episode = state.episode(show, 1, 1)
    season = state.season(show, 1)

    snap = await client.read_snapshot()

    ep = snap.works[str(episode)]
    assert (ep.kind, ep.parent, ep.season, ep.episode) == (
        Kind.EPISODE,
        str(show),
        1,
        1,
    )
    se = snap.works[str(season)]
    assert (se.kind, se.parent, se.season, se.episode) == (
        Kind.SEASON,
        str(show),
        1,
        None,
    )
    series = snap.works[str(show)]
    assert (series.kind, series.title, series.year) == (Kind.SHOW, "Severance", 2022)
    assert snap.ratings[str(episode)].value == 7
    assert str(episode) in snap.watched
    assert str(season) in snap.watched
    # The series itself carries no mark: neither rated nor seen.
    assert str(show) not in snap.ratings
    assert str(show) not in snap.watched
    assert not [w for w in snap.works.values() if w.kind is Kind.SHOW and w.parent]
    assert client.read_report() == {"skipped": {}}


async def test_one_unreadable_item_is_skipped_counted_and_never_rereads() -> None:
    """A product that cannot be read is skipped and counted; it still counts
    towards the list's total, so the list is not read again for it."""
    good = {"id": 7, "universe": 1, "title": "Heat", "yearOfProduction": 1995}
    orphan = {"id": 8, "universe": 4, "episodeNumber": 3, "title": "Épisode 3"}
    pages = []

    async def execute(
        document: Document, variables: Mapping[str, object]
    ) -> Mapping[str, object]:
        pages.append(dict(variables))
        done = {"total": 2, "products": [orphan, good]}
        empty = {"total": 0, "products": []}
        return {
            "user": {
                "id": 1,
                "username": "u",
                "wish": empty,
                "rating": empty,
                "done": done,
            }
        }

    read = await read_library(execute, "u", 100)
    assert len(pages) == 1
    assert read.skipped == {"done": 1}
    assert [p.id for p in read.lists["done"]] == ["8", "7"]
    assert [p.item is None for p in read.lists["done"]] == [True, False]
