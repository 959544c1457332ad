"""The change events: ``plexsync_change``, one per write that succeeded,
whatever made it (a sync, the to-do list, an undo): side, action, title,
reason. The logbook describes them (logbook.py); automations can follow them.

Every event names its entry (``entry_id``), so one automation can follow one
entry. ``plexsync_sync_finished`` / ``plexsync_sync_failed`` are fired by the
coordinator.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant, callback

from .const import EVENT_CHANGE
from .engine.model import Op


def change_data(entry_id: str, op: Op) -> dict[str, Any]:
    """What ``plexsync_change`` carries for one write."""
    return {
        "entry_id": entry_id,
        "side": op.side.value,
        "action": op.action.value,
        "title": op.title,
        "key": op.key,
        "value": op.value,
        "reason": op.reason,
    }


@callback
def fire_change(hass: HomeAssistant, entry_id: str, op: Op) -> None:
    hass.bus.async_fire(EVENT_CHANGE, change_data(entry_id, op))
