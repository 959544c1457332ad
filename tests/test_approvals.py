"""Confirmations beyond the guards, with the same rule: exactly what was shown
(issue 16, items 4 and 5).

- Preview only: the planned writes are a repair issue; "apply these" writes
  the listed writes still planned, and nothing planned since.
- The to-do list: deleting more items at once than the mass-removal guard
  lets a sync remove writes nothing until confirmed; the confirmation removes
  exactly those items still listed.
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
from custom_components.plexsync.engine.model import Action, Side
from custom_components.plexsync.pipeline import SyncRequest

from .fakes import HEAT_PLEX, HEAT_SC, FakeWorld, movie
from .ha_entry import entity_id, setup, state
from .test_confirm_removals import _open_fix_flow
from .test_undo import undo


def _issue(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> Any:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{key}_{entry.entry_id}")


async def test_approving_a_preview_applies_exactly_what_was_listed(
    hass: HomeAssistant,
    world: FakeWorld,
    preview_entry: MockConfigEntry,
    hass_client: Any,
) -> None:
    """Shown: Heat rated 9 to copy, 3 wishes to add. While the form is open
    the user rates Heat 7 on Plex instead and wishes a 4th film: submitting
    adds the 3 wishes shown, and neither the 7 nor the 4th wish (not shown)."""
    assert await async_setup_component(hass, REPAIRS, {})
    world.plex.add(HEAT_PLEX, rating=9)
    world.senscritique.catalogue[HEAT_SC.key] = HEAT_SC
    for n in range(4):  # films 0..2 wished on Plex; film 3 not yet
        world.plex.add(movie(f"plex://movie/f{n}", f"Film {n}", 1950 + n), wish=n < 3)
        world.senscritique.catalogue[f"7{n:03}"] = movie(
            f"7{n:03}", f"Film {n}", 1950 + n
        )
    await setup(hass, preview_entry)
    coordinator = preview_entry.runtime_data.coordinator
    assert world.plex.applied == world.senscritique.applied == []
    assert len(coordinator.waiting.ops) == 4
    issue = _issue(hass, preview_entry, "preview_changes")
    assert issue.is_fixable
    assert issue.translation_placeholders["count"] == "4"

    client, flow = await _open_fix_flow(
        hass_client, f"preview_changes_{preview_entry.entry_id}"
    )
    assert flow["step_id"] == "confirm"
    listed = flow["description_placeholders"]["changes"]
    assert (
        "- Rated “Heat” (1995) 9/10 on SensCritique because you rated it on Plex."
        in (listed)
    )
    assert listed.count("\n- ") == 3  # four lines

    world.plex.ratings.pop(HEAT_PLEX.key)
    world.plex.add(HEAT_PLEX, rating=7)
    world.plex.add(movie("plex://movie/f3", "Film 3", 1953), wish=True)
    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert (await resp.json())["type"] == "create_entry"

    wished = sorted(op.key for op in world.senscritique.applied)
    assert wished == ["7000", "7001", "7002"]
    assert all(op.action is Action.ADD_WATCHLIST for op in world.senscritique.applied)
    assert HEAT_SC.key not in world.senscritique.ratings
    assert world.plex.applied == []
    # Still in preview only: the rest waits for the next approval.
    assert {(op.key, op.value) for op in coordinator.waiting.ops} == {
        (HEAT_SC.key, 7),
        ("7003", None),
    }
    status = state(hass, preview_entry, "status")
    assert status.attributes["reason"] == "preview_waiting"
    assert status.attributes["waiting_for_approval"] == 2


async def test_nothing_waits_outside_preview_mode(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    assert await async_setup_component(hass, REPAIRS, {})
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    await setup(hass, entry)
    assert entry.runtime_data.coordinator.waiting.empty
    assert _issue(hass, entry, "preview_changes") is None


async def test_an_approval_the_service_refuses_writes_nothing_more(
    hass: HomeAssistant, world: FakeWorld, preview_entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    await setup(hass, preview_entry)
    coordinator = preview_entry.runtime_data.coordinator
    shown = coordinator.waiting
    # An approval names writes as shown: a plain run of preview mode writes
    # nothing, an approval writes what it lists.
    await coordinator.async_run_now(SyncRequest())
    assert world.senscritique.applied == []
    await coordinator.async_run_now(SyncRequest(confirmed=shown))
    assert [op.key for op in world.senscritique.applied] == [HEAT_SC.key]
    assert _issue(hass, preview_entry, "preview_changes") is None


async def test_deleting_many_to_do_items_at_once_is_held_until_confirmed(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, hass_client: Any
) -> None:
    """12 works on both watchlists; the guard lets 5 go from a side at once.
    Deleting 7 in one action ("Remove completed items" does that) removes
    nothing and raises a repair listing them; confirming removes exactly
    those 7 from both sides, as one to-do action an undo puts back."""
    assert await async_setup_component(hass, REPAIRS, {})
    for n in range(12):
        world.plex.add(movie(f"plex://movie/f{n}", f"Film {n}", 1950 + n), wish=True)
        world.senscritique.add(movie(f"7{n:03}", f"Film {n}", 1950 + n), wish=True)
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    uids = [f"7{n:03}|plex://movie/f{n}" for n in range(7)]

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "todo", "remove_item", {"entity_id": todo, "item": uids}, blocking=True
        )
    assert err.value.translation_key == "todo_removals_held"
    assert err.value.translation_placeholders == {"count": "14", "limit": "5"}
    assert world.plex.applied == world.senscritique.applied == []
    issue = _issue(hass, entry, "held_todo_removals")
    assert issue.is_fixable
    assert issue.translation_placeholders["plex"] == "7"

    client, flow = await _open_fix_flow(
        hass_client, f"held_todo_removals_{entry.entry_id}"
    )
    assert (
        "- Removed “Film 0” (1950) from your Plex watchlist because you deleted "
        in (flow["description_placeholders"]["changes"])
    )
    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert (await resp.json())["type"] == "create_entry"
    await hass.async_block_till_done()
    for n in range(12):
        assert (f"plex://movie/f{n}" in world.plex.watchlist) is (n >= 7)
        assert (f"7{n:03}" in world.senscritique.watchlist) is (n >= 7)
    assert _issue(hass, entry, "held_todo_removals") is None
    # One to-do action: one undo puts all fourteen back.
    answer = await undo(hass, entry)
    assert len(answer["reverted"]) == 14
    assert len(world.plex.watchlist) == len(world.senscritique.watchlist) == 12


async def test_a_few_to_do_deletions_go_through_at_once(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    for n in range(12):
        world.plex.add(movie(f"plex://movie/f{n}", f"Film {n}", 1950 + n), wish=True)
        world.senscritique.add(movie(f"7{n:03}", f"Film {n}", 1950 + n), wish=True)
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    uids = [f"7{n:03}|plex://movie/f{n}" for n in range(5)]
    await hass.services.async_call(
        "todo", "remove_item", {"entity_id": todo, "item": uids}, blocking=True
    )
    assert len(world.plex.watchlist) == 7
    assert _issue(hass, entry, "held_todo_removals") is None
    assert Side.PLEX in {op.side for op in world.plex.applied}


async def test_an_approval_covers_only_the_changes_its_form_lists(
    hass: HomeAssistant,
    world: FakeWorld,
    preview_entry: MockConfigEntry,
    hass_client: Any,
) -> None:
    """60 wishes to copy: the form lists 50 and says so; submitting writes
    those 50, the other 10 wait for the next approval."""
    assert await async_setup_component(hass, REPAIRS, {})
    for n in range(60):
        # Rated alike on both sides: the works link locally, only wishes differ.
        world.senscritique.add(movie(f"7{n:03}", f"Film {n}", 1900 + n), rating=5)
        world.plex.add(
            movie(f"plex://movie/f{n}", f"Film {n}", 1900 + n), wish=True, rating=5
        )
    await setup(hass, preview_entry)
    coordinator = preview_entry.runtime_data.coordinator
    assert len(coordinator.waiting.ops) == 60

    client, flow = await _open_fix_flow(
        hass_client, f"preview_changes_{preview_entry.entry_id}"
    )
    shown = flow["description_placeholders"]
    assert (shown["count"], shown["total"]) == ("50", "60")
    assert shown["changes"].count("- Added") == 50
    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert (await resp.json())["type"] == "create_entry"
    assert len(world.senscritique.applied) == 50
    assert len(coordinator.waiting.ops) == 10
