"""One example per row of design.md's watchlist table, plus its options."""

from __future__ import annotations

from custom_components.plexsync.engine.model import Action, Agreed, Direction, Side
from custom_components.plexsync.engine.settings import FeatureOptions, SyncOptions

from .builders import LINK_ID, PLEX_KEY, SC_KEY, plex, run, sc

ON = Agreed(watchlist=True)
OFF = Agreed()


def test_watchlist_on_both_sides_does_nothing_and_agrees_on() -> None:
    for base in (None, OFF, ON):
        result = run(plex(wish=True), sc(wish=True), base)
        assert result.ops == ()
        assert result.held == ()
        if base is ON:
            assert result.settled == {}
        else:
            assert result.settled[LINK_ID].watchlist is True


def test_watchlist_on_plex_not_agreed_adds_to_senscritique() -> None:
    result = run(plex(wish=True), sc(), OFF)
    (op,) = result.ops
    assert (op.side, op.action, op.key) == (
        Side.SENSCRITIQUE,
        Action.ADD_WATCHLIST,
        SC_KEY,
    )
    assert op.reason == (
        "Added “Heat” (1995) to your SensCritique wishlist because it is on "
        "your Plex watchlist."
    )
    assert result.settled == {}


def test_watchlist_on_senscritique_not_agreed_adds_to_plex() -> None:
    result = run(plex(), sc(wish=True), None)
    (op,) = result.ops
    assert (op.side, op.action, op.key) == (Side.PLEX, Action.ADD_WATCHLIST, PLEX_KEY)


def test_watchlist_removed_on_sc_removes_from_plex() -> None:
    result = run(plex(wish=True), sc(), ON)
    (op,) = result.ops
    assert (op.side, op.action, op.key) == (
        Side.PLEX,
        Action.REMOVE_WATCHLIST,
        PLEX_KEY,
    )
    assert "because you removed it from your SensCritique wishlist" in op.reason


def test_watchlist_removed_on_plex_removes_from_sc() -> None:
    result = run(plex(), sc(wish=True), ON)
    (op,) = result.ops
    assert (op.side, op.action, op.key) == (
        Side.SENSCRITIQUE,
        Action.REMOVE_WATCHLIST,
        SC_KEY,
    )


def test_watchlist_off_on_both_sides_agrees_off() -> None:
    result = run(plex(), sc(), ON)
    assert result.ops == ()
    assert result.settled[LINK_ID].watchlist is False


def test_watchlist_removal_is_not_propagated_nor_undone_when_removals_stay() -> None:
    options = SyncOptions(watchlist=FeatureOptions(propagate_removals=False))
    result = run(plex(wish=True), sc(), ON, options=options)
    assert result.ops == ()
    assert result.settled == {}  # the base stays on: the item is not re-added


def test_watchlist_one_way_never_writes_the_other_way() -> None:
    options = SyncOptions(
        watchlist=FeatureOptions(
            direction=Direction.PLEX_TO_SENSCRITIQUE, propagate_removals=True
        )
    )
    only_on_sc = run(plex(), sc(wish=True), OFF, options=options)
    assert only_on_sc.ops == ()
    assert only_on_sc.settled == {}  # the base does not pretend they agree
    removed_on_sc = run(plex(wish=True), sc(), ON, options=options)
    assert removed_on_sc.ops == ()
    only_on_plex = run(plex(wish=True), sc(), OFF, options=options)
    assert [op.side for op in only_on_plex.ops] == [Side.SENSCRITIQUE]


def test_watchlist_disabled_plans_and_settles_nothing() -> None:
    options = SyncOptions(watchlist=FeatureOptions(enabled=False))
    assert run(plex(wish=True), sc(), OFF, options=options) == run(
        plex(), sc(), OFF, options=options
    )
    result = run(plex(wish=True), sc(wish=True), OFF, options=options)
    assert result.ops == ()
    assert result.settled == {}
