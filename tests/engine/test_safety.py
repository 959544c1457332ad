"""Guards, record/settle and bad input (design.md "Safety"; the write lag
rules are in test_write_lag.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.plexsync.engine.guards import Held
from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Direction,
    Feature,
    Kind,
    Link,
    Pending,
    Provenance,
    Rating,
    Side,
    Snapshot,
    SyncState,
    WatchlistEntry,
)
from custom_components.plexsync.engine.planner import plan, record, settle
from custom_components.plexsync.engine.plans import GuardKind, Op
from custom_components.plexsync.engine.settings import (
    Capabilities,
    FeatureOptions,
    SyncOptions,
)

from .builders import FULL, LINK_ID, NOW, PLEX_KEY, SC_KEY, plex, run, sc, state

ADD_ON_SC = Op(Side.SENSCRITIQUE, Action.ADD_WATCHLIST, SC_KEY, LINK_ID, "test")


def test_record_changes_only_its_link_and_feature() -> None:
    other = Link("1", "plex://movie/1", Kind.MOVIE, Provenance.MANUAL)
    before = SyncState(
        links={LINK_ID: state().links[LINK_ID], other.id: other},
        agreed={
            LINK_ID: Agreed(rating=6, watched=True),
            other.id: Agreed(watchlist=True),
        },
    )
    after = record(before, ADD_ON_SC, NOW, lags=True)
    assert after.agreed[other.id] == before.agreed[other.id]
    assert after.agreed[LINK_ID] == Agreed(watchlist=True, rating=6, watched=True)
    assert after.pending == (
        Pending(LINK_ID, Side.SENSCRITIQUE, Action.ADD_WATCHLIST, NOW),
    )


def test_record_refuses_a_rating_without_value() -> None:
    bad = Op(Side.PLEX, Action.SET_RATING, PLEX_KEY, LINK_ID, "test")
    with pytest.raises(ValueError, match="needs a value"):
        record(state(), bad, NOW, lags=False)


# --------------------------------------------------------------------------- guards


def _many(count: int) -> list[Link]:
    return [
        Link(str(100 + i), f"plex://movie/{i:024x}", Kind.MOVIE, Provenance.LOCAL)
        for i in range(count)
    ]


def _watchlists(
    links: list[Link], on_plex: int, on_sc: int, *, rated: int = 0
) -> tuple[Snapshot, Snapshot]:
    """Watchlists holding the first links; both sides also rate the first
    `rated` links 7/10."""
    return (
        Snapshot.build(
            Side.PLEX,
            watchlist=[WatchlistEntry(link.plex) for link in links[:on_plex]],
            ratings=[Rating(link.plex, 7) for link in links[:rated]],
        ),
        Snapshot.build(
            Side.SENSCRITIQUE,
            watchlist=[WatchlistEntry(link.senscritique) for link in links[:on_sc]],
            ratings=[Rating(link.senscritique, 7) for link in links[:rated]],
        ),
    )


def _agreed_state(links: list[Link], *, wished: int = 0, rated: int = 0) -> SyncState:
    wished = wished or len(links)
    return SyncState(
        links={link.id: link for link in links},
        agreed={
            link.id: Agreed(watchlist=i < wished, rating=7 if i < rated else None)
            for i, link in enumerate(links)
        },
    )


# 20 agreed wishes among 100 agreed items: losing 6 wishes is a mass removal
# (watchlist limit max(5, 2) = 5), not a faulty read (side limit 10).
MANY = _many(100)
MANY_STATE = _agreed_state(MANY, wished=20, rated=100)


def test_mass_removal_guard_holds_all_removals_of_the_side() -> None:
    plex_read, sc_read = _watchlists(MANY, 20, 14, rated=100)
    result = plan(plex_read, sc_read, MANY_STATE, SyncOptions(), FULL, NOW)
    assert result.ops == ()
    assert len(result.held) == 6
    assert {(op.side, op.action) for op in result.held} == {
        (Side.PLEX, Action.REMOVE_WATCHLIST)
    }
    (report,) = result.guards
    assert (report.kind, report.side, report.feature, report.count, report.limit) == (
        GuardKind.MASS_REMOVAL,
        Side.PLEX,
        Feature.WATCHLIST,
        6,
        5,
    )
    assert result.settled == {}  # held removals leave the base as it was


def test_mass_removal_guard_lets_removals_up_to_the_limit_through() -> None:
    plex_read, sc_read = _watchlists(MANY, 20, 15, rated=100)
    result = plan(plex_read, sc_read, MANY_STATE, SyncOptions(), FULL, NOW)
    assert len(result.ops) == 5
    assert result.held == ()
    assert result.guards == ()


def test_mass_removal_guard_released_only_by_confirmation() -> None:
    plex_read, sc_read = _watchlists(MANY, 20, 14, rated=100)
    sync_state = MANY_STATE
    held = plan(plex_read, sc_read, sync_state, SyncOptions(), FULL, NOW)
    again = plan(
        plex_read, sc_read, settle(sync_state, held, NOW), SyncOptions(), FULL, NOW
    )
    assert again.held == held.held
    confirmed = plan(
        plex_read,
        sc_read,
        sync_state,
        SyncOptions(),
        FULL,
        NOW,
        confirmed=Held.of(held),
    )
    assert confirmed.ops == held.held
    assert confirmed.held == ()


def test_shrink_guard_side_reads_empty_means_no_removals_and_no_base_change() -> None:
    links = _many(3)
    plex_read, sc_read = _watchlists(links, 3, 0)  # SC reads empty
    result = plan(plex_read, sc_read, _agreed_state(links), SyncOptions(), FULL, NOW)
    assert result.ops == ()
    assert [r.kind for r in result.guards] == [GuardKind.SHRINK]
    assert result.guards[0].side is Side.SENSCRITIQUE
    both_empty = plan(
        *_watchlists(links, 0, 0), _agreed_state(links), SyncOptions(), FULL, NOW
    )
    assert both_empty.settled == {}  # "off on both" is not believed from empty reads


def test_shrink_guard_side_shrinks_past_the_limit() -> None:
    links = _many(40)  # side limit max(5, 4) = 5; SC lost 6, its read is not empty
    result = plan(
        *_watchlists(links, 40, 34), _agreed_state(links), SyncOptions(), FULL, NOW
    )
    assert result.ops == ()
    assert len(result.held) == 6
    assert {r.kind for r in result.guards} == {GuardKind.SHRINK}


# --------------------------------------------------------------------------- input


def test_plan_refuses_swapped_snapshots_and_missing_capabilities() -> None:
    with pytest.raises(ValueError, match="Plex snapshot first"):
        plan(sc(), plex(), state(), SyncOptions(), FULL, NOW)
    with pytest.raises(ValueError, match="capabilities of SensCritique"):
        plan(plex(), sc(), state(), SyncOptions(), {Side.PLEX: FULL[Side.PLEX]}, NOW)


def test_links_not_in_the_state_are_not_synced_and_their_pending_is_dropped() -> None:
    orphan = Pending("gone|plex://movie/x", Side.PLEX, Action.ADD_WATCHLIST, NOW)
    result = run(
        plex(wish=True), sc(), sync_state=SyncState(pending=(orphan,)), now=NOW
    )
    assert result.ops == ()
    assert result.resolved == (orphan,)


def test_crash_between_two_ops_converges_on_the_next_run() -> None:
    first = run(plex(wish=True, rating=7), sc(watched=True, watched_at=NOW))
    assert len(first.ops) == 3
    # The first write, then a crash.
    saved = record(settle(state(), first, NOW), first.ops[0], NOW, lags=False)
    applied = first.ops[0]
    assert applied.action is Action.ADD_WATCHLIST
    nxt = run(
        plex(wish=True, rating=7),
        sc(wish=True, watched=True, watched_at=NOW),
        sync_state=saved,
        now=NOW + timedelta(hours=1),
    )
    assert [op.action for op in nxt.ops] == [op.action for op in first.ops[1:]]


# --------------------------------------------------------------------------- observer


def test_a_side_never_written_observes_and_a_removal_on_plex_stands() -> None:
    """Read-only SensCritique (attached by username): every feature flows
    SensCritique -> Plex and SensCritique takes no write. Heat, agreed on both
    and removed from Plex by the user, is not added back however long
    SensCritique lists it; its rating, cleared on Plex, stays cleared."""
    observer = SyncOptions(
        watchlist=FeatureOptions(
            direction=Direction.SENSCRITIQUE_TO_PLEX, propagate_removals=True
        ),
        ratings=FeatureOptions(direction=Direction.SENSCRITIQUE_TO_PLEX),
        watched=FeatureOptions(direction=Direction.SENSCRITIQUE_TO_PLEX),
    )
    no_writes = Capabilities(False, False, False, False, False, False)
    capabilities = {Side.PLEX: FULL[Side.PLEX], Side.SENSCRITIQUE: no_writes}
    agreed = state(Agreed(watchlist=True, rating=7))
    for after in (timedelta(hours=1), timedelta(days=1, hours=1), timedelta(days=3)):
        result = run(
            plex(),
            sc(wish=True, rating=7),
            options=observer,
            capabilities=capabilities,
            sync_state=agreed,
            now=NOW + after,
        )
        assert result.ops == ()
        assert result.settled == {}
