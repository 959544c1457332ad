"""The status sensor tells why it is not OK, and the Last run sensor tells what
the last run did and when the next one is due (issue 16, item 2)."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Side
from custom_components.plexsync.engine.settings import Capabilities
from custom_components.plexsync.pipeline import SyncRequest

from .fakes import (
    ALIEN_PLEX,
    ALIEN_SC,
    HEAT_PLEX,
    HEAT_SC,
    FakeWorld,
    movie,
)
from .ha_entry import setup, state
from .test_services import FILMS, seed_agreed


def agree(world: FakeWorld) -> None:
    """Heat on both watchlists, rated 8 on both: nothing to do, nothing odd."""
    world.plex.add(HEAT_PLEX, wish=True, rating=8)
    world.senscritique.add(HEAT_SC, wish=True, rating=8)


async def test_ok_when_both_sides_agree(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    agree(world)
    await setup(hass, entry)
    status = state(hass, entry, "status")
    assert status.state == "ok"
    assert status.attributes["reason"] == "in_agreement"
    assert status.attributes["reasons"] == ["in_agreement"]


async def test_held_removals_come_first(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed_agreed(world)
    # Enough agreed works that losing the watchlist's 8 is no faulty read
    # (the shrink guard), only more removals than one run may make.
    for n in range(80):
        world.plex.add(movie(f"plex://movie/r{n}", f"Rated {n}", 1900 + n), rating=7)
        world.senscritique.add(movie(f"70{n}", f"Rated {n}", 1900 + n), rating=7)
    world.plex.add(ALIEN_PLEX, wish=True)
    world.senscritique.add(ALIEN_SC, wish=True)
    world.senscritique.add(movie("9999", "Only here", 2001), wish=True)
    await setup(hass, entry)
    for _, plex_key, _, _ in FILMS:
        world.plex.watchlist.pop(plex_key)
    await entry.runtime_data.coordinator.async_refresh()
    status = state(hass, entry, "status")
    assert status.state == "attention"
    assert status.attributes["reasons"] == ["held_removals", "unmatched"]
    assert status.attributes["held_removals"] == len(FILMS)
    last_run = state(hass, entry, "last_run")
    held = last_run.attributes["senscritique"]["watchlist"]["held"]
    assert held == len(FILMS)


async def test_a_write_that_fails_run_after_run_keeps_failing(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    agree(world)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    world.plex.add(movie("plex://movie/new1", "Ran", 1985), wish=True)
    world.senscritique.catalogue["3001"] = movie("3001", "Ran", 1985)
    world.senscritique.apply_error = ServiceUnavailable(Side.SENSCRITIQUE, "timeout")
    await coordinator.async_run_now(SyncRequest())
    status = state(hass, entry, "status")
    assert status.attributes["reasons"] == ["writes_failed"]
    assert status.attributes["failed_writes"] == 1
    assert status.attributes["failing_writes"] == 0
    counts = state(hass, entry, "last_run").attributes["senscritique"]["watchlist"]
    assert counts == {"planned": 1, "applied": 0, "failed": 1, "held": 0}

    await coordinator.async_run_now(SyncRequest())
    status = state(hass, entry, "status")
    assert status.attributes["reasons"] == ["writes_failing"]
    assert status.attributes["failing_writes"] == 1

    world.senscritique.apply_error = None
    await coordinator.async_run_now(SyncRequest())
    status = state(hass, entry, "status")
    assert status.state == "ok"
    assert status.attributes["failing_writes"] == 0


async def test_preview_only_waits_for_approval(
    hass: HomeAssistant, world: FakeWorld, preview_entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    entry = preview_entry
    await setup(hass, entry)
    status = state(hass, entry, "status")
    assert status.state == "attention"
    assert status.attributes["reason"] == "preview_waiting"
    assert status.attributes["waiting_for_approval"] == 1
    last_run = state(hass, entry, "last_run")
    assert last_run.attributes["preview"] is True
    counts = last_run.attributes["senscritique"]["watchlist"]
    assert counts == {"planned": 1, "applied": 0, "failed": 0, "held": 0}


async def test_a_write_a_service_cannot_make_is_named(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    agree(world)
    world.senscritique.capabilities = Capabilities(mark_watched=False)
    await setup(hass, entry)
    status = state(hass, entry, "status")
    assert status.state == "attention"
    assert status.attributes["reason"] == "capabilities_missing"
    assert status.attributes["missing_capabilities"] == ["senscritique.mark_watched"]


async def test_a_missing_removal_matters_only_when_removals_propagate(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    agree(world)
    # Ratings and watch history do not propagate removals by default.
    world.senscritique.capabilities = Capabilities(unrate=False, mark_unwatched=False)
    await setup(hass, entry)
    assert state(hass, entry, "status").state == "ok"


async def test_last_run_counts_and_the_next_run_on_schedule(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    agree(world)
    await setup(hass, entry)
    first = state(hass, entry, "last_run")
    ended = dt_util.parse_datetime(first.state)
    assert ended is not None
    next_run = dt_util.parse_datetime(first.attributes["next_run"])
    assert next_run is not None
    # The sensor's state keeps whole seconds.
    assert abs(next_run - (ended + timedelta(hours=6))) < timedelta(seconds=1)
    assert first.attributes["plex"]["ratings"]["planned"] == 0

    # A change on Plex, then the clock runs past the next run: it happens
    # by itself, and the sensor moves on to it.
    world.plex.ratings.pop(HEAT_PLEX.key)
    world.plex.add(HEAT_PLEX, wish=True, rating=6)
    # The schedule runs on the loop's clock, the run reads the wall clock:
    # both move on.
    later = timedelta(hours=6, seconds=2)
    freezer.tick(later)
    async_fire_time_changed(hass, dt_util.utcnow() + later)
    await hass.async_block_till_done(wait_background_tasks=True)
    second = state(hass, entry, "last_run")
    assert dt_util.parse_datetime(second.state) > ended
    counts = second.attributes["senscritique"]["ratings"]
    assert counts == {"planned": 1, "applied": 1, "failed": 0, "held": 0}
    assert world.senscritique.ratings[HEAT_SC.key].value == 6


async def test_dry_run_leaves_the_last_run_alone(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    agree(world)
    await setup(hass, entry)
    before = state(hass, entry, "last_run").state
    world.plex.add(movie("plex://movie/dry", "Ran", 1985), wish=True)
    await entry.runtime_data.coordinator.async_run_now(SyncRequest(dry_run=True))
    assert state(hass, entry, "last_run").state == before
