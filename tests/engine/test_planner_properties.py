"""Property tests: random histories of both services under the sync.

Each example builds a small world (a few linked films), random options and
capabilities, then a history of runs. Before each run the user edits both
sides; during a run some Ops fail, the run may crash between two Ops, and a
side may read empty. The state goes through JSON after every record, as the
store would save it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hypothesis import example, given, settings, strategies as st

from custom_components.plexsync.engine.guards import removal_limit
from custom_components.plexsync.engine.model import Direction, Feature, Side, SyncState
from custom_components.plexsync.engine.planner import settle
from custom_components.plexsync.engine.plans import Op, Plan
from custom_components.plexsync.engine.settings import (
    Capabilities,
    FeatureOptions,
    SyncOptions,
)

from .conftest import ENGINE_SETTINGS
from .world import World

LINKS = 4
EDITS = ("wish", "unwish", "rate", "unrate", "watch", "unwatch")

SIDES = (Side.PLEX, Side.SENSCRITIQUE)
DIRECTIONS = tuple(Direction)
# Strategies draw small integers and decode them: one draw per edit or option
# keeps a thousand examples per property cheap on a slow machine.
EDIT_SPACE = len(SIDES) * len(EDITS) * LINKS * 10


@dataclass(frozen=True)
class Run:
    edits: list[tuple[Side, str, int, int]]
    fail: frozenset[int]
    crash_after: int | None
    faulty: Side | None


def _edit(code: int) -> tuple[Side, str, int, int]:
    code, value = divmod(code, 10)
    code, index = divmod(code, LINKS)
    side, what = divmod(code, len(EDITS))
    return SIDES[side], EDITS[what], index, value + 1


def _run(edit_codes: list[int], mask: int, crash: int, faulty: int) -> Run:
    return Run(
        [_edit(code) for code in edit_codes],
        frozenset(i for i in range(6) if mask >> i & 1),
        crash if crash >= 0 else None,
        SIDES[faulty] if faulty < len(SIDES) else None,
    )


runs = st.builds(
    _run,
    st.lists(st.integers(0, EDIT_SPACE - 1), max_size=5),
    st.integers(0, 63).map(lambda m: m & (m >> 2)),  # about one Op in six fails
    st.integers(-6, 4),  # a crash in about one run of three
    st.integers(0, 9),  # a side reads empty in one run of five
)


def _feature(code: int) -> FeatureOptions:
    code, direction = divmod(code, len(DIRECTIONS))
    enabled, propagate = divmod(code, 2)
    return FeatureOptions(enabled % 4 != 3, DIRECTIONS[direction], bool(propagate))


FEATURE_SPACE = 4 * 2 * len(DIRECTIONS)
sync_options = st.builds(
    lambda w, r, m, guard_min, ratio: SyncOptions(
        _feature(w), _feature(r), _feature(m), guard_min=guard_min, guard_ratio=ratio
    ),
    *[st.integers(0, FEATURE_SPACE - 1)] * 3,
    st.integers(0, 5),
    st.sampled_from([0.1, 0.25, 0.5]),
)


def _caps(mask: int, *, can_date: bool) -> Capabilities:
    """Write abilities from a bit mask; 0 means every ability."""
    if mask == 0:
        return Capabilities(set_watched_date=can_date)
    bit = [bool(mask >> i & 1) for i in range(6)]
    return Capabilities(
        watchlist=bit[0],
        rate=bit[1],
        unrate=bit[2],
        mark_watched=bit[3],
        mark_unwatched=bit[4],
        set_watched_date=can_date and bit[5],
    )


def _example_world(watchlist: int, ratings: int, watched: int) -> World:
    """The world of a found example: every capability, Plex unable to date a
    watch, SensCritique able to; features by their codes (_feature)."""
    return World(
        LINKS,
        SyncOptions(
            _feature(watchlist), _feature(ratings), _feature(watched), guard_min=0
        ),
        {
            Side.PLEX: _caps(0, can_date=False),
            Side.SENSCRITIQUE: _caps(0, can_date=True),
        },
    )


# Plex cannot set a watch date (it records "now"), so it never claims to.
capabilities = st.builds(
    lambda plex, sens: {
        Side.PLEX: _caps(plex, can_date=False),
        Side.SENSCRITIQUE: _caps(sens, can_date=True),
    },
    st.integers(0, 127).map(lambda m: m if m < 64 else 0),
    st.integers(0, 127).map(lambda m: m if m < 64 else 0),
)
worlds = st.builds(
    lambda options, caps: World(LINKS, options, caps), sync_options, capabilities
)
histories = st.lists(runs, min_size=1, max_size=4)


def _play(world: World, history: list[Run]) -> None:
    for run in history:
        for side, what, index, value in run.edits:
            world.user_edit(side, what, index, value)
        world.sync(fail=run.fail, crash_after=run.crash_after, faulty=run.faulty)


def _agreed_counts(state: SyncState) -> dict[Feature, int]:
    counts = dict.fromkeys(Feature, 0)
    for link_id in state.links:
        base = state.agreed.get(link_id)
        if base is None:
            continue
        counts[Feature.WATCHLIST] += base.watchlist
        counts[Feature.RATINGS] += base.rating is not None
        counts[Feature.WATCHED] += base.watched
    return counts


def _same(op: Op) -> tuple[object, ...]:
    return (op.side, op.action, op.key, op.value)


@settings(ENGINE_SETTINGS)
@given(worlds, histories)
def test_sync_converges(world: World, history: list[Run]) -> None:
    """After any history, a clean run, then one confirming what it held,
    leave nothing to do."""
    _play(world, history)
    world.sync()
    world.sync(confirm=True)
    plex, sc = world.snapshots()
    again = world.plan(plex, sc)
    assert again.ops == ()
    assert again.held == ()


@settings(ENGINE_SETTINGS)
@given(worlds, histories)
# A pending SC done-date write (SC reads empty) and a Plex re-watch on a later
# day: settling must not hide the write of the new date to SC.
@example(
    world=_example_world(0, 0, 0),
    history=[_run([160], 0, 1, 1), _run([], 0, 0, 1), _run([160], 0, 0, 1)],
)
# Both change an agreed rating, Plex's (dated) lower one wins over SC's
# (undated): settling SC's overruled rating must not change the words of the
# write (the same rule still decides it).
@example(
    world=_example_world(0, 0, 0),
    history=[_run([82], 0, 1, 1), _run([80, 321], 0, 0, 2)],
)
def test_plan_is_idempotent(world: World, history: list[Run]) -> None:
    """The same inputs give the same plan; settling changes no decision."""
    for run in history:
        for side, what, index, value in run.edits:
            world.user_edit(side, what, index, value)
        plex, sc = world.snapshots(run.faulty)
        first = world.plan(plex, sc)
        assert world.plan(plex, sc) == first
        settled_state = settle(world.state, first, world.now)
        assert settle(settled_state, first, world.now) == settled_state
        before, world.state = world.state, settled_state
        second = world.plan(plex, sc)
        world.state = before
        assert second.ops == first.ops
        assert second.held == first.held
        assert second.settled == {}
        assert second.resolved == ()
        world.sync(fail=run.fail, crash_after=run.crash_after, faulty=run.faulty)


@settings(ENGINE_SETTINGS)
@given(worlds, histories)
# The sync's SC rating is pending when the user rates SC again and removes the
# Plex rating: the newer SC rating must win, not be cleared.
@example(
    world=_example_world(0, 15, 0),
    history=[_run([81], 0, 1, 1), _run([120, 320], 0, 0, 0)],
)
# SC's watch was copied to Plex while Plex read empty, then SC read empty; the
# user unwatches Plex and re-watches on SC a day later: SC must not be unmarked.
@example(
    world=_example_world(0, 0, 15),
    history=[_run([420], 0, 1, 0), _run([], 0, 0, 1), _run([220, 420], 0, 0, 0)],
)
# The same, SC's date moved to a day before the agreed one: still a change.
@example(
    world=_example_world(0, 0, 15),
    history=[_run([420], 0, 1, 0), _run([], 0, 0, 1), _run([220, 422], 0, 0, 0)],
)
# SC's rating change is read by a run that crashes before writing it; then the
# user removes the Plex rating: a change beating a removal, no resurrection.
@example(
    world=_example_world(0, 0, 0),
    history=[_run([351], 0, 1, 0), _run([350], 0, 0, 2), _run([150], 0, 0, 0)],
)
# Both change an agreed rating; Plex's newer one wins but SC cannot rate, so SC
# keeps its overruled rating; the user then removes the Plex rating: SC's
# overruled rating is no change and is not brought back to Plex.
@example(
    world=World(
        LINKS,
        SyncOptions(_feature(0), _feature(0), _feature(0), guard_min=0),
        {
            Side.PLEX: _caps(0, can_date=False),
            Side.SENSCRITIQUE: _caps(1, can_date=True),
        },
    ),
    history=[_run([351], 0, 1, 0), _run([110, 352], 0, 0, 2), _run([150], 0, 0, 0)],
)
# SC's watch was copied to Plex while Plex read empty; the user unwatches Plex
# and re-watches on SC a day later, the re-watch is copied to Plex: SC's new
# date is the one it is seen at, so Plex's next unwatch is not undone by it.
@example(
    world=_example_world(0, 0, 0),
    history=[_run([400], 0, 1, 0), _run([200, 400], 0, 1, 2), _run([200], 0, 0, 0)],
)
# Plex's watch was copied to SC (dated) while SC read empty; before both sides
# are read again the user unwatches Plex and re-watches on SC a day later: the
# date SC took for our write is known, so the re-watch beats the unwatch.
@example(
    world=_example_world(0, 0, 15),
    history=[_run([180], 0, 1, 1), _run([220, 420], 0, 0, 0)],
)
# SC's watch is copied to Plex, which records "now"; before the next read the
# user unwatches SC and re-watches on Plex on an earlier day: Plex is seen at
# the time of our write, so its new day is a re-watch that beats the unwatch.
@example(
    world=_example_world(0, 0, 15),
    history=[_run([400], 0, -1, 2), _run([440, 160], 0, -1, 2)],
)
def test_sync_never_resurrects_nor_loses(world: World, history: list[Run]) -> None:
    """No resurrection: what the user removed on a side (once both agreed on it)
    is not put back there unless the user added it again. No loss: the sync
    removes only what the user removed on the other side, even when a side
    reads empty. Both are checked on every Op the history applies."""
    _play(world, history)
    world.sync()
    world.sync(confirm=True)
    resurrections = [v for v in world.ledger.violations if v.startswith("resurrection")]
    losses = [v for v in world.ledger.violations if v.startswith("loss")]
    assert resurrections == []
    assert losses == []


@settings(ENGINE_SETTINGS)
@given(worlds, histories)
def test_no_plan_removes_more_than_the_guard_allows(
    world: World, history: list[Run]
) -> None:
    for run in history:
        for side, what, index, value in run.edits:
            world.user_edit(side, what, index, value)
        counts = _agreed_counts(world.state)
        the_plan, _ = world.sync(
            fail=run.fail, crash_after=run.crash_after, faulty=run.faulty
        )
        removals = Counter(
            (op.side, op.feature) for op in the_plan.ops if op.action.is_removal
        )
        for (_, feature), count in removals.items():
            assert count <= removal_limit(counts[feature], world.options)
        assert all(op.action.is_removal for op in the_plan.held)


@settings(ENGINE_SETTINGS)
@given(worlds, histories)
def test_failed_ops_never_advance_the_base(world: World, history: list[Run]) -> None:
    """An Op that failed (or was never reached) leaves the base as if it had not
    been tried: the next run on the same data plans it again."""
    for run in history:
        for side, what, index, value in run.edits:
            world.user_edit(side, what, index, value)
        _, skipped = world.sync(
            fail=run.fail, crash_after=run.crash_after, faulty=run.faulty
        )
        if run.faulty is not None or not skipped:
            continue
        plex, sc = world.snapshots()
        replanned: Plan = world.plan(plex, sc)
        again = {_same(op) for op in (*replanned.ops, *replanned.held)}
        for op in skipped:
            assert _same(op) in again, op
