"""Set-up, retry, reauth at start, unload and removal of an entry."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.errors import AuthError, ServiceUnavailable
from custom_components.plexsync.engine.model import Side

from .conftest import HEAT_PLEX, HEAT_SC, FakeWorld


async def test_setup_and_unload(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # The first refresh ran a real sync: the wish reached SensCritique.
    assert "1001" in world.senscritique.watchlist
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert world.closed >= 1


async def test_setup_retries_while_a_service_is_down(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.read_error = ServiceUnavailable(Side.SENSCRITIQUE, "502")
    world.plex.add(HEAT_PLEX, wish=True)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert world.senscritique.applied == []
    assert world.plex.applied == []
    world.senscritique.read_error = None
    await hass.config_entries.async_reload(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED


async def test_sign_in_down_at_setup_retries(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex_error = ServiceUnavailable(Side.PLEX, "timeout")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_refused_sign_in_starts_reauth(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.sc_error = AuthError(Side.SENSCRITIQUE, "refused")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_remove_entry_deletes_the_stored_state(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    key = f"{DOMAIN}.{entry.entry_id}"
    assert hass_storage[key]["data"]["state"]["links"]
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_unreadable_state_stops_setup_and_keeps_the_file(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    key = f"{DOMAIN}.{entry.entry_id}"
    stored = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {"state": {"version": 99}},
    }
    hass_storage[key] = stored
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert hass_storage[key]["data"] == {"state": {"version": 99}}


async def test_old_plexapi_raises_a_repair_issue(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    entry.add_to_hass(hass)
    with patch("custom_components.plexsync.issues.version", return_value="4.15.16"):
        await hass.config_entries.async_setup(entry.entry_id)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "plexapi_outdated")
    assert issue is not None
    assert issue.translation_placeholders == {
        "installed": "4.15.16",
        "required": "4.17.1",
    }
