"""An entry can name the Home Assistant person it syncs: the options take a
person entity, and every event of the entry names it, so an automation can
notify that person's phone (issue 20, item 4)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.selector import EntitySelector
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import (
    CONF_PERSON,
    EVENT_CHANGE,
    EVENT_SYNC_FINISHED,
)
from custom_components.plexsync.options import default_options

from .fakes import HEAT_PLEX, HEAT_SC, FakeWorld
from .ha_entry import collect, setup


async def test_the_options_name_a_person_and_can_forget_them(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    field = next(k for k in result["data_schema"].schema if k == CONF_PERSON)
    assert isinstance(result["data_schema"].schema[field], EntitySelector)
    chosen = {**default_options(read_only=False), CONF_PERSON: "person.anna"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], chosen
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_PERSON] == "person.anna"
    # Cleared in the form, the field is left out: the entry names nobody.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], default_options(read_only=False)
    )
    await hass.async_block_till_done()
    assert CONF_PERSON not in entry.options


async def test_every_event_of_the_entry_names_its_person(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    entry = MockConfigEntry(
        domain=entry.domain,
        title=entry.title,
        unique_id=entry.unique_id,
        data=dict(entry.data),
        options={**default_options(read_only=False), CONF_PERSON: "person.anna"},
        version=entry.version,
        minor_version=entry.minor_version,
    )
    world.plex.add(HEAT_PLEX, rating=9)
    world.senscritique.add(HEAT_SC)
    changes = collect(hass, EVENT_CHANGE)
    finished = collect(hass, EVENT_SYNC_FINISHED)
    await setup(hass, entry)
    assert changes, "the first sync wrote Heat's rating"
    assert {event.data["person"] for event in changes} == {"person.anna"}
    assert finished[-1].data["person"] == "person.anna"
    assert finished[-1].data["entry_id"] == entry.entry_id


async def test_an_entry_naming_nobody_says_so(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    finished = collect(hass, EVENT_SYNC_FINISHED)
    await setup(hass, entry)
    assert finished[-1].data["person"] is None
