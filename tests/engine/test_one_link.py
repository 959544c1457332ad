"""A sync of one work: the state cut to its link and put back (one_link.py),
planned by the same planner with `whole_reads=False`."""

from __future__ import annotations

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Declined,
    Feature,
    Kind,
    Link,
    Pending,
    Provenance,
    Rating,
    Shown,
    Side,
    Snapshot,
    SyncState,
    Work,
)
from custom_components.plexsync.engine.one_link import merge, restrict
from custom_components.plexsync.engine.planner import plan, settle
from custom_components.plexsync.engine.plans import GuardKind
from custom_components.plexsync.engine.settings import FeatureOptions, SyncOptions

from .builders import FULL, NOW

ONE = Link("1", "plex://movie/1", Kind.MOVIE, Provenance.LOCAL)
TWO = Link("2", "plex://movie/2", Kind.MOVIE, Provenance.LOCAL)
REMOVALS = SyncOptions(ratings=FeatureOptions(propagate_removals=True))


def _whole() -> SyncState:
    shown = Shown(present=True, value=7)
    return SyncState(
        links={ONE.id: ONE, TWO.id: TWO},
        agreed={ONE.id: Agreed(rating=7), TWO.id: Agreed(rating=5)},
        pending=(
            Pending(ONE.id, Side.SENSCRITIQUE, Action.ADD_WATCHLIST, NOW),
            Pending(TWO.id, Side.SENSCRITIQUE, Action.ADD_WATCHLIST, NOW),
        ),
        declined=(Declined(TWO.id, Feature.RATINGS, shown, shown),),
    )


def test_restrict_keeps_only_the_link() -> None:
    part = restrict(_whole(), ONE.id)
    assert set(part.links) == {ONE.id}
    assert set(part.agreed) == {ONE.id}
    assert [p.link for p in part.pending] == [ONE.id]
    assert part.declined == ()


def test_merge_changes_the_link_only() -> None:
    whole = _whole()
    part = SyncState(links={ONE.id: ONE}, agreed={ONE.id: Agreed(rating=9)})
    merged = merge(whole, part, ONE.id)
    assert merged.agreed == {ONE.id: Agreed(rating=9), TWO.id: Agreed(rating=5)}
    assert [p.link for p in merged.pending] == [TWO.id]  # ONE's pending resolved
    assert merged.declined == whole.declined
    assert merged.links == whole.links


def _one_work(side: Side, key: str, rating: int | None) -> Snapshot:
    return Snapshot.build(
        side,
        [Work(key, Kind.MOVIE, "Heat", year=1995, side=side)],
        ratings=[Rating(key, rating)] if rating is not None else [],
    )


def test_a_cleared_rating_of_one_work_travels_no_shrink_guard() -> None:
    """Read alone, a work rated on neither list leaves the ratings list empty:
    a full read would be suspect, one work's read is not."""
    part = restrict(_whole(), ONE.id)
    plex_read = _one_work(Side.PLEX, ONE.plex, None)
    sc_read = _one_work(Side.SENSCRITIQUE, ONE.senscritique, 7)
    whole_read = plan(plex_read, sc_read, part, REMOVALS, FULL, NOW)
    assert [g.kind for g in whole_read.guards] == [GuardKind.SHRINK]
    assert whole_read.ops == ()
    one = plan(plex_read, sc_read, part, REMOVALS, FULL, NOW, whole_reads=False)
    assert one.guards == ()
    assert [(op.side, op.action) for op in one.ops] == [
        (Side.SENSCRITIQUE, Action.CLEAR_RATING)
    ]


def test_a_new_rating_of_one_work_is_planned_and_settled_into_the_whole() -> None:
    whole = _whole()
    part = restrict(whole, ONE.id)
    plex_read = _one_work(Side.PLEX, ONE.plex, 9)
    sc_read = _one_work(Side.SENSCRITIQUE, ONE.senscritique, 7)
    one = plan(plex_read, sc_read, part, REMOVALS, FULL, NOW, whole_reads=False)
    assert [(op.side, op.action, op.value) for op in one.ops] == [
        (Side.SENSCRITIQUE, Action.SET_RATING, 9)
    ]
    merged = merge(whole, settle(part, one, NOW), ONE.id)
    assert merged.agreed[TWO.id] == whole.agreed[TWO.id]
    assert merged.declined == whole.declined
    assert any(p.link == TWO.id for p in merged.pending)
