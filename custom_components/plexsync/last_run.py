"""What the "Last run" sensor shows: when the last sync ended, what it planned,
wrote, failed to write and held, per side and feature, and when the next one
is due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .engine.model import Action, Feature, Side
from .engine.plans import Plan
from .summary import RunReport

COUNTS = ("planned", "applied", "failed", "held")


def _zero() -> dict[str, dict[str, dict[str, int]]]:
    return {
        side.value: {feature.value: dict.fromkeys(COUNTS, 0) for feature in Feature}
        for side in Side
    }


def run_counts(plan: Plan, report: RunReport) -> dict[str, dict[str, dict[str, int]]]:
    """{side: {feature: {planned, applied, failed, held}}} of one run."""
    counts = _zero()
    for op in plan.ops:
        counts[op.side.value][op.feature.value]["planned"] += 1
    for op in plan.held:
        counts[op.side.value][op.feature.value]["held"] += 1
    for failed in report.failed:
        counts[failed.op.side.value][failed.op.feature.value]["failed"] += 1
    for key, number in report.applied.items():
        side, action = key.split(".", 1)
        counts[side][Action(action).feature.value]["applied"] += number
    return counts


@dataclass(frozen=True, slots=True)
class LastRun:
    """The last sync that ran (not a dry run), whether it finished or failed."""

    ended: datetime
    preview: bool = False
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=_zero)
    error: str | None = None

    @classmethod
    def of(cls, plan: Plan, report: RunReport) -> LastRun:
        return cls(report.finished, report.preview, run_counts(plan, report))

    def attributes(self, interval: timedelta | None) -> dict[str, Any]:
        """The sensor's attributes; `interval` None: no scheduled runs."""
        following = self.ended + interval if interval is not None else None
        return {
            **self.counts,
            "preview": self.preview,
            "error": self.error,
            "next_run": following.isoformat() if following else None,
        }
