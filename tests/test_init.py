"""Set-up, retry, reauth at start, unload and removal of an entry."""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import (
    CONF_PLEX_USER_ID,
    CONF_PLEX_USER_NAME,
    CONF_SC_USERNAME,
    DOMAIN,
)
from custom_components.plexsync.engine.codec import state_to_json
from custom_components.plexsync.engine.errors import AuthError, ServiceUnavailable
from custom_components.plexsync.engine.model import (
    Kind,
    Link,
    Provenance,
    Side,
    SyncState,
)
from custom_components.plexsync.options import default_options

from .fakes import (
    HEAT_PLEX,
    HEAT_SC,
    PLEX_ACCOUNT,
    SC_USER,
    FakeWorld,
    entry_data,
)


async def test_setup_and_unload(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # The first refresh ran a real sync: the wish reached SensCritique.
    assert "1001" in world.senscritique.watchlist
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert world.closed >= 1


async def test_setup_retries_while_a_service_is_down(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.senscritique.read_error = ServiceUnavailable(Side.SENSCRITIQUE, "502")
    world.plex.add(HEAT_PLEX, wish=True)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert world.senscritique.applied == []
    assert world.plex.applied == []
    world.senscritique.read_error = None
    await hass.config_entries.async_reload(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED


async def test_sign_in_down_at_setup_retries(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex_error = ServiceUnavailable(Side.PLEX, "timeout")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_refused_sign_in_starts_reauth(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.sc_error = AuthError(Side.SENSCRITIQUE, "refused")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_remove_entry_deletes_the_stored_state(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    key = f"{DOMAIN}.{entry.entry_id}"
    assert hass_storage[key]["data"]["state"]["links"]
    assert hass_storage[f"{key}.undo"]["data"]["kind"] == "sync"  # Heat's wish
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
    assert f"{key}.undo" not in hass_storage


async def test_unreadable_state_stops_setup_and_keeps_the_file(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    key = f"{DOMAIN}.{entry.entry_id}"
    stored = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {"state": {"version": 99}},
    }
    hass_storage[key] = stored
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert hass_storage[key]["data"] == {"state": {"version": 99}}


@pytest.mark.parametrize(
    ("installed", "placeholders"),
    [
        ("4.14.0", {"installed": "4.14.0", "required": "4.15.16"}),
        # What Home Assistant's own Plex integration pins: both coexist.
        ("4.15.16", None),
    ],
)
async def test_plexapi_older_than_the_oldest_tested_raises_a_repair_issue(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    installed: str,
    placeholders: dict[str, str] | None,
) -> None:
    entry.add_to_hass(hass)
    with patch("custom_components.plexsync.issues.version", return_value=installed):
        await hass.config_entries.async_setup(entry.entry_id)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "plexapi_outdated")
    assert (issue and issue.translation_placeholders) == placeholders


async def test_older_store_envelope_is_migrated(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    key = f"{DOMAIN}.{entry.entry_id}"
    manual = Link("1001", HEAT_PLEX.key, Kind.MOVIE, Provenance.MANUAL)
    hass_storage[key] = {
        "version": 1,
        "minor_version": 0,
        "key": key,
        "data": {"state": state_to_json(SyncState(links={manual.id: manual}))},
    }
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator.state.links  # the manual link survived
    assert hass_storage[key]["minor_version"] == 1
    assert "last_plan" in hass_storage[key]["data"]


async def test_dev_wiring_reads_the_environment(monkeypatch) -> None:
    from custom_components.plexsync import clients

    monkeypatch.delenv("PLEXSYNC_PLEX_HOSTS", raising=False)
    monkeypatch.delenv("PLEXSYNC_SENSCRITIQUE_URL", raising=False)
    assert clients.plex_hosts() is None
    assert clients.senscritique_url() == "https://apollo.senscritique.com/"
    monkeypatch.setenv(
        "PLEXSYNC_PLEX_HOSTS", '{"https://plex.tv": "http://127.0.0.1:1"}'
    )
    monkeypatch.setenv("PLEXSYNC_SENSCRITIQUE_URL", "http://127.0.0.1:2/")
    assert clients.plex_hosts() is not None
    assert clients.senscritique_url() == "http://127.0.0.1:2/"


async def test_searches_are_bounded_and_failures_do_not_stop_the_sync(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    from custom_components.plexsync.engine.matching import SEARCH_REQUESTS_PER_RUN

    from .fakes import movie

    for n in range(SEARCH_REQUESTS_PER_RUN + 5):
        world.senscritique.add(movie(str(9000 + n), f"Only here {n}", 1950), wish=True)
    calls = 0
    original = world.plex.search

    def counting(title, kind, year):
        nonlocal calls
        calls += 1
        return original(title, kind, year)

    world.plex.search = counting
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert calls == SEARCH_REQUESTS_PER_RUN
    world.plex.search = original
    world.plex.search_error = ServiceUnavailable(Side.PLEX, "down")
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    await entry.runtime_data.coordinator.async_refresh()
    assert entry.runtime_data.coordinator.last_update_success
    assert len(entry.runtime_data.coordinator.state.misses) == SEARCH_REQUESTS_PER_RUN


async def test_a_dry_run_searches_within_its_smaller_budget(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """The set-up's preview is a dry run with a time limit: it searches at
    most DRY_RUN_SEARCH_REQUESTS times, and keeps nothing it found."""
    from dataclasses import replace

    from custom_components.plexsync.linking import DRY_RUN_SEARCH_REQUESTS
    from custom_components.plexsync.pipeline import SyncRequest

    from .fakes import movie

    for n in range(DRY_RUN_SEARCH_REQUESTS + 5):
        world.senscritique.add(movie(str(9000 + n), f"Only here {n}", 1950), wish=True)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    coordinator = entry.runtime_data.coordinator
    coordinator.pipeline.state = replace(coordinator.state, misses={})
    calls = 0
    original = world.plex.search

    def counting(title, kind, year):
        nonlocal calls
        calls += 1
        return original(title, kind, year)

    world.plex.search = counting
    await coordinator.async_run_now(SyncRequest(dry_run=True))
    assert calls == DRY_RUN_SEARCH_REQUESTS
    assert coordinator.state.misses == {}


async def test_missing_plexapi_metadata_is_not_an_issue(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    from importlib.metadata import PackageNotFoundError

    entry.add_to_hass(hass)
    with patch(
        "custom_components.plexsync.issues.version", side_effect=PackageNotFoundError
    ):
        await hass.config_entries.async_setup(entry.entry_id)
    assert ir.async_get(hass).async_get_issue(DOMAIN, "plexapi_outdated") is None


async def test_server_gone_from_the_account_is_an_error_not_a_reauth(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: a server missing from the account (NotFound)
    started a reauth flow, which cannot bring it back."""
    world.servers = []
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.reason is not None
    assert "Living room" in entry.reason
    assert "Reconfigure" in entry.reason
    assert hass.config_entries.flow.async_progress() == []


async def test_unknown_senscritique_username_asks_for_the_new_one(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    from custom_components.plexsync.const import (
        CONF_SC_EMAIL,
        CONF_SC_MODE,
        CONF_SC_PASSWORD,
        SC_MODE_READ_ONLY,
    )

    from .fakes import entry_data

    data = entry_data(**{CONF_SC_MODE: SC_MODE_READ_ONLY})
    data.pop(CONF_SC_EMAIL)
    data.pop(CONF_SC_PASSWORD)
    entry = MockConfigEntry(
        domain=DOMAIN, data=data, options=default_options(read_only=True)
    )
    world.sc_user = replace(world.sc_user, username="renamed")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert "cinephile" in (entry.reason or "")
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_remove_entry_deletes_its_repair_issues_only(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Fails before the fix: a removed entry's issues stayed in Repairs."""
    from .fakes import PLEX_ACCOUNT, SC_USER, entry_data, movie

    world.senscritique.add(movie("9001", "Only on SensCritique", 1961), wish=True)
    other = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{PLEX_ACCOUNT.id}_{SC_USER.id}_other",
        data=entry_data(),
        options=entry.options,
    )
    for each in (entry, other):
        each.add_to_hass(hass)
        await hass.config_entries.async_setup(each.entry_id)
        await hass.async_block_till_done()
    registry = ir.async_get(hass)

    def issues_of(entry_id: str) -> list[str]:
        return [i for d, i in registry.issues if d == DOMAIN and entry_id in i]

    assert issues_of(entry.entry_id) == [f"unmatched_{entry.entry_id}"]
    assert issues_of(other.entry_id) == [f"unmatched_{other.entry_id}"]
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert issues_of(entry.entry_id) == []
    assert issues_of(other.entry_id) == [f"unmatched_{other.entry_id}"]


async def test_entry_of_a_newer_version_is_left_alone(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Made by a newer PlexSync",
        data=entry_data(),
        options=default_options(read_only=False),
        version=2,
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.data == entry_data()


async def test_entries_of_1_1_are_migrated(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    old = MockConfigEntry(
        domain=DOMAIN,
        title="Plex ↔ SensCritique (cinephile)",
        unique_id=f"{PLEX_ACCOUNT.id}_{SC_USER.id}",
        data=entry_data(),
        options=default_options(read_only=False),
        minor_version=1,
    )
    renamed = MockConfigEntry(
        domain=DOMAIN,
        title="Films of the living room",
        unique_id="1_2",
        data=entry_data(
            plex_account_id=1, plex_username="other", senscritique_user_id=2
        ),
        options=default_options(read_only=False),
        minor_version=1,
    )
    for entry in (old, renamed):
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert old.minor_version == 2
    assert old.title == "Plex: plexfan ↔ SensCritique: cinephile"
    assert old.data[CONF_PLEX_USER_ID] == PLEX_ACCOUNT.id
    assert old.data[CONF_PLEX_USER_NAME] == "plexfan"
    assert old.unique_id == f"{PLEX_ACCOUNT.id}_{SC_USER.id}"
    # A title the user chose stays; the data is migrated all the same.
    assert renamed.title == "Films of the living room"
    assert (renamed.data[CONF_PLEX_USER_ID], renamed.data[CONF_SC_USERNAME]) == (
        1,
        "cinephile",
    )
    assert old.state is ConfigEntryState.LOADED
