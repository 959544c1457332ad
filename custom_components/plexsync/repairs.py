"""The fix flows of the guards' and approvals' issues: confirm exactly what
the form shows.

Each guard's holds are confirmed on their own (mass removals; a shrink, a
side that suddenly reads much smaller), and so are a preview's planned writes
and the to-do list's held deletions (approvals.py). The form shows what is
held, and the same hold, captured when the form was shown, is what the
confirmation releases: what a later run plans or holds is not in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult

from .approvals import ISSUE_PREVIEW, ISSUE_TODO_HELD, listed, placeholders
from .coordinator import loaded_entry_or_none
from .engine.errors import SyncServiceError
from .engine.guards import NOTHING_HELD
from .engine.plans import GuardKind
from .issues import ISSUE_UNMATCHED, hold_placeholders
from .pipeline import SyncRequest
from .review_flow import UnmatchedReviewFlow
from .watchlist import async_confirm_removals

if TYPE_CHECKING:
    pass


class HeldRemovalsRepairFlow(RepairsFlow):
    """Confirm what one guard held, a preview planned or the to-do list held:
    exactly what the form showed (`hold`: the guard's kind, or an issue of
    approvals.py)."""

    def __init__(self, entry_id: str, hold: str) -> None:
        self._entry_id = entry_id
        self._hold = hold
        self._shown = NOTHING_HELD

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        entry = loaded_entry_or_none(self.hass, self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_not_loaded")
        coordinator = entry.runtime_data.coordinator
        if user_input is not None:
            try:
                if self._hold == ISSUE_TODO_HELD:
                    await async_confirm_removals(coordinator, self._shown)
                else:
                    await coordinator.async_run_now(SyncRequest(confirmed=self._shown))
            except SyncServiceError:
                return self.async_abort(reason="sync_failed")
            return self.async_create_entry(data={})
        if self._hold == ISSUE_PREVIEW:
            self._shown = listed(coordinator.waiting)
        elif self._hold == ISSUE_TODO_HELD:
            self._shown = listed(coordinator.todo_held)
        else:
            self._shown = coordinator.held.only(GuardKind(self._hold))
        if self._shown.empty:
            return self.async_abort(reason="nothing_held")
        if self._hold == ISSUE_PREVIEW:
            shown = placeholders(entry.title, coordinator.waiting)
        elif self._hold == ISSUE_TODO_HELD:
            shown = placeholders(entry.title, coordinator.todo_held)
        else:
            titles = coordinator.data.held_titles if coordinator.data else {}
            shown = hold_placeholders(entry.title, self._shown, titles)
        return self.async_show_form(step_id="confirm", description_placeholders=shown)


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue (the guards', the approvals' and the
    review of unmatched works)."""
    assert data is not None
    # Issues raised before each guard had its own carry no "guard".
    hold = data.get("hold") or data.get("guard", GuardKind.MASS_REMOVAL.value)
    if hold == ISSUE_UNMATCHED:
        return UnmatchedReviewFlow(str(data["entry_id"]))
    return HeldRemovalsRepairFlow(str(data["entry_id"]), str(hold))
