"""plexsync.undo_last_run: the last run's (or to-do action's) writes put back,
recorded in the base, not redone by later syncs; what cannot be put back is
listed (issue 16, item 5)."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Side
from custom_components.plexsync.engine.settings import Capabilities
from custom_components.plexsync.pipeline import SyncRequest

from .fakes import ALIEN_PLEX, ALIEN_SC, HEAT_PLEX, HEAT_SC, T0, FakeWorld
from .ha_entry import entity_id, setup

HEAT_LINK = f"{HEAT_SC.key}|{HEAT_PLEX.key}"


async def undo(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    answer = await hass.services.async_call(
        DOMAIN,
        "undo_last_run",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    assert answer is not None
    return dict(answer)


def seed(world: FakeWorld) -> None:
    """Heat wished on Plex and rated 8 on SensCritique; Alien watched on
    SensCritique: the first sync writes three things."""
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, rating=8)
    world.plex.add(ALIEN_PLEX)
    world.senscritique.add(ALIEN_SC, watched=T0)


def summary(entries: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(e["side"], e["action"], e["title"]) for e in entries}


async def test_the_last_sync_is_put_back_and_stays_put_back(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    await setup(hass, entry)
    assert HEAT_SC.key in world.senscritique.watchlist
    assert world.plex.ratings[HEAT_PLEX.key].value == 8
    assert ALIEN_PLEX.key in world.plex.watched

    answer = await undo(hass, entry)
    assert answer["undone"] == "sync"
    assert summary(answer["reverted"]) == {
        ("senscritique", "remove_watchlist", "Heat"),
        ("plex", "clear_rating", "Heat"),
        ("plex", "mark_unwatched", "Alien"),
    }
    assert answer["not_reverted"] == []
    reasons = {e["reason"] for e in answer["reverted"]}
    assert (
        "Removed “Heat” (1995) from your SensCritique wishlist because you undid "
        "the last sync." in reasons
    )
    assert HEAT_SC.key not in world.senscritique.watchlist
    assert HEAT_PLEX.key not in world.plex.ratings
    assert ALIEN_PLEX.key not in world.plex.watched
    # Recorded in the base like any write.
    coordinator = entry.runtime_data.coordinator
    assert not coordinator.state.agreed[HEAT_LINK].watchlist

    # The sync that followed the undo, and any later one, leave it undone.
    applied = len(world.plex.applied) + len(world.senscritique.applied)
    outcome = await coordinator.async_run_now(SyncRequest())
    assert outcome.plan.ops == ()
    assert len(world.plex.applied) + len(world.senscritique.applied) == applied
    # Undone once: an undo is not itself undone.
    with pytest.raises(ServiceValidationError) as err:
        await undo(hass, entry)
    assert err.value.translation_key == "nothing_to_undo"

    # A new change of the user's travels as usual.
    world.senscritique.ratings.pop(HEAT_SC.key)
    world.senscritique.add(HEAT_SC, rating=6)
    outcome = await coordinator.async_run_now(SyncRequest())
    assert [(op.side, op.value) for op in outcome.plan.ops] == [(Side.PLEX, 6)]


async def test_nothing_to_undo(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await undo(hass, entry)
    assert err.value.translation_key == "nothing_to_undo"


async def test_what_changed_since_or_cannot_be_undone_is_listed(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    # Plex cannot clear a rating here (a capability this test takes away).
    world.plex.capabilities = Capabilities(unrate=False)
    await setup(hass, entry)
    # Since the sync, the user took Heat off the SensCritique wishlist.
    world.senscritique.watchlist.pop(HEAT_SC.key)
    answer = await undo(hass, entry)
    assert summary(answer["reverted"]) == {("plex", "mark_unwatched", "Alien")}
    why = {(e["side"], e["action"]): e["why"] for e in answer["not_reverted"]}
    assert why == {
        ("senscritique", "add_watchlist"): "changed_since",
        ("plex", "set_rating"): "cannot_clear_rating",
    }
    assert world.plex.ratings[HEAT_PLEX.key].value == 8  # left as it was


async def test_a_failed_undo_write_is_kept_to_retry(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    await setup(hass, entry)
    world.senscritique.apply_error = ServiceUnavailable(Side.SENSCRITIQUE, "502")
    answer = await undo(hass, entry)
    assert [(e["side"], e["why"]) for e in answer["not_reverted"]] == [
        ("senscritique", "failed")
    ]
    assert len(answer["reverted"]) == 2
    world.senscritique.apply_error = None
    answer = await undo(hass, entry)
    assert summary(answer["reverted"]) == {("senscritique", "remove_watchlist", "Heat")}
    assert HEAT_SC.key not in world.senscritique.watchlist


async def test_the_kept_writes_survive_a_restart(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    await setup(hass, entry)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    answer = await undo(hass, entry)
    assert len(answer["reverted"]) == 3
    assert HEAT_SC.key not in world.senscritique.watchlist


async def test_the_last_to_do_action_is_put_back_on_both_sides(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.add(ALIEN_PLEX, wish=True)
    world.senscritique.add(ALIEN_SC, wish=True)
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    alien_link = f"{ALIEN_SC.key}|{ALIEN_PLEX.key}"
    # "Remove completed items" sends every uid in one call: one action.
    await hass.services.async_call(
        "todo",
        "remove_item",
        {"entity_id": todo, "item": [HEAT_LINK, alien_link]},
        blocking=True,
    )
    assert not world.plex.watchlist
    assert not world.senscritique.watchlist
    answer = await undo(hass, entry)
    assert answer["undone"] == "todo"
    assert len(answer["reverted"]) == 4
    assert {HEAT_PLEX.key, ALIEN_PLEX.key} <= set(world.plex.watchlist)
    assert {HEAT_SC.key, ALIEN_SC.key} <= set(world.senscritique.watchlist)
    # Both sides agree again: nothing for the sync to do, nothing declined.
    coordinator = entry.runtime_data.coordinator
    outcome = await coordinator.async_run_now(SyncRequest())
    assert outcome.plan.ops == ()
    assert coordinator.state.declined == ()


@pytest.mark.parametrize(
    "kept",
    [
        {"version": 1, "kind": "sync", "at": "2025-01-01T00:00:00+00:00"},
        {"version": 2},
        {
            "version": 1,
            "kind": "elsewhere",
            "at": "2025-01-01T00:00:00+00:00",
            "plan": {"version": 1, "ops": [], "held": [], "guards": []},
            "before": [],
            "titles": [],
        },
    ],
)
async def test_kept_writes_that_cannot_be_read_are_dropped(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    kept: dict[str, Any],
) -> None:
    """The kept writes only ever serve an undo: unreadable, they are dropped
    (the entry still starts, and there is nothing to undo)."""
    hass_storage[f"{DOMAIN}.{entry.entry_id}.undo"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{entry.entry_id}.undo",
        "data": kept,
    }
    await setup(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await undo(hass, entry)
    assert err.value.translation_key == "nothing_to_undo"
