"""What the status sensor says, and why: ok, attention needed, error, syncing.

"OK" means the two accounts agree on everything PlexSync was asked to sync.
Anything a person should look at turns the status to "attention", with the
reasons in the order they matter (the first is the sensor's `reason`):
removals held by a guard, a read that looked faulty, writes that keep failing
(or failed in the last run), changes a preview-only run is waiting to have
approved, works without a match, and writes a service cannot make although a
feature asks for them. An error is a run that could not finish (its reason
is the error's kind); "syncing" is a run in progress.

Pure over the summary and what the coordinator remembers between runs
(`FailureStreaks`, the capabilities, the writes a preview holds): the
coordinator calls `assess`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .engine.model import Action, Feature, Side
from .engine.plans import GuardKind, Op
from .engine.settings import Capabilities, SyncOptions
from .summary import FailedOp, SyncSummary

# A write that failed in this many runs in a row "keeps failing".
FAILING_RUNS = 2


class SyncStatus(StrEnum):
    """The status sensor's states."""

    IDLE = "idle"
    SYNCING = "syncing"
    OK = "ok"
    ATTENTION = "attention"
    ERROR = "error"


class Reason(StrEnum):
    """Why the status is what it is (the sensor's `reason` attribute).

    The error reasons are the translation keys of the service errors
    (coordinator.error_key)."""

    NOT_RUN_YET = "not_run_yet"
    RUNNING = "running"
    IN_AGREEMENT = "in_agreement"
    HELD_REMOVALS = "held_removals"
    SUSPECT_READ = "suspect_read"
    WRITES_FAILING = "writes_failing"
    WRITES_FAILED = "writes_failed"
    PREVIEW_WAITING = "preview_waiting"
    UNMATCHED = "unmatched"
    CAPABILITIES_MISSING = "capabilities_missing"
    AUTH_FAILED = "auth_failed"
    RATE_LIMITED = "rate_limited"
    SERVICE_UNAVAILABLE = "service_unavailable"
    NOT_FOUND = "not_found"
    SERVICE_ERROR = "service_error"


def op_identity(op: Op) -> tuple[Side, Action, str]:
    """A write as the same write from one run to the next."""
    return op.side, op.action, op.key


@dataclass(slots=True)
class FailureStreaks:
    """How many runs in a row each write failed (reset when it goes through
    or is no longer planned)."""

    runs: dict[tuple[Side, Action, str], int] = field(default_factory=dict)

    def update(self, failed: Iterable[FailedOp]) -> None:
        """Count one more run: the writes that failed in it."""
        self.runs = {
            op_identity(f.op): self.runs.get(op_identity(f.op), 0) + 1 for f in failed
        }

    @property
    def failing(self) -> int:
        """Writes that failed in at least FAILING_RUNS runs in a row."""
        return sum(1 for count in self.runs.values() if count >= FAILING_RUNS)


# The capability each write needs, and whether a feature needs it only when
# its removals propagate.
_NEEDS: tuple[tuple[Feature, str, bool], ...] = (
    (Feature.WATCHLIST, "watchlist", False),
    (Feature.RATINGS, "rate", False),
    (Feature.RATINGS, "unrate", True),
    (Feature.WATCHED, "mark_watched", False),
    (Feature.WATCHED, "mark_unwatched", True),
)


def missing_capabilities(
    options: SyncOptions, capabilities: Mapping[Side, Capabilities]
) -> list[str]:
    """The writes ("senscritique.mark_watched") an enabled feature asks of a
    side that cannot make them. A side the direction never writes to, and
    what no service offers (Plex cannot backdate a watch), are not missing."""
    missing: list[str] = []
    for side in Side:
        can = capabilities.get(side)
        if can is None:
            continue
        for feature, capability, removal in _NEEDS:
            wanted = options.feature(feature)
            if not wanted.enabled or not wanted.direction.writes_to(side):
                continue
            if removal and not wanted.propagate_removals:
                continue
            if not getattr(can, capability):
                missing.append(f"{side.value}.{capability}")
    return missing


@dataclass(frozen=True, slots=True)
class Assessment:
    """The status, its reasons (most important first) and the numbers."""

    status: SyncStatus
    reasons: tuple[Reason, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> Reason:
        return self.reasons[0]

    def attributes(self) -> dict[str, Any]:
        return {
            "reason": self.reason.value,
            "reasons": [r.value for r in self.reasons],
            **self.details,
        }


def assess(
    summary: SyncSummary | None,
    *,
    waiting: int,
    syncing: bool,
    error: str | None,
    error_message: str | None,
    streaks: FailureStreaks,
    missing: list[str],
) -> Assessment:
    """The status sensor's state and attributes right now."""
    details = _details(summary, streaks, missing, waiting)
    if syncing:
        return Assessment(SyncStatus.SYNCING, (Reason.RUNNING,), details)
    if error is not None:
        return Assessment(
            SyncStatus.ERROR, (Reason(error),), {**details, "error": error_message}
        )
    if summary is None or summary.report is None:
        return Assessment(SyncStatus.IDLE, (Reason.NOT_RUN_YET,), details)
    reasons = _attention(summary, streaks, missing, waiting)
    if reasons:
        return Assessment(SyncStatus.ATTENTION, reasons, details)
    return Assessment(SyncStatus.OK, (Reason.IN_AGREEMENT,), details)


def _attention(
    summary: SyncSummary, streaks: FailureStreaks, missing: list[str], waiting: int
) -> tuple[Reason, ...]:
    plan, report = summary.plan, summary.report
    guards = plan.guards if plan is not None else ()
    reasons: list[Reason] = []
    if any(g.kind is GuardKind.MASS_REMOVAL for g in guards):
        reasons.append(Reason.HELD_REMOVALS)
    if any(g.kind is GuardKind.SHRINK for g in guards):
        reasons.append(Reason.SUSPECT_READ)
    if streaks.failing:
        reasons.append(Reason.WRITES_FAILING)
    elif report is not None and (report.failed or report.stopped):
        reasons.append(Reason.WRITES_FAILED)
    if waiting:
        reasons.append(Reason.PREVIEW_WAITING)
    if summary.unmatched_count:
        reasons.append(Reason.UNMATCHED)
    if missing:
        reasons.append(Reason.CAPABILITIES_MISSING)
    return tuple(reasons)


def _details(
    summary: SyncSummary | None,
    streaks: FailureStreaks,
    missing: list[str],
    waiting: int,
) -> dict[str, Any]:
    if summary is None:
        return {}
    report = summary.report
    return {
        "unmatched": summary.unmatched_count,
        "held_removals": len(summary.held),
        "failed_writes": len(report.failed) if report is not None else 0,
        "failing_writes": streaks.failing,
        "waiting_for_approval": waiting,
        "missing_capabilities": missing,
    }
