"""The watched rule of design.md: a three-way merge of one link's watch.

Watched on one side only: mark it watched on the other with that date. Watched
on both: both should carry the latest of the two dates, set where the service
allows. Unwatched on one side after being agreed watched: propagated only when
removals propagate.

Dates: two watch dates on the same UTC day are the same date
(`model.same_watch_date`: SensCritique keeps only the day). Plex cannot
backdate a watch and records "now" instead; the base keeps the true date and
the date each side showed when it was settled (`Agreed.seen_watched_at`), so a
side's date counts again only once it moved (a re-watch), and a date a side
recorded for our own write never becomes the link's date. A write settles
those dates itself (`Op.at_shown_on`, `planner.record`): the side copied from
is seen at the date copied, the side written at the date it keeps, or at the
time of the write where it records "now". A re-watch is then told from our
write even when no run reads both sides watched in between.

A kind of work one side does not keep a watch of on its own
(`Capabilities.watched_kinds`: Plex derives a series' or a season's watch from
its episodes) takes no part: nothing is written on either side (marking a
Plex series watched would mark every episode watched "now", dates that would
then travel to the other side's episodes), the episodes carry the watches,
and the base never claims the two agree (a base left on is put back off).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .link_view import FORGET_WATCHED, NAME, SIDES, LinkPlan, Outcome, Reading
from .model import Action, Agreed, Kind, Side, Watch
from .plans import Op
from .scale import same_watch_date
from .settings import Capabilities, FeatureOptions


def syncs_watches(kind: Kind, capabilities: Mapping[Side, Capabilities]) -> bool:
    """Whether watches of `kind` are synced: both sides keep them on their own."""
    return all(capabilities[side].keeps_watched(kind) for side in SIDES)


def watched_rule(ctx: LinkPlan, reading: Reading, options: FeatureOptions) -> Outcome:
    watch, real, base = reading.watch, reading.real_watch, ctx.base
    if not syncs_watches(ctx.link.kind, ctx.capabilities):
        return [], (FORGET_WATCHED if base.watched else {}), base.watched
    plex, sens = watch[Side.PLEX], watch[Side.SENSCRITIQUE]
    title = ctx.title()
    if plex is None and sens is None:
        return [], (FORGET_WATCHED if base.watched else {}), base.watched
    if plex is not None and sens is not None:
        target = _agreed_date(base, watch, real)
        ops: list[Op] = []
        for side in SIDES:
            shown = watch[side]
            if (
                target is not None
                and shown is not None
                and not same_watch_date(shown.watched_at, target)
                and ctx.capabilities[side].set_watched_date
                and ctx.may(options, side, Action.MARK_WATCHED)
            ):
                reason = (
                    f"Set the {NAME[side]} watch date of {title} to "
                    f"{target.date().isoformat()}, the latest of the two."
                )
                ops.append(
                    ctx.op(
                        side,
                        Action.MARK_WATCHED,
                        reason,
                        at=target,
                        at_shown_on=frozenset({side}),
                    )
                )
        # The target is settled even while writes toward it are planned: it
        # was decided from what both sides showed, and a write that fails is
        # planned again from it (it keeps an old re-watch from beating a newer
        # unwatch once seen).
        fields: dict[str, Any] = {"watched": True, "watched_at": target}
        for side in SIDES:
            shown = watch[side]
            if real[side] and shown is not None:
                fields[f"{side.value}_watched_at"] = shown.watched_at
        changed = {k: v for k, v in fields.items() if getattr(base, k) != v}
        return ops, changed, False

    has = Side.PLEX if plex is not None else Side.SENSCRITIQUE
    lacks = has.other
    shown = plex or sens
    assert shown is not None
    when = shown.watched_at
    on = f" on {when.date().isoformat()}" if when is not None else ""
    if not base.watched or _rewatched(base, has, shown, real[has]):
        if not ctx.may(options, lacks, Action.MARK_WATCHED):
            return [], {}, False
        again = " again" if base.watched else ""
        reason = (
            f"Marked {title} watched{on} on {NAME[lacks]} because you watched "
            f"it{again} on {NAME[has]}."
        )
        # Once written, the date `has` shows is the one it is seen at (so a
        # later day there is a re-watch, even before a run reads both sides),
        # and so is `lacks` when it keeps the date given. Settled by the write
        # only: one that fails leaves a re-watch a re-watch.
        shown_on = {has} if real[has] else set()
        if when is not None and ctx.capabilities[lacks].set_watched_date:
            shown_on.add(lacks)
        op = ctx.op(
            lacks, Action.MARK_WATCHED, reason, at=when, at_shown_on=frozenset(shown_on)
        )
        return [op], {}, False
    if options.propagate_removals and ctx.may(options, has, Action.MARK_UNWATCHED):
        reason = (
            f"Marked {title} unwatched on {NAME[has]} because you marked it "
            f"unwatched on {NAME[lacks]}."
        )
        return [ctx.op(has, Action.MARK_UNWATCHED, reason)], {}, False
    return [], {}, False


def watch_date(
    base: Agreed, reading: Reading, options: FeatureOptions
) -> datetime | None:
    """The watch date the watched rule leads this link to (None: unwatched)."""
    watch, real = reading.watch, reading.real_watch
    plex, sens = watch[Side.PLEX], watch[Side.SENSCRITIQUE]
    if plex is not None and sens is not None:
        return _agreed_date(base, watch, real)
    shown = plex or sens
    if shown is None:
        return None
    has = Side.PLEX if plex is not None else Side.SENSCRITIQUE
    if not base.watched or _rewatched(base, has, shown, real[has]):
        return shown.watched_at
    return None if options.propagate_removals else base.watched_at


def _agreed_date(
    base: Agreed, watch: Mapping[Side, Watch | None], real: Mapping[Side, bool]
) -> datetime | None:
    """The date both sides should carry: the latest true date.

    Once agreed, a side's date counts only if it moved since it was seen (a
    re-watch); a date a side recorded for our own write is not a true date, so
    an agreed watch of unknown date stays undated until a side moves.
    """
    if base.watched:
        dates = [base.watched_at] if base.watched_at is not None else []
        for side in SIDES:
            moved = _moved_to(base, side, watch[side], real[side])
            if moved is not None:
                dates.append(moved)
        return max(dates, default=None)
    known = [w.watched_at for w in watch.values() if w is not None and w.watched_at]
    return max(known, default=None)


def _moved_to(
    base: Agreed, side: Side, shown: Watch | None, real: bool
) -> datetime | None:
    """The date `side` shows when it is another than the one seen when the base
    was settled (not the same day: a side may keep only the day), else None."""
    seen = base.seen_watched_at(side)
    when = shown.watched_at if shown is not None and real else None
    if when is None or seen is None or same_watch_date(when, seen):
        return None
    return when


def _rewatched(base: Agreed, side: Side, shown: Watch, real: bool) -> bool:
    """Whether `side` shows its watch on another day than when it was seen:
    the user watched it again or changed its date, a change that beats the
    other side's unwatch (even when the new day is before the agreed one)."""
    return _moved_to(base, side, shown, real) is not None
