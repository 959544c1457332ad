"""The fix flows of the guards' issues: confirm exactly what the form shows.

Each guard's holds are confirmed on their own (mass removals; a shrink, a
side that suddenly reads much smaller). The form shows what the last run
held for that guard, and the same hold, captured when the form was shown, is
what the confirmation releases: a later run's new holds are not in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult

from .engine.errors import SyncServiceError
from .engine.guards import NOTHING_HELD
from .engine.model import GuardKind
from .issues import hold_placeholders
from .pipeline import SyncRequest

if TYPE_CHECKING:
    from . import PlexSyncConfigEntry


class HeldRemovalsRepairFlow(RepairsFlow):
    """Confirm what one guard held: runs one sync that releases exactly it."""

    def __init__(self, entry_id: str, guard: GuardKind) -> None:
        self._entry_id = entry_id
        self._guard = guard
        self._shown = NOTHING_HELD

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        entry: PlexSyncConfigEntry | None = self.hass.config_entries.async_get_entry(
            self._entry_id
        )
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        coordinator = entry.runtime_data.coordinator
        if user_input is not None:
            try:
                await coordinator.async_run_now(SyncRequest(confirmed=self._shown))
            except SyncServiceError:
                return self.async_abort(reason="sync_failed")
            return self.async_create_entry(data={})
        self._shown = coordinator.held.only(self._guard)
        if self._shown.empty:
            return self.async_abort(reason="nothing_held")
        titles = coordinator.data.held_titles if coordinator.data else {}
        return self.async_show_form(
            step_id="confirm",
            description_placeholders=hold_placeholders(
                entry.title, self._shown, titles
            ),
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue (the guards' issues are)."""
    assert data is not None
    # Issues raised before each guard had its own carry no "guard".
    guard = GuardKind(data.get("guard", GuardKind.MASS_REMOVAL.value))
    return HeldRemovalsRepairFlow(str(data["entry_id"]), guard)
