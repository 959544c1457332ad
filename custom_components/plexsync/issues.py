"""Repair issues: what each guard held (mass removals; a shrink, i.e. a side
that suddenly reads much smaller), each fixable by confirming exactly what it
shows (repairs.py); unmatched works, reviewed one by one (review_flow.py);
a plexapi older than the oldest tested."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version

from awesomeversion import AwesomeVersion
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, MIN_PLEXAPI_VERSION
from .engine.guards import NOTHING_HELD, Held
from .engine.link_view import NAME
from .engine.model import Side
from .engine.plans import GuardKind
from .summary import SyncSummary

ISSUE_PLEXAPI = "plexapi_outdated"
ISSUE_UNMATCHED = "unmatched"  # fixable by a review (review_flow.py)
MAX_TITLES_IN_ISSUE = 10
# The issue (and its translation key) of each guard's holds.
GUARD_ISSUES = {
    GuardKind.MASS_REMOVAL: "held_removals",
    GuardKind.SHRINK: "shrink_guard",
}
_SEVERITY = {
    GuardKind.MASS_REMOVAL: ir.IssueSeverity.WARNING,
    GuardKind.SHRINK: ir.IssueSeverity.ERROR,
}


def issue_id(kind: str, entry_id: str) -> str:
    """Per entry issue id ("held_removals_<entry id>")."""
    return f"{kind}_{entry_id}"


def _installed_plexapi() -> str | None:
    try:
        return version("plexapi")
    except PackageNotFoundError:
        return None


async def async_check_plexapi(hass: HomeAssistant) -> None:
    """Warn when the installed plexapi is older than manifest.json requires.

    Home Assistant installs the requirement itself, so this only shows where
    that could not happen. Before 4.15 plexapi signs in through plex.tv's
    older API, which PlexSync is not tested against.
    """
    installed = await hass.async_add_executor_job(_installed_plexapi)
    if installed is not None and AwesomeVersion(installed) < AwesomeVersion(
        MIN_PLEXAPI_VERSION
    ):
        ir.async_create_issue(
            hass,
            DOMAIN,
            ISSUE_PLEXAPI,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_PLEXAPI,
            translation_placeholders={
                "installed": installed,
                "required": MIN_PLEXAPI_VERSION,
            },
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, ISSUE_PLEXAPI)


def hold_placeholders(
    entry_title: str, held: Held, titles: Mapping[str, str]
) -> dict[str, str]:
    """What one guard's repair issue, and the confirmation of it, show: how
    many removals on each side, which works, and for a shrink the side's loss
    (agreed items it no longer shows, of how many)."""
    names = sorted({titles.get(op.link, "?") for op in held.ops}, key=str.casefold)
    listed = ", ".join(names[:MAX_TITLES_IN_ISSUE])
    if len(names) > MAX_TITLES_IN_ISSUE:
        listed += ", …"
    shrinks = [g for g in held.guards if g.kind is GuardKind.SHRINK]
    return {
        "entry": entry_title,
        "count": str(len(held.ops)),
        "plex": str(sum(op.side is Side.PLEX for op in held.ops)),
        "senscritique": str(sum(op.side is Side.SENSCRITIQUE for op in held.ops)),
        "titles": listed or "-",
        "sides": ", ".join(
            NAME[side] for side in Side if any(g.side is side for g in shrinks)
        ),
        "lost": str(sum(g.count for g in shrinks)),
        "agreed": str(max((g.agreed for g in shrinks), default=0)),
    }


@callback
def async_update_issues(
    hass: HomeAssistant, entry: ConfigEntry, summary: SyncSummary
) -> None:
    """Raise or clear this entry's issues after a run."""
    entry_id = entry.entry_id
    title = entry.title
    held = Held.of(summary.plan) if summary.plan else NOTHING_HELD
    for kind, key in GUARD_ISSUES.items():
        of_kind = held.only(kind)
        if of_kind.empty:
            ir.async_delete_issue(hass, DOMAIN, issue_id(key, entry_id))
            continue
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(key, entry_id),
            is_fixable=True,
            severity=_SEVERITY[kind],
            translation_key=key,
            translation_placeholders=hold_placeholders(
                title, of_kind, summary.held_titles
            ),
            data={"entry_id": entry_id, "guard": kind.value},
        )

    unmatched = issue_id(ISSUE_UNMATCHED, entry_id)
    if summary.unmatched_count:
        titles = ", ".join(
            f"{u.title} ({u.year})" if u.year else u.title
            for u in summary.unmatched[:MAX_TITLES_IN_ISSUE]
        )
        ir.async_create_issue(
            hass,
            DOMAIN,
            unmatched,
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key="unmatched",
            translation_placeholders={
                "entry": title,
                "count": str(summary.unmatched_count),
                "titles": titles,
            },
            data={"entry_id": entry_id, "hold": ISSUE_UNMATCHED},
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, unmatched)
