"""Guards that stop a run from removing what a bad read or a slip would cost.

Two guards, both per side and feature, both measured against the base (the
items both sides agreed on):

- shrink: a side whose read of a feature is empty while the base has items of
  it, or that has lost more of all its agreed items than the limit, is treated
  as a faulty read. No removal of the features it lost items of is written on
  either side, and the base keeps those items.
- mass removal: a run that would remove more than the limit from one side holds
  all that side's removals of the feature until the user confirms them.

The limit is max(options.guard_min, options.guard_ratio x agreed items).

What a run's guards held is a `Held`: the removals and the reports saying
why, kept with the run (the store's last plan) and shown by the repair issues,
one per guard. A confirmation names exactly what it confirms: the `Held` of
one guard as the user was shown it, handed to the next plan. That plan
applies those held removals it still wants (the user may have undone some
since), takes a confirmed shrink's smaller read as right while the side has
lost no more than was shown, and guards anything new as usual.

Preview-only mode holds back every write a run plans; approving them is the
same confirmation: a `Held` of the writes shown, and the run writes those of
them it still plans, nothing else (pipeline.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date

from .model import Action, Feature, Side
from .plans import GuardKind, GuardReport, Op, Plan
from .settings import SyncOptions

# Float products such as 0.1 * 70 can land a hair below the integer.
_EPSILON = 1e-9


def removal_limit(agreed: int, options: SyncOptions) -> int:
    """How many of `agreed` items one run may remove from a side."""
    return max(options.guard_min, math.floor(agreed * options.guard_ratio + _EPSILON))


@dataclass(frozen=True, slots=True)
class Held:
    """What a run's guards held back: the removals, and the reports saying why.

    Handed back to `planner.plan` as a confirmation, it releases exactly what
    it lists: its removals are applied if still planned, its shrink reports
    lift the shrink guard while the side has lost no more than they say.
    """

    ops: tuple[Op, ...] = ()
    guards: tuple[GuardReport, ...] = ()

    @classmethod
    def of(cls, plan: Plan) -> Held:
        return cls(plan.held, plan.guards)

    @property
    def empty(self) -> bool:
        return not self.ops and not self.guards

    def held_by(self, op: Op) -> GuardKind:
        """Which guard held `op`: a shrink holds every removal of a feature a
        side lost too much of; the mass-removal guard holds the others."""
        shrunk = {g.feature for g in self.guards if g.kind is GuardKind.SHRINK}
        return GuardKind.SHRINK if op.feature in shrunk else GuardKind.MASS_REMOVAL

    def only(self, kind: GuardKind) -> Held:
        """What one guard held (each is confirmed on its own)."""
        return Held(
            tuple(op for op in self.ops if self.held_by(op) is kind),
            tuple(g for g in self.guards if g.kind is kind),
        )

    def releases(self) -> frozenset[AsShown]:
        """The writes this confirmation lets through, as the user was shown
        them: a run's write of the same side, action and link, with the same
        value and watch day, is the one shown (a removal has neither)."""
        return frozenset(as_shown(op) for op in self.ops)

    def lists(self, op: Op) -> bool:
        """Whether `op` is a write this confirmation lets through."""
        return as_shown(op) in self.releases()

    def accepts(self, report: GuardReport) -> bool:
        """Whether this confirmation takes the shrink `report` as right: it
        confirmed the same side and feature losing at least as many items."""
        return report.kind is GuardKind.SHRINK and any(
            shown.kind is GuardKind.SHRINK
            and (shown.side, shown.feature) == (report.side, report.feature)
            and report.count <= shown.count
            for shown in self.guards
        )


# A write as a confirmation names it (see `Held.releases`).
type AsShown = tuple[Side, Action, str, int | None, date | None]


def as_shown(op: Op) -> AsShown:
    day = op.at.astimezone(UTC).date() if op.at is not None else None
    return op.side, op.action, op.link, op.value, day


NOTHING_HELD = Held()


@dataclass(frozen=True, slots=True)
class Tally:
    """What the planner counted while reading the links.

    `agreed`: per feature, links whose base holds the item.
    `lost`: per (side, feature), agreed items the side no longer shows.
    `empty`: (side, feature) pairs whose read of the feature is empty.
    """

    agreed: Mapping[Feature, int]
    lost: Mapping[tuple[Side, Feature], int]
    empty: frozenset[tuple[Side, Feature]]


def shrink_reports(tally: Tally, options: SyncOptions) -> tuple[GuardReport, ...]:
    """SHRINK reports for the sides whose read looks faulty.

    A side shrinks past the guard when it lost more of all its agreed items
    (every feature together) than the limit allows: then every feature it lost
    items of is reported. A feature that reads empty while it lost agreed
    items is reported on its own. A smaller loss in one feature is the user's
    doing, which the mass-removal guard weighs.
    """
    total = sum(tally.agreed.values())
    if total == 0:
        return ()
    side_limit = removal_limit(total, options)
    reports: list[GuardReport] = []
    for side in (Side.PLEX, Side.SENSCRITIQUE):
        lost = {f: tally.lost.get((side, f), 0) for f in Feature}
        shrunk = sum(lost.values()) > side_limit
        for feature in Feature:
            if lost[feature] == 0:
                continue
            if shrunk:
                reports.append(
                    GuardReport(
                        GuardKind.SHRINK,
                        side,
                        feature,
                        lost[feature],
                        side_limit,
                        total,
                    )
                )
            elif (side, feature) in tally.empty:
                agreed = tally.agreed.get(feature, 0)
                limit = removal_limit(agreed, options)
                reports.append(
                    GuardReport(
                        GuardKind.SHRINK, side, feature, lost[feature], limit, agreed
                    )
                )
    return tuple(reports)


def hold_removals(
    ops: Sequence[Op],
    tally: Tally,
    shrinks: Iterable[GuardReport],
    options: SyncOptions,
    confirmed: Held = NOTHING_HELD,
) -> tuple[tuple[Op, ...], tuple[Op, ...], tuple[GuardReport, ...]]:
    """Split `ops` into (kept, held) and report the mass removals.

    A removal the user confirmed is kept. Other removals of a feature a shrink
    report covers are all held; the remaining removals are held per side and
    feature when they exceed the limit.
    """
    shrunk = {report.feature for report in shrinks}
    released = confirmed.releases()
    guarded = [op.action.is_removal and as_shown(op) not in released for op in ops]
    removals = Counter(
        (op.side, op.feature)
        for op, guard in zip(ops, guarded, strict=True)
        if guard and op.feature not in shrunk
    )
    over: set[tuple[Side, Feature]] = set()
    reports: list[GuardReport] = []
    for (side, feature), count in sorted(removals.items()):
        agreed = tally.agreed.get(feature, 0)
        limit = removal_limit(agreed, options)
        if count > limit:
            over.add((side, feature))
            reports.append(
                GuardReport(GuardKind.MASS_REMOVAL, side, feature, count, limit, agreed)
            )
    held = [
        guard and (op.feature in shrunk or (op.side, op.feature) in over)
        for op, guard in zip(ops, guarded, strict=True)
    ]
    return (
        tuple(op for op, hold in zip(ops, held, strict=True) if not hold),
        tuple(op for op, hold in zip(ops, held, strict=True) if hold),
        tuple(reports),
    )


def unconfirmed(
    shrinks: Iterable[GuardReport], confirmed: Held
) -> tuple[GuardReport, ...]:
    """The shrink reports the user has not confirmed as a right read."""
    return tuple(report for report in shrinks if not confirmed.accepts(report))
