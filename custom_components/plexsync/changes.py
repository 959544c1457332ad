"""A write as people see it: which work (by the name a read gave it), on which
side, what was done and why. Service responses, events and the undo's answer
show writes this way; the internal fields (keys, link ids, the base) stay in
the diagnostics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .engine.model import Link, Side, Work
from .engine.plans import Op, Plan
from .summary import RunReport, SyncSummary


@dataclass(frozen=True, slots=True)
class Title:
    """A work's name as a read gave it."""

    title: str
    year: int | None = None

    def quoted(self) -> str:
        """As the engine's reasons name a work: “Heat” (1995)."""
        return f"“{self.title}” ({self.year})" if self.year else f"“{self.title}”"


def op_title(
    op: Op, works: Mapping[Side, Mapping[str, Work]], links: Mapping[str, Link]
) -> Title:
    """The name of the work an Op writes, as either side's read gave it."""
    link = links.get(op.link)
    keys = [(op.side, op.key)]
    if link is not None:
        keys.append((op.side.other, link.key_on(op.side.other)))
    for side, key in keys:
        work = works.get(side, {}).get(key)
        if work is not None:
            return Title(work.title, work.year)
    return Title(op.key)


def change(op: Op, title: Title) -> dict[str, Any]:
    """A write as a person reads it (service responses)."""
    return {
        "side": op.side.value,
        "feature": op.feature.value,
        "action": op.action.value,
        "title": title.title,
        "year": title.year,
        "value": op.value,
        "date": op.at.date().isoformat() if op.at else None,
        "reason": op.reason,
    }


def run_response(
    plan: Plan,
    report: RunReport,
    summary: SyncSummary,
    applied: Sequence[Op],
) -> dict[str, Any]:
    """What plexsync.sync answers: each planned write as a person reads it,
    with what became of it (done, failed, or only planned: a dry run or
    preview only), the removals held for a confirmation and the counts."""
    made = set(applied)
    errors = {f.op: f.error for f in report.failed}

    def described(op: Op) -> dict[str, Any]:
        return change(op, op_title(op, summary.works, summary.links))

    changes: list[dict[str, Any]] = []
    for op in plan.ops:
        entry = described(op)
        if op in made:
            entry["result"] = "done"
        elif op in errors:
            entry["result"] = "failed"
            entry["error"] = errors[op]
        else:
            entry["result"] = "planned"
        changes.append(entry)
    return {
        "dry_run": report.dry_run,
        "preview": report.preview,
        "changes": changes,
        "held": [described(op) for op in plan.held],
        "unmatched": summary.unmatched_count,
        "report": {
            "started": report.started.isoformat(),
            "finished": report.finished.isoformat(),
            "planned": report.planned,
            "applied": sum(report.applied.values()),
            "failed": [e for e in changes if e["result"] == "failed"],
            "held": report.held,
            "stopped": report.stopped,
        },
    }
