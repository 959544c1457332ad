"""Plex PIN sign-in on plex.tv: the external step, its callback view, a token
that never comes, plex.tv faults, and reauth by PIN.

plexauth.PlexAuth is patched at its network methods, as Home Assistant's own
Plex tests do; the address it builds and everything after it is real.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any
from unittest.mock import AsyncMock, patch
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.http import current_request
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.plexsync.const import (
    CONF_PLEX_TOKEN,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    DOMAIN,
)
from custom_components.plexsync.plex.client import PlexAccountInfo

from .fakes import PLEX_TOKEN, SC_EMAIL, SC_PASSWORD, FakeWorld
from .flow_steps import finish_first_sync
from .ha_entry import setup

CALLBACK = "/auth/plexsync/callback"


@pytest.fixture(name="browser_request")
def browser_request_fixture() -> Generator[None]:
    """The flow is driven from a browser showing Home Assistant at
    https://example.com. Sets the request context variable itself, as Home
    Assistant's http server does: its own fixture patches the module each
    version reads it from, which moved after 2025.4."""
    request = make_mocked_request(
        "GET",
        "/",
        headers={"Host": "example.com", "HA-Frontend-Base": "https://example.com"},
    )
    token = current_request.set(request)
    yield
    current_request.reset(token)


@dataclass
class PlexTv:
    """The two plexauth calls that reach plex.tv."""

    initiate_auth: AsyncMock
    token: AsyncMock


@pytest.fixture(name="plex_tv")
def plex_tv_fixture() -> Generator[PlexTv]:
    with (
        patch("plexauth.PlexAuth.initiate_auth") as initiate_auth,
        patch("plexauth.PlexAuth.token", return_value=PLEX_TOKEN) as token,
    ):
        yield PlexTv(initiate_auth, token)


async def _pin_step(hass: HomeAssistant, handler: str = DOMAIN) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        handler, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"plex_pin": True}
    )


def _forward_url(auth_url: str) -> str:
    """The callback address plex.tv is told to send the browser back to."""
    assert auth_url.startswith("https://app.plex.tv/auth#!?")
    query = parse_qs(urlsplit(auth_url).fragment.removeprefix("!?"))
    assert query["clientID"][0]
    return query["forwardUrl"][0]


@pytest.mark.usefixtures("browser_request")
async def test_pin_sign_in_creates_the_entry(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv
) -> None:
    result = await _pin_step(hass)
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert result["step_id"] == "plex_pin"
    forward = _forward_url(result["url"])
    assert forward == f"https://example.com{CALLBACK}?flow_id={result['flow_id']}"
    plex_tv.initiate_auth.assert_awaited_once()
    plex_tv.token.assert_not_awaited()  # nothing is polled before the callback

    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.EXTERNAL_STEP_DONE
    plex_tv.token.assert_awaited_once_with(10)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    # The same checks as a pasted token: account, then its single server.
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "senscritique"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "senscritique_account"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SC_EMAIL: SC_EMAIL, CONF_SC_PASSWORD: SC_PASSWORD}
    )
    result = await finish_first_sync(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PLEX_TOKEN] == PLEX_TOKEN
    assert result["data"]["plex_server_id"] == "srv1"
    assert "plex_pin" not in result["data"]


@pytest.mark.usefixtures("browser_request")
async def test_callback_view_moves_the_flow_on(
    hass: HomeAssistant,
    world: FakeWorld,
    plex_tv: PlexTv,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    result = await _pin_step(hass)
    flow_id = result["flow_id"]
    client = await hass_client_no_auth()

    # Another id, or no id at all, moves nothing.
    for query in ("?flow_id=not-a-flow", ""):
        response = await client.get(f"{CALLBACK}{query}")
        assert response.status == 404
    plex_tv.token.assert_not_awaited()

    response = await client.get(
        urlsplit(_forward_url(result["url"])).path, params={"flow_id": flow_id}
    )
    assert response.status == 200
    assert "window.close()" in await response.text()
    assert hass.config_entries.flow.async_get(flow_id)["step_id"] == "plex_pin_done"
    plex_tv.token.assert_awaited_once()

    # The flow has left the PIN step: a second visit is refused.
    response = await client.get(CALLBACK, params={"flow_id": flow_id})
    assert response.status == 404
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["type"] is FlowResultType.MENU


@pytest.mark.usefixtures("browser_request")
async def test_callback_leaves_other_flows_alone(
    hass: HomeAssistant,
    world: FakeWorld,
    plex_tv: PlexTv,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await _pin_step(hass)  # registers the view
    waiting_at_the_form = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    client = await hass_client_no_auth()
    response = await client.get(
        CALLBACK, params={"flow_id": waiting_at_the_form["flow_id"]}
    )
    assert response.status == 404
    flow = hass.config_entries.flow.async_get(waiting_at_the_form["flow_id"])
    assert flow["step_id"] == "user"


@pytest.mark.usefixtures("browser_request")
async def test_abandoned_sign_in_offers_the_form_again(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv
) -> None:
    plex_tv.token.return_value = None  # plex.tv never saw the user approve
    result = await _pin_step(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.EXTERNAL_STEP_DONE
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "pin_timeout"}

    # A second try starts a new PIN; pasting a token still works as well.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"plex_pin": True}
    )
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert plex_tv.initiate_auth.await_count == 2


@pytest.mark.usefixtures("browser_request")
async def test_token_from_plex_tv_is_checked_like_a_pasted_one(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv
) -> None:
    world.plex_token = "only-this-token-works"
    result = await _pin_step(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PLEX_TOKEN: "only-this-token-works"}
    )
    assert result["type"] is FlowResultType.MENU


@pytest.mark.usefixtures("browser_request")
@pytest.mark.parametrize(
    "error", [aiohttp.ClientConnectionError("down"), KeyError("code"), TimeoutError()]
)
async def test_plex_tv_unreachable_at_the_start(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv, error: Exception
) -> None:
    plex_tv.initiate_auth.side_effect = error
    result = await _pin_step(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "plex_unreachable"}


@pytest.mark.usefixtures("browser_request")
async def test_plex_tv_unreachable_while_polling(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv
) -> None:
    plex_tv.token.side_effect = aiohttp.ClientConnectionError("down")
    result = await _pin_step(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.EXTERNAL_STEP_DONE
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["errors"] == {"base": "plex_unreachable"}


async def test_without_an_address_for_home_assistant(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv
) -> None:
    with patch(
        "custom_components.plexsync.plex_pin.get_url",
        side_effect=NoURLAvailableError,
    ):
        result = await _pin_step(hass)
    assert result["errors"] == {"base": "pin_unavailable"}
    plex_tv.initiate_auth.assert_not_awaited()


async def test_home_assistant_url_when_no_frontend_header(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv
) -> None:
    with patch(
        "custom_components.plexsync.plex_pin.get_url",
        return_value="http://homeassistant.local:8123",
    ):
        result = await _pin_step(hass)
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert _forward_url(result["url"]).startswith(
        f"http://homeassistant.local:8123{CALLBACK}?flow_id="
    )


async def test_empty_form_asks_for_a_token_or_the_pin(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    for empty in ({}, {CONF_PLEX_TOKEN: "  "}, {"plex_pin": False}):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], empty
        )
        assert result["errors"] == {"base": "token_required"}


async def _reauth_by_pin(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reauth_plex"}
    )
    assert result["step_id"] == "reauth_plex"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"plex_pin": True}
    )
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    return await hass.config_entries.flow.async_configure(result["flow_id"])


@pytest.mark.usefixtures("browser_request")
async def test_reauth_by_pin(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    plex_tv.token.return_value = world.plex_token = "renewed-by-pin"
    result = await _reauth_by_pin(hass, entry)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PLEX_TOKEN] == "renewed-by-pin"
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("browser_request")
async def test_reauth_by_pin_with_another_account(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex_account = PlexAccountInfo(id=1, uuid="x", username="other")
    result = await _reauth_by_pin(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_PLEX_TOKEN] == PLEX_TOKEN


@pytest.mark.usefixtures("browser_request")
async def test_reauth_pin_timeout_shows_the_reauth_form(
    hass: HomeAssistant, world: FakeWorld, plex_tv: PlexTv, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    plex_tv.token.return_value = None
    result = await _reauth_by_pin(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_plex"
    assert result["errors"] == {"base": "pin_timeout"}


async def test_rest_clients_posting_a_token_are_unaffected(
    hass: HomeAssistant, world: FakeWorld, hass_client: ClientSessionGenerator
) -> None:
    """The development scripts drive the flow over the REST API with a token."""
    assert await async_setup_component(hass, "config", {})
    # PlexSync depends on webhook, whose view must be in before the server
    # starts (a running Home Assistant sets dependencies up first too).
    assert await async_setup_component(hass, "webhook", {})
    client = await hass_client()
    response = await client.post(
        "/api/config/config_entries/flow", json={"handler": DOMAIN}
    )
    assert response.status == 200
    form = await response.json()
    assert form["step_id"] == "user"
    assert [field["name"] for field in form["data_schema"]] == [
        CONF_PLEX_TOKEN,
        "plex_pin",
    ]
    response = await client.post(
        f"/api/config/config_entries/flow/{form['flow_id']}",
        json={CONF_PLEX_TOKEN: PLEX_TOKEN},
    )
    assert response.status == 200
    menu = await response.json()
    assert menu["type"] == "menu"
    assert menu["step_id"] == "senscritique"
