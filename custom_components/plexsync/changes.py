"""A write as people see it: which work (by the name a read gave it), on which
side, what was done and why. Service responses, events and the undo's answer
show writes this way; the internal fields (keys, link ids, the base) stay in
the diagnostics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .engine.model import Link, Op, Side, Work


@dataclass(frozen=True, slots=True)
class Title:
    """A work's name as a read gave it."""

    title: str
    year: int | None = None

    def quoted(self) -> str:
        """As the engine's reasons name a work: “Heat” (1995)."""
        return f"“{self.title}” ({self.year})" if self.year else f"“{self.title}”"


def op_title(
    op: Op, works: Mapping[Side, Mapping[str, Work]], link: Link | None
) -> Title:
    """The name of the work an Op writes, as either side's read gave it."""
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
