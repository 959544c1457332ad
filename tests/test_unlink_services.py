"""plexsync.unlink: an unlinked pair is remembered, so neither matching, a
search nor the to-do list links it again; linking it by hand forgets the
unlink (issue 14, item 5)."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.diagnostics import async_get_config_entry_diagnostics
from custom_components.plexsync.engine.model import Kind, Provenance, Side, Work
from custom_components.plexsync.pipeline import SyncRequest

from .fakes import FakeWorld
from .ha_entry import entity_id, setup
from .link_calls import (
    DARK_PLEX,
    DARK_SC,
    HEAT_PLEX,
    HEAT_SC,
    RONIN_PLEX,
    RONIN_SC,
    call,
    link,
    link_ids,
)


async def test_an_unlinked_pair_is_never_linked_again_by_matching(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    """Fails before the fix: the next sync linked the pair again."""
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.add(HEAT_PLEX, wish=True)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert link_ids(entry) == {f"1001|{HEAT_PLEX.key}"}
    await call(hass, "unlink", entry, plex_guid=HEAT_PLEX.key)
    assert coordinator.state.unlinked == {("1001", HEAT_PLEX.key)}
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["state"]
    assert stored["unlinked"] == [{"senscritique": "1001", "plex": HEAT_PLEX.key}]
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["state"]["unlinked"] == [
        {"senscritique": "1001", "plex": HEAT_PLEX.key}
    ]

    world.senscritique.watchlist.pop("1001")  # not a removal: no link, no base
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()
    assert "1001" not in world.senscritique.watchlist
    assert {(u.side, u.key) for u in coordinator.data.unmatched} == {
        (Side.PLEX, HEAT_PLEX.key)
    }

    # Still remembered after a restart.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = entry.runtime_data.coordinator
    assert coordinator.state.unlinked == {("1001", HEAT_PLEX.key)}
    world.senscritique.watchlist["1001"] = world.plex.watchlist[HEAT_PLEX.key]
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()


async def test_an_unlinked_pair_is_never_linked_again_by_a_search(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: the search found the same counterpart again."""
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.catalogue[HEAT_PLEX.key] = HEAT_PLEX  # found by a search only
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.state.links[f"1001|{HEAT_PLEX.key}"].provenance is (
        Provenance.SEARCH
    )
    world.plex.watchlist.pop(HEAT_PLEX.key)
    await call(hass, "unlink", entry, senscritique_id="1001")
    outcome = await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()
    assert outcome.plan.ops == ()
    assert "1001" in coordinator.state.misses  # searched, refused, backed off


async def test_linking_the_pair_by_hand_forgets_the_unlink(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.add(HEAT_PLEX, wish=True)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    await call(hass, "unlink", entry, senscritique_id="1001")
    await link(hass, entry, "1001", HEAT_PLEX.key)
    assert coordinator.state.unlinked == frozenset()
    assert coordinator.state.links[f"1001|{HEAT_PLEX.key}"].provenance is (
        Provenance.MANUAL
    )


async def test_unlink_with_both_ids_removes_only_that_pair(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    for sc, plex in ((HEAT_SC, HEAT_PLEX), (RONIN_SC, RONIN_PLEX)):
        world.senscritique.add(sc, wish=True)
        world.plex.add(plex, wish=True)
    await setup(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "unlink", entry, senscritique_id="1001", plex_guid=RONIN_PLEX.key
        )
    assert err.value.translation_key == "link_not_found"
    assert len(link_ids(entry)) == 2
    await call(hass, "unlink", entry, senscritique_id="1001", plex_guid=HEAT_PLEX.key)
    assert link_ids(entry) == {f"1002|{RONIN_PLEX.key}"}
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unlink", entry, senscritique_id="1001")
    assert err.value.translation_key == "link_not_found"


async def test_the_todo_list_does_not_link_an_unlinked_pair(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: adding the title linked the pair again."""
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.add(HEAT_PLEX, wish=True)
    await setup(hass, entry)
    await call(hass, "unlink", entry, senscritique_id="1001")
    world.senscritique.watchlist.clear()
    world.plex.watchlist.clear()
    todo = entity_id(hass, entry, "todo", "watchlist")
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Heat (1995)"}, blocking=True
    )
    assert link_ids(entry) == set()


async def test_unlinking_a_series_drops_its_episode_links(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: the episode stayed linked to the wrong series'
    episode, and kept its ratings in sync."""
    episode_sc = Work(
        "7003", Kind.EPISODE, "Secrets", parent="7001", season=1, episode=1
    )
    episode_plex = Work(
        "plex://episode/5d7768244af8d1001f2e0008",
        Kind.EPISODE,
        "Secrets",
        parent=DARK_PLEX.key,
        season=1,
        episode=1,
    )
    world.senscritique.add(DARK_SC, wish=True)
    world.senscritique.add(episode_sc, rating=7)
    world.plex.add(DARK_PLEX, wish=True)
    world.plex.add(episode_plex, rating=7)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert link_ids(entry) == {f"7001|{DARK_PLEX.key}", f"7003|{episode_plex.key}"}
    await call(hass, "unlink", entry, senscritique_id="7001")
    assert link_ids(entry) == set()
    assert coordinator.state.unlinked == {("7001", DARK_PLEX.key)}
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == set()
    # Linked again by hand, the series brings its episode back.
    await link(hass, entry, "7001", DARK_PLEX.key)
    await coordinator.async_run_now(SyncRequest())
    assert link_ids(entry) == {f"7001|{DARK_PLEX.key}", f"7003|{episode_plex.key}"}
