"""Three-way merge of the two snapshots against the base, per link and feature.

For every link in the state, each enabled feature compares what Plex shows,
what SensCritique shows and what both agreed on last (`Agreed`, the base); the
rules are those of design.md ("The base state and the rules"), one module per
feature: rules_watchlist.py, rules_ratings.py, rules_watched.py. A side that
still equals the base did not change, so the other side's change wins; a change
beats a removal; a removal only travels when the feature propagates removals.

This module runs them: `plan` reads each link (pending writes standing in, see
pending.py), applies the rules and the guards (guards.py); `settle` and
`record` fold what a run agreed and wrote into the base.

`plan` is one pass over the links with dict look-ups only: linear in links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from . import guards
from .link_view import (
    FORGET_WATCHED,
    NAME,
    NO_BASE,
    SIDES,
    LinkPlan,
    Outcome,
    Reading,
)
from .model import (
    Action,
    Agreed,
    Declined,
    Feature,
    Link,
    Pending,
    Side,
    Snapshot,
    SyncState,
)
from .pending import PendingWrites
from .plans import Op, Plan
from .rules_ratings import ratings_rule
from .rules_watched import syncs_watches, watch_date, watched_rule
from .rules_watchlist import watchlist_rule
from .settings import Capabilities, FeatureOptions, SyncOptions
from .undo import still_declined

_RULES: Mapping[Feature, Callable[[LinkPlan, Reading, FeatureOptions], Outcome]] = {
    Feature.WATCHLIST: watchlist_rule,
    Feature.RATINGS: ratings_rule,
    Feature.WATCHED: watched_rule,
}


def plan(  # noqa: PLR0917 - signature fixed by interfaces.md
    plex: Snapshot,
    senscritique: Snapshot,
    state: SyncState,
    options: SyncOptions,
    capabilities: Mapping[Side, Capabilities],
    now: datetime,
    *,
    confirmed: guards.Held = guards.NOTHING_HELD,
    whole_reads: bool = True,
) -> Plan:
    """What this run should write, hold and settle. Pure.

    `confirmed`: what the user confirmed of a guard's holds, as shown (see
    guards.py); everything else is guarded as usual.

    `whole_reads`: the snapshots are complete reads of both sides. A sync of
    one work (one_link.py) reads that work alone: a list it shows empty or
    short is no sign of a bad read, so the shrink guard, which judges whole
    lists, does not apply; the mass-removal guard does.
    """
    if plex.side is not Side.PLEX or senscritique.side is not Side.SENSCRITIQUE:
        raise ValueError("plan() takes the Plex snapshot first, then SensCritique's")
    for side in SIDES:
        if side not in capabilities:
            raise ValueError(f"capabilities of {NAME[side]} are missing")
    snapshots = {Side.PLEX: plex, Side.SENSCRITIQUE: senscritique}
    pending = PendingWrites.of(state, now, options.pending_grace, capabilities)

    ops: list[Op] = []
    changes: dict[str, tuple[Agreed, dict[str, Any]]] = {}
    lowering: list[tuple[str, Feature, dict[str, Any]]] = []
    agreed_count = dict.fromkeys(Feature, 0)
    lost: dict[tuple[Side, Feature], int] = {}
    # Writes the user undid (undo.py): none is made again while it stands.
    declined: dict[str, dict[Feature, Declined]] = {}
    for record_ in state.declined:
        declined.setdefault(record_.link, {})[record_.feature] = record_
    standing: list[Declined] = []

    for link_id, link in state.links.items():
        stored = state.agreed.get(link_id, NO_BASE)
        reading = _read(link, snapshots)
        base = pending.apply(link_id, link, stored, reading)
        ctx = LinkPlan(link_id, link, base, snapshots, capabilities)
        if options.watched.enabled and syncs_watches(link.kind, capabilities):
            ctx.watches_synced = True
            ctx.watch_date = watch_date(base, reading, options.watched)
        update: dict[str, Any] = {}
        for feature, held_by_base, shows in (
            (Feature.WATCHLIST, base.watchlist, reading.watchlist),
            (Feature.RATINGS, base.rating is not None, reading.rating),
            (Feature.WATCHED, base.watched, reading.watch),
        ):
            if held_by_base:
                agreed_count[feature] += 1
                for side in SIDES:
                    if not shows[side]:
                        lost[side, feature] = lost.get((side, feature), 0) + 1
            feature_options = options.feature(feature)
            undone = declined.get(link_id, {}).get(feature)
            if not feature_options.enabled:
                standing.extend((undone,) if undone else ())
                continue
            rule = _RULES[feature]
            new_ops, fields, lowers = rule(ctx, reading, feature_options)
            if undone is not None and still_declined(
                undone, {side: reading.shown(side, feature) for side in SIDES}
            ):
                standing.append(undone)
                new_ops = []
            ops.extend(new_ops)
            if lowers:
                lowering.append((link_id, feature, fields))
            else:
                update.update(fields)
        if update or base is not stored:
            changes[link_id] = (base, update)

    tally = guards.Tally(agreed_count, lost, _empty_reads(snapshots))
    shrinks = (
        guards.unconfirmed(guards.shrink_reports(tally, options), confirmed)
        if whole_reads
        else ()
    )
    shrunk = {report.feature for report in shrinks}
    for link_id, feature, fields in lowering:
        if feature not in shrunk:
            base_now = changes.get(link_id, (state.agreed.get(link_id, NO_BASE), {}))
            changes[link_id] = (base_now[0], {**base_now[1], **fields})
    kept, held, mass = guards.hold_removals(ops, tally, shrinks, options, confirmed)

    settled: dict[str, Agreed] = {}
    for link_id, (base, update) in changes.items():
        new = replace(base, **update) if update else base
        if new != state.agreed.get(link_id, NO_BASE):
            settled[link_id] = new
    return Plan(
        kept,
        held,
        shrinks + mass,
        settled,
        tuple(pending.resolved),
        tuple(pending.awaiting),
        tuple(standing),
    )


def settle(state: SyncState, plan: Plan, now: datetime) -> SyncState:
    """Fold the plan's settled base records in and drop resolved pending writes.

    Called once per run, before any write. `now` is not needed to settle; it is
    accepted so every state transition takes the time the same way.
    """
    del now
    if not plan.settled and not plan.resolved and plan.declined == state.declined:
        return state
    gone = set(plan.resolved)
    return replace(
        state,
        agreed={**state.agreed, **plan.settled},
        pending=tuple(p for p in state.pending if p not in gone),
        declined=plan.declined,
    )


def record(state: SyncState, op: Op, now: datetime, *, lags: bool) -> SyncState:
    """Fold one SUCCESSFUL Op into the base.

    `lags`: whether the Op's side can be slow to show a write of its feature
    (`Capabilities.lags`). Then the write is also remembered as pending until
    a read shows it (pending.py); otherwise it is confirmed now. Either way it
    replaces an earlier pending write of the same link, side and feature.
    """
    base = state.agreed.get(op.link, NO_BASE)
    shows_at: datetime | None = None
    match op.action:
        case Action.ADD_WATCHLIST:
            base = replace(base, watchlist=True)
        case Action.REMOVE_WATCHLIST:
            base = replace(base, watchlist=False)
        case Action.SET_RATING:
            if op.value is None:
                raise ValueError(f"{op.action} needs a value: {op}")
            # Both sides show the written rating now: nothing is overruled.
            base = replace(base, rating=op.value, rated_at=op.at, **_NOT_OVERRULED)
        case Action.CLEAR_RATING:
            base = replace(base, rating=None, rated_at=None, **_NOT_OVERRULED)
        case Action.MARK_WATCHED:
            # Each side that shows the Op's date is seen at it (the side
            # written when it keeps the date given, the side the watch was
            # copied from); a written side that does not keep it shows the
            # time of the write (Plex records "now"; a side that keeps no
            # date shows none, which never counts as a move). The other
            # side's seen date stays otherwise: the plan settled it.
            seen: dict[str, Any] = {f"{op.side.value}_watched_at": now}
            seen |= {f"{side.value}_watched_at": op.at for side in op.at_shown_on}
            shows_at = op.at if op.at is not None else base.watched_at
            base = replace(base, watched=True, watched_at=shows_at, **seen)
        case Action.MARK_UNWATCHED:
            base = replace(base, **FORGET_WATCHED)
    feature = op.feature
    pending = tuple(
        p
        for p in state.pending
        if not (p.link == op.link and p.side is op.side and p.action.feature is feature)
    )
    if lags:
        pending = (
            *pending,
            Pending(op.link, op.side, op.action, now, op.value, shows_at),
        )
    return replace(state, agreed={**state.agreed, op.link: base}, pending=pending)


_NOT_OVERRULED: dict[str, Any] = {
    "plex_rating_overruled": None,
    "senscritique_rating_overruled": None,
}


def _read(link: Link, snapshots: Mapping[Side, Snapshot]) -> Reading:
    """Both sides' view of one link, as read."""
    reading = Reading({}, {}, {}, {})
    for side in SIDES:
        snapshot, key = snapshots[side], link.key_on(side)
        reading.watchlist[side] = key in snapshot.watchlist
        reading.rating[side] = snapshot.ratings.get(key)
        reading.watch[side] = snapshot.watched.get(key)
        reading.real_watch[side] = True
    return reading


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
