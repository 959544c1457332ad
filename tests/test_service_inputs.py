"""Every service input is capped by its schema (issue 14, item 7): an absurd
value stops there, before any entry is looked at or any request is sent."""

from __future__ import annotations

from typing import Any

import pytest
import voluptuous as vol
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN

from .fakes import FakeWorld
from .ha_entry import setup

LONG_ID = "x" * 65


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("sync", {"config_entry_id": LONG_ID}),
        ("sync", {"config_entry_id": ""}),
        ("sync", {"features": ["watchlist", "watchlist"]}),
        ("sync", {"features": ["watchlist", "ratings", "watched", "watched"]}),
        ("sync", {"features": ["everything"]}),
        ("sync", {"dry_run": "perhaps"}),
        ("confirm_removals", {"config_entry_id": LONG_ID}),
        ("link", {"config_entry_id": LONG_ID}),
        ("unlink", {"config_entry_id": LONG_ID, "senscritique_id": "1001"}),
        ("unlink", {"senscritique_id": "1" * 101}),
        ("unlink", {}),
    ],
)
async def test_absurd_inputs_stop_at_the_schema(
    hass: HomeAssistant,
    world: FakeWorld,
    entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    """Fails before the fix for the unbounded ones (entry id length,
    repeated or too many features)."""
    await setup(hass, entry)
    reads = (world.plex.reads, world.senscritique.reads)
    base = {"config_entry_id": entry.entry_id}
    if service == "link":
        base |= {
            "senscritique_id": "1001",
            "plex_guid": "plex://movie/5d7768244af8d1001f2e0001",
        }
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(DOMAIN, service, {**base, **data}, blocking=True)
    assert (world.plex.reads, world.senscritique.reads) == reads


@pytest.mark.parametrize("title", ["   ", "Heat " * 50])
async def test_a_todo_title_is_checked_before_any_search(
    hass: HomeAssistant, world: FakeWorld, entry: MockConfigEntry, title: str
) -> None:
    """Fails before the fix: the title went to both services' searches."""
    from homeassistant.exceptions import ServiceValidationError

    from .ha_entry import entity_id

    await setup(hass, entry)
    searched: list[str] = []
    world.plex.search = lambda text, kind, year: searched.append(text) or []  # type: ignore[method-assign]
    todo = entity_id(hass, entry, "todo", "watchlist")
    # Home Assistant 2026.2's own schema refuses a blank item; 2025.4 lets it
    # through to ours. Either way nothing is searched.
    with pytest.raises((ServiceValidationError, vol.Invalid)) as err:
        await hass.services.async_call(
            "todo", "add_item", {"entity_id": todo, "item": title}, blocking=True
        )
    if isinstance(err.value, ServiceValidationError):
        assert err.value.translation_key == "todo_title_invalid"
    assert searched == []
