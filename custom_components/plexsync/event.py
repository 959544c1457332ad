"""The event entity "Activity": what PlexSync tells automations, as UI triggers.

It mirrors the bus events of its entry: ``plexsync_rating_requested`` (a
work watched on Plex and rated on neither side), ``plexsync_watchlist_available``
(a work on a watchlist arrived in the Plex library) and ``plexsync_change``
(each write made), with their data as the event's attributes.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import EVENT_CHANGE, EVENT_RATING_REQUESTED, EVENT_WATCHLIST_AVAILABLE
from .coordinator import PlexSyncConfigEntry
from .entity import PlexSyncEntity

PARALLEL_UPDATES = 0

EVENT_TYPES = {
    EVENT_RATING_REQUESTED: "rating_requested",
    EVENT_WATCHLIST_AVAILABLE: "watchlist_available",
    EVENT_CHANGE: "change",
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexSyncConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entity of one entry."""
    async_add_entities([PlexSyncActivity(entry.runtime_data.coordinator, "activity")])


class PlexSyncActivity(PlexSyncEntity, EventEntity):
    """Fires when its entry asks for a rating, finds a watchlisted work on
    Plex, or writes a change."""

    _attr_translation_key = "activity"
    _attr_event_types = list(EVENT_TYPES.values())

    @property
    def available(self) -> bool:
        """Events come whether or not the last sync succeeded."""
        return True

    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        for bus_event in EVENT_TYPES:
            self.async_on_remove(self.hass.bus.async_listen(bus_event, self._handle))

    @callback
    def _handle(self, event: Event[dict[str, Any]]) -> None:
        if event.data.get("entry_id") != self.coordinator.config_entry.entry_id:
            return
        attributes = {k: v for k, v in event.data.items() if k != "entry_id"}
        self._trigger_event(EVENT_TYPES[str(event.event_type)], attributes)
        self.async_write_ha_state()
