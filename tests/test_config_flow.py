"""Every step, error and abort of the config, reauth, reconfigure and options flows."""

from __future__ import annotations

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import (
    CONF_GUARD_MIN,
    CONF_GUARD_PERCENT,
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_TOKEN,
    CONF_PREVIEW_ONLY,
    CONF_SC_EMAIL,
    CONF_SC_MODE,
    CONF_SC_PASSWORD,
    CONF_SC_USERNAME,
    CONF_SYNC_INTERVAL,
    DOMAIN,
    SC_MODE_READ_ONLY,
    conf_direction,
    conf_enabled,
    conf_removals,
)
from custom_components.plexsync.engine.errors import (
    AuthError,
    MalformedResponse,
    ServiceUnavailable,
)
from custom_components.plexsync.engine.model import Feature, Side
from custom_components.plexsync.options import default_options
from custom_components.plexsync.plex.client import PlexAccountInfo, PlexServerInfo
from custom_components.plexsync.senscritique.client import SensCritiqueUser

from .fakes import (
    PLEX_TOKEN,
    SC_EMAIL,
    SC_PASSWORD,
    SC_USERNAME,
    FakeWorld,
    read_only_entry,
)
from .flow_steps import finish_first_sync
from .ha_entry import setup

ACCOUNT_INPUT = {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: SC_PASSWORD}


async def _start(hass: HomeAssistant) -> dict:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )


async def test_full_flow_with_server_choice(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    world.servers.append(PlexServerInfo(id="srv2", name="Attic"))
    result = await _start(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert "token_url" in result["description_placeholders"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: f"  {PLEX_TOKEN} "}
    )
    assert result["step_id"] == "server"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_SERVER_ID: "srv2"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["senscritique_account", "senscritique_read_only"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    assert result["step_id"] == "senscritique_account"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ACCOUNT_INPUT
    )
    result = await finish_first_sync(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "4242_777"
    data = result["data"]
    assert data[CONF_PLEX_TOKEN] == PLEX_TOKEN
    assert data[CONF_PLEX_SERVER_ID] == "srv2"
    assert data["plex_server_name"] == "Attic"
    assert data[CONF_SC_EMAIL] == SC_EMAIL
    assert result["options"] == default_options(read_only=False)
    assert result["options"][conf_removals(Feature.WATCHLIST)] is True
    assert result["options"][conf_removals(Feature.RATINGS)] is False
    assert result["options"][CONF_SYNC_INTERVAL] == 360


async def test_read_only_flow_without_servers(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    world.servers.clear()
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_read_only"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_USERNAME: "nobody"}
    )
    assert result["errors"] == {CONF_SC_USERNAME: "user_not_found"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_USERNAME: SC_USERNAME}
    )
    result = await finish_first_sync(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_SC_MODE] == SC_MODE_READ_ONLY
    assert result["data"][CONF_PLEX_SERVER_ID] is None
    assert CONF_SC_PASSWORD not in result["data"]
    for feature in Feature:
        assert result["options"][conf_direction(feature)] == "senscritique_to_plex"


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (AuthError(Side.PLEX, "no"), {CONF_PLEX_TOKEN: "plex_token_refused"}),
        (ServiceUnavailable(Side.PLEX, "down"), {"base": "plex_unreachable"}),
        (RuntimeError("boom"), {"base": "unknown"}),
    ],
)
async def test_plex_errors_are_shown_in_the_form(
    hass: HomeAssistant, world: FakeWorld, error: Exception, shown: dict[str, str]
) -> None:
    world.plex_error = error
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == shown
    world.plex_error = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    assert result["type"] is FlowResultType.MENU


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (None, {CONF_SC_PASSWORD: "senscritique_refused"}),  # wrong password
        (
            ServiceUnavailable(Side.SENSCRITIQUE, "down"),
            {"base": "senscritique_unreachable"},
        ),
        (
            MalformedResponse(Side.SENSCRITIQUE, "odd"),
            {"base": "senscritique_unreachable"},
        ),
        (ValueError("boom"), {"base": "unknown"}),
    ],
)
async def test_senscritique_errors_are_shown_in_the_form(
    hass: HomeAssistant,
    world: FakeWorld,
    error: Exception | None,
    shown: dict[str, str],
) -> None:
    world.sc_error = error
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: "wrong"}
    )
    assert result["errors"] == shown
    world.sc_error = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ACCOUNT_INPUT
    )
    result = await finish_first_sync(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_same_pair_twice_aborts(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """As soon as the Plex account is known (test_config_flow_household.py
    has the other cases)."""
    entry.add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "plex_user_taken"
    assert result["description_placeholders"] == {"entry": entry.title}


async def test_reauth_plex(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reauth_plex"}
    )
    world.plex_token = "new-token"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    assert result["errors"] == {CONF_PLEX_TOKEN: "plex_token_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: "new-token"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PLEX_TOKEN] == "new-token"
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_plex_other_account_aborts(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reauth_plex"}
    )
    world.plex_account = PlexAccountInfo(id=1, uuid="x", username="other")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"


async def test_reauth_senscritique(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reauth_senscritique"}
    )
    assert result["step_id"] == "reauth_senscritique"
    world.sc_password = "changed-password"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ACCOUNT_INPUT
    )
    assert result["errors"] == {CONF_SC_PASSWORD: "senscritique_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: "changed-password"},
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_SC_PASSWORD] == "changed-password"


async def test_reauth_senscritique_read_only_other_user_aborts(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    entry = read_only_entry()
    await setup(hass, entry)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reauth_senscritique"}
    )
    world.sc_user = SensCritiqueUser(id=1, username="someone_else")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_USERNAME: "someone_else"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"


async def test_options_flow(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "init"
    new = default_options(read_only=False)
    new[conf_enabled(Feature.RATINGS)] = False
    new[conf_direction(Feature.WATCHED)] = "plex_to_senscritique"
    new[CONF_SYNC_INTERVAL] = 30.0
    new[CONF_GUARD_PERCENT] = 20.0
    new[CONF_GUARD_MIN] = 3.0
    new[CONF_PREVIEW_ONLY] = True
    result = await hass.config_entries.options.async_configure(result["flow_id"], new)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_SYNC_INTERVAL] == 30
    assert entry.options[conf_enabled(Feature.RATINGS)] is False
    assert entry.options[CONF_PREVIEW_ONLY] is True
    # The entry reloaded with the new schedule.
    assert entry.state is ConfigEntryState.LOADED
    coordinator = entry.runtime_data.coordinator
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 30 * 60


async def test_options_interval_below_minimum_is_refused(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    bad = {**default_options(read_only=False), CONF_SYNC_INTERVAL: 5}
    with pytest.raises(InvalidData, match="sync_interval"):
        await hass.config_entries.options.async_configure(result["flow_id"], bad)


async def test_options_read_only_forces_senscritique_to_plex(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    entry = read_only_entry()
    await setup(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], default_options(read_only=True)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    for feature in Feature:
        assert entry.options[conf_direction(feature)] == "senscritique_to_plex"
