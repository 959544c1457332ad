"""Button "Sync now"."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import PlexSyncConfigEntry
from .entity import PlexSyncEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexSyncConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the button of one entry."""
    async_add_entities([PlexSyncNowButton(entry.runtime_data.coordinator, "sync")])


class PlexSyncNowButton(PlexSyncEntity, ButtonEntity):
    """Starts a sync (joins the running one's follow-up if one is running)."""

    _attr_translation_key = "sync"

    @property
    def available(self) -> bool:
        """A failed sync must still be retriable from the button."""
        return True

    async def async_press(self) -> None:
        await self.coordinator.async_request_refresh()
