"""The entry's webhook URL on plex.tv (registration.py), through plexapi
against the simulator's /api/v2/user/webhooks."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from custom_components.plexsync.const import CONF_PLEX_WEBHOOK, CONF_WEBHOOK_ID, DOMAIN
from custom_components.plexsync.diagnostics import async_get_config_entry_diagnostics

from .instant_world import async_setup_linked
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator

INTERNAL = "http://192.168.1.50:8123"
OTHER = "https://tautulli.example.org/hook"


async def _with_url(hass: HomeAssistant) -> None:
    await async_process_ha_core_config(hass, {"internal_url": INTERNAL})


async def _registration(hass: HomeAssistant, entry: Any) -> Any:
    return (await async_get_config_entry_diagnostics(hass, entry))["webhook"][
        "registration_on_plex"
    ]


async def test_registered_at_set_up_and_removed_at_unload(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    await _with_url(hass)
    plex_sim.webhooks = [OTHER]  # another tool's webhook stays untouched
    entry, _ = await async_setup_linked(hass, plex_sim, sc_sim)
    url = f"{INTERNAL}/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"
    assert plex_sim.webhooks == [OTHER, url]
    assert await _registration(hass, entry) == "registered"
    # A reload (an options change) leaves one registration, not two.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert plex_sim.webhooks == [OTHER, url]
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert plex_sim.webhooks == [OTHER]


async def test_without_plex_pass_nothing_is_registered(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    await _with_url(hass)
    plex_sim.plex_pass = False
    entry, _ = await async_setup_linked(hass, plex_sim, sc_sim)
    assert plex_sim.webhooks == []
    assert await _registration(hass, entry) == "no_plex_pass"


async def test_turned_off_in_the_options(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    await _with_url(hass)
    entry, _ = await async_setup_linked(
        hass, plex_sim, sc_sim, **{CONF_PLEX_WEBHOOK: False}
    )
    assert plex_sim.webhooks == []
    assert await _registration(hass, entry) == "off"


async def test_no_url_raises_a_repair(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> None:
    # No URL configured, and no address of Home Assistant's own to fall back on.
    assert await async_setup_component(hass, "webhook", {})
    hass.config.api = None
    entry, _ = await async_setup_linked(hass, plex_sim, sc_sim)
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"webhook_no_url_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders == {"entry": entry.title}
    assert plex_sim.webhooks == []
    # A URL set since: the next set-up registers and the repair goes.
    await _with_url(hass)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len(plex_sim.webhooks) == 1
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, f"webhook_no_url_{entry.entry_id}")
        is None
    )
