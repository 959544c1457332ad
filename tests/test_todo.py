"""The merged watchlist to-do entity: add by title, remove, complete."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.engine.errors import AuthError, ServiceUnavailable
from custom_components.plexsync.engine.model import Action, Kind, Side, Work
from custom_components.plexsync.engine.settings import Capabilities
from custom_components.plexsync.plex.capabilities import (
    CAPABILITIES as PLEX_CAPABILITIES,
)
from custom_components.plexsync.watchlist import parse_title

from .fakes import (
    ALIEN_PLEX,
    ALIEN_SC,
    HEAT_PLEX,
    HEAT_SC,
    FakeWorld,
    movie,
    read_only_entry,
)
from .ha_entry import entity_id, setup


async def items(hass: HomeAssistant, todo: str) -> list[dict]:
    response = await hass.services.async_call(
        "todo", "get_items", {"entity_id": todo}, blocking=True, return_response=True
    )
    return response[todo]["items"]


async def set_status(hass: HomeAssistant, todo: str, uid: str, status: str) -> None:
    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": todo, "item": uid, "status": status},
        blocking=True,
    )


def test_parse_title() -> None:
    assert parse_title("Heat (1995)") == ("Heat", 1995)
    assert parse_title("  Heat ") == ("Heat", None)


async def test_merged_items_and_add_by_title(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.catalogue[ALIEN_PLEX.key] = ALIEN_PLEX
    world.senscritique.catalogue[ALIEN_SC.key] = ALIEN_SC
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    assert [(i["summary"], i["status"]) for i in await items(hass, todo)] == [
        ("Heat (1995)", "needs_action")
    ]
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Alien (1979)"}, blocking=True
    )
    assert ALIEN_PLEX.key in world.plex.watchlist
    assert ALIEN_SC.key in world.senscritique.watchlist
    link = f"{ALIEN_SC.key}|{ALIEN_PLEX.key}"
    assert entry.runtime_data.coordinator.state.agreed[link].watchlist
    summaries = [i["summary"] for i in await items(hass, todo)]
    assert summaries == ["Alien (1979)", "Heat (1995)"]


async def test_add_unknown_title(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "todo",
            "add_item",
            {"entity_id": todo, "item": "Nothing at all"},
            blocking=True,
        )
    assert err.value.translation_key == "todo_title_not_found"


async def test_add_found_on_one_side_only(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.catalogue["plex://movie/only"] = movie(
        "plex://movie/only", "Only Plex", 2001
    )
    world.senscritique.catalogue["8001"] = movie("8001", "Seulement SC", 2002)
    todo = entity_id(hass, entry, "todo", "watchlist")
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Only Plex"}, blocking=True
    )
    assert "plex://movie/only" in world.plex.watchlist
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Seulement SC"}, blocking=True
    )
    assert "8001" in world.senscritique.watchlist


async def test_add_failures_are_translated(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.catalogue[ALIEN_PLEX.key] = ALIEN_PLEX
    world.senscritique.catalogue[ALIEN_SC.key] = ALIEN_SC
    todo = entity_id(hass, entry, "todo", "watchlist")
    world.plex.apply_error = ServiceUnavailable(Side.PLEX, "down")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "todo", "add_item", {"entity_id": todo, "item": "Alien"}, blocking=True
        )
    assert err.value.translation_key == "todo_write_failed"
    world.plex.apply_error = None
    world.plex.search_error = ServiceUnavailable(Side.PLEX, "down")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "todo", "add_item", {"entity_id": todo, "item": "Alien"}, blocking=True
        )
    assert err.value.translation_key == "todo_write_failed"


async def test_complete_marks_watched_and_delete_removes(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, wish=True)
    world.senscritique.add(movie("9001", "Sans lien", 1950), wish=True)
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    uid = f"1001|{HEAT_PLEX.key}"
    await set_status(hass, todo, uid, "completed")
    assert HEAT_PLEX.key in world.plex.watched
    assert "1001" in world.senscritique.watched
    statuses = {i["uid"]: i["status"] for i in await items(hass, todo)}
    assert statuses[uid] == "completed"
    # Completing again changes nothing; un-completing is refused.
    writes = len(world.plex.applied)
    await set_status(hass, todo, uid, "completed")
    assert len(world.plex.applied) == writes
    with pytest.raises(ServiceValidationError) as err:
        await set_status(hass, todo, uid, "needs_action")
    assert err.value.translation_key == "todo_unwatch_unsupported"

    await hass.services.async_call(
        "todo",
        "remove_item",
        {"entity_id": todo, "item": [uid, "senscritique:9001"]},
        blocking=True,
    )
    assert HEAT_PLEX.key not in world.plex.watchlist
    assert "1001" not in world.senscritique.watchlist
    assert "9001" not in world.senscritique.watchlist
    # The base agrees, so the next sync does not add them back.
    await entry.runtime_data.coordinator.async_refresh()
    assert HEAT_PLEX.key not in world.plex.watchlist
    assert await items(hass, todo) == []


async def test_unknown_item_and_expired_sign_in(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, wish=True)
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "todo", "remove_item", {"entity_id": todo, "item": ["nope"]}, blocking=True
        )
    world.plex.apply_error = AuthError(Side.PLEX, "401")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "todo",
            "remove_item",
            {"entity_id": todo, "item": [f"1001|{HEAT_PLEX.key}"]},
            blocking=True,
        )
    assert err.value.translation_key == "todo_write_failed"
    await hass.async_block_till_done()
    assert [
        f["context"]["source"] for f in hass.config_entries.flow.async_progress()
    ] == ["reauth"]


DARK_PLEX = Work("plex://show/dark", Kind.SHOW, "Dark", year=2017)
DARK_SC = Work("2001", Kind.SHOW, "Dark", year=2017)
DARK_UID = f"{DARK_SC.key}|{DARK_PLEX.key}"


async def test_completing_a_series_marks_it_only_where_a_series_keeps_a_watch(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """Plex keeps no series watch of its own (marking one marks every episode
    watched "now"): completing a series marks it on SensCritique only; where
    no side can take it, a translated error says so and nothing is written."""
    world.plex.capabilities = PLEX_CAPABILITIES
    world.plex.add(DARK_PLEX, wish=True)
    world.senscritique.add(DARK_SC, wish=True)
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    await set_status(hass, todo, DARK_UID, "completed")
    assert DARK_SC.key in world.senscritique.watched
    assert DARK_PLEX.key not in world.plex.watched
    assert [op for op in world.plex.applied if op.action is Action.MARK_WATCHED] == []

    world.senscritique.watched.clear()
    world.senscritique.capabilities = Capabilities(
        watched_kinds=frozenset({Kind.MOVIE, Kind.EPISODE})
    )
    await entry.runtime_data.coordinator.async_refresh()
    writes = len(world.plex.applied) + len(world.senscritique.applied)
    with pytest.raises(ServiceValidationError) as err:
        await set_status(hass, todo, DARK_UID, "completed")
    assert err.value.translation_key == "todo_kind_unsupported"
    assert err.value.translation_placeholders == {
        "service": "Plex",
        "title": "Dark",
        "kind": "show",
    }
    assert len(world.plex.applied) + len(world.senscritique.applied) == writes


async def test_adding_respects_the_kinds_a_watchlist_holds(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """A side whose watchlist cannot hold the work's kind gets no write; when
    no side can hold it, a translated error says so."""
    films_only = Capabilities(watchlist_kinds=frozenset({Kind.MOVIE}))
    world.plex.capabilities = films_only
    world.plex.catalogue[DARK_PLEX.key] = DARK_PLEX
    world.senscritique.catalogue[DARK_SC.key] = DARK_SC
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Dark (2017)"}, blocking=True
    )
    assert DARK_SC.key in world.senscritique.watchlist
    assert DARK_PLEX.key not in world.plex.watchlist
    assert world.plex.applied == []

    del world.senscritique.catalogue[DARK_SC.key]
    world.senscritique.watchlist.clear()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "todo", "add_item", {"entity_id": todo, "item": "Dark"}, blocking=True
        )
    assert err.value.translation_key == "todo_kind_unsupported"
    assert err.value.translation_placeholders["service"] == "Plex"
    assert world.plex.applied == []


async def test_read_only_entry_writes_the_to_do_list_on_plex_only(
    hass: HomeAssistant, world: FakeWorld
) -> None:
    """Read-only mode never writes to SensCritique, from the to-do list either:
    completing marks the film watched on Plex, deleting takes it off Plex's
    watchlist, and SensCritique is left as it was."""
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, wish=True)
    entry = read_only_entry()
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    uid = f"{HEAT_SC.key}|{HEAT_PLEX.key}"
    await set_status(hass, todo, uid, "completed")
    assert HEAT_PLEX.key in world.plex.watched
    await hass.services.async_call(
        "todo", "remove_item", {"entity_id": todo, "item": [uid]}, blocking=True
    )
    assert HEAT_PLEX.key not in world.plex.watchlist
    assert world.senscritique.applied == []
    assert HEAT_SC.key in world.senscritique.watchlist


async def test_completing_skips_a_side_that_cannot_mark_watched(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    """SensCritique's mark-as-seen was probed missing: completing marks the
    film watched on Plex alone, without an error."""
    world.senscritique.capabilities = Capabilities(mark_watched=False)
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, wish=True)
    await setup(hass, entry)
    todo = entity_id(hass, entry, "todo", "watchlist")
    await set_status(hass, todo, f"{HEAT_SC.key}|{HEAT_PLEX.key}", "completed")
    assert HEAT_PLEX.key in world.plex.watched
    assert HEAT_SC.key not in world.senscritique.watched
    assert [op.action for op in world.senscritique.applied] == []
