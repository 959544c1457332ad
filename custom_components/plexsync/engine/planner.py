"""Three-way merge of the two snapshots against the base, per link and feature.

For every link in the state, each enabled feature compares what Plex shows,
what SensCritique shows and what both agreed on last (`Agreed`, the base); the
rules are those of design.md ("The base state and the rules"). A side that
still equals the base did not change, so the other side's change wins; a change
beats a removal; a removal only travels when the feature propagates removals.

Writes the sync made that a read does not show yet (`Pending`) stand in for the
read until they show or `options.pending_grace` passes. A pending write that
never showed is forgotten by putting the base back as if it had never been
agreed, so the write is planned again rather than read as the user's removal.

`plan` is one pass over the links with dict look-ups only: linear in links.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from . import guards
from .model import (
    Action,
    Agreed,
    Capabilities,
    Feature,
    FeatureOptions,
    GuardReport,
    Link,
    Op,
    Pending,
    Plan,
    Rating,
    Side,
    Snapshot,
    SyncOptions,
    SyncState,
    Watch,
    same_watch_date,
)

_SIDES = (Side.PLEX, Side.SENSCRITIQUE)
_NAME = {Side.PLEX: "Plex", Side.SENSCRITIQUE: "SensCritique"}
_LIST = {
    Side.PLEX: "your Plex watchlist",
    Side.SENSCRITIQUE: "your SensCritique wishlist",
}
_NO_BASE = Agreed()
_FORGET_WATCHED: dict[str, Any] = {
    "watched": False,
    "watched_at": None,
    "plex_watched_at": None,
    "senscritique_watched_at": None,
}


@dataclass(slots=True)
class _Reading:
    """One link as both sides show it, pending writes included."""

    watchlist: dict[Side, bool]
    rating: dict[Side, Rating | None]
    watch: dict[Side, Watch | None]
    real_watch: dict[Side, bool]  # False when the watch comes from a pending write


@dataclass(frozen=True, slots=True)
class _Run:
    """What every link of one plan reads; `resolved` collects pending writes."""

    snapshots: Mapping[Side, Snapshot]
    live: Mapping[tuple[str, Side, Feature], Pending]
    resolved: list[Pending]
    now: datetime
    grace: timedelta


@dataclass(slots=True)
class _LinkPlan:
    """Everything needed to write Ops for one link."""

    link_id: str
    link: Link
    base: Agreed
    snapshots: Mapping[Side, Snapshot]
    capabilities: Mapping[Side, Capabilities]
    # The date standing in for an unknown rating date. While watches are
    # synced, the date the link's watches are headed for, identical on both
    # sides and unchanged by this run's own writes; otherwise each rating's own
    # last watched date.
    watch_date: datetime | None = None
    watches_synced: bool = False

    def rating_date(self, rating: Rating) -> datetime | None:
        if rating.rated_at is not None:
            return rating.rated_at
        return self.watch_date if self.watches_synced else rating.watched_at

    def title(self) -> str:
        for side in _SIDES:
            work = self.snapshots[side].works.get(self.link.key_on(side))
            if work is not None:
                return (
                    f"“{work.title}” ({work.year})" if work.year else f"“{work.title}”"
                )
        return f"“{self.link.senscritique}”"

    def op(
        self,
        side: Side,
        action: Action,
        reason: str,
        value: int | None = None,
        at: datetime | None = None,
    ) -> Op:
        return Op(side, action, self.link.key_on(side), self.link_id, reason, value, at)

    def may(self, options: FeatureOptions, side: Side, action: Action) -> bool:
        return options.direction.writes_to(side) and self.capabilities[side].allows(
            action
        )


def plan(  # noqa: PLR0917 - signature fixed by interfaces.md
    plex: Snapshot,
    senscritique: Snapshot,
    state: SyncState,
    options: SyncOptions,
    capabilities: Mapping[Side, Capabilities],
    now: datetime,
    *,
    confirm_removals: bool = False,
) -> Plan:
    """What this run should write, hold and settle. Pure."""
    if plex.side is not Side.PLEX or senscritique.side is not Side.SENSCRITIQUE:
        raise ValueError("plan() takes the Plex snapshot first, then SensCritique's")
    for side in _SIDES:
        if side not in capabilities:
            raise ValueError(f"capabilities of {_NAME[side]} are missing")
    snapshots = {Side.PLEX: plex, Side.SENSCRITIQUE: senscritique}
    live, resolved = _index_pending(state)
    run = _Run(snapshots, live, resolved, now, options.pending_grace)

    ops: list[Op] = []
    changes: dict[str, tuple[Agreed, dict[str, Any]]] = {}
    lowering: list[tuple[str, Feature, dict[str, Any]]] = []
    agreed_count = dict.fromkeys(Feature, 0)
    lost: dict[tuple[Side, Feature], int] = {}

    for link_id, link in state.links.items():
        stored = state.agreed.get(link_id, _NO_BASE)
        reading, base = _read(link_id, link, stored, run)
        ctx = _LinkPlan(link_id, link, base, snapshots, capabilities)
        if options.watched.enabled:
            ctx.watches_synced = True
            ctx.watch_date = _watch_date(base, reading, options.watched)
        update: dict[str, Any] = {}
        for feature, held_by_base, shows in (
            (Feature.WATCHLIST, base.watchlist, reading.watchlist),
            (Feature.RATINGS, base.rating is not None, reading.rating),
            (Feature.WATCHED, base.watched, reading.watch),
        ):
            if held_by_base:
                agreed_count[feature] += 1
                for side in _SIDES:
                    if not shows[side]:
                        lost[side, feature] = lost.get((side, feature), 0) + 1
            feature_options = options.feature(feature)
            if not feature_options.enabled:
                continue
            rule = _RULES[feature]
            new_ops, fields, lowers = rule(ctx, reading, feature_options)
            ops.extend(new_ops)
            if lowers:
                lowering.append((link_id, feature, fields))
            else:
                update.update(fields)
        if update or base is not stored:
            changes[link_id] = (base, update)

    tally = guards.Tally(agreed_count, lost, _empty_reads(snapshots))
    shrinks = () if confirm_removals else guards.shrink_reports(tally, options)
    shrunk = {report.feature for report in shrinks}
    for link_id, feature, fields in lowering:
        if feature not in shrunk:
            base_now = changes.get(link_id, (state.agreed.get(link_id, _NO_BASE), {}))
            changes[link_id] = (base_now[0], {**base_now[1], **fields})
    kept: tuple[Op, ...] = tuple(ops)
    held: tuple[Op, ...] = ()
    mass: tuple[GuardReport, ...] = ()
    if not confirm_removals:
        kept, held, mass = guards.hold_removals(ops, tally, shrinks, options)

    settled: dict[str, Agreed] = {}
    for link_id, (base, update) in changes.items():
        new = replace(base, **update) if update else base
        if new != state.agreed.get(link_id, _NO_BASE):
            settled[link_id] = new
    return Plan(kept, held, shrinks + mass, settled, tuple(resolved))


def settle(state: SyncState, plan: Plan, now: datetime) -> SyncState:
    """Fold the plan's settled base records in and drop resolved pending writes.

    Called once per run, before any write. `now` is not needed to settle; it is
    accepted so every state transition takes the time the same way.
    """
    del now
    if not plan.settled and not plan.resolved:
        return state
    gone = set(plan.resolved)
    return replace(
        state,
        agreed={**state.agreed, **plan.settled},
        pending=tuple(p for p in state.pending if p not in gone),
    )


def record(state: SyncState, op: Op, now: datetime) -> SyncState:
    """Fold one SUCCESSFUL Op into the base and remember it as pending."""
    base = state.agreed.get(op.link, _NO_BASE)
    match op.action:
        case Action.ADD_WATCHLIST:
            base = replace(base, watchlist=True)
        case Action.REMOVE_WATCHLIST:
            base = replace(base, watchlist=False)
        case Action.SET_RATING:
            if op.value is None:
                raise ValueError(f"{op.action} needs a value: {op}")
            base = replace(base, rating=op.value, rated_at=op.at)
        case Action.CLEAR_RATING:
            base = replace(base, rating=None, rated_at=None)
        case Action.MARK_WATCHED:
            # What the side will show is unknown until read (Plex records
            # "now"): forget its seen date so the next plan learns it.
            seen: dict[str, Any] = {f"{op.side.value}_watched_at": None}
            if not base.watched:
                seen = {"plex_watched_at": None, "senscritique_watched_at": None}
            at = op.at if op.at is not None else base.watched_at
            base = replace(base, watched=True, watched_at=at, **seen)
        case Action.MARK_UNWATCHED:
            base = replace(base, **_FORGET_WATCHED)
    feature = op.feature
    pending = tuple(
        p
        for p in state.pending
        if not (p.link == op.link and p.side is op.side and p.action.feature is feature)
    )
    entry = Pending(op.link, op.side, op.action, now, op.value)
    return replace(
        state, agreed={**state.agreed, op.link: base}, pending=(*pending, entry)
    )


# --------------------------------------------------------------------------- reading


def _index_pending(
    state: SyncState,
) -> tuple[dict[tuple[str, Side, Feature], Pending], list[Pending]]:
    """Latest pending write per (link, side, feature); the rest are resolved."""
    live: dict[tuple[str, Side, Feature], Pending] = {}
    resolved: list[Pending] = []
    for entry in state.pending:
        if entry.link not in state.links:
            resolved.append(entry)
            continue
        key = (entry.link, entry.side, entry.action.feature)
        older = live.get(key)
        if older is not None and older.since > entry.since:
            resolved.append(entry)
            continue
        if older is not None:
            resolved.append(older)
        live[key] = entry
    return live, resolved


def _read(
    link_id: str,
    link: Link,
    base: Agreed,
    run: _Run,
) -> tuple[_Reading, Agreed]:
    """Both sides' view of one link, and the base after expired writes."""
    snapshots, live = run.snapshots, run.live
    reading = _Reading({}, {}, {}, {})
    for side in _SIDES:
        snapshot, key = snapshots[side], link.key_on(side)
        reading.watchlist[side] = key in snapshot.watchlist
        reading.rating[side] = snapshot.ratings.get(key)
        reading.watch[side] = snapshot.watched.get(key)
        reading.real_watch[side] = True
    if not live:
        return reading, base
    for side in _SIDES:
        for feature in Feature:
            entry = live.get((link_id, side, feature))
            if entry is None:
                continue
            if _shows(entry, reading, side):
                run.resolved.append(entry)
            elif run.now - entry.since >= run.grace:
                run.resolved.append(entry)
                base = _forget(base, entry, reading)
            else:
                _stand_in(entry, reading, side, link.key_on(side), base)
    return reading, base


def _shows(entry: Pending, reading: _Reading, side: Side) -> bool:
    """Whether the side's read already shows the pending write."""
    rating = reading.rating[side]
    match entry.action:
        case Action.ADD_WATCHLIST:
            return reading.watchlist[side]
        case Action.REMOVE_WATCHLIST:
            return not reading.watchlist[side]
        case Action.SET_RATING:
            return rating is not None and rating.value == entry.value
        case Action.CLEAR_RATING:
            return rating is None
        case Action.MARK_WATCHED:
            return reading.watch[side] is not None
        case Action.MARK_UNWATCHED:
            return reading.watch[side] is None
    raise AssertionError(entry.action)  # pragma: no cover - exhaustive


def _stand_in(
    entry: Pending, reading: _Reading, side: Side, key: str, base: Agreed
) -> None:
    """Read the side as if the pending write already showed."""
    match entry.action:
        case Action.ADD_WATCHLIST | Action.REMOVE_WATCHLIST:
            reading.watchlist[side] = entry.action is Action.ADD_WATCHLIST
        case Action.SET_RATING:
            reading.rating[side] = Rating(key, entry.value or 0)
        case Action.CLEAR_RATING:
            reading.rating[side] = None
        case Action.MARK_WATCHED:
            reading.watch[side] = Watch(key, base.watched_at)
            reading.real_watch[side] = False
        case Action.MARK_UNWATCHED:
            reading.watch[side] = None


def _forget(base: Agreed, entry: Pending, reading: _Reading) -> Agreed:
    """The base as if the write that never showed had not been agreed, so the
    rules plan it again instead of reading its absence as a user's change."""
    match entry.action:
        case Action.ADD_WATCHLIST:
            return replace(base, watchlist=False)
        case Action.REMOVE_WATCHLIST:
            return replace(base, watchlist=True)
        case Action.SET_RATING:
            return replace(base, rating=None, rated_at=None)
        case Action.CLEAR_RATING:
            still = reading.rating[entry.side]
            return replace(base, rating=still.value if still else None)
        case Action.MARK_WATCHED:
            return replace(base, **_FORGET_WATCHED)
        case Action.MARK_UNWATCHED:
            watch = reading.watch[entry.side]
            return replace(
                base, watched=True, watched_at=watch.watched_at if watch else None
            )
    raise AssertionError(entry.action)  # pragma: no cover - exhaustive


def _empty_reads(snapshots: Mapping[Side, Snapshot]) -> frozenset[tuple[Side, Feature]]:
    empty: set[tuple[Side, Feature]] = set()
    for side, snapshot in snapshots.items():
        for feature, items in (
            (Feature.WATCHLIST, snapshot.watchlist),
            (Feature.RATINGS, snapshot.ratings),
            (Feature.WATCHED, snapshot.watched),
        ):
            if not items:
                empty.add((side, feature))
    return frozenset(empty)


# --------------------------------------------------------------------------- rules

_Outcome = tuple[list[Op], dict[str, Any], bool]  # ops, base fields, lowers base


def _watchlist(ctx: _LinkPlan, reading: _Reading, options: FeatureOptions) -> _Outcome:
    on, base = reading.watchlist, ctx.base.watchlist
    if on[Side.PLEX] and on[Side.SENSCRITIQUE]:
        return [], ({} if base else {"watchlist": True}), False
    if not on[Side.PLEX] and not on[Side.SENSCRITIQUE]:
        return [], ({"watchlist": False} if base else {}), base
    has = Side.PLEX if on[Side.PLEX] else Side.SENSCRITIQUE
    lacks = has.other
    title = ctx.title()
    if not base:
        if not ctx.may(options, lacks, Action.ADD_WATCHLIST):
            return [], {}, False
        reason = f"Added {title} to {_LIST[lacks]} because it is on {_LIST[has]}."
        return [ctx.op(lacks, Action.ADD_WATCHLIST, reason)], {}, False
    if options.propagate_removals and ctx.may(options, has, Action.REMOVE_WATCHLIST):
        reason = (
            f"Removed {title} from {_LIST[has]} because you removed it "
            f"from {_LIST[lacks]}."
        )
        return [ctx.op(has, Action.REMOVE_WATCHLIST, reason)], {}, False
    return [], {}, False


def _ratings(ctx: _LinkPlan, reading: _Reading, options: FeatureOptions) -> _Outcome:
    plex, sens = reading.rating[Side.PLEX], reading.rating[Side.SENSCRITIQUE]
    base = ctx.base.rating
    if plex is None and sens is None:
        fields = {"rating": None, "rated_at": None} if base is not None else {}
        return [], fields, base is not None
    if plex is not None and sens is not None and plex.value == sens.value:
        if base == plex.value:
            return [], {}, False
        dates = [
            d for d in (ctx.rating_date(plex), ctx.rating_date(sens)) if d is not None
        ]
        return [], {"rating": plex.value, "rated_at": max(dates, default=None)}, False

    title = ctx.title()
    if plex is None or sens is None:
        has = Side.PLEX if plex is not None else Side.SENSCRITIQUE
        lacks = has.other
        rating = plex or sens
        assert rating is not None
        if base is not None and rating.value == base:
            if options.propagate_removals and ctx.may(
                options, has, Action.CLEAR_RATING
            ):
                reason = (
                    f"Cleared the {_NAME[has]} rating of {title} because you "
                    f"removed your rating on {_NAME[lacks]}."
                )
                return [ctx.op(has, Action.CLEAR_RATING, reason)], {}, False
            return [], {}, False
        why = "rated it" if base is None else "changed your rating to"
        winner, loser = rating, lacks
        because = f"you {why} {rating.value}/10 on {_NAME[has]}"
    elif base == plex.value:
        winner, loser = sens, Side.PLEX
        because = f"you changed your rating to {sens.value}/10 on SensCritique"
    elif base == sens.value:
        winner, loser = plex, Side.SENSCRITIQUE
        because = f"you changed your rating to {plex.value}/10 on Plex"
    else:
        winner, loser, because = _rating_conflict(ctx, plex, sens)
    if not ctx.may(options, loser, Action.SET_RATING):
        return [], {}, False
    reason = f"Rated {title} {winner.value}/10 on {_NAME[loser]} because {because}."
    op = ctx.op(loser, Action.SET_RATING, reason, winner.value, ctx.rating_date(winner))
    return [op], {}, False


def _rating_conflict(
    ctx: _LinkPlan, plex: Rating, sens: Rating
) -> tuple[Rating, Side, str]:
    """Both changed, or no base: latest date wins, else the lowest rating."""
    plex_date, sens_date = ctx.rating_date(plex), ctx.rating_date(sens)
    if plex_date is not None and sens_date is not None and plex_date != sens_date:
        if plex_date > sens_date:
            return plex, Side.SENSCRITIQUE, "the Plex rating is the more recent"
        return sens, Side.PLEX, "the SensCritique rating is the more recent"
    because = (
        "the two ratings differ without dates to tell them apart, so the lower wins"
    )
    if plex.value < sens.value:
        return plex, Side.SENSCRITIQUE, because
    return sens, Side.PLEX, because


def _watched(ctx: _LinkPlan, reading: _Reading, options: FeatureOptions) -> _Outcome:
    watch, real, base = reading.watch, reading.real_watch, ctx.base
    plex, sens = watch[Side.PLEX], watch[Side.SENSCRITIQUE]
    title = ctx.title()
    if plex is None and sens is None:
        return [], (_FORGET_WATCHED if base.watched else {}), base.watched
    if plex is not None and sens is not None:
        target = _agreed_date(base, watch, real)
        ops: list[Op] = []
        for side in _SIDES:
            shown = watch[side]
            if (
                target is not None
                and shown is not None
                and not same_watch_date(shown.watched_at, target)
                and ctx.capabilities[side].set_watched_date
                and ctx.may(options, side, Action.MARK_WATCHED)
            ):
                reason = (
                    f"Set the {_NAME[side]} watch date of {title} to "
                    f"{target.date().isoformat()}, the latest of the two."
                )
                ops.append(ctx.op(side, Action.MARK_WATCHED, reason, at=target))
        # The target is settled even while writes toward it are planned: it
        # was decided from what both sides showed, and a write that fails is
        # planned again from it (it keeps an old re-watch from beating a newer
        # unwatch once seen).
        fields: dict[str, Any] = {"watched": True, "watched_at": target}
        for side in _SIDES:
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
            f"Marked {title} watched{on} on {_NAME[lacks]} because you watched "
            f"it{again} on {_NAME[has]}."
        )
        return [ctx.op(lacks, Action.MARK_WATCHED, reason, at=when)], {}, False
    if options.propagate_removals and ctx.may(options, has, Action.MARK_UNWATCHED):
        reason = (
            f"Marked {title} unwatched on {_NAME[has]} because you marked it "
            f"unwatched on {_NAME[lacks]}."
        )
        return [ctx.op(has, Action.MARK_UNWATCHED, reason)], {}, False
    return [], {}, False


def _watch_date(
    base: Agreed, reading: _Reading, options: FeatureOptions
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
        for side in _SIDES:
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
    """Whether `side` shows a watch on a later day than the agreed one."""
    when = _moved_to(base, side, shown, real)
    if when is None:
        return False
    agreed = base.watched_at
    return agreed is None or (when > agreed and not same_watch_date(when, agreed))


_RULES = {
    Feature.WATCHLIST: _watchlist,
    Feature.RATINGS: _ratings,
    Feature.WATCHED: _watched,
}
