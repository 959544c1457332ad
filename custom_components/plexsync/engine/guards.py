"""Guards that stop a run from removing what a bad read or a slip would cost.

Two guards, both per side and feature, both measured against the base (the
items both sides agreed on):

- shrink: a side that reads empty while the base has items, or that has lost
  more agreed items than the limit, is treated as a faulty read. No removal of
  that feature is written on either side and the base keeps those items.
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

from .model import Feature, GuardKind, GuardReport, Op, Side, SyncOptions

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
    """One SHRINK report per side and feature whose read looks faulty."""
    reports: list[GuardReport] = []
    for feature in Feature:
        agreed = tally.agreed.get(feature, 0)
        if agreed == 0:
            continue
        limit = removal_limit(agreed, options)
        for side in (Side.PLEX, Side.SENSCRITIQUE):
            lost = tally.lost.get((side, feature), 0)
            reads_empty = (side, feature) in tally.empty and lost > 0
            if reads_empty or lost > limit:
                reports.append(
                    GuardReport(GuardKind.SHRINK, side, feature, lost, limit)
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
