"""Each to-do item says where it stands: the side(s) it is on, its match,
writes awaited or not made, the ratings, and why a watched work is under
"Completed" (issue 16, item 6)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Side
from custom_components.plexsync.pipeline import SyncRequest

from .fakes import (
    ALIEN_PLEX,
    ALIEN_SC,
    HEAT_PLEX,
    HEAT_SC,
    T0,
    FakeWorld,
    movie,
)
from .ha_entry import entity_id, setup
from .test_todo import items


async def descriptions(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    todo = entity_id(hass, entry, "todo", "watchlist")
    return {i["summary"]: i.get("description", "") for i in await items(hass, todo)}


async def test_both_sides_ratings_and_a_match_missing(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True, rating=8)
    world.senscritique.add(HEAT_SC, wish=True, rating=8)
    world.senscritique.add(movie("9001", "Sans lien", 1950), wish=True)
    await setup(hass, entry)
    found = await descriptions(hass, entry)
    assert found["Heat (1995)"] == (
        "On your Plex watchlist and your SensCritique wishlist.\n"
        "Rated 8/10 on Plex and 8/10 on SensCritique."
    )
    assert found["Sans lien (1950)"] == (
        "On your SensCritique wishlist only: no match found on Plex, so it is "
        "not synced (link it with the plexsync.link action)."
    )


async def test_a_write_of_the_run_counts_and_a_failed_one_is_named(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.catalogue[HEAT_SC.key] = HEAT_SC
    world.plex.add(ALIEN_PLEX, wish=True)
    world.senscritique.catalogue[ALIEN_SC.key] = ALIEN_SC
    original = world.senscritique.apply

    def refuse_alien(op):  # type: ignore[no-untyped-def]
        if op.key == ALIEN_SC.key:
            raise ServiceUnavailable(Side.SENSCRITIQUE, "timeout")
        original(op)

    world.senscritique.apply = refuse_alien  # type: ignore[method-assign]
    coordinator = entry.runtime_data.coordinator
    # Heat's wish went through (the read did not show it yet, the run made
    # it); Alien's failed.
    await coordinator.async_run_now(SyncRequest())
    found = await descriptions(hass, entry)
    assert found["Heat (1995)"].startswith(
        "On your Plex watchlist and your SensCritique wishlist."
    )
    assert found["Alien (1979)"] == (
        "On your Plex watchlist only.\n"
        "Not done yet: add it to your SensCritique wishlist."
    )


async def test_a_write_not_shown_yet_is_awaited(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.catalogue[HEAT_SC.key] = HEAT_SC
    await setup(hass, entry)
    # SensCritique accepted the wish but its list does not show it yet.
    world.senscritique.watchlist.pop(HEAT_SC.key)
    await entry.runtime_data.coordinator.async_run_now(SyncRequest())
    found = await descriptions(hass, entry)
    assert (
        "Written to SensCritique, which does not show it yet" in (found["Heat (1995)"])
    )


async def test_preview_only_lists_what_is_not_done(
    hass: HomeAssistant, world: FakeWorld, preview_entry: MockConfigEntry
) -> None:
    world.plex.add(HEAT_PLEX, wish=True, rating=9)
    world.senscritique.add(HEAT_SC)
    entry = preview_entry
    await setup(hass, entry)
    found = await descriptions(hass, entry)
    assert found["Heat (1995)"] == (
        "On your Plex watchlist only.\n"
        "Not done yet: add it to your SensCritique wishlist.\n"
        "Not done yet: rate it 9/10 on SensCritique.\n"
        "Rated 9/10 on Plex."
    )


async def test_a_watched_title_added_lands_under_completed_and_says_why(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    await setup(hass, entry)
    world.plex.catalogue[ALIEN_PLEX.key] = ALIEN_PLEX
    world.senscritique.add(ALIEN_SC, watched=T0)
    todo = entity_id(hass, entry, "todo", "watchlist")
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Alien (1979)"}, blocking=True
    )
    listed = {i["summary"]: i for i in await items(hass, todo)}
    alien = listed["Alien (1979)"]
    assert alien["status"] == "completed"
    # The sync that followed the add copied the watch to Plex, with its date.
    assert alien["description"] == (
        "On your Plex watchlist and your SensCritique wishlist.\n"
        "Completed because you watched it on Plex on 2025-01-01 and on "
        "SensCritique on 2025-01-01: the watchlist shows what you watched as "
        "completed. Delete it to take it off your lists."
    )
