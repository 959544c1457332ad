"""Base entity: one service device per entry, unique ids from entry id + key."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import PlexSyncCoordinator


class PlexSyncEntity(CoordinatorEntity[PlexSyncCoordinator]):
    """Common base of PlexSync entities."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: PlexSyncCoordinator, key: str) -> None:
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = DeviceInfo(
            entry_type=DeviceEntryType.SERVICE,
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer="PlexSync",
            model="Plex ↔ SensCritique sync",
        )
