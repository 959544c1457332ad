"""Fixtures of the Home Assistant tests.

Two ways to reach the services: fakes that replace the PlexClient and
SensCritiqueClient classes where the integration imports them (the client
boundary of interfaces.md, nothing inside the clients is patched), and the
real clients against the loopback simulators (tests/test_simulated.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator, Generator, Iterable
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.plexsync.const import (
    CONF_PREVIEW_ONLY,
    DOMAIN,
    ENV_PLEX_HOSTS,
    ENV_SENSCRITIQUE_URL,
)
from custom_components.plexsync.options import default_options

from .fakes import (
    PLEX_ACCOUNT,
    SC_USER,
    FakePlexClient,
    FakeSensCritiqueClient,
    FakeWorld,
    entry_data,
)
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/plexsync."""


# The test plugin turns on SQLAlchemy's statement log (INFO); the recorder's
# thread then prints every statement of the logbook tests into the output.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

_DEPRECATED = re.compile(r"\bdeprecated\b", re.IGNORECASE)


def ha_usage_reports(records: Iterable[logging.LogRecord]) -> list[str]:
    """Home Assistant's reports of a deprecated or incorrect use of its API.

    Home Assistant logs them (helpers/frame.py report_usage, helpers/
    deprecation.py) and raises no Python warning, so pytest's filterwarnings
    cannot see them; their wording is what both 2025.4 and 2026.2 log.
    """
    return [
        record.getMessage()
        for record in records
        if record.levelno >= logging.WARNING
        and (
            record.name == "homeassistant.helpers.frame"
            or _DEPRECATED.search(record.getMessage())
        )
    ]


@pytest.fixture(autouse=True)
def fail_on_ha_usage_reports(caplog: pytest.LogCaptureFixture) -> Generator[None]:
    """A test fails when Home Assistant reported a deprecated use during it:
    what is deprecated in one version breaks in a later one."""
    yield
    reports = ha_usage_reports(caplog.get_records("setup") + caplog.get_records("call"))
    assert not reports, f"Home Assistant reported a deprecated use: {reports}"


# The entity registry fields of Home Assistant 2025.4, our minimum, as its
# serializer writes them. Snapshots keep only these, so one snapshot holds on
# every version we test: fields added since (2026.2 added object_id_base and
# suggested_object_id) are left out; a field removed would still show.
REGISTRY_ENTRY_FIELDS = frozenset(
    {
        "aliases",
        "area_id",
        "capabilities",
        "config_entry_id",
        "config_subentry_id",
        "device_class",
        "device_id",
        "disabled_by",
        "domain",
        "entity_category",
        "entity_id",
        "has_entity_name",
        "hidden_by",
        "icon",
        "id",
        "labels",
        "name",
        "options",
        "original_device_class",
        "original_icon",
        "original_name",
        "platform",
        "previous_unique_id",
        "supported_features",
        "translation_key",
        "unique_id",
        "unit_of_measurement",
    }
)


class StableRegistrySerializer(HomeAssistantSnapshotSerializer):
    """Home Assistant's serializer, registry entries cut to REGISTRY_ENTRY_FIELDS."""

    @classmethod
    def _serializable_entity_registry_entry(cls, data: Any) -> Any:
        serialized = super()._serializable_entity_registry_entry(data)
        for name in set(serialized) - REGISTRY_ENTRY_FIELDS:
            del serialized[name]
        return serialized


class PlexSyncSnapshotExtension(HomeAssistantSnapshotExtension):
    """Stored in tests/snapshots/ as Home Assistant's own tests do."""

    serializer_class = StableRegistrySerializer


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Home Assistant's snapshots (ids and times as ANY), the same on every
    Home Assistant version we test."""
    return snapshot.use_extension(PlexSyncSnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, even those disabled by default (as in
    Home Assistant's own tests/conftest.py)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture(name="world")
def world_fixture() -> Generator[FakeWorld]:
    """Fake services patched in at the client boundary."""
    world = FakeWorld()

    def plex_factory(
        token: str, *, hosts: Any = None, timeout: float = 20.0
    ) -> FakePlexClient:
        return FakePlexClient(world, token)

    def sc_factory(
        session: Any, *, url: str = "", politeness: Any = None
    ) -> FakeSensCritiqueClient:
        return FakeSensCritiqueClient(world)

    with (
        patch("custom_components.plexsync.clients.PlexClient", plex_factory),
        patch("custom_components.plexsync.clients.SensCritiqueClient", sc_factory),
    ):
        yield world


@pytest.fixture(name="entry")
def entry_fixture() -> MockConfigEntry:
    """A PlexSync entry (not added to hass yet)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Plex ↔ SensCritique (cinephile)",
        unique_id=f"{PLEX_ACCOUNT.id}_{SC_USER.id}",
        data=entry_data(),
        options=default_options(read_only=False),
    )


@pytest.fixture(name="preview_entry")
def preview_entry_fixture() -> MockConfigEntry:
    """A PlexSync entry in preview-only mode (not added to hass yet)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Plex ↔ SensCritique (cinephile)",
        unique_id=f"{PLEX_ACCOUNT.id}_{SC_USER.id}",
        data=entry_data(),
        options={**default_options(read_only=False), CONF_PREVIEW_ONLY: True},
    )


@pytest.fixture(name="plex_sim")
def plex_sim_fixture(
    monkeypatch: pytest.MonkeyPatch, socket_enabled: None
) -> Generator[PlexSimulator]:
    """The Plex simulator, with PlexSync's clients pointed at it."""
    with PlexSimulator() as sim:
        monkeypatch.setenv(ENV_PLEX_HOSTS, sim.hosts_json)
        yield sim


@pytest.fixture(name="sc_sim")
async def sc_sim_fixture(
    monkeypatch: pytest.MonkeyPatch, socket_enabled: None
) -> AsyncGenerator[SensCritiqueSimulator]:
    """The SensCritique simulator, with PlexSync's clients pointed at it."""
    async with SensCritiqueSimulator() as sim:
        monkeypatch.setenv(ENV_SENSCRITIQUE_URL, sim.url)
        yield sim
