"""The fix flow of the held-removals issue: confirm, then one sync lets the
held removals through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult

from .engine.errors import SyncServiceError
from .pipeline import SyncRequest

if TYPE_CHECKING:
    from . import PlexSyncConfigEntry


class HeldRemovalsRepairFlow(RepairsFlow):
    """Confirm the removals a guard held: runs one sync that lets them through."""

    def __init__(self, entry_id: str) -> None:
        self._entry_id = entry_id

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
        if user_input is not None:
            coordinator = entry.runtime_data.coordinator
            try:
                await coordinator.async_run_now(SyncRequest(confirm_removals=True))
            except SyncServiceError:
                return self.async_abort(reason="sync_failed")
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            description_placeholders={
                "entry": entry.title,
                "count": str(len(entry.runtime_data.coordinator.data.held)),
            },
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue (only held removals are fixable)."""
    assert data is not None
    return HeldRemovalsRepairFlow(str(data["entry_id"]))
