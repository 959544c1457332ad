"""A loaded entry on both simulators with two linked films (the webhook and
action tests)."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.options import default_options

from .simulated_entry import simulated_entry_data
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator

EMAIL = "member@example.org"
PASSWORD = "simulated-password-1"
USERNAME = "cinephile"
NOW = 1_750_000_000


@pytest.fixture(name="linked")
async def linked_fixture(
    hass: HomeAssistant, plex_sim: PlexSimulator, sc_sim: SensCritiqueSimulator
) -> tuple[MockConfigEntry, dict[str, Any]]:
    """See `async_setup_linked`."""
    return await async_setup_linked(hass, plex_sim, sc_sim)


async def async_setup_linked(
    hass: HomeAssistant,
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    **options: Any,
) -> tuple[MockConfigEntry, dict[str, Any]]:
    """Heat and Alien in the Plex library and on SensCritique, linked by the
    first sync: Heat seen on both sides, Alien on both watchlists; neither
    rated."""
    sc_sim.state.add_user(USERNAME, EMAIL, PASSWORD)
    keys: dict[str, Any] = {
        "sc_heat": sc_sim.state.add_movie("Heat", 1995),
        "sc_alien": sc_sim.state.add_movie("Alien", 1979),
        "heat": plex_sim.add_movie("Heat", 1995, viewed_at=NOW - 86_400),
        "alien": plex_sim.add_movie("Alien", 1979, watchlisted_at=NOW),
    }
    sc_sim.state.set_mark(USERNAME, keys["sc_heat"], done=True)
    sc_sim.state.set_mark(USERNAME, keys["sc_alien"], wished=True)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Plex ↔ SensCritique",
        data=simulated_entry_data(plex_sim, sc_sim, USERNAME, EMAIL, PASSWORD),
        options={**default_options(read_only=False), **options},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED, entry.reason
    assert entry.runtime_data.coordinator.data.linked >= 2
    return entry, keys
