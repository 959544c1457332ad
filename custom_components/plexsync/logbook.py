"""The logbook: one entry per write PlexSync made, in plain words with the
reason the engine gave ("rated “Parasite” (2019) 9/10 on SensCritique because
you rated it on Plex").

Home Assistant renders a logbook description as given, in no particular
language: like Home Assistant's own descriptions, ours are English (README,
"Languages"). Each entry belongs to the entry's "Last run" sensor, so the
sensor's history shows them too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.const import Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN, EVENT_CHANGE

LAST_RUN_KEY = "last_run"


def message(reason: str) -> str:
    """The engine's sentence as the logbook puts it after the entry's name."""
    text = reason.strip().removesuffix(".")
    return text[:1].lower() + text[1:]


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, Any]]], None],
) -> None:
    """Describe PlexSync's change events."""

    @callback
    def describe_change(event: Event) -> dict[str, Any]:
        data = event.data
        entry_id = str(data.get("entry_id", ""))
        entry = hass.config_entries.async_get_entry(entry_id)
        described: dict[str, Any] = {
            LOGBOOK_ENTRY_NAME: entry.title if entry is not None else "PlexSync",
            LOGBOOK_ENTRY_MESSAGE: message(str(data.get("reason", ""))),
        }
        entity_id = er.async_get(hass).async_get_entity_id(
            Platform.SENSOR, DOMAIN, f"{entry_id}_{LAST_RUN_KEY}"
        )
        if entity_id is not None:
            described[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
        return described

    async_describe_event(DOMAIN, EVENT_CHANGE, describe_change)
