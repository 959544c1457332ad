"""A confirmation covers exactly what the user was shown (design.md, Safety).

Through Home Assistant: the held removals of the last run are kept with it;
the plexsync.confirm_removals action and the repair issues' fix flows release
those of them still wanted, and nothing that appeared since (it is guarded as
usual). A shrink (a side that suddenly reads much smaller) is its own repair
issue, with the numbers and the advice to check the service, and is confirmed
apart from mass removals.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.repairs import DOMAIN as REPAIRS
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Side
from custom_components.plexsync.engine.plans import GuardKind
from custom_components.plexsync.store import PlexSyncStore

from .fakes import FakeWorld, movie
from .ha_entry import setup

# 16 films on both watchlists and 150 rated on both sides: 166 agreed items.
# Removing 6 wishes is a mass removal (watchlist limit max(5, 1) = 5), not a
# shrink (a side may lose max(5, 16) of its agreed items in one run).
WISHES = 16
RATED = 150


def _films(world: FakeWorld) -> None:
    for n in range(WISHES):
        world.senscritique.add(movie(f"5{n:03}", f"Wish {n}", 1900 + n), wish=True)
        world.plex.add(movie(f"plex://movie/w{n}", f"Wish {n}", 1900 + n), wish=True)
    for n in range(RATED):
        world.senscritique.add(movie(f"6{n:03}", f"Rated {n}", 1900 + n), rating=7)
        world.plex.add(movie(f"plex://movie/r{n}", f"Rated {n}", 1900 + n), rating=7)


def _unwish_on_plex(world: FakeWorld, films: range | list[int]) -> None:
    for n in films:
        world.plex.watchlist.pop(f"plex://movie/w{n}")


def _wish_on_plex(world: FakeWorld, n: int) -> None:
    world.plex.add(movie(f"plex://movie/w{n}", f"Wish {n}", 1900 + n), wish=True)


def _still_on_sc(world: FakeWorld) -> set[int]:
    return {n for n in range(WISHES) if f"5{n:03}" in world.senscritique.watchlist}


def _issue(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> Any:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{key}_{entry.entry_id}")


async def _confirm(
    hass: HomeAssistant, entry: MockConfigEntry, guard: str | None = None
) -> None:
    data = {"config_entry_id": entry.entry_id}
    if guard is not None:
        data["guard"] = guard
    await hass.services.async_call(DOMAIN, "confirm_removals", data, blocking=True)


async def test_the_action_releases_the_shown_removals_still_wanted_only(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Shown: films 0..5 removed from Plex, held. Before confirming, the user
    puts film 0 back on Plex and removes films 6..11. The action removes
    1..5 from SensCritique; 0 stays; 6..11 are new: held by the guard as
    usual (before, the action ran a sync with both guards off and removed
    all eleven)."""
    _films(world)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    with pytest.raises(ServiceValidationError) as err:
        await _confirm(hass, entry)
    assert err.value.translation_key == "nothing_held"

    _unwish_on_plex(world, range(6))
    await coordinator.async_refresh()
    assert _still_on_sc(world) == set(range(WISHES))
    issue = _issue(hass, entry, "held_removals")
    assert issue.is_fixable
    assert issue.translation_placeholders["count"] == "6"
    assert issue.translation_placeholders["senscritique"] == "6"
    assert issue.translation_placeholders["titles"] == ", ".join(
        f"Wish {n} ({1900 + n})" for n in range(6)
    )
    assert _issue(hass, entry, "shrink_guard") is None

    _wish_on_plex(world, 0)
    _unwish_on_plex(world, range(6, 12))
    await _confirm(hass, entry)

    assert _still_on_sc(world) == {0, *range(6, WISHES)}
    assert {op.link.split("|")[0] for op in coordinator.data.held} == {
        f"5{n:03}" for n in range(6, 12)
    }
    assert _issue(hass, entry, "held_removals").translation_placeholders["count"] == "6"


async def test_the_last_runs_holds_are_kept_with_it(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    _films(world)
    await setup(hass, entry)
    _unwish_on_plex(world, range(6))
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()
    stored = await PlexSyncStore(hass, entry.entry_id).async_load()
    assert stored.held == coordinator.held
    assert len(stored.held.ops) == 6
    assert [g.kind for g in stored.held.guards] == [GuardKind.MASS_REMOVAL]


async def _open_fix_flow(hass_client: Any, issue_id: str) -> tuple[Any, dict]:
    client = await hass_client()
    resp = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    return client, await resp.json()


async def test_the_repair_releases_what_its_form_showed(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    """The form shows films 0..5; while it is open, a scheduled sync holds
    6..11 too. Submitting releases 0..5 only (before: all twelve)."""
    assert await async_setup_component(hass, REPAIRS, {})
    _films(world)
    await setup(hass, entry)
    coordinator = entry.runtime_data.coordinator
    _unwish_on_plex(world, range(6))
    await coordinator.async_refresh()

    client, flow = await _open_fix_flow(hass_client, f"held_removals_{entry.entry_id}")
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"]["count"] == "6"
    _unwish_on_plex(world, range(6, 12))
    await coordinator.async_refresh()
    assert len(coordinator.held.ops) == 12

    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert (await resp.json())["type"] == "create_entry"
    assert _still_on_sc(world) == set(range(6, WISHES))


async def test_the_repair_aborts_when_the_sync_fails(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    assert await async_setup_component(hass, REPAIRS, {})
    _films(world)
    await setup(hass, entry)
    _unwish_on_plex(world, range(6))
    await entry.runtime_data.coordinator.async_refresh()
    client, flow = await _open_fix_flow(hass_client, f"held_removals_{entry.entry_id}")
    world.plex.read_error = ServiceUnavailable(Side.PLEX, "down")
    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    result = await resp.json()
    assert (result["type"], result["reason"]) == ("abort", "sync_failed")
    assert _still_on_sc(world) == set(range(WISHES))


async def test_a_shrink_is_its_own_repair_confirmed_apart(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    """Plex reads only 2 of the 16 agreed wishes and misses 10 ratings: it
    lost 24 agreed items at once, more than the 16 a run may, so this is a
    suspected bad read. Its repair issue gives the numbers and tells the user
    to check Plex; the mass-removal confirmation does not release it; the
    shrink's own does."""
    assert await async_setup_component(hass, REPAIRS, {})
    _films(world)
    await setup(hass, entry)
    _unwish_on_plex(world, range(2, WISHES))
    for n in range(10):
        world.plex.ratings.pop(f"plex://movie/r{n}")
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()

    assert _issue(hass, entry, "held_removals") is None
    shrink = _issue(hass, entry, "shrink_guard")
    assert shrink.is_fixable
    assert shrink.severity is ir.IssueSeverity.ERROR
    placeholders = shrink.translation_placeholders
    assert (placeholders["sides"], placeholders["lost"]) == ("Plex", "24")
    assert (placeholders["agreed"], placeholders["count"]) == ("166", "14")
    assert _still_on_sc(world) == set(range(WISHES))

    with pytest.raises(ServiceValidationError) as err:
        await _confirm(hass, entry)  # the mass-removal guard holds nothing
    assert err.value.translation_key == "nothing_held"
    assert _still_on_sc(world) == set(range(WISHES))

    client, flow = await _open_fix_flow(hass_client, f"shrink_guard_{entry.entry_id}")
    assert flow["description_placeholders"]["sides"] == "Plex"
    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert (await resp.json())["type"] == "create_entry"
    assert _still_on_sc(world) == {0, 1}
    assert _issue(hass, entry, "shrink_guard") is None


async def test_the_action_confirms_a_shrink_when_asked_to(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    _films(world)
    await setup(hass, entry)
    world.plex.watchlist.clear()  # Plex reads no wish at all
    await entry.runtime_data.coordinator.async_refresh()
    assert _issue(hass, entry, "shrink_guard") is not None
    await _confirm(hass, entry, GuardKind.SHRINK.value)
    assert _still_on_sc(world) == set()
