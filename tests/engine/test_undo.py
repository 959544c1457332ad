"""Undo, pure: each write carries what its side showed before it, its inverse
puts that back (or says why it cannot), and an undone write is not made again
by later plans while both sides stay as the undo left them (issue 16, item 5)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.plexsync.engine.codec import state_from_json, state_to_json
from custom_components.plexsync.engine.link_view import shown_on
from custom_components.plexsync.engine.model import Action, Agreed, Feature, Shown, Side
from custom_components.plexsync.engine.planner import record, settle
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.engine.settings import Capabilities
from custom_components.plexsync.engine.undo import (
    NotUndone,
    declined,
    inverse,
    still_shows,
)

from .builders import (
    DAY,
    LINK,
    LINK_ID,
    NOW,
    PLEX_KEY,
    PLEX_LIKE,
    SC_KEY,
    plex,
    run,
    sc,
    state,
)

UNDO = "you undid the last sync"


def lags(op: Op) -> bool:
    """SensCritique can be slow to show a new wish (Capabilities.lagging)."""
    return op.side is Side.SENSCRITIQUE and op.feature is Feature.WATCHLIST


def only(plan_ops: tuple[Op, ...]) -> Op:
    (op,) = plan_ops
    return op


def test_each_planned_write_carries_what_its_side_showed_before() -> None:
    # Plex changed 7 -> 9 after both agreed on 7: SensCritique gets 9.
    planned = only(run(plex(rating=9), sc(rating=7), Agreed(rating=7)).ops)
    assert planned.side is Side.SENSCRITIQUE
    assert planned.before == Shown(True, value=7)
    added = only(run(plex(wish=True), sc()).ops)
    assert added.before == Shown(False)
    watched = only(run(plex(watched=True, watched_at=NOW - DAY), sc()).ops)
    assert watched.before == Shown(False)


@pytest.mark.parametrize(
    ("op", "back"),
    [
        (
            Op(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, SC_KEY, LINK_ID, "r"),
            (Action.REMOVE_WATCHLIST, None),
        ),
        (
            Op(Side.PLEX, Action.REMOVE_WATCHLIST, PLEX_KEY, LINK_ID, "r"),
            (Action.ADD_WATCHLIST, None),
        ),
        (
            Op(
                Side.SENSCRITIQUE,
                Action.SET_RATING,
                SC_KEY,
                LINK_ID,
                "r",
                9,
                before=Shown(True, 7),
            ),
            (Action.SET_RATING, 7),
        ),
        (
            Op(Side.PLEX, Action.SET_RATING, PLEX_KEY, LINK_ID, "r", 9),
            (Action.CLEAR_RATING, None),
        ),
        (
            Op(
                Side.PLEX,
                Action.CLEAR_RATING,
                PLEX_KEY,
                LINK_ID,
                "r",
                before=Shown(True, 6),
            ),
            (Action.SET_RATING, 6),
        ),
        (
            Op(Side.SENSCRITIQUE, Action.MARK_WATCHED, SC_KEY, LINK_ID, "r", at=NOW),
            (Action.MARK_UNWATCHED, None),
        ),
        (
            Op(
                Side.SENSCRITIQUE,
                Action.MARK_UNWATCHED,
                SC_KEY,
                LINK_ID,
                "r",
                before=Shown(True, at=NOW - DAY),
            ),
            (Action.MARK_WATCHED, None),
        ),
    ],
)
def test_the_inverse_puts_the_side_back(
    op: Op, back: tuple[Action, int | None]
) -> None:
    if op.before is None:
        op = Op(
            op.side,
            op.action,
            op.key,
            op.link,
            op.reason,
            op.value,
            op.at,
            before=Shown(False),
        )
    undo = inverse(op, Capabilities(), title="“Heat” (1995)", because=UNDO)
    assert isinstance(undo, Op)
    assert (undo.side, undo.key, undo.link) == (op.side, op.key, op.link)
    assert (undo.action, undo.value) == back
    assert undo.reason.endswith(f"because {UNDO}.")
    assert "“Heat” (1995)" in undo.reason
    if op.action is Action.MARK_UNWATCHED:
        assert undo.at == NOW - DAY  # the watch comes back with its date


def test_what_cannot_be_put_back_says_why() -> None:
    rated = Op(Side.SENSCRITIQUE, Action.SET_RATING, SC_KEY, LINK_ID, "r", 9)
    assert inverse(rated, Capabilities(), title="t", because=UNDO) == (
        NotUndone.BEFORE_UNKNOWN
    )
    first = Op(
        Side.SENSCRITIQUE,
        Action.SET_RATING,
        SC_KEY,
        LINK_ID,
        "r",
        9,
        before=Shown(False),
    )
    assert inverse(first, Capabilities(unrate=False), title="t", because=UNDO) == (
        NotUndone.CANNOT_CLEAR_RATING
    )
    watched = Op(
        Side.SENSCRITIQUE,
        Action.MARK_WATCHED,
        SC_KEY,
        LINK_ID,
        "r",
        at=NOW,
        before=Shown(False),
    )
    assert inverse(
        watched, Capabilities(mark_unwatched=False), title="t", because=UNDO
    ) == (NotUndone.CANNOT_UNWATCH)
    # A watch date moved on Plex, which cannot set the earlier one back.
    moved = Op(
        Side.PLEX,
        Action.MARK_WATCHED,
        PLEX_KEY,
        LINK_ID,
        "r",
        at=NOW,
        before=Shown(True, at=NOW - DAY),
    )
    assert inverse(
        moved, Capabilities(set_watched_date=False), title="t", because=UNDO
    ) == (NotUndone.CANNOT_SET_DATE)
    wish = Op(
        Side.SENSCRITIQUE,
        Action.ADD_WATCHLIST,
        SC_KEY,
        LINK_ID,
        "r",
        before=Shown(False),
    )
    assert inverse(wish, Capabilities(watchlist=False), title="t", because=UNDO) == (
        NotUndone.NOT_WRITABLE
    )


def test_a_write_the_user_changed_since_no_longer_shows() -> None:
    rated = Op(Side.SENSCRITIQUE, Action.SET_RATING, SC_KEY, LINK_ID, "r", 9)
    assert still_shows(rated, sc(rating=9))
    assert not still_shows(rated, sc(rating=6))
    added = Op(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, SC_KEY, LINK_ID, "r")
    assert still_shows(added, sc(wish=True))
    assert not still_shows(added, sc())


def test_an_undone_wish_is_not_added_again_until_a_side_moves() -> None:
    # The sync added Heat to SensCritique (wished on Plex); the user undid it.
    first = run(plex(wish=True), sc())
    added = only(first.ops)
    synced = record(settle(state(), first, NOW), added, NOW, lags=lags(added))
    undo = inverse(added, Capabilities(), title="Heat", because=UNDO)
    assert isinstance(undo, Op)
    after = record(synced, undo, NOW, lags=lags(undo))
    shows = {
        Side.PLEX: shown_on(plex(wish=True), PLEX_KEY, Feature.WATCHLIST),
        Side.SENSCRITIQUE: Shown(False),
    }
    after = replace(after, declined=(declined(LINK, Feature.WATCHLIST, shows),))
    again = run(plex(wish=True), sc(), sync_state=after)
    assert again.ops == ()
    assert again.declined == after.declined
    # Stable: settling keeps the record, the next plan writes nothing either.
    kept = settle(after, again, NOW)
    assert run(plex(wish=True), sc(), sync_state=kept).ops == ()
    # The user wishes it on SensCritique after all: both agree, record ends.
    agreed = run(plex(wish=True), sc(wish=True), sync_state=kept)
    assert agreed.ops == ()
    assert agreed.declined == ()


def test_an_undone_rating_holds_until_either_side_changes() -> None:
    # Plex 7 -> 9; the sync rated SensCritique 9; the user undid it (7 again).
    base = Agreed(rating=7)
    first = run(plex(rating=9), sc(rating=7), base)
    rated = only(first.ops)
    assert rated.before == Shown(True, value=7)
    undo = inverse(rated, Capabilities(), title="Heat", because=UNDO)
    assert isinstance(undo, Op)
    assert (undo.action, undo.value) == (Action.SET_RATING, 7)
    synced = record(
        record(settle(state(base), first, NOW), rated, NOW, lags=False),
        undo,
        NOW + DAY,
        lags=False,
    )
    assert undo.before == Shown(True, 9)  # what the undo's own write replaces
    shows = {Side.PLEX: Shown(True, 9), Side.SENSCRITIQUE: Shown(True, 7)}
    held = replace(synced, declined=(declined(LINK, Feature.RATINGS, shows),))
    assert run(plex(rating=9), sc(rating=7), sync_state=held).ops == ()
    # The user rates it 8 on Plex now: a change of theirs, synced as usual.
    moved = run(plex(rating=8), sc(rating=7), sync_state=held)
    assert [(op.side, op.value) for op in moved.ops] == [(Side.SENSCRITIQUE, 8)]
    assert moved.declined == ()


def test_declined_records_survive_a_save() -> None:
    record_ = declined(
        LINK,
        Feature.WATCHED,
        {Side.PLEX: Shown(True, at=NOW), Side.SENSCRITIQUE: Shown(False)},
    )
    saved = state(Agreed(watched=True), declined=(record_,))
    assert state_from_json(state_to_json(saved)) == saved
    # A state saved before undo existed reads with none.
    plain = state_to_json(state(Agreed(watchlist=True)))
    assert "declined" not in plain
    assert state_from_json(plain).declined == ()


def test_an_undone_removal_holds_while_the_side_has_not_shown_the_undo_yet() -> None:
    # Removed on Plex after both agreed: the sync removed it from SensCritique.
    first = run(plex(), sc(wish=True), Agreed(watchlist=True))
    removed = only(first.ops)
    assert removed.action is Action.REMOVE_WATCHLIST
    assert removed.before == Shown(True)
    synced = record(
        settle(state(Agreed(watchlist=True)), first, NOW),
        removed,
        NOW,
        lags=lags(removed),
    )
    undo = inverse(removed, Capabilities(), title="Heat", because=UNDO)
    assert isinstance(undo, Op)
    assert undo.action is Action.ADD_WATCHLIST
    after = record(synced, undo, NOW, lags=lags(undo))
    shows = {Side.PLEX: Shown(False), Side.SENSCRITIQUE: Shown(True)}
    held = replace(after, declined=(declined(LINK, Feature.WATCHLIST, shows),))
    # SensCritique does not list the new wish yet: the pending write stands in.
    lagging = run(
        plex(), sc(), sync_state=held, now=NOW + DAY / 4, capabilities=PLEX_LIKE
    )
    assert lagging.ops == ()
    assert lagging.declined == held.declined
    shown = run(
        plex(),
        sc(wish=True),
        sync_state=held,
        now=NOW + DAY / 2,
        capabilities=PLEX_LIKE,
    )
    assert shown.ops == ()
    assert shown.declined == held.declined
