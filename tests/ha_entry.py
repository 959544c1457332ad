"""What the Home Assistant tests do with an entry: set it up, find its
entities and their states, collect the events it fires, seed the fake world
with the films most tests use."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN

from .fakes import ALIEN_PLEX, ALIEN_SC, HEAT_PLEX, HEAT_SC, T0, FakeWorld, movie


def entity_id(
    hass: HomeAssistant, entry: MockConfigEntry, platform: str, key: str
) -> str:
    found = er.async_get(hass).async_get_entity_id(
        platform, DOMAIN, f"{entry.entry_id}_{key}"
    )
    assert found is not None, key
    return found


def state(
    hass: HomeAssistant, entry: MockConfigEntry, key: str, platform: str = "sensor"
) -> Any:
    current = hass.states.get(entity_id(hass, entry, platform, key))
    assert current is not None
    return current


def collect(hass: HomeAssistant, event_type: str) -> list[Event]:
    events: list[Event] = []

    @callback
    def _append(event: Event) -> None:
        # A plain function would run in the executor, racing the assertions.
        events.append(event)

    hass.bus.async_listen(event_type, _append)
    return events


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def seed(world: FakeWorld) -> None:
    """Heat wished on Plex, rated on SensCritique; Alien watched on SensCritique;
    one film only SensCritique knows, with no Plex counterpart anywhere."""
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, rating=8)
    world.plex.catalogue[ALIEN_PLEX.key] = ALIEN_PLEX
    world.senscritique.add(ALIEN_SC, watched=T0)
    world.senscritique.add(movie("1003", "Les Tontons flingueurs", 1963), wish=True)
