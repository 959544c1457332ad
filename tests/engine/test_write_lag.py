"""The write lag rules of engine/pending.py, one example each.

Plex shows every write at once: a write it accepted is confirmed and the next
read is the truth, so the user's undo of it stands however long after. The
SensCritique wishlist lags: a written wish stands in while SensCritique has
never shown it; once a read shows it, a difference is the user's edit; when
the grace window ends on a wish never shown, the write counts as failed and
is planned again from the base, never taken as agreed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Pending,
    Side,
    SyncState,
)
from custom_components.plexsync.engine.planner import plan, record, settle
from custom_components.plexsync.engine.plans import Op, Plan
from custom_components.plexsync.engine.settings import (
    Capabilities,
    FeatureOptions,
    SyncOptions,
)

from .builders import DAY, FULL, LINK, LINK_ID, NOW, PLEX_LIKE, plex, sc, state

HOUR = timedelta(hours=1)
GRACE = SyncOptions().pending_grace
# The whole window and beyond: within it, at its end, days after.
LATER = (HOUR, 6 * HOUR, 23 * HOUR, GRACE, GRACE + HOUR, 3 * DAY)


def _op(side: Side, action: Action, value: int | None = None) -> Op:
    return Op(side, action, LINK.key_on(side), LINK_ID, "test", value)


def _written(
    side: Side, action: Action, base: Agreed, value: int | None = None
) -> SyncState:
    """The state once the service accepted the write, recorded as the
    pipeline records it (pending where the side lags for the feature)."""
    op = _op(side, action, value)
    return record(state(base), op, NOW, lags=PLEX_LIKE[side].lags(op.feature))


def _writes(result: Plan) -> list[tuple[Side, Action]]:
    return [(op.side, op.action) for op in result.ops]


@pytest.mark.parametrize("after", LATER)
def test_an_undo_of_a_plex_wish_travels_and_is_never_added_back(
    after: timedelta,
) -> None:
    """The sync added SC's wish to Plex; the user removed it from Plex. However
    late the next run, that is the user's removal: it goes to SensCritique,
    and Plex never gets the wish back."""
    written = _written(Side.PLEX, Action.ADD_WATCHLIST, Agreed())
    assert written.pending == ()  # confirmed: Plex accepted it
    assert written.agreed[LINK_ID].watchlist

    result = plan(plex(), sc(wish=True), written, SyncOptions(), PLEX_LIKE, NOW + after)

    assert _writes(result) == [(Side.SENSCRITIQUE, Action.REMOVE_WATCHLIST)]


@pytest.mark.parametrize("after", LATER)
def test_an_undo_of_a_plex_rating_stands(after: timedelta) -> None:
    """The sync copied SC's 8 to Plex; the user cleared it on Plex. Rating
    removals do not propagate by default: nothing is written, ever."""
    written = _written(Side.PLEX, Action.SET_RATING, Agreed(), value=8)

    result = plan(plex(), sc(rating=8), written, SyncOptions(), PLEX_LIKE, NOW + after)

    assert result.ops == ()
    assert LINK_ID not in result.settled  # the agreed 8 stays: no copy back


def test_a_lagging_wish_stands_in_while_never_shown() -> None:
    """Plex's wish went to SensCritique, which does not list it yet: no
    removal from Plex, no second write, the write awaits."""
    written = _written(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, Agreed())
    (entry,) = written.pending

    result = plan(plex(wish=True), sc(), written, SyncOptions(), PLEX_LIKE, NOW + HOUR)

    assert result.ops == ()
    assert result.awaiting == (entry,)
    assert settle(written, result, NOW + HOUR).pending == (entry,)


def test_a_removal_on_plex_meanwhile_travels_over_a_lagging_wish() -> None:
    """While the SC wish awaits, the user removes the work from Plex: the
    pending wish stands in as SC's, and the removal goes to SensCritique."""
    written = _written(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, Agreed())

    result = plan(plex(), sc(), written, SyncOptions(), PLEX_LIKE, NOW + HOUR)

    assert _writes(result) == [(Side.SENSCRITIQUE, Action.REMOVE_WATCHLIST)]


def test_once_shown_a_lagging_wish_is_done_with_and_an_undo_is_the_users() -> None:
    written = _written(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, Agreed())
    shown_at = NOW + 6 * HOUR
    shown = plan(
        plex(wish=True), sc(wish=True), written, SyncOptions(), PLEX_LIKE, shown_at
    )
    assert shown.resolved == written.pending
    assert shown.ops == ()
    seen = settle(written, shown, shown_at)
    assert seen.pending == ()

    # The user removes it from SensCritique: before the window ends, and after.
    for after in (7 * HOUR, GRACE + HOUR, 3 * DAY):
        result = plan(
            plex(wish=True), sc(), seen, SyncOptions(), PLEX_LIKE, NOW + after
        )
        assert _writes(result) == [(Side.PLEX, Action.REMOVE_WATCHLIST)]


def test_when_the_window_ends_on_a_wish_never_shown_it_counts_as_failed() -> None:
    """Planned again from the base (both sides' wishes as read, nothing
    agreed), never taken as agreed: SC's absence is no removal from Plex."""
    written = _written(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, Agreed())
    (entry,) = written.pending

    for after in (GRACE, 3 * DAY):
        result = plan(
            plex(wish=True), sc(), written, SyncOptions(), PLEX_LIKE, NOW + after
        )
        assert _writes(result) == [(Side.SENSCRITIQUE, Action.ADD_WATCHLIST)]
        assert result.resolved == (entry,)
        assert result.settled[LINK_ID].watchlist is False

    # The user took it off Plex meanwhile: nothing to add, nothing to remove.
    gone = plan(plex(), sc(), written, SyncOptions(), PLEX_LIKE, NOW + GRACE)
    assert gone.ops == ()
    assert gone.settled[LINK_ID].watchlist is False


def test_a_lagging_removal_never_shown_is_planned_again() -> None:
    """SC's unwish (the user removed it from Plex) never shows: when the
    window ends it is planned again, not read as SC keeping the wish."""
    written = _written(Side.SENSCRITIQUE, Action.REMOVE_WATCHLIST, Agreed(True))
    within = plan(plex(), sc(wish=True), written, SyncOptions(), PLEX_LIKE, NOW + HOUR)
    assert within.ops == ()
    late = plan(plex(), sc(wish=True), written, SyncOptions(), PLEX_LIKE, NOW + GRACE)
    assert _writes(late) == [(Side.SENSCRITIQUE, Action.REMOVE_WATCHLIST)]


def test_a_stored_pending_write_of_a_side_that_does_not_lag_is_confirmed() -> None:
    """A state saved before lags were declared holds a pending Plex wish: it
    never stands in; the read is the truth, and the undo travels."""
    old = state(
        Agreed(watchlist=True),
        pending=(Pending(LINK_ID, Side.PLEX, Action.ADD_WATCHLIST, NOW),),
    )

    result = plan(plex(), sc(wish=True), old, SyncOptions(), PLEX_LIKE, NOW + HOUR)

    assert result.resolved == old.pending
    assert result.awaiting == ()
    assert _writes(result) == [(Side.SENSCRITIQUE, Action.REMOVE_WATCHLIST)]


def test_a_later_write_of_the_feature_replaces_a_pending_one() -> None:
    """Recorded pending or confirmed, a later write of the same link, side
    and feature replaces the earlier pending one."""
    wish = _op(Side.SENSCRITIQUE, Action.ADD_WATCHLIST)
    unwish = _op(Side.SENSCRITIQUE, Action.REMOVE_WATCHLIST)
    pending = record(state(Agreed()), wish, NOW, lags=True)
    replaced = record(pending, unwish, NOW + HOUR, lags=True)
    assert [p.action for p in replaced.pending] == [Action.REMOVE_WATCHLIST]
    assert replaced.agreed[LINK_ID].watchlist is False
    confirmed = record(pending, unwish, NOW + HOUR, lags=False)
    assert confirmed.pending == ()


SEEN = NOW - 10 * DAY
EVERYTHING_PROPAGATES = SyncOptions(
    watchlist=FeatureOptions(propagate_removals=True),
    ratings=FeatureOptions(propagate_removals=True),
    watched=FeatureOptions(propagate_removals=True),
)


@pytest.mark.parametrize(
    ("action", "value", "base", "plex_read", "shown", "unshown"),
    [
        (Action.ADD_WATCHLIST, None, Agreed(), {"wish": True}, {"wish": True}, {}),
        (Action.REMOVE_WATCHLIST, None, Agreed(watchlist=True), {}, {}, {"wish": True}),
        (Action.SET_RATING, 8, Agreed(), {"rating": 8}, {"rating": 8}, {}),
        (Action.CLEAR_RATING, None, Agreed(rating=8), {}, {}, {"rating": 8}),
        (
            Action.MARK_WATCHED,
            None,
            Agreed(),
            {"watched": True, "watched_at": SEEN},
            {"watched": True, "watched_at": SEEN},
            {},
        ),
        (
            Action.MARK_UNWATCHED,
            None,
            Agreed(watched=True, watched_at=SEEN),
            {},
            {},
            {"watched": True, "watched_at": SEEN},
        ),
    ],
)
def test_the_rules_hold_for_a_lag_of_any_feature(  # noqa: PLR0917
    action: Action,
    value: int | None,
    base: Agreed,
    plex_read: dict[str, object],
    shown: dict[str, object],
    unshown: dict[str, object],
) -> None:
    """Only SensCritique's wishlist lags today, but a side may declare a lag
    for any feature: a write of it stands in while never shown, is done with
    once shown, and is planned again when the window ends on it unseen."""
    lagging = {
        Side.PLEX: FULL[Side.PLEX],
        Side.SENSCRITIQUE: Capabilities(lagging=frozenset({action.feature})),
    }
    op = Op(
        Side.SENSCRITIQUE,
        action,
        LINK.senscritique,
        LINK_ID,
        "test",
        value,
        SEEN if action is Action.MARK_WATCHED else None,
    )
    written = record(state(base), op, NOW, lags=True)
    (entry,) = written.pending
    options = EVERYTHING_PROPAGATES

    def at(after: timedelta, read: dict[str, object]) -> Plan:
        return plan(
            plex(**plex_read), sc(**read), written, options, lagging, NOW + after
        )

    within = at(HOUR, unshown)
    assert (within.ops, within.awaiting, within.resolved) == ((), (entry,), ())
    seen = at(HOUR, shown)
    assert (seen.ops, seen.awaiting, seen.resolved) == ((), (), (entry,))
    late = at(GRACE, unshown)
    assert late.resolved == (entry,)
    assert _writes(late) == [(Side.SENSCRITIQUE, action)]
