"""The date each side is seen at once our watch write is made (`Op.at_shown_on`,
`planner.record`): what tells a user's re-watch from our own write when the
next run does not read both sides watched. Each is a property test's
counter-example (test_planner_properties.py), as plain steps; each failed
before the seen dates were recorded with the write."""

from __future__ import annotations

from datetime import timedelta

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Side,
    Snapshot,
    SyncState,
)
from custom_components.plexsync.engine.planner import record, settle
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.engine.settings import Capabilities
from custom_components.plexsync.engine.undo import NotUndone, inverse

from .builders import DAY, NOW, PLEX_LIKE, plex, run, sc, state
from .test_rules_watched import PROPAGATE, SEEN

HOUR = timedelta(hours=1)


def _written(
    first_state: SyncState, plex_read: Snapshot, sc_read: Snapshot
) -> SyncState:
    """One run that plans and makes a single watch write."""
    first = run(plex_read, sc_read, capabilities=PLEX_LIKE, sync_state=first_state)
    (op,) = first.ops
    assert op.action is Action.MARK_WATCHED
    return record(settle(first_state, first, NOW), op, NOW, lags=False)


def test_a_rewatch_copied_to_the_other_side_is_seen_at_its_new_date() -> None:
    """SC's re-watch goes to Plex; the user unwatches Plex again: SC's new date
    is no re-watch any more, so Plex's unwatch stands (was: Plex re-marked)."""
    base = Agreed(watched=True, watched_at=SEEN, senscritique_watched_at=SEEN)
    rewatch = SEEN + DAY
    after = _written(state(base), plex(), sc(watched=True, watched_at=rewatch))
    (agreed,) = after.agreed.values()
    assert agreed.senscritique_watched_at == rewatch
    again = run(
        plex(),
        sc(watched=True, watched_at=rewatch),
        capabilities=PLEX_LIKE,
        sync_state=after,
        now=NOW + HOUR,
    )
    assert again.ops == ()


def test_a_failed_rewatch_copy_leaves_the_rewatch_a_rewatch() -> None:
    """Settled by the write only: the plan alone does not move SC's seen date,
    so a write that failed is planned again rather than read as Plex's unwatch."""
    base = Agreed(watched=True, watched_at=SEEN, senscritique_watched_at=SEEN)
    reads = (plex(), sc(watched=True, watched_at=SEEN + DAY))
    first = run(*reads, base, capabilities=PLEX_LIKE, options=PROPAGATE)
    settled = settle(state(base), first, NOW)
    again = run(
        *reads,
        capabilities=PLEX_LIKE,
        options=PROPAGATE,
        sync_state=settled,
        now=NOW + HOUR,
    )
    assert again.ops == first.ops
    assert first.ops[0].action is Action.MARK_WATCHED


def test_a_side_that_keeps_the_date_written_is_seen_at_it() -> None:
    """Plex's watch goes to SC with its date; before both are read again the
    user unwatches Plex and re-watches on SC a day later: a re-watch, which
    beats the unwatch (was: SC unmarked, the re-watch lost)."""
    after = _written(state(), plex(watched=True, watched_at=SEEN), sc())
    (agreed,) = after.agreed.values()
    assert (agreed.plex_watched_at, agreed.senscritique_watched_at) == (SEEN, SEEN)
    again = run(
        plex(),
        sc(watched=True, watched_at=SEEN + DAY),
        capabilities=PLEX_LIKE,
        options=PROPAGATE,
        sync_state=after,
        now=NOW + HOUR,
    )
    (op,) = again.ops
    assert (op.side, op.action, op.at) == (
        Side.PLEX,
        Action.MARK_WATCHED,
        SEEN + DAY,
    )


def test_plex_is_seen_at_the_time_of_our_write() -> None:
    """Plex records "now" for our write: that is the date it is seen at. The
    user then unwatches SC and re-watches on Plex on another day: a re-watch
    that beats the unwatch (was: Plex unmarked, the re-watch lost)."""
    after = _written(state(), plex(), sc(watched=True, watched_at=SEEN))
    (agreed,) = after.agreed.values()
    assert (agreed.plex_watched_at, agreed.senscritique_watched_at) == (NOW, SEEN)
    rewatch = NOW - DAY
    again = run(
        plex(watched=True, watched_at=rewatch),
        sc(),
        capabilities=PLEX_LIKE,
        options=PROPAGATE,
        sync_state=after,
        now=NOW + HOUR,
    )
    (op,) = again.ops
    assert (op.side, op.action) == (Side.SENSCRITIQUE, Action.MARK_WATCHED)
    # Plex showing our write (the same day) is no re-watch: the unwatch goes.
    same_day = run(
        plex(watched=True, watched_at=NOW + HOUR),
        sc(),
        capabilities=PLEX_LIKE,
        options=PROPAGATE,
        sync_state=after,
        now=NOW + 2 * HOUR,
    )
    (op,) = same_day.ops
    assert (op.side, op.action) == (Side.PLEX, Action.MARK_UNWATCHED)


def test_an_undo_that_puts_a_dated_watch_back_is_seen_at_that_date() -> None:
    """Undoing our date write puts the side's own date back, which it then
    shows; the written side is otherwise seen at the time of the write."""
    first = run(
        plex(watched=True, watched_at=SEEN),
        sc(watched=True, watched_at=SEEN + DAY),
    )
    (op,) = first.ops
    assert (op.side, op.at_shown_on) == (Side.PLEX, frozenset({Side.PLEX}))
    back = inverse(op, Capabilities(), title="Heat", because="you undid it")
    assert isinstance(back, Op)
    assert (back.action, back.at) == (Action.MARK_WATCHED, SEEN)
    assert back.at_shown_on == frozenset({Side.PLEX})
    after = record(state(), back, NOW, lags=False)
    (agreed,) = after.agreed.values()
    assert agreed.plex_watched_at == SEEN
    cannot = inverse(op, PLEX_LIKE[Side.PLEX], title="Heat", because="you undid it")
    assert cannot is NotUndone.CANNOT_SET_DATE
