"""The plexsync.* actions, held removals and their repair flow."""

from __future__ import annotations

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.errors import AuthError, ServiceUnavailable
from custom_components.plexsync.engine.model import Side

from .fakes import HEAT_PLEX, HEAT_SC, T0, FakeWorld, movie
from .ha_entry import setup

FILMS = [(f"50{n}", f"plex://movie/h{n}", f"Held film {n}", 1990 + n) for n in range(8)]


async def test_sync_dry_run_returns_the_plan_and_writes_nothing(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC)
    response = await hass.services.async_call(
        DOMAIN,
        "sync",
        {"config_entry_id": entry.entry_id, "dry_run": True},
        blocking=True,
        return_response=True,
    )
    assert world.senscritique.applied == []
    assert response["changes"] == [
        {
            "side": "senscritique",
            "feature": "watchlist",
            "action": "add_watchlist",
            "title": "Heat",
            "year": 1995,
            "value": None,
            "date": None,
            "reason": "Added “Heat” (1995) to your SensCritique wishlist because "
            "it is on your Plex watchlist.",
            "result": "planned",
        }
    ]
    assert response["dry_run"] is True
    assert response["report"]["applied"] == 0
    # Only what a person reads: keys, link ids and the base stay internal.
    assert set(response) == {
        "dry_run",
        "preview",
        "changes",
        "held",
        "unmatched",
        "report",
    }
    assert "'key'" not in repr(response)
    assert "1001|" not in repr(response)
    # Nothing was saved either: the next real run finds the same work to do.
    assert entry.runtime_data.coordinator.state.links == {}


async def test_sync_returns_the_report(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.add(HEAT_PLEX, wish=True, rating=6)
    world.senscritique.add(HEAT_SC)
    response = await hass.services.async_call(
        DOMAIN,
        "sync",
        {"config_entry_id": entry.entry_id, "features": ["watchlist"]},
        blocking=True,
        return_response=True,
    )
    assert response["report"]["applied"] == 1
    assert [(c["action"], c["result"]) for c in response["changes"]] == [
        ("add_watchlist", "done")
    ]
    assert HEAT_SC.key not in world.senscritique.ratings  # ratings not asked for
    # Without asking for a response the action still runs.
    await hass.services.async_call(
        DOMAIN, "sync", {"config_entry_id": entry.entry_id}, blocking=True
    )
    assert world.senscritique.ratings[HEAT_SC.key].value == 6


async def test_sync_errors_are_translated(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.read_error = ServiceUnavailable(Side.PLEX, "timeout")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "sync", {"config_entry_id": entry.entry_id}, blocking=True
        )
    assert err.value.translation_key == "service_unavailable"
    assert err.value.translation_placeholders["service"] == "Plex"
    world.plex.read_error = AuthError(Side.PLEX, "401")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "sync", {"config_entry_id": entry.entry_id}, blocking=True
        )
    assert err.value.translation_key == "auth_failed"
    await hass.async_block_till_done()
    assert [
        f["context"]["source"] for f in hass.config_entries.flow.async_progress()
    ] == ["reauth"]


async def test_entry_must_exist_and_be_loaded(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "sync", {"config_entry_id": "nope"}, blocking=True
        )
    assert err.value.translation_key == "entry_not_found"
    await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "sync", {"config_entry_id": entry.entry_id}, blocking=True
        )
    assert err.value.translation_key == "entry_not_loaded"


async def test_admin_actions_refuse_other_users(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    hass_read_only_user: MockUser,
) -> None:
    from homeassistant.core import Context

    await setup(hass, entry)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "confirm_removals",
            {"config_entry_id": entry.entry_id},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )


def seed_agreed(world: FakeWorld) -> None:
    for sc_key, plex_key, title, year in FILMS:
        world.senscritique.add(movie(sc_key, title, year), wish=True)
        world.plex.add(movie(plex_key, title, year), wish=True)


async def test_shrink_guard_and_unmatched_issues(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed_agreed(world)
    world.senscritique.add(movie("7001", "Unfindable", 1900), watched=T0)
    await setup(hass, entry)
    registry = ir.async_get(hass)
    unmatched = registry.async_get_issue(DOMAIN, f"unmatched_{entry.entry_id}")
    assert unmatched is not None
    assert unmatched.translation_placeholders["count"] == "1"
    assert "Unfindable (1900)" in unmatched.translation_placeholders["titles"]
    world.plex.watchlist.clear()  # Plex reads empty: a fault, not removals
    await entry.runtime_data.coordinator.async_refresh()
    assert (
        registry.async_get_issue(DOMAIN, f"shrink_guard_{entry.entry_id}") is not None
    )
    assert all(sc in world.senscritique.watchlist for sc, *_ in FILMS)
    seed_agreed(world)
    world.senscritique.watched.clear()
    await entry.runtime_data.coordinator.async_refresh()
    assert registry.async_get_issue(DOMAIN, f"shrink_guard_{entry.entry_id}") is None
    assert registry.async_get_issue(DOMAIN, f"unmatched_{entry.entry_id}") is None
