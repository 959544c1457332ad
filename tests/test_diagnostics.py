"""Diagnostics: useful content, no secret in the output or in the logs."""

from __future__ import annotations

import json

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_dumps
from homeassistant.util.json import json_loads
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.plexsync.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Side

from .fakes import (
    HEAT_PLEX,
    HEAT_SC,
    PLEX_ACCOUNT,
    PLEX_TOKEN,
    SC_EMAIL,
    SC_PASSWORD,
    SC_USERNAME,
    FakeWorld,
)
from .ha_entry import seed, setup

SECRETS = (PLEX_TOKEN, SC_EMAIL, SC_PASSWORD)
# Not secrets, but they name the person: kept out of diagnostics only (Home
# Assistant itself logs an entry's title).
NAMES = (SC_USERNAME, PLEX_ACCOUNT.username)


async def test_diagnostics_are_redacted(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    hass_client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    await setup(hass, entry)
    world.senscritique.read_error = ServiceUnavailable(Side.SENSCRITIQUE, "502")
    await entry.runtime_data.coordinator.async_refresh()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    for secret in SECRETS:
        assert secret not in text
        assert secret not in caplog.text
    for name in NAMES:
        assert name not in text
    assert diagnostics["entry"]["title"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["senscritique_username"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["plex_token"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["senscritique_password"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["senscritique_email"] == "**REDACTED**"
    assert diagnostics["status"] == "error"
    assert diagnostics["state"]["links"] == 1
    assert diagnostics["state"]["links_by_provenance"] == {"search": 1}
    assert diagnostics["last_plan"]["ops"][0]["action"] == "add_watchlist"
    assert diagnostics["last_report"]["applied"] == {"senscritique.add_watchlist": 1}
    assert diagnostics["senscritique"]["read_only"] is False


async def test_diagnostics_snapshot(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The whole output after a sync with writes and an unmatched work.

    Called directly (the HTTP path is tested above) so the clock can stay
    frozen: the test client's access token is only valid at the real time.
    """
    freezer.move_to("2025-03-01T08:00:00+00:00")
    seed(world)
    await setup(hass, entry)
    diagnostics = json_loads(
        json_dumps(await async_get_config_entry_diagnostics(hass, entry))
    )
    text = json.dumps(diagnostics, ensure_ascii=False)
    for secret in (*SECRETS, *NAMES):
        assert secret not in text
    assert diagnostics == snapshot


async def test_a_username_in_a_server_message_is_redacted(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.senscritique.read_error = ServiceUnavailable(
        Side.SENSCRITIQUE, f"SensCritique failed: no library for {SC_USERNAME.upper()}"
    )
    await entry.runtime_data.coordinator.async_refresh()
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert "no library for **REDACTED**" in diagnostics["last_exception"]
    assert SC_USERNAME not in json.dumps(diagnostics).lower()
