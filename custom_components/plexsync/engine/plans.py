"""What a run plans: its writes (`Op`), what the guards held
(`GuardReport`), and the `Plan` that holds them with the base records it
settles. The data they refer to (works, links, the base) is in model.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .model import Action, Agreed, Declined, Feature, Pending, Shown, Side


@dataclass(frozen=True, slots=True)
class Op:
    """One write on one side, with a sentence a person can read.

    `title`: the work's title as the plan read it, for what people see of a
    write (events); `before`: what the side showed of the work before the
    write, the way back for an undo (None: not known). Neither is part of the
    Op's identity. `at_shown_on`: for a watch, the sides that show the date
    `at` once it is written (the side written when it keeps the date given;
    the other when `at` is its date, copied), see `planner.record`.
    """

    side: Side
    action: Action
    key: str
    link: str
    reason: str
    value: int | None = None
    at: datetime | None = None
    title: str | None = field(default=None, compare=False)
    before: Shown | None = field(default=None, compare=False)
    at_shown_on: frozenset[Side] = frozenset()

    @property
    def feature(self) -> Feature:
        return self.action.feature


class GuardKind(StrEnum):
    MASS_REMOVAL = "mass_removal"
    SHRINK = "shrink"


@dataclass(frozen=True, slots=True)
class GuardReport:
    """Why removals on a side were held or suppressed: `count` removals (for a
    shrink, agreed items the side lost) against the `limit` a run may remove
    of the `agreed` items the limit was measured on."""

    kind: GuardKind
    side: Side
    feature: Feature
    count: int
    limit: int
    agreed: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    """What a run should write.

    `settled` holds new base records for links whose two sides already agree
    (no write needed); `held` are removals a guard stopped; `resolved` are
    pending writes that now show or whose grace window passed (dropped by
    `settle`); `awaiting` are the pending writes this plan's read did not show
    yet and that still stand in for it: the writes that are really pending
    (a write the run makes after its read is in neither: no read could show
    it yet). `declined`: the undone writes that still stand (kept by
    `settle`; the others ended).
    """

    ops: tuple[Op, ...] = ()
    held: tuple[Op, ...] = ()
    guards: tuple[GuardReport, ...] = ()
    settled: Mapping[str, Agreed] = field(default_factory=dict)
    resolved: tuple[Pending, ...] = ()
    awaiting: tuple[Pending, ...] = ()
    declined: tuple[Declined, ...] = ()
