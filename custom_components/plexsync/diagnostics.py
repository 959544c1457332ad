"""Diagnostics: the entry, the state summary, the last plan and report, and
what each service can write. Secrets and personal addresses are redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import PlexSyncConfigEntry
from .const import (
    CONF_PLEX_TOKEN,
    CONF_PLEX_USERNAME,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
)
from .engine.codec import plan_to_json

TO_REDACT = {
    CONF_PLEX_TOKEN,
    CONF_SC_PASSWORD,
    CONF_SC_EMAIL,
    CONF_PLEX_USERNAME,
    "token",
    "password",
    "email",
    "cookie",
    "cookies",
    "authorization",
    "X-Plex-Token",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: PlexSyncConfigEntry
) -> dict[str, Any]:
    """Everything useful to debug a sync, nothing that signs in."""
    coordinator = entry.runtime_data.coordinator
    summary = coordinator.data
    state = coordinator.state
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "status": coordinator.status().value,
            "last_success": coordinator.last_success.isoformat()
            if coordinator.last_success
            else None,
            "last_exception": repr(coordinator.last_exception)
            if coordinator.last_exception
            else None,
            "state": {
                "links": len(state.links),
                "agreed": len(state.agreed),
                "pending": len(state.pending),
                "misses": len(state.misses),
                "links_by_provenance": _by_provenance(coordinator),
            },
            "summary": {
                "counts": dict(summary.counts),
                "linked": summary.linked,
                "pending": summary.pending,
                "unmatched_count": summary.unmatched_count,
                "unmatched": [u.as_dict() for u in summary.unmatched],
                "held": len(summary.held),
            },
            "last_plan": plan_to_json(summary.plan) if summary.plan else None,
            "last_report": summary.report.as_dict() if summary.report else None,
            "senscritique": {
                "read_only": coordinator.read_only,
                "capabilities": coordinator.sides.senscritique.capability_report(),
                "last_read": coordinator.sides.senscritique.read_report(),
            },
            "plex": await hass.async_add_executor_job(
                coordinator.sides.plex.read_report
            ),
        },
        TO_REDACT,
    )


def _by_provenance(coordinator: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for link in coordinator.state.links.values():
        counts[link.provenance.value] = counts.get(link.provenance.value, 0) + 1
    return counts
