"""Syncs through Home Assistant: entity states, events, faults, coalescing,
preview-only mode and saving after each write."""

from __future__ import annotations

import asyncio
from collections.abc import Collection

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import (
    CONF_PREVIEW_ONLY,
    DOMAIN,
    EVENT_SYNC_FAILED,
    EVENT_SYNC_FINISHED,
)
from custom_components.plexsync.engine.errors import (
    AuthError,
    NotFound,
    RateLimited,
    ServiceUnavailable,
)
from custom_components.plexsync.engine.model import Action, Side
from custom_components.plexsync.options import default_options
from custom_components.plexsync.pipeline import SyncRequest
from custom_components.plexsync.store import PlexSyncStore

from .fakes import (
    ALIEN_PLEX,
    HEAT_PLEX,
    HEAT_SC,
    FakeWorld,
    movie,
)
from .ha_entry import collect, entity_id, seed, setup, state


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entity_states_after_a_sync(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    finished = collect(hass, EVENT_SYNC_FINISHED)
    await setup(hass, entry)

    # Writes: Heat wished on SC, Heat rated 8 on Plex, Alien (found by a
    # search on Plex) marked watched on Plex.
    assert "1001" in world.senscritique.watchlist
    assert world.plex.ratings[HEAT_PLEX.key].value == 8
    assert ALIEN_PLEX.key in world.plex.watched

    # One work has no match: the run did all it could, and says so.
    status = state(hass, entry, "status")
    assert status.state == "attention"
    assert status.attributes["reason"] == "unmatched"
    assert status.attributes["reasons"] == ["unmatched"]
    assert status.attributes["unmatched"] == 1
    assert state(hass, entry, "last_success").state != "unknown"
    assert state(hass, entry, "linked").state == "2"
    unmatched = state(hass, entry, "unmatched")
    assert unmatched.state == "1"
    assert unmatched.attributes["works"] == [
        {
            "side": "senscritique",
            "key": "1003",
            "kind": "movie",
            "title": "Les Tontons flingueurs",
            "year": 1963,
        }
    ]
    assert state(hass, entry, "held").state == "0"
    assert state(hass, entry, "watchlist_plex").state == "1"
    # Counts are what each side held when the run read it (before its writes).
    assert state(hass, entry, "watchlist_senscritique").state == "1"
    assert state(hass, entry, "ratings_senscritique").state == "1"
    assert state(hass, entry, "watched_senscritique").state == "1"
    reg = er.async_get(hass)
    assert (
        reg.async_get(entity_id(hass, entry, "sensor", "pending")).entity_category
        == "diagnostic"
    )

    assert len(finished) == 1
    data = finished[0].data
    assert data["entry_id"] == entry.entry_id
    assert data["status"] == "attention"
    assert data["applied"] == {
        "senscritique.add_watchlist": 1,
        "plex.set_rating": 1,
        "plex.mark_watched": 1,
    }
    assert data["errors"] == []


async def test_second_run_writes_nothing_more(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    await setup(hass, entry)
    writes = len(world.plex.applied) + len(world.senscritique.applied)
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_run_now(SyncRequest())
    assert len(world.plex.applied) + len(world.senscritique.applied) == writes
    # The read was told which Plex works are linked (it asks no Discover
    # details for them).
    plex = entry.runtime_data.sides.plex
    assert plex.linked == {link.plex for link in coordinator.state.links.values()}
    assert plex.linked


async def test_pending_counts_the_writes_a_later_read_did_not_show(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """The run's own writes are not pending yet (no read could show them); a
    write the next read does not show (SensCritique's wish lag) is, until a
    read shows it. Plex's writes are confirmed: never pending."""
    seed(world)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    (wish,) = coordinator.state.pending  # of the run's three writes
    assert (wish.side, wish.action) == (Side.SENSCRITIQUE, Action.ADD_WATCHLIST)
    assert state(hass, entry, "pending").state == "0"

    lagging = world.senscritique.watchlist.pop("1001")  # Heat, wished by the sync
    await coordinator.async_run_now(SyncRequest())
    await hass.async_block_till_done()
    assert state(hass, entry, "pending").state == "1"
    assert "1001" not in world.senscritique.watchlist  # not written again

    world.senscritique.watchlist["1001"] = lagging
    await coordinator.async_run_now(SyncRequest())
    await hass.async_block_till_done()
    assert state(hass, entry, "pending").state == "0"
    assert coordinator.state.pending == ()


async def test_each_write_is_saved_at_once(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_storage
) -> None:
    """A restart mid-run loses nothing: the base holds every write made so far."""
    seed(world)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    world.plex.add(movie("plex://movie/ccc", "Ran", 1985), wish=True)
    world.senscritique.add(movie("2001", "Ran", 1985))
    world.plex.add(movie("plex://movie/ddd", "Ikiru", 1952), wish=True)
    world.senscritique.add(movie("2002", "Ikiru", 1952))
    saved: list[int] = []
    original = coordinator.sides.senscritique.apply

    async def spy(op):  # how many writes the stored base (state + journal) holds
        stored = await PlexSyncStore(hass, entry.entry_id).async_load()
        saved.append(sum(1 for a in stored.state.agreed.values() if a.watchlist))
        await original(op)

    coordinator.sides.senscritique.apply = spy  # the fake's method, not a client's
    await coordinator.async_run_now(SyncRequest())
    assert len(saved) == 2
    assert saved[1] == saved[0] + 1


async def test_read_failure_writes_nothing_and_keeps_data(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    await setup(hass, entry)
    failed = collect(hass, EVENT_SYNC_FAILED)
    world.plex.add(movie("plex://movie/eee", "Ran", 1985), wish=True)
    world.senscritique.read_error = ServiceUnavailable(
        Side.SENSCRITIQUE, "502 Bad Gateway"
    )
    before = len(world.plex.applied) + len(world.senscritique.applied)
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert len(world.plex.applied) + len(world.senscritique.applied) == before
    status = state(hass, entry, "status")
    assert status.state == "error"
    assert status.attributes["reason"] == "service_unavailable"
    assert "502 Bad Gateway" in status.attributes["error"]
    last_run = state(hass, entry, "last_run")
    assert last_run.state != "unknown"
    assert "502 Bad Gateway" in last_run.attributes["error"]
    assert state(hass, entry, "linked").state == STATE_UNAVAILABLE
    assert coordinator.data.linked == 2  # last good data stays
    assert failed[0].data["error"] == "service_unavailable"
    assert failed[0].data["service"] == "senscritique"
    assert "SensCritique" in str(coordinator.last_exception)
    world.senscritique.read_error = None
    await coordinator.async_refresh()
    assert state(hass, entry, "status").state == "attention"  # the unmatched work
    assert state(hass, entry, "status").attributes["reason"] == "unmatched"
    assert state(hass, entry, "last_run").attributes["error"] is None


async def test_expired_sign_in_during_a_sync_starts_reauth(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.read_error = AuthError(Side.PLEX, "401")
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_rate_limit_stops_writing_and_reports_partial(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    finished = collect(hass, EVENT_SYNC_FINISHED)
    for n in range(3):
        world.plex.add(movie(f"plex://movie/r{n}", f"Film {n}", 2000 + n), wish=True)
        world.senscritique.add(movie(f"30{n}", f"Film {n}", 2000 + n))
    world.senscritique.apply_error = RateLimited(Side.SENSCRITIQUE, "429", 60)
    coordinator = entry.runtime_data.coordinator
    outcome = await coordinator.async_run_now(SyncRequest())
    assert outcome.report.stopped == "rate_limited"
    assert len(outcome.report.failed) == 1  # stopped after the first refusal
    status = state(hass, entry, "status")
    assert status.state == "attention"
    assert status.attributes["reason"] == "writes_failed"
    assert status.attributes["failed_writes"] == 1
    assert finished[-1].data["status"] == "attention"
    assert finished[-1].data["errors"]


async def test_unavailable_side_gets_no_more_writes_and_refusals_skip_one(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    for n in range(2):
        world.plex.add(movie(f"plex://movie/u{n}", f"Film {n}", 2000 + n), wish=True)
        world.senscritique.add(movie(f"40{n}", f"Film {n}", 2000 + n))
    coordinator = entry.runtime_data.coordinator
    world.senscritique.apply_error = ServiceUnavailable(Side.SENSCRITIQUE, "timeout")
    outcome = await coordinator.async_run_now(SyncRequest())
    assert len(outcome.report.failed) == 1
    assert outcome.report.stopped == "service_unavailable"
    world.senscritique.apply_error = NotFound(Side.SENSCRITIQUE, "gone")
    outcome = await coordinator.async_run_now(SyncRequest())
    assert len(outcome.report.failed) == 2
    assert outcome.report.stopped is None


async def test_requests_during_a_sync_are_coalesced(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    gate = asyncio.Event()
    original = coordinator.sides.read

    async def slow_read(side: Side, *linked: Collection[str]):
        await gate.wait()
        return await original(side, *linked)

    coordinator.sides.read = slow_read
    reads_before = world.plex.reads
    first = hass.async_create_task(coordinator.async_sync(SyncRequest()))
    await asyncio.sleep(0)
    assert coordinator.syncing
    assert state(hass, entry, "status").state == "syncing"
    waiting = [
        hass.async_create_task(coordinator.async_sync(SyncRequest())) for _ in range(5)
    ]
    await asyncio.sleep(0)
    gate.set()
    await first
    results = await asyncio.gather(*waiting)
    # One running sync plus ONE follow-up for the five requests.
    assert world.plex.reads - reads_before == 2
    assert all(r is results[0] for r in results)
    assert not coordinator.syncing


async def test_failed_follow_up_reaches_every_waiter(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    gate = asyncio.Event()
    original = coordinator.sides.read

    async def slow_read(side: Side, *linked: Collection[str]):
        await gate.wait()
        return await original(side, *linked)

    coordinator.sides.read = slow_read
    first = hass.async_create_task(coordinator.async_sync(SyncRequest()))
    await asyncio.sleep(0)
    waiting = [
        hass.async_create_task(coordinator.async_sync(SyncRequest())) for _ in range(2)
    ]
    await asyncio.sleep(0)
    world.plex.read_error = ServiceUnavailable(Side.PLEX, "down")
    gate.set()
    results = await asyncio.gather(first, *waiting, return_exceptions=True)
    assert all(isinstance(r, ServiceUnavailable) for r in results)


async def test_preview_only_plans_but_never_writes(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    seed(world)
    options = {**default_options(read_only=False), CONF_PREVIEW_ONLY: True}
    from .fakes import entry_data

    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="4242_777", data=entry_data(), options=options
    )
    await setup(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert world.plex.applied == []
    assert world.senscritique.applied == []
    summary = entry.runtime_data.coordinator.data
    assert summary.plan is not None
    assert len(summary.plan.ops) >= 2
    assert summary.report is not None
    assert summary.report.preview is True
    assert state(hass, entry, "linked").state == "2"  # links are kept


async def test_button_runs_a_sync(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    reads = world.plex.reads
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": entity_id(hass, entry, "button", "sync")},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert world.plex.reads == reads + 1
    assert "1001" in world.senscritique.watchlist


async def test_read_only_entry_never_writes_to_senscritique(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    from .fakes import entry_data

    seed(world)
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="4242_777",
        data=entry_data(senscritique_mode="read_only"),
        options=default_options(read_only=True),
    )
    await setup(hass, entry)
    assert world.senscritique.applied == []
    assert world.plex.ratings[HEAT_PLEX.key].value == 8
