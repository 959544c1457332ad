"""What waits for the user's word besides the guards' holds (issues.py), with
the same confirmation: a `Held` of exactly what was shown (engine/guards.py).

- Preview only: a run plans and writes nothing. Its planned writes are a
  fixable repair issue listing them; "apply these" runs one sync that writes
  the listed writes it still plans, and nothing else (pipeline.py).
- The to-do list: deleting more items at once than the mass-removal guard
  lets a sync remove (e.g. "Remove completed items") writes nothing; the
  deletions are held, a repair issue lists them, and confirming deletes
  exactly those still on the watchlist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .engine.guards import NOTHING_HELD, Held, removal_limit
from .engine.model import Feature, Side
from .engine.plans import GuardKind, GuardReport, Op, Plan
from .engine.settings import SyncOptions
from .issues import issue_id

ISSUE_PREVIEW = "preview_changes"
ISSUE_TODO_HELD = "held_todo_removals"
# A confirmation covers what its form lists: at most this many writes a time.
MAX_LISTED = 50


def waiting(plan: Plan, applied: Iterable[Op], *, preview: bool) -> Held:
    """The writes a preview-only run planned and did not make (those an
    approval let through are made)."""
    if not preview:
        return NOTHING_HELD
    made = set(applied)
    return Held(tuple(op for op in plan.ops if op not in made))


def listed(held: Held) -> Held:
    """What a form lists of `held`, and so what its confirmation covers: the
    first MAX_LISTED writes (the others wait for the next confirmation)."""
    return Held(held.ops[:MAX_LISTED], held.guards)


def placeholders(entry_title: str, held: Held) -> dict[str, str]:
    """What the preview's and the to-do hold's issues and forms show: each
    write listed, one a line, in plain words."""
    shown = listed(held)
    sides = Counter(op.side for op in shown.ops)
    return {
        "entry": entry_title,
        "count": str(len(shown.ops)),
        "total": str(len(held.ops)),
        "plex": str(sides[Side.PLEX]),
        "senscritique": str(sides[Side.SENSCRITIQUE]),
        "changes": "\n".join(f"- {op.reason}" for op in shown.ops),
    }


def hold_todo_removals(ops: Iterable[Op], agreed: int, options: SyncOptions) -> Held:
    """The to-do list's removals, held when any side would lose more than the
    mass-removal guard lets a sync remove (NOTHING_HELD: go ahead)."""
    removals = [op for op in ops if op.action.is_removal]
    limit = removal_limit(agreed, options)
    reports = tuple(
        GuardReport(
            GuardKind.MASS_REMOVAL, side, Feature.WATCHLIST, count, limit, agreed
        )
        for side, count in sorted(Counter(op.side for op in removals).items())
        if count > limit
    )
    if not reports:
        return NOTHING_HELD
    return Held(tuple(removals), reports)


@callback
def async_update_hold_issue(
    hass: HomeAssistant, entry: ConfigEntry, issue: str, held: Held
) -> None:
    """Raise `issue` (ISSUE_PREVIEW, ISSUE_TODO_HELD) while `held` holds
    anything, with its fix flow (repairs.py); clear it otherwise."""
    issue_key = issue_id(issue, entry.entry_id)
    if held.empty:
        ir.async_delete_issue(hass, DOMAIN, issue_key)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_key,
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=issue,
        translation_placeholders=placeholders(entry.title, held),
        data={"entry_id": entry.entry_id, "hold": issue},
    )
