"""The change events: ``plexsync_change``, one per write that succeeded,
whatever made it (a sync, the to-do list, an undo): side, action, title,
reason. The logbook describes them (logbook.py); automations can follow them.

Every event names its entry (``entry_id``) and, when the options name one,
the Home Assistant person it syncs (``person``, an entity id): one automation
can follow one entry, or notify that person's phone. ``plexsync_sync_finished`` / ``plexsync_sync_failed`` are fired by the
coordinator.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .const import CONF_PERSON, EVENT_CHANGE
from .engine.plans import Op


def entry_fields(entry: ConfigEntry) -> dict[str, Any]:
    """What every PlexSync event says of its entry."""
    return {"entry_id": entry.entry_id, "person": entry.options.get(CONF_PERSON)}


def change_data(entry: ConfigEntry, op: Op) -> dict[str, Any]:
    """What ``plexsync_change`` carries for one write."""
    return {
        **entry_fields(entry),
        "side": op.side.value,
        "action": op.action.value,
        "title": op.title,
        "key": op.key,
        "value": op.value,
        "reason": op.reason,
    }


@callback
def fire_change(hass: HomeAssistant, entry: ConfigEntry, op: Op) -> None:
    hass.bus.async_fire(EVENT_CHANGE, change_data(entry, op))
