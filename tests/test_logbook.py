"""A log of every change: each write fires plexsync_change with the engine's
reason, and the logbook shows it in plain words (issue 16, item 3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.plexsync.const import DOMAIN, EVENT_CHANGE
from custom_components.plexsync.logbook import message

from .fakes import ALIEN_PLEX, ALIEN_SC, HEAT_PLEX, HEAT_SC, T0, FakeWorld
from .ha_entry import collect, entity_id, setup
from .test_undo import seed, undo


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder (for the logbook) must start before Home Assistant does,
    which enabling the custom integrations would otherwise start first."""


def test_the_reason_reads_after_the_entry_name() -> None:
    assert message(
        "Rated “Heat” (1995) 8/10 on Plex because you rated it on SensCritique."
    ) == ("rated “Heat” (1995) 8/10 on Plex because you rated it on SensCritique")


async def test_each_write_fires_a_change_event(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    seed(world)
    changes = collect(hass, EVENT_CHANGE)
    await setup(hass, entry)
    by_action = {(e.data["side"], e.data["action"]): e.data for e in changes}
    assert set(by_action) == {
        ("senscritique", "add_watchlist"),
        ("plex", "set_rating"),
        ("plex", "mark_watched"),
    }
    rated = by_action["plex", "set_rating"]
    assert rated == {
        "entry_id": entry.entry_id,
        "person": None,  # the entry names no person (tests/test_person.py)
        "side": "plex",
        "action": "set_rating",
        "title": "Heat",
        "key": HEAT_PLEX.key,
        "value": 8,
        "reason": "Rated “Heat” (1995) 8/10 on Plex because you rated it on "
        "SensCritique.",
    }
    # An undo's writes are changes too, and say why.
    await undo(hass, entry)
    undone = [e.data for e in changes[3:]]
    assert len(undone) == 3
    assert all(d["reason"].endswith("because you undid the last sync.") for d in undone)


async def test_to_do_writes_are_changes(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry
) -> None:
    world.plex.catalogue[ALIEN_PLEX.key] = ALIEN_PLEX
    world.senscritique.catalogue[ALIEN_SC.key] = ALIEN_SC
    await setup(hass, entry)
    changes = collect(hass, EVENT_CHANGE)
    todo = entity_id(hass, entry, "todo", "watchlist")
    await hass.services.async_call(
        "todo", "add_item", {"entity_id": todo, "item": "Alien (1979)"}, blocking=True
    )
    added = [(e.data["side"], e.data["action"], e.data["title"]) for e in changes]
    assert added[:2] == [
        ("plex", "add_watchlist", "Alien"),
        ("senscritique", "add_watchlist", "Alien"),
    ]


async def test_the_logbook_shows_each_change(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await async_setup_component(hass, "logbook", {})
    world.plex.add(HEAT_PLEX, wish=True)
    world.senscritique.add(HEAT_SC, rating=8)
    world.senscritique.add(ALIEN_SC, watched=T0)
    world.plex.catalogue[ALIEN_PLEX.key] = ALIEN_PLEX
    start = dt_util.utcnow() - timedelta(minutes=1)
    await setup(hass, entry)
    await async_wait_recording_done(hass)
    client = await hass_ws_client()
    await client.send_json(
        {
            "id": 1,
            "type": "logbook/get_events",
            "start_time": start.isoformat(),
            "end_time": (dt_util.utcnow() + timedelta(minutes=1)).isoformat(),
        }
    )
    reply = await client.receive_json()
    assert reply["success"], reply
    ours: list[dict[str, Any]] = [
        e for e in reply["result"] if e.get("domain") == DOMAIN
    ]
    last_run = entity_id(hass, entry, "sensor", "last_run")
    assert {(e["name"], e["message"], e.get("entity_id")) for e in ours} == {
        (
            entry.title,
            "added “Heat” (1995) to your SensCritique wishlist because it is on "
            "your Plex watchlist",
            last_run,
        ),
        (
            entry.title,
            "rated “Heat” (1995) 8/10 on Plex because you rated it on SensCritique",
            last_run,
        ),
        (
            entry.title,
            "marked “Alien” (1979) watched on 2025-01-01 on Plex because you "
            "watched it on SensCritique",
            last_run,
        ),
    }
