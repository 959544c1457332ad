"""Sensor platform: every entity's registry entry and state after a sync
(snapshots), and which sensors start disabled."""

from __future__ import annotations

from collections.abc import Generator
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.model import Feature, Side
from custom_components.plexsync.options import default_options
from custom_components.plexsync.summary import count_key

from .fakes import PLEX_ACCOUNT, SC_USER, FakeWorld, entry_data
from .ha_entry import seed, setup

# Snapshots name entities by unique id, which holds the entry id: keep it fixed.
ENTRY_ID = "01JPLEXSYNCSNAPSHOTENTRY01"
SYNC_TIME = "2025-03-01T08:00:00+00:00"


@pytest.fixture(name="fixed_entry")
def fixed_entry_fixture() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        title="Plex ↔ SensCritique (cinephile)",
        unique_id=f"{PLEX_ACCOUNT.id}_{SC_USER.id}",
        data=entry_data(),
        options=default_options(read_only=False),
    )


@pytest.fixture(name="sensors_only")
def sensors_only_fixture() -> Generator[None]:
    """Load the sensor platform alone (snapshot_platform wants one domain)."""
    with patch("custom_components.plexsync.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.fixture(name="sync_time")
def sync_time_fixture(freezer: FrozenDateTimeFactory) -> None:
    """The run happens at a known time (the timestamp sensor shows it)."""
    freezer.move_to(SYNC_TIME)


@pytest.mark.usefixtures(
    "entity_registry_enabled_by_default", "sensors_only", "sync_time"
)
async def test_sensors_after_a_sync(
    hass: HomeAssistant,
    world: FakeWorld,
    fixed_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    seed(world)
    await setup(hass, fixed_entry)
    await snapshot_platform(hass, entity_registry, snapshot, fixed_entry.entry_id)


@pytest.mark.usefixtures("sensors_only")
async def test_per_side_counts_start_disabled(
    hass: HomeAssistant,
    world: FakeWorld,
    fixed_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    seed(world)
    await setup(hass, fixed_entry)
    entries = {
        e.unique_id.removeprefix(f"{ENTRY_ID}_"): e
        for e in er.async_entries_for_config_entry(entity_registry, ENTRY_ID)
    }
    counts = {count_key(feature, side) for feature in Feature for side in Side}
    assert len(counts) == 6
    assert set(entries) == counts | {
        "status",
        "last_run",
        "last_success",
        "linked",
        "pending",
        "unmatched",
        "held",
    }
    for key, registry_entry in entries.items():
        state = hass.states.get(registry_entry.entity_id)
        if key in counts:
            assert registry_entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
            assert state is None
        else:
            assert registry_entry.disabled_by is None
            assert state is not None
