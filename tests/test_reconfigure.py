"""Reconfigure: another Plex server, or SensCritique with the account or
read only, always for the same two people."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import (
    CONF_PLEX_SERVER_ID,
    CONF_SC_EMAIL,
    CONF_SC_MODE,
    CONF_SC_PASSWORD,
    CONF_SC_USERNAME,
    SC_MODE_ACCOUNT,
    SC_MODE_READ_ONLY,
)
from custom_components.plexsync.engine.errors import AuthError
from custom_components.plexsync.engine.model import Side
from custom_components.plexsync.plex.client import PlexServerInfo
from custom_components.plexsync.senscritique.client import SensCritiqueUser

from .fakes import (
    SC_EMAIL,
    SC_PASSWORD,
    SC_USERNAME,
    FakeWorld,
    read_only_entry,
)
from .ha_entry import setup


async def _choose(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> dict:
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.MENU
    assert step in result["menu_options"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def test_reconfigure_picks_another_server(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.servers.append(PlexServerInfo(id="srv2", name="Attic"))
    await setup(hass, entry)
    result = await _choose(hass, entry, "reconfigure_server")
    assert result["step_id"] == "reconfigure_server"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_SERVER_ID: "srv2"}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_PLEX_SERVER_ID] == "srv2"
    assert entry.data["plex_server_name"] == "Attic"


@pytest.mark.parametrize(
    ("change", "reason"),
    [("no_servers", "no_servers"), ("refused", "invalid_auth")],
)
async def test_reconfigure_server_aborts(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    change: str,
    reason: str,
) -> None:
    await setup(hass, entry)
    if change == "no_servers":
        world.servers.clear()
    else:
        world.plex_error = AuthError(Side.PLEX, "no")
    result = await _choose(hass, entry, "reconfigure_server")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


async def test_account_to_read_only_forgets_the_password(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    assert entry.data[CONF_SC_PASSWORD] == SC_PASSWORD
    result = await _choose(hass, entry, "reconfigure_senscritique_read_only")
    assert result["step_id"] == "reconfigure_senscritique_read_only"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_USERNAME: "nobody_here"}
    )
    assert result["errors"]  # an unknown member is an error on the form
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_USERNAME: SC_USERNAME}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_SC_MODE] == SC_MODE_READ_ONLY
    assert CONF_SC_PASSWORD not in entry.data
    assert CONF_SC_EMAIL not in entry.data
    assert entry.runtime_data.coordinator.read_only  # reloaded read-only


async def test_read_only_to_account_with_new_credentials(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    entry = read_only_entry()
    await setup(hass, entry)
    world.sc_password = "a-new-password"
    result = await _choose(hass, entry, "reconfigure_senscritique_account")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: SC_PASSWORD}
    )
    assert result["errors"] == {CONF_SC_PASSWORD: "senscritique_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: "a-new-password"}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_SC_MODE] == SC_MODE_ACCOUNT
    assert entry.data[CONF_SC_PASSWORD] == "a-new-password"
    assert not entry.runtime_data.coordinator.read_only


async def test_another_senscritique_member_is_refused(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.sc_user = SensCritiqueUser(id=1, username="someone_else")
    result = await _choose(hass, entry, "reconfigure_senscritique_account")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: SC_PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_SC_MODE] == SC_MODE_ACCOUNT
