"""Diagnostics: the entry, the state summary, the last plan and report, and
what each service can write. Secrets, personal addresses and whatever names
the person (usernames, account ids, the entry title built from the
Plex and SensCritique names) are redacted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.core import HomeAssistant

from .const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USER_ID,
    CONF_PLEX_USER_NAME,
    CONF_PLEX_USERNAME,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    CONF_SC_USER_ID,
    CONF_SC_USERNAME,
    CONF_WEBHOOK_ID,
    MAX_UNMATCHED_LISTED,
)
from .coordinator import PlexSyncConfigEntry
from .engine.codec import plan_to_json

TO_REDACT = {
    CONF_PLEX_TOKEN,
    CONF_SC_PASSWORD,
    CONF_SC_EMAIL,
    CONF_PLEX_USERNAME,
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_USER_ID,
    CONF_PLEX_USER_NAME,
    CONF_SC_USERNAME,
    CONF_SC_USER_ID,
    CONF_WEBHOOK_ID,  # whoever knows it can post events
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
    assessment = coordinator.assessment()
    diagnostics = async_redact_data(
        {
            "entry": {
                "title": REDACTED,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "status": assessment.status.value,
            "status_detail": assessment.attributes(),
            "last_success": coordinator.last_success.isoformat()
            if coordinator.last_success
            else None,
            # The message, not repr(): a translated error's repr holds only
            # its translation key.
            "last_exception": _describe(coordinator.last_exception),
            "state": {
                "links": len(state.links),
                "agreed": len(state.agreed),
                "pending": len(state.pending),
                "misses": len(state.misses),
                "links_by_provenance": _by_provenance(coordinator),
                # Pairs the user unlinked: never linked again automatically.
                "unlinked": [
                    {"senscritique": senscritique, "plex": plex}
                    for senscritique, plex in sorted(state.unlinked)
                ],
                # Writes the user undid: not made again while both sides
                # stay as the undo left them.
                "declined": [
                    {"link": d.link, "feature": d.feature.value} for d in state.declined
                ],
            },
            # The writes an undo would revert, and what waits for approval.
            "undo": _undo(coordinator),
            "waiting_for_approval": len(coordinator.waiting.ops),
            "todo_removals_held": len(coordinator.todo_held.ops),
            # Plex webhook calls: received, ignored (whose, why), synced.
            "webhook": {
                "counts": dict(entry.runtime_data.instant.counts),
                "last": entry.runtime_data.instant.last,
                "registration_on_plex": entry.runtime_data.instant.registration,
            },
            "summary": {
                "counts": dict(summary.counts),
                "linked": summary.linked,
                "pending": summary.pending,
                "unmatched_count": summary.unmatched_count,
                "unmatched": [
                    u.as_dict() for u in summary.unmatched[:MAX_UNMATCHED_LISTED]
                ],
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
    # A username can also travel in a server's message (last_exception,
    # failed writes): replaced wherever it stands as a word.
    names = (entry.data.get(CONF_SC_USERNAME), entry.data.get(CONF_PLEX_USERNAME))
    scrubbed: dict[str, Any] = _scrubbed(
        diagnostics, _word_pattern(n for n in names if n)
    )
    return scrubbed


def _describe(err: BaseException | None) -> str | None:
    """The error and what caused it: the translated message names only the
    service, the cause holds the service's own words."""
    if err is None:
        return None
    described = f"{type(err).__name__}: {err}"
    if err.__cause__ is not None:
        described += f" (caused by {type(err.__cause__).__name__}: {err.__cause__})"
    return described


def _word_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({re.escape(name) for name in names}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)


def _scrubbed(value: Any, names: re.Pattern[str] | None) -> Any:
    if names is None:
        return value
    if isinstance(value, str):
        return names.sub(REDACTED, value)
    if isinstance(value, dict):
        return {key: _scrubbed(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, names) for item in value]
    return value


def _by_provenance(coordinator: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for link in coordinator.state.links.values():
        counts[link.provenance.value] = counts.get(link.provenance.value, 0) + 1
    return counts


def _undo(coordinator: Any) -> dict[str, Any] | None:
    batch = coordinator.undo_log.batch
    if batch is None:
        return None
    return {"kind": batch.kind, "at": batch.at.isoformat(), "writes": len(batch.ops)}
