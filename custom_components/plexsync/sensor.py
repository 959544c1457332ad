"""Sensors: sync status (with its reason), last run, last success, links,
pending, unmatched, held, and per feature the count on each side."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import MAX_UNMATCHED_LISTED
from .coordinator import PlexSyncConfigEntry, PlexSyncCoordinator
from .engine.model import Feature, Side
from .entity import PlexSyncEntity
from .status import SyncStatus
from .summary import count_key

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PlexSyncSensorDescription(SensorEntityDescription):
    """A sensor and how to read its value from the coordinator."""

    value_fn: Callable[[PlexSyncCoordinator], str | int | datetime | None]
    attributes_fn: Callable[[PlexSyncCoordinator], Mapping[str, Any]] | None = None
    always_available: bool = False


def _status_attributes(coordinator: PlexSyncCoordinator) -> Mapping[str, Any]:
    return coordinator.assessment().attributes()


def _last_run_attributes(coordinator: PlexSyncCoordinator) -> Mapping[str, Any]:
    if coordinator.last_run is None:
        return {}
    return coordinator.last_run.attributes(coordinator.next_run_interval)


def _unmatched_attributes(coordinator: PlexSyncCoordinator) -> Mapping[str, Any]:
    listed = coordinator.data.unmatched[:MAX_UNMATCHED_LISTED]
    return {"works": [u.as_dict() for u in listed]}


def _held_attributes(coordinator: PlexSyncCoordinator) -> Mapping[str, Any]:
    return {
        "removals": [
            {"side": op.side.value, "action": op.action.value, "reason": op.reason}
            for op in coordinator.data.held[:50]
        ]
    }


def _count(key: str) -> Callable[[PlexSyncCoordinator], int | None]:
    return lambda coordinator: coordinator.data.counts.get(key)


SENSORS: tuple[PlexSyncSensorDescription, ...] = (
    PlexSyncSensorDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=[s.value for s in SyncStatus],
        value_fn=lambda c: c.assessment().status.value,
        attributes_fn=_status_attributes,
        always_available=True,
    ),
    PlexSyncSensorDescription(
        key="last_run",
        translation_key="last_run",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda c: c.last_run.ended if c.last_run else None,
        attributes_fn=_last_run_attributes,
        always_available=True,
    ),
    PlexSyncSensorDescription(
        key="last_success",
        translation_key="last_success",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda c: c.last_success,
        always_available=True,
    ),
    PlexSyncSensorDescription(
        key="linked",
        translation_key="linked",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda c: c.data.linked,
    ),
    PlexSyncSensorDescription(
        key="pending",
        translation_key="pending",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c: c.data.pending,
    ),
    PlexSyncSensorDescription(
        key="unmatched",
        translation_key="unmatched",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c: c.data.unmatched_count,
        attributes_fn=_unmatched_attributes,
    ),
    PlexSyncSensorDescription(
        key="held",
        translation_key="held",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda c: len(c.data.held),
        attributes_fn=_held_attributes,
    ),
    # Six per-side counts: detail most dashboards do without, so they start
    # disabled and the entity list stays short.
    *(
        PlexSyncSensorDescription(
            key=count_key(feature, side),
            translation_key=count_key(feature, side),
            state_class=SensorStateClass.MEASUREMENT,
            entity_registry_enabled_default=False,
            value_fn=_count(count_key(feature, side)),
        )
        for feature in Feature
        for side in Side
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexSyncConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of one entry."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        PlexSyncSensor(coordinator, description) for description in SENSORS
    )


class PlexSyncSensor(PlexSyncEntity, SensorEntity):
    """A sensor over the coordinator's summary."""

    entity_description: PlexSyncSensorDescription

    def __init__(
        self, coordinator: PlexSyncCoordinator, description: PlexSyncSensorDescription
    ) -> None:
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def available(self) -> bool:
        """Status and last success stay readable while a sync is failing."""
        return self.entity_description.always_available or super().available

    @property
    def native_value(self) -> str | int | datetime | None:
        return self.entity_description.value_fn(self.coordinator)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator)
