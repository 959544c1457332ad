"""One example per ratings rule of design.md (and the issue's tie-breaks)."""

from __future__ import annotations

from custom_components.plexsync.engine.model import Action, Agreed, Direction, Side
from custom_components.plexsync.engine.planner import record, settle
from custom_components.plexsync.engine.settings import (
    Capabilities,
    FeatureOptions,
    SyncOptions,
)

from .builders import DAY, LINK_ID, NOW, PLEX_KEY, SC_KEY, plex, run, sc, state

PROPAGATE = SyncOptions(ratings=FeatureOptions(propagate_removals=True))


def _only(result: object) -> tuple[Side, Action, int | None]:
    (op,) = result.ops  # type: ignore[attr-defined]
    return op.side, op.action, op.value


def test_rating_on_one_side_never_agreed_is_copied_to_the_other() -> None:
    to_sc = run(plex(rating=7), sc(), None)
    assert _only(to_sc) == (Side.SENSCRITIQUE, Action.SET_RATING, 7)
    assert to_sc.ops[0].reason == (
        "Rated “Heat” (1995) 7/10 on SensCritique because you rated it on Plex."
    )
    assert _only(run(plex(), sc(rating=4), None)) == (Side.PLEX, Action.SET_RATING, 4)


def test_rating_changed_on_sc_wins_over_unchanged_plex() -> None:
    # Plex's date is newer, but Plex still equals the base: SC's change wins.
    result = run(plex(rating=6, rated_at=NOW), sc(rating=9), Agreed(rating=6))
    assert _only(result) == (Side.PLEX, Action.SET_RATING, 9)
    assert "because you changed it on SensCritique" in (result.ops[0].reason)


def test_rating_changed_on_plex_wins_over_unchanged_sc() -> None:
    result = run(plex(rating=3), sc(rating=6, rated_at=NOW), Agreed(rating=6))
    assert _only(result) == (Side.SENSCRITIQUE, Action.SET_RATING, 3)


def test_rating_changed_on_both_latest_rating_date_wins() -> None:
    result = run(
        plex(rating=8, rated_at=NOW - DAY), sc(rating=4, rated_at=NOW), Agreed(rating=6)
    )
    assert _only(result) == (Side.PLEX, Action.SET_RATING, 4)
    assert "the SensCritique rating is the more recent" in result.ops[0].reason


def test_rating_without_base_latest_rating_date_wins() -> None:
    result = run(plex(rating=8, rated_at=NOW), sc(rating=4, rated_at=NOW - DAY))
    assert _only(result) == (Side.SENSCRITIQUE, Action.SET_RATING, 8)


def test_rating_date_unknown_falls_back_to_the_watched_date() -> None:
    options = SyncOptions(watched=FeatureOptions(enabled=False))
    result = run(
        plex(rating=8, rated_at=NOW - 3 * DAY),
        sc(rating=4, watched_at=NOW - DAY),  # SC: no rating date, done a day ago
        options=options,
    )
    assert _only(result) == (Side.PLEX, Action.SET_RATING, 4)


def test_rating_date_still_missing_lowest_rating_wins() -> None:
    result = run(plex(rating=8, rated_at=NOW), sc(rating=5), Agreed(rating=6))
    assert _only(result) == (Side.PLEX, Action.SET_RATING, 5)
    assert "the lower wins" in result.ops[0].reason
    lower_on_plex = run(plex(rating=2), sc(rating=5))
    assert _only(lower_on_plex) == (Side.SENSCRITIQUE, Action.SET_RATING, 2)


def test_rating_equal_on_both_sides_agrees() -> None:
    result = run(plex(rating=7), sc(rating=7), None)
    assert result.ops == ()
    assert result.settled[LINK_ID].rating == 7


def test_rating_removed_on_sc_after_agreement_clears_plex_when_removals_propagate() -> (
    None
):
    result = run(plex(rating=7), sc(), Agreed(rating=7), options=PROPAGATE)
    assert _only(result) == (Side.PLEX, Action.CLEAR_RATING, None)
    assert result.ops[0].key == PLEX_KEY
    assert "because you removed your rating on SensCritique" in result.ops[0].reason


def test_rating_removed_after_agreement_is_kept_when_removals_do_not_propagate() -> (
    None
):
    result = run(plex(), sc(rating=7), Agreed(rating=7))
    assert result.ops == ()
    assert result.settled == {}  # not re-copied: the base still says 7


def test_rating_change_beats_a_removal_on_the_other_side() -> None:
    result = run(plex(rating=9), sc(), Agreed(rating=7), options=PROPAGATE)
    assert _only(result) == (Side.SENSCRITIQUE, Action.SET_RATING, 9)
    assert result.ops[0].key == SC_KEY


def test_rating_removed_on_both_sides_agrees_unrated() -> None:
    result = run(plex(), sc(), Agreed(rating=7))
    assert result.settled[LINK_ID].rating is None


def test_rating_never_written_where_the_side_cannot_rate_and_does_not_loop() -> None:
    caps = {Side.PLEX: Capabilities(rate=False), Side.SENSCRITIQUE: Capabilities()}
    first = run(plex(), sc(rating=4), None, capabilities=caps)
    assert first.ops == ()
    assert first.settled == {}
    sync_state = settle(state(None), first, NOW)
    assert run(plex(), sc(rating=4), capabilities=caps, sync_state=sync_state) == first


def test_rating_one_way_does_not_write_back() -> None:
    options = SyncOptions(
        ratings=FeatureOptions(direction=Direction.SENSCRITIQUE_TO_PLEX)
    )
    assert run(plex(rating=7), sc(), options=options).ops == ()
    assert _only(run(plex(), sc(rating=7), options=options))[0] is Side.PLEX


def test_rating_written_then_read_back_with_plex_date_now_is_stable() -> None:
    first = run(plex(), sc(rating=4), None)
    sync_state = record(settle(state(None), first, NOW), first.ops[0], NOW, lags=False)
    # Plex now shows the rating dated "now"; nothing more to do.
    again = run(
        plex(rating=4, rated_at=NOW), sc(rating=4), sync_state=sync_state, now=NOW + DAY
    )
    assert again.ops == ()


def test_rating_overruled_on_a_side_that_cannot_rate_is_no_change_beating_a_removal() -> (
    None
):
    # Both changed an agreed 6: Plex's 8 is newer and wins, but SC cannot rate,
    # so SC keeps showing its overruled 4 and the base still says 6.
    caps = {Side.PLEX: Capabilities(), Side.SENSCRITIQUE: Capabilities(rate=False)}
    sc_rating = sc(rating=4, rated_at=NOW - DAY)
    first = run(
        plex(rating=8, rated_at=NOW), sc_rating, Agreed(rating=6), capabilities=caps
    )
    assert first.ops == ()
    assert first.settled[LINK_ID].senscritique_rating_overruled == 4
    sync_state = settle(state(Agreed(rating=6)), first, NOW)
    # The user then removes the Plex rating: SC's 4 did not move since it was
    # overruled, so it is no change and is not copied back to Plex.
    kept = run(plex(), sc_rating, capabilities=caps, sync_state=sync_state)
    assert kept.ops == ()
    removed = run(
        plex(), sc_rating, capabilities=caps, sync_state=sync_state, options=PROPAGATE
    )
    assert _only(removed) == (Side.SENSCRITIQUE, Action.CLEAR_RATING, None)
    # A rating given on SC since is a change again, and beats the removal.
    changed = run(plex(), sc(rating=5), capabilities=caps, sync_state=sync_state)
    assert _only(changed) == (Side.PLEX, Action.SET_RATING, 5)


def test_a_write_made_again_over_an_overruled_rating_says_the_same() -> None:
    """Property counter-example: both changed an agreed 3 (Plex 1, dated; SC 2,
    undated): the lower wins. The plan settles SC's 2 as overruled; the write
    fails, and the next plan over the same reads makes it again with the same
    reason (was: "because you changed it on Plex", which hides SC's change).
    Once Plex moves again, Plex's change is all that beats SC's overruled 2."""
    reads = (plex(rating=1, rated_at=NOW - DAY), sc(rating=2))
    first = run(*reads, Agreed(rating=3))
    (op,) = first.ops
    assert (op.side, op.value) == (Side.SENSCRITIQUE, 1)
    assert op.reason.endswith("so the lower wins.")
    assert first.settled[LINK_ID].senscritique_rating_overruled == 2
    sync_state = settle(state(Agreed(rating=3)), first, NOW)
    again = run(*reads, sync_state=sync_state, now=NOW + DAY)
    assert again.ops == first.ops
    moved = run(
        plex(rating=5, rated_at=NOW), sc(rating=2), sync_state=sync_state, now=NOW
    )
    (op,) = moved.ops
    assert (op.side, op.value) == (Side.SENSCRITIQUE, 5)
    assert op.reason.endswith("because you changed it on Plex.")
