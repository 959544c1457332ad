"""Repair issues: held removals (fixable, see repairs.py), shrink-guard faults,
unmatched works, and a plexapi older than the oldest tested."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from awesomeversion import AwesomeVersion
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, MIN_PLEXAPI_VERSION
from .engine.model import GuardKind
from .summary import SyncSummary

if TYPE_CHECKING:
    from . import PlexSyncConfigEntry

ISSUE_PLEXAPI = "plexapi_outdated"
MAX_TITLES_IN_ISSUE = 10


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


@callback
def async_update_issues(
    hass: HomeAssistant, entry: PlexSyncConfigEntry, summary: SyncSummary
) -> None:
    """Raise or clear this entry's issues after a run."""
    entry_id = entry.entry_id
    title = entry.title
    held = issue_id("held_removals", entry_id)
    if summary.held:
        ir.async_create_issue(
            hass,
            DOMAIN,
            held,
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key="held_removals",
            translation_placeholders={"entry": title, "count": str(len(summary.held))},
            data={"entry_id": entry_id},
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, held)

    shrink = issue_id("shrink_guard", entry_id)
    guards = [
        g
        for g in (summary.plan.guards if summary.plan else ())
        if g.kind is GuardKind.SHRINK
    ]
    if guards:
        ir.async_create_issue(
            hass,
            DOMAIN,
            shrink,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="shrink_guard",
            translation_placeholders={
                "entry": title,
                "sides": ", ".join(sorted({g.side.value for g in guards})),
            },
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, shrink)

    unmatched = issue_id("unmatched", entry_id)
    if summary.unmatched_count:
        titles = ", ".join(
            f"{u.title} ({u.year})" if u.year else u.title
            for u in summary.unmatched[:MAX_TITLES_IN_ISSUE]
        )
        ir.async_create_issue(
            hass,
            DOMAIN,
            unmatched,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="unmatched",
            translation_placeholders={
                "entry": title,
                "count": str(summary.unmatched_count),
                "titles": titles,
            },
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, unmatched)
