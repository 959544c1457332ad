"""One example per watched rule of design.md, with Plex's "now" dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.plexsync.engine.model import Action, Agreed, Feature, Side
from custom_components.plexsync.engine.planner import record, settle
from custom_components.plexsync.engine.settings import (
    Capabilities,
    FeatureOptions,
    SyncOptions,
)

from .builders import DAY, NOW, PLEX_LIKE, plex, run, sc, state

PROPAGATE = SyncOptions(watched=FeatureOptions(propagate_removals=True))
SEEN = NOW - 10 * DAY
HOUR = timedelta(hours=1)
WATCHES_LAG = {
    Side.PLEX: PLEX_LIKE[Side.PLEX],
    Side.SENSCRITIQUE: Capabilities(lagging=frozenset({Feature.WATCHED})),
}


def test_watched_on_plex_only_marks_sc_with_that_date() -> None:
    result = run(plex(watched=True, watched_at=SEEN), sc())
    (op,) = result.ops
    assert (op.side, op.action, op.at) == (Side.SENSCRITIQUE, Action.MARK_WATCHED, SEEN)
    assert op.reason == (
        "Marked “Heat” (1995) watched on 2024-05-22 on SensCritique because you "
        "watched it on Plex."
    )


def test_watched_on_sc_only_marks_plex_with_that_date() -> None:
    (op,) = run(plex(), sc(watched=True, watched_at=SEEN), capabilities=PLEX_LIKE).ops
    assert (op.side, op.action, op.at) == (Side.PLEX, Action.MARK_WATCHED, SEEN)


def test_watched_on_both_carries_the_latest_date_where_the_side_can_set_it() -> None:
    later = SEEN + 3 * DAY
    both_can = run(
        plex(watched=True, watched_at=SEEN), sc(watched=True, watched_at=later)
    )
    (op,) = both_can.ops
    assert (op.side, op.action, op.at) == (Side.PLEX, Action.MARK_WATCHED, later)
    plex_cannot = run(
        plex(watched=True, watched_at=SEEN),
        sc(watched=True, watched_at=later),
        capabilities=PLEX_LIKE,
    )
    assert plex_cannot.ops == ()
    assert plex_cannot.settled[next(iter(plex_cannot.settled))].watched_at == later


def test_watched_plex_records_now_and_the_agreed_date_stops_a_loop() -> None:
    first = run(plex(), sc(watched=True, watched_at=SEEN), capabilities=PLEX_LIKE)
    sync_state = record(settle(state(), first, NOW), first.ops[0], NOW, lags=False)
    # Plex marked it watched "now", not on SEEN: SC must keep its true date.
    for hours in (1, 2, 3):
        later = NOW + hours * DAY / 24
        again = run(
            plex(watched=True, watched_at=NOW),
            sc(watched=True, watched_at=SEEN),
            capabilities=PLEX_LIKE,
            sync_state=sync_state,
            now=later,
        )
        assert again.ops == ()
        sync_state = settle(sync_state, again, later)
    (link_id,) = sync_state.agreed
    assert sync_state.agreed[link_id].watched_at == SEEN


def test_watched_again_on_plex_after_agreement_updates_the_sc_date() -> None:
    base = Agreed(
        watched=True,
        watched_at=SEEN,
        plex_watched_at=NOW - DAY,
        senscritique_watched_at=SEEN,
    )
    rewatch = NOW - DAY / 2
    result = run(
        plex(watched=True, watched_at=rewatch),
        sc(watched=True, watched_at=SEEN),
        base,
        capabilities=PLEX_LIKE,
    )
    (op,) = result.ops
    assert (op.side, op.action, op.at) == (
        Side.SENSCRITIQUE,
        Action.MARK_WATCHED,
        rewatch,
    )


def test_unwatched_on_sc_after_agreement_unmarks_plex_only_when_removals_propagate() -> (
    None
):
    base = Agreed(watched=True, watched_at=SEEN, plex_watched_at=SEEN)
    kept = run(plex(watched=True, watched_at=SEEN), sc(), base)
    assert kept.ops == ()
    assert kept.settled == {}
    result = run(plex(watched=True, watched_at=SEEN), sc(), base, options=PROPAGATE)
    (op,) = result.ops
    assert (op.side, op.action) == (Side.PLEX, Action.MARK_UNWATCHED)
    assert "because you marked it unwatched on SensCritique" in op.reason


def test_unwatched_on_both_sides_agrees_unwatched() -> None:
    result = run(plex(), sc(), Agreed(watched=True, watched_at=SEEN))
    assert result.ops == ()
    (agreed,) = result.settled.values()
    assert agreed == Agreed()


def test_a_date_senscritique_keeps_to_the_day_settles_after_one_write() -> None:
    """SensCritique takes a day and reads back midnight UTC: the same day is
    the same date, so the write is not planned again on every run."""
    evening = SEEN + timedelta(hours=8, minutes=41)
    first = run(plex(watched=True, watched_at=evening), sc(), capabilities=PLEX_LIKE)
    (op,) = first.ops
    assert (op.side, op.action, op.at) == (
        Side.SENSCRITIQUE,
        Action.MARK_WATCHED,
        evening,
    )
    sync_state = record(settle(state(), first, NOW), op, NOW, lags=False)
    midnight = datetime.combine(evening.date(), datetime.min.time(), UTC)
    for hours in (1, 2):
        later = NOW + hours * HOUR
        again = run(
            plex(watched=True, watched_at=evening),
            sc(watched=True, watched_at=midnight),
            capabilities=PLEX_LIKE,
            sync_state=sync_state,
            now=later,
        )
        assert again.ops == ()
        if hours == 2:
            assert again.settled == {}
        sync_state = settle(sync_state, again, later)
    (agreed,) = sync_state.agreed.values()
    assert agreed.watched_at == evening


def test_watched_on_the_same_day_on_both_sides_needs_no_date_write() -> None:
    evening = SEEN + timedelta(hours=8)
    midnight = datetime.combine(evening.date(), datetime.min.time(), UTC)
    result = run(
        plex(watched=True, watched_at=evening), sc(watched=True, watched_at=midnight)
    )
    assert result.ops == ()
    (agreed,) = result.settled.values()
    assert agreed.watched_at == evening
    next_day = run(
        plex(watched=True, watched_at=evening),
        sc(watched=True, watched_at=midnight + DAY),
    )
    (op,) = next_day.ops
    assert (op.side, op.at) == (Side.PLEX, midnight + DAY)


def test_an_undated_watch_does_not_take_the_date_plex_records_for_our_write() -> None:
    first = run(plex(), sc(watched=True), capabilities=PLEX_LIKE)
    (op,) = first.ops
    assert (op.side, op.action, op.at) == (Side.PLEX, Action.MARK_WATCHED, None)
    sync_state = record(settle(state(), first, NOW), op, NOW, lags=False)
    # Plex marked it watched "now": that is our write, not a date to give SC.
    later = NOW + HOUR
    again = run(
        plex(watched=True, watched_at=NOW),
        sc(watched=True),
        capabilities=PLEX_LIKE,
        sync_state=sync_state,
        now=later,
    )
    assert again.ops == ()
    sync_state = settle(sync_state, again, later)
    # A re-watch on Plex on a later day is a true date: SC gets it.
    rewatch = NOW + 2 * DAY
    third = run(
        plex(watched=True, watched_at=rewatch),
        sc(watched=True),
        capabilities=PLEX_LIKE,
        sync_state=sync_state,
        now=rewatch + HOUR,
    )
    (op,) = third.ops
    assert (op.side, op.action, op.at) == (
        Side.SENSCRITIQUE,
        Action.MARK_WATCHED,
        rewatch,
    )


def test_watched_again_on_plex_while_the_sc_date_write_is_pending() -> None:
    """The property test's counter-example, on a side whose watches lag (no
    service's do today; the engine allows any feature to): SC's done-date
    write is pending (its read does not show it yet) when Plex is watched
    again on a later day. The re-watch's date must be planned for SC, and
    settling the plan's new base must not hide that write: the pending write
    stands in with the date it wrote, not with the base's (which the plan
    moves to the re-watch)."""
    first = run(plex(watched=True, watched_at=SEEN), sc(), capabilities=WATCHES_LAG)
    (op,) = first.ops
    sync_state = record(settle(state(), first, NOW), op, NOW, lags=True)
    # A run whose SC read does not show the write yet: it learns Plex's date.
    lagging = run(
        plex(watched=True, watched_at=SEEN),
        sc(),
        capabilities=WATCHES_LAG,
        sync_state=sync_state,
        now=NOW + HOUR,
    )
    assert (lagging.ops, len(lagging.awaiting)) == ((), 1)
    sync_state = settle(sync_state, lagging, NOW + HOUR)

    rewatch = SEEN + DAY
    later = NOW + 2 * HOUR
    reread = (plex(watched=True, watched_at=rewatch), sc())
    result = run(*reread, capabilities=WATCHES_LAG, sync_state=sync_state, now=later)
    (op,) = result.ops
    assert (op.side, op.action, op.at) == (
        Side.SENSCRITIQUE,
        Action.MARK_WATCHED,
        rewatch,
    )
    settled = settle(sync_state, result, later)
    (agreed,) = settled.agreed.values()
    assert agreed.watched_at == rewatch
    again = run(*reread, capabilities=WATCHES_LAG, sync_state=settled, now=later)
    assert again.ops == result.ops
    assert again.settled == {}


def test_watched_again_on_sc_before_a_run_reads_both_sides_is_a_rewatch() -> None:
    """Property counter-example: SC's watch went to Plex (which records "now")
    in a run whose Plex read was empty; the next run's SC read was empty too.
    Then the user unwatches Plex and watches it again on SC on a later day:
    that is a re-watch (a change beats a removal), not an agreed watch whose
    removal on Plex should unmark SC. The date SC showed when its watch was
    copied is what it is seen at."""
    first = run(plex(), sc(watched=True, watched_at=SEEN), capabilities=PLEX_LIKE)
    (op,) = first.ops
    assert (op.side, op.action) == (Side.PLEX, Action.MARK_WATCHED)
    sync_state = record(settle(state(), first, NOW), op, NOW, lags=False)
    (agreed,) = sync_state.agreed.values()
    assert agreed.senscritique_watched_at == SEEN

    # Plex shows the write ("now"); SC's read misses the watch (no removal
    # propagates: nothing is planned).
    later = NOW + HOUR
    lagging = run(
        plex(watched=True, watched_at=NOW),
        sc(),
        capabilities=PLEX_LIKE,
        sync_state=sync_state,
        now=later,
    )
    assert lagging.ops == ()
    sync_state = settle(sync_state, lagging, later)

    rewatch = SEEN + DAY
    later += HOUR
    result = run(
        plex(),
        sc(watched=True, watched_at=rewatch),
        capabilities=PLEX_LIKE,
        options=PROPAGATE,
        sync_state=sync_state,
        now=later,
    )
    (op,) = result.ops
    assert (op.side, op.action, op.at) == (Side.PLEX, Action.MARK_WATCHED, rewatch)
