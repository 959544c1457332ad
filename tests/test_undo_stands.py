"""The user's undo of a write the sync made stands, across the whole grace
window, through Home Assistant's schedule (design.md, Safety: write lag).

Each test lets the entry's scheduled syncs (every 6 hours) run by moving the
clock (`freezer`) and firing Home Assistant's timers, over hours and days.
Plex shows every write at once: a write it accepted is confirmed, and the next
read is the truth. SensCritique's wishlist lags (the fake hides a wish the
sync adds from its reads): a written wish stands in only while SensCritique
has never shown it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.errors import ServiceUnavailable
from custom_components.plexsync.engine.model import Action, Side
from custom_components.plexsync.options import default_options

from .fakes import HEAT_PLEX, HEAT_SC, T0 as T1, FakeWorld, entry_data, movie

SCHEDULE = timedelta(hours=6)  # the default sync interval
# Four scheduled syncs a day, for three days: the 24-hour window and beyond.
DAYS = 3
T0 = "2025-02-01T08:00:00+00:00"
OWN_PLEX = movie("plex://movie/own", "Only on Plex", 2001)
OWN_SC = movie("9001", "Seulement sur SensCritique", 2002)


async def _setup(hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry) -> None:
    """Set the entry up; its first sync runs. Each side also holds a film of
    its own on every list, so that no read is empty (the shrink guard would
    take an emptied list for a bad read and hold the removal)."""
    world.plex.add(OWN_PLEX, wish=True, rating=5, watched=T1)
    world.senscritique.add(OWN_SC, wish=True, rating=5, watched=T1)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _scheduled_sync(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Six hours pass: the scheduled sync runs (a background task)."""
    freezer.tick(SCHEDULE)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _applied(world: FakeWorld, side: Side, action: Action) -> int:
    fake = world.plex if side is Side.PLEX else world.senscritique
    return sum(1 for op in fake.applied if op.action is action and op.link)


async def test_removing_a_wish_the_sync_added_on_plex_stands_for_days(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Heat wished on SensCritique is added to Plex; the user removes it from
    Plex before the next sync. Plex has no lag: the next read is the truth, the removal
    travels to SensCritique, and Heat is never added back (before this
    change it stood in as pending and came back after 24 hours)."""
    freezer.move_to(T0)
    world.senscritique.add(HEAT_SC, wish=True)
    world.plex.catalogue[HEAT_PLEX.key] = HEAT_PLEX
    await _setup(hass, world, entry)
    assert HEAT_PLEX.key in world.plex.watchlist

    del world.plex.watchlist[HEAT_PLEX.key]  # the user's undo
    for _ in range(DAYS * 4):
        await _scheduled_sync(hass, freezer)
        assert HEAT_SC.key not in world.senscritique.watchlist
        assert HEAT_PLEX.key not in world.plex.watchlist
    assert _applied(world, Side.PLEX, Action.ADD_WATCHLIST) == 1
    assert _applied(world, Side.SENSCRITIQUE, Action.REMOVE_WATCHLIST) == 1
    # Confirmed when Plex accepted it: never pending.
    assert entry.runtime_data.coordinator.state.pending == ()


async def test_clearing_a_rating_the_sync_copied_to_plex_stands_for_days(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Heat rated 8 on SensCritique is rated on Plex; the user clears the
    Plex rating. Rating removals do not propagate by default: SensCritique
    keeps its 8, Plex stays unrated (it came back after 24 hours before)."""
    freezer.move_to(T0)
    world.senscritique.add(HEAT_SC, rating=8)
    world.plex.catalogue[HEAT_PLEX.key] = HEAT_PLEX
    await _setup(hass, world, entry)
    assert world.plex.ratings[HEAT_PLEX.key].value == 8

    del world.plex.ratings[HEAT_PLEX.key]
    for _ in range(DAYS * 4):
        await _scheduled_sync(hass, freezer)
        assert HEAT_PLEX.key not in world.plex.ratings
        assert world.senscritique.ratings[HEAT_SC.key].value == 8
    assert _applied(world, Side.PLEX, Action.SET_RATING) == 1


async def test_a_lagging_wish_stands_in_until_shown_then_an_undo_stands(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Heat wished on Plex is added to SensCritique, which shows it only from
    its third read on. Until then the write stands in: no removal from Plex,
    no second write. Once shown, the user's removal on SensCritique is theirs:
    it travels to Plex and is not undone in the days after."""
    freezer.move_to(T0)
    world.senscritique.wish_lag = 2
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.catalogue[HEAT_SC.key] = HEAT_SC
    await _setup(hass, world, entry)
    coordinator = entry.runtime_data.coordinator
    (pending,) = coordinator.state.pending
    assert (pending.side, pending.action) == (Side.SENSCRITIQUE, Action.ADD_WATCHLIST)

    for hidden in (True, True, False):  # +6 h and +12 h hidden, +18 h shown
        await _scheduled_sync(hass, freezer)
        assert HEAT_PLEX.key in world.plex.watchlist
        assert (coordinator.data.pending == 1) is hidden
    assert coordinator.state.pending == ()
    assert _applied(world, Side.SENSCRITIQUE, Action.ADD_WATCHLIST) == 1

    del world.senscritique.watchlist[HEAT_SC.key]  # the user's undo, once shown
    for _ in range(DAYS * 4):
        await _scheduled_sync(hass, freezer)
        assert HEAT_PLEX.key not in world.plex.watchlist
        assert HEAT_SC.key not in world.senscritique.watchlist
    assert _applied(world, Side.SENSCRITIQUE, Action.ADD_WATCHLIST) == 1


async def test_a_lagging_wish_never_shown_is_written_again_after_the_window(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """SensCritique accepts the wish but never shows it: for 24 hours it
    stands in (Plex keeps Heat, nothing is written again); when the window
    ends it counts as failed and is planned again from the base, never taken
    as agreed (which would have read its absence as a removal from Plex)."""
    freezer.move_to(T0)
    world.senscritique.wish_lag = -1
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.catalogue[HEAT_SC.key] = HEAT_SC
    await _setup(hass, world, entry)
    coordinator = entry.runtime_data.coordinator

    for _ in range(3):  # +6 h, +12 h, +18 h: within the window
        await _scheduled_sync(hass, freezer)
        assert coordinator.data.pending == 1
        assert _applied(world, Side.SENSCRITIQUE, Action.ADD_WATCHLIST) == 1
    await _scheduled_sync(hass, freezer)  # +24 h: the window ends
    assert _applied(world, Side.SENSCRITIQUE, Action.ADD_WATCHLIST) == 2
    assert HEAT_PLEX.key in world.plex.watchlist
    assert _applied(world, Side.PLEX, Action.REMOVE_WATCHLIST) == 0


async def test_read_only_senscritique_observes_a_removal_on_plex_stands(
    hass: HomeAssistant, world: FakeWorld, freezer: FrozenDateTimeFactory
) -> None:
    """SensCritique attached by username only is never written: it is an
    observer. Heat, wished there, is added to Plex; the user removes it from
    Plex; SensCritique still lists it, and the removal stands for days."""
    freezer.move_to(T0)
    entry = _read_only_entry()
    world.senscritique.add(HEAT_SC, wish=True, rating=7)
    world.plex.catalogue[HEAT_PLEX.key] = HEAT_PLEX
    await _setup(hass, world, entry)
    assert HEAT_PLEX.key in world.plex.watchlist
    assert world.plex.ratings[HEAT_PLEX.key].value == 7

    del world.plex.watchlist[HEAT_PLEX.key]
    del world.plex.ratings[HEAT_PLEX.key]
    for _ in range(DAYS * 4):
        await _scheduled_sync(hass, freezer)
        assert HEAT_PLEX.key not in world.plex.watchlist
        assert HEAT_PLEX.key not in world.plex.ratings
    assert HEAT_SC.key in world.senscritique.watchlist
    assert world.senscritique.applied == []
    assert _applied(world, Side.PLEX, Action.ADD_WATCHLIST) == 1


def _read_only_entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id="4242_777",
        data=entry_data(senscritique_mode="read_only"),
        options=default_options(read_only=True),
    )


async def test_read_only_a_removal_from_the_todo_list_stands(
    hass: HomeAssistant, world: FakeWorld, freezer: FrozenDateTimeFactory
) -> None:
    """Read-only: deleting Heat from the watchlist to-do list removes it from
    Plex only (SensCritique is never written). That is the user's removal on
    Plex: it stands, however long SensCritique lists Heat (before, it was
    recorded as if both sides agreed on "off", and SensCritique's wish was
    copied back to Plex by the next sync)."""
    freezer.move_to(T0)
    entry = _read_only_entry()
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, wish=True)
    await _setup(hass, world, entry)
    todo = er.async_get(hass).async_get_entity_id(
        "todo", DOMAIN, f"{entry.entry_id}_watchlist"
    )
    await hass.services.async_call(
        "todo",
        "remove_item",
        {"entity_id": todo, "item": [f"{HEAT_SC.key}|{HEAT_PLEX.key}"]},
        blocking=True,
    )
    assert HEAT_PLEX.key not in world.plex.watchlist

    for _ in range(DAYS * 4):
        await _scheduled_sync(hass, freezer)
        assert HEAT_PLEX.key not in world.plex.watchlist
    assert HEAT_SC.key in world.senscritique.watchlist
    assert world.senscritique.applied == []


async def test_an_add_from_the_todo_list_that_one_side_refused_is_completed(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Adding Heat from the to-do list reaches SensCritique, but Plex is down.
    The wish on SensCritique is the user's: the next sync copies it to Plex
    (before, the write was recorded as agreed on both sides, and Plex's
    missing wish read as a removal that took Heat off SensCritique)."""
    freezer.move_to(T0)
    world.plex.catalogue[HEAT_PLEX.key] = HEAT_PLEX
    world.senscritique.catalogue[HEAT_SC.key] = HEAT_SC
    await _setup(hass, world, entry)
    todo = er.async_get(hass).async_get_entity_id(
        "todo", DOMAIN, f"{entry.entry_id}_watchlist"
    )
    world.plex.apply_error = ServiceUnavailable(Side.PLEX, "down")
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            "todo",
            "add_item",
            {"entity_id": todo, "item": "Heat (1995)"},
            blocking=True,
        )
    world.plex.apply_error = None
    assert HEAT_SC.key in world.senscritique.watchlist

    for _ in range(DAYS * 4):
        await _scheduled_sync(hass, freezer)
        assert HEAT_SC.key in world.senscritique.watchlist
    assert HEAT_PLEX.key in world.plex.watchlist
