"""One entry per person: the Plex Home user choice (and its PIN), the
one-person-one-pair aborts as soon as each side is known, titles naming both
sides, reauth and reconfigure keeping the chosen user (the 1.1 -> 1.2
migration is in test_init.py)."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USER_ID,
    CONF_PLEX_USER_NAME,
    CONF_PLEX_USERNAME,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    CONF_SC_USER_ID,
    DOMAIN,
)
from custom_components.plexsync.engine.errors import AuthError, ServiceUnavailable
from custom_components.plexsync.engine.model import Side
from custom_components.plexsync.flow_forms import CONF_HOME_PIN
from custom_components.plexsync.options import default_options
from custom_components.plexsync.plex.client import PlexServerInfo
from custom_components.plexsync.senscritique.client import SensCritiqueUser

from .fake_home import home_token
from .fakes import (
    PLEX_ACCOUNT,
    PLEX_TOKEN,
    SC_EMAIL,
    SC_PASSWORD,
    SC_USER,
    FakeWorld,
    entry_data,
)
from .flow_steps import finish_first_sync

ACCOUNT_INPUT = {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: SC_PASSWORD}
ANNA, BOB = 5001, 5002  # Home users: Anna (managed, no PIN), Bob (PIN 1234)


def _household(world: FakeWorld) -> None:
    world.home.add(ANNA, "Anna", managed=True)
    world.home.add(BOB, "Bob", pin="1234")


async def _signed_in(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
        )
    )


async def _senscritique(hass: HomeAssistant, result: dict[str, Any]) -> dict[str, Any]:
    assert result["type"] is FlowResultType.MENU, result
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    return dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], ACCOUNT_INPUT)
    )


def _options(result: dict[str, Any]) -> list[tuple[str, str]]:
    selector = result["data_schema"].schema[CONF_PLEX_USER_ID]
    return [(o["value"], o["label"]) for o in selector.config["options"]]


def _entry(hass: HomeAssistant, title: str, **data: Any) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=f"{data.get(CONF_PLEX_USER_ID, PLEX_ACCOUNT.id)}_{SC_USER.id}",
        data=entry_data(**data),
        options=default_options(read_only=False),
        minor_version=2,
    )
    entry.add_to_hass(hass)
    return entry


async def test_title_names_both_sides(hass: HomeAssistant, world: FakeWorld) -> None:
    result = await _senscritique(hass, await _signed_in(hass))
    result = await finish_first_sync(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Plex: plexfan ↔ SensCritique: cinephile"
    assert result["data"][CONF_PLEX_USER_ID] == PLEX_ACCOUNT.id
    assert result["data"][CONF_PLEX_USER_NAME] == "plexfan"
    assert result["result"].minor_version == 2


async def test_managed_home_user_syncs_with_their_own_token(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    _household(world)
    result = await _signed_in(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "plex_user"
    labels = [("account", "plexfan"), (str(ANNA), "Anna"), (str(BOB), "Bob")]
    assert _options(result) == labels
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: str(ANNA)}
    )
    result = await finish_first_sync(hass, await _senscritique(hass, result))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Plex: Anna ↔ SensCritique: cinephile"
    assert result["result"].unique_id == f"{ANNA}_{SC_USER.id}"
    data = result["data"]
    assert data[CONF_PLEX_TOKEN] == home_token(ANNA)
    assert (data[CONF_PLEX_USER_ID], data[CONF_PLEX_USER_NAME]) == (ANNA, "Anna")
    # Signed in as the Home's account: a reauth signs it in again.
    assert data[CONF_PLEX_ACCOUNT_ID] == PLEX_ACCOUNT.id
    assert data[CONF_PLEX_USERNAME] == "plexfan"


async def test_the_account_itself_among_home_users(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    _household(world)
    result = await _signed_in(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: "account"}
    )
    result = await finish_first_sync(hass, await _senscritique(hass, result))
    assert result["data"][CONF_PLEX_TOKEN] == PLEX_TOKEN
    assert result["data"][CONF_PLEX_USER_ID] == PLEX_ACCOUNT.id


async def test_pin_protected_home_user(hass: HomeAssistant, world: FakeWorld) -> None:
    _household(world)
    world.servers.append(PlexServerInfo(id="srv2", name="Attic"))
    result = await _signed_in(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: str(BOB)}
    )
    assert result["step_id"] == "plex_user_pin"
    assert result["description_placeholders"] == {"user": "Bob"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOME_PIN: "0000"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOME_PIN: "home_pin_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOME_PIN: " 1234 "}
    )
    assert result["step_id"] == "server"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_SERVER_ID: "srv2"}
    )
    result = await finish_first_sync(hass, await _senscritique(hass, result))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PLEX_TOKEN] == home_token(BOB)
    assert result["title"] == "Plex: Bob ↔ SensCritique: cinephile"
    assert CONF_HOME_PIN not in result["data"]


async def test_plex_user_of_an_entry_aborts_before_senscritique(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    _household(world)
    _entry(
        hass,
        "Plex: Anna ↔ SensCritique: anna_sc",
        **{
            CONF_PLEX_USER_ID: ANNA,
            CONF_PLEX_TOKEN: home_token(ANNA),
            CONF_SC_USER_ID: 9,
        },
    )
    result = await _signed_in(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: str(ANNA)}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "plex_user_taken"
    assert result["description_placeholders"] == {
        "entry": "Plex: Anna ↔ SensCritique: anna_sc"
    }


async def test_account_of_an_entry_aborts_right_after_sign_in(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    _entry(hass, "Plex: plexfan ↔ SensCritique: other", **{CONF_SC_USER_ID: 9})
    result = await _signed_in(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "plex_user_taken"
    assert result["description_placeholders"] == {
        "entry": "Plex: plexfan ↔ SensCritique: other"
    }


async def test_senscritique_user_of_an_entry_aborts(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    """The other ordering: the Plex identity is free, the SensCritique user
    is another entry's."""
    _household(world)
    _entry(hass, "Plex: plexfan ↔ SensCritique: cinephile")
    result = await _signed_in(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: str(ANNA)}
    )
    result = await _senscritique(hass, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "senscritique_user_taken"
    assert result["description_placeholders"] == {
        "entry": "Plex: plexfan ↔ SensCritique: cinephile"
    }


async def test_second_person_of_a_household(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    """The account's entry exists; its Home user with another SensCritique
    user is a second entry."""
    _household(world)
    _entry(hass, "Plex: plexfan ↔ SensCritique: cinephile")
    world.sc_user = SensCritiqueUser(id=888, username="anna_sc")
    result = await _signed_in(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: str(ANNA)}
    )
    result = await finish_first_sync(hass, await _senscritique(hass, result))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Plex: Anna ↔ SensCritique: anna_sc"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


@pytest.mark.parametrize(
    ("user", "error", "shown"),
    [
        (ANNA, ServiceUnavailable(Side.PLEX, "down"), {"reason": "cannot_connect"}),
        (ANNA, AuthError(Side.PLEX, "no"), {"reason": "invalid_auth"}),
        (BOB, ServiceUnavailable(Side.PLEX, "down"), {"base": "cannot_connect"}),
    ],
)
async def test_switch_failures(
    hass: HomeAssistant,
    world: FakeWorld,
    user: int,
    error: Exception,
    shown: dict[str, str],
) -> None:
    """A failed switch: said in the PIN form when there is one (the PIN can
    be typed again), else the flow ends with the reason."""
    _household(world)
    world.home.switch_error = error
    result = await _signed_in(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_USER_ID: str(user)}
    )
    if user == BOB:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_HOME_PIN: "1234"}
        )
        assert result["step_id"] == "plex_user_pin"
        assert result["errors"] == shown
    else:
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == shown["reason"]
    assert not hass.config_entries.async_entries(DOMAIN)


async def _reauth_plex(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reauth_plex"}
    )
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PLEX_TOKEN: PLEX_TOKEN}
        )
    )


async def test_reauth_switches_to_the_same_home_user(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    _household(world)
    entry = _entry(
        hass,
        "Plex: Bob ↔ SensCritique: cinephile",
        **{CONF_PLEX_USER_ID: BOB, CONF_PLEX_USER_NAME: "Bob"},
        **{CONF_PLEX_TOKEN: "expired"},
    )
    result = await _reauth_plex(hass, entry)
    assert result["step_id"] == "plex_user_pin"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOME_PIN: "1234"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PLEX_TOKEN] == home_token(BOB)
    assert entry.data[CONF_PLEX_USER_ID] == BOB
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_of_a_home_user_no_longer_in_the_home(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    entry = _entry(hass, "Plex: Anna ↔ SensCritique: cinephile", plex_user_id=ANNA)
    result = await _reauth_plex(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "home_user_gone"


async def test_reconfigure_keeps_the_home_user(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    _household(world)
    world.servers.append(PlexServerInfo(id="srv2", name="Attic"))
    entry = _entry(
        hass,
        "Plex: Anna ↔ SensCritique: cinephile",
        **{CONF_PLEX_USER_ID: ANNA, CONF_PLEX_TOKEN: home_token(ANNA)},
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reconfigure_server"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_SERVER_ID: "srv2"}
    )
    await hass.async_block_till_done()  # the reload it started
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_PLEX_SERVER_ID] == "srv2"
    assert entry.data[CONF_PLEX_USER_ID] == ANNA
    assert entry.data[CONF_PLEX_TOKEN] == home_token(ANNA)
