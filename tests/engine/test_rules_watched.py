"""One example per watched rule of design.md, with Plex's "now" dates."""

from __future__ import annotations

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    FeatureOptions,
    Side,
    SyncOptions,
)
from custom_components.plexsync.engine.planner import record, settle

from .builders import DAY, NOW, PLEX_LIKE, plex, run, sc, state

PROPAGATE = SyncOptions(watched=FeatureOptions(propagate_removals=True))
SEEN = NOW - 10 * DAY


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
    sync_state = record(settle(state(), first, NOW), first.ops[0], NOW)
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
