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
Confirmation (``confirm_removals``) releases both, once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Feature, GuardKind, GuardReport, Op, Side
from .settings import SyncOptions

# Float products such as 0.1 * 70 can land a hair below the integer.
_EPSILON = 1e-9


def removal_limit(agreed: int, options: SyncOptions) -> int:
    """How many of `agreed` items one run may remove from a side."""
    return max(options.guard_min, math.floor(agreed * options.guard_ratio + _EPSILON))


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
                        GuardKind.SHRINK, side, feature, lost[feature], side_limit
                    )
                )
            elif (side, feature) in tally.empty:
                limit = removal_limit(tally.agreed.get(feature, 0), options)
                reports.append(
                    GuardReport(GuardKind.SHRINK, side, feature, lost[feature], limit)
                )
    return tuple(reports)


def hold_removals(
    ops: Iterable[Op],
    tally: Tally,
    shrinks: Iterable[GuardReport],
    options: SyncOptions,
) -> tuple[tuple[Op, ...], tuple[Op, ...], tuple[GuardReport, ...]]:
    """Split `ops` into (kept, held) and report the mass removals.

    Removals of a feature a shrink report covers are all held; the remaining
    removals are held per side and feature when they exceed the limit.
    """
    shrunk = {report.feature for report in shrinks}
    candidates: list[Op] = []
    held: list[Op] = []
    for op in ops:
        if op.action.is_removal and op.feature in shrunk:
            held.append(op)
        else:
            candidates.append(op)

    removals = Counter(
        (op.side, op.feature) for op in candidates if op.action.is_removal
    )
    over: set[tuple[Side, Feature]] = set()
    reports: list[GuardReport] = []
    for (side, feature), count in sorted(removals.items()):
        limit = removal_limit(tally.agreed.get(feature, 0), options)
        if count > limit:
            over.add((side, feature))
            reports.append(
                GuardReport(GuardKind.MASS_REMOVAL, side, feature, count, limit)
            )

    kept: list[Op] = []
    for op in candidates:
        if op.action.is_removal and (op.side, op.feature) in over:
            held.append(op)
        else:
            kept.append(op)
    return tuple(kept), tuple(held), tuple(reports)
