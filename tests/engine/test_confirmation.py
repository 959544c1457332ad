"""A confirmation covers exactly what the user was shown (guards.Held).

A run's guards hold removals; the user confirms one guard's hold as shown
(the repair issue, the confirm_removals action). The next plan applies those
held removals it still wants, takes a confirmed shrink's smaller read as
right while the side has lost no more than shown, and guards anything new as
usual. The mass-removal guard and the shrink guard are confirmed apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from custom_components.plexsync.engine.guards import NOTHING_HELD, Held
from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Feature,
    Kind,
    Link,
    Provenance,
    Rating,
    Side,
    Snapshot,
    SyncState,
    WatchlistEntry,
)
from custom_components.plexsync.engine.planner import plan
from custom_components.plexsync.engine.plans import GuardKind, Op, Plan
from custom_components.plexsync.engine.settings import SyncOptions

from .builders import FULL, NOW

# 100 films rated 7 on both sides, the first 20 agreed on both watchlists:
# losing 6 wishes is a mass removal (watchlist limit max(5, 2) = 5), losing
# more than 12 is a shrink (side limit 10 % of the 120 agreed items).
LINKS = [
    Link(str(100 + i), f"plex://movie/{i:024x}", Kind.MOVIE, Provenance.LOCAL)
    for i in range(100)
]
WISHED = range(20)
STATE = SyncState(
    links={link.id: link for link in LINKS},
    agreed={
        link.id: Agreed(watchlist=i in WISHED, rating=7) for i, link in enumerate(LINKS)
    },
)


def _reads(plex_wishes: Iterable[int], sc_wishes: Iterable[int]) -> list[Snapshot]:
    def side(which: Side, wishes: Iterable[int]) -> Snapshot:
        return Snapshot.build(
            which,
            watchlist=[WatchlistEntry(LINKS[i].key_on(which)) for i in wishes],
            ratings=[Rating(link.key_on(which), 7) for link in LINKS],
        )

    return [side(Side.PLEX, plex_wishes), side(Side.SENSCRITIQUE, sc_wishes)]


def _plan(reads: list[Snapshot], confirmed: Held = NOTHING_HELD) -> Plan:
    plex, sc = reads
    return plan(plex, sc, STATE, SyncOptions(), FULL, NOW, confirmed=confirmed)


def _removed(ops: Iterable[Op]) -> set[int]:
    return {int(op.link.split("|")[0]) - 100 for op in ops}


def test_a_confirmation_applies_the_shown_removals_still_wanted_only() -> None:
    """Shown: SensCritique lost 14..19, held. Before the user confirms, they
    put 19 back on SensCritique and remove 8..13 there. The confirmation
    removes 14..18 from Plex; 19 stays; 8..13 are new: held as usual."""
    shown = _plan(_reads(WISHED, range(14)))
    assert _removed(shown.held) == set(range(14, 20))

    now = _reads(WISHED, [*range(8), 19])
    result = _plan(now, confirmed=Held.of(shown).only(GuardKind.MASS_REMOVAL))

    assert _removed(result.ops) == set(range(14, 19))
    assert {(op.side, op.action) for op in result.ops} == {
        (Side.PLEX, Action.REMOVE_WATCHLIST)
    }
    assert _removed(result.held) == set(range(8, 14))
    assert [g.kind for g in result.guards] == [GuardKind.MASS_REMOVAL]


def test_without_a_confirmation_the_same_removals_stay_held() -> None:
    shown = _plan(_reads(WISHED, range(14)))
    again = _plan(_reads(WISHED, range(14)))
    assert again.held == shown.held
    assert again.ops == ()


def test_a_shrink_is_held_and_confirmed_apart_from_mass_removals() -> None:
    """SensCritique reads 4 of the 20 agreed wishes: a shrink (a suspected
    bad read). Confirming the mass-removal guard releases none of it; the
    shrink's own confirmation takes the read as right and removes the 16
    from Plex."""
    reads = _reads(WISHED, range(4))
    shown = _plan(reads)
    held = Held.of(shown)
    (report,) = shown.guards
    assert (report.kind, report.side, report.feature) == (
        GuardKind.SHRINK,
        Side.SENSCRITIQUE,
        Feature.WATCHLIST,
    )
    assert (report.count, report.agreed) == (16, 120)
    assert held.only(GuardKind.MASS_REMOVAL) == Held()
    assert held.only(GuardKind.SHRINK) == held

    mass_only = _plan(reads, confirmed=held.only(GuardKind.MASS_REMOVAL))
    assert mass_only.ops == ()
    assert mass_only.held == shown.held

    confirmed = _plan(reads, confirmed=held.only(GuardKind.SHRINK))
    assert _removed(confirmed.ops) == set(range(4, 20))
    assert confirmed.held == ()
    assert confirmed.guards == ()


def test_a_confirmed_shrink_lets_the_base_follow_both_sides() -> None:
    """Both sides lost the same 13 wishes (the user emptied them on both):
    no removal to write, but the shrink keeps the base's wishes until the
    user confirms the smaller reads; then the base lets go of them."""
    reads = _reads(range(7), range(7))
    shown = _plan(reads)
    assert {g.side for g in shown.guards} == {Side.PLEX, Side.SENSCRITIQUE}
    assert shown.settled == {}

    confirmed = _plan(reads, confirmed=Held.of(shown).only(GuardKind.SHRINK))
    assert confirmed.guards == ()
    lowered = {
        i
        for i, link in enumerate(LINKS)
        if link.id in confirmed.settled and not confirmed.settled[link.id].watchlist
    }
    assert lowered == set(range(7, 20))


def test_a_shrink_that_grew_since_it_was_shown_is_held_again() -> None:
    """Shown: SensCritique lost 16 wishes. Since, it lost 4 more: the read
    is not the one the user confirmed. The 16 shown removals still go (the
    user confirmed them); the 4 new ones are held by the shrink again."""
    shown = _plan(_reads(WISHED, range(4)))
    result = _plan(_reads(WISHED, []), confirmed=Held.of(shown).only(GuardKind.SHRINK))
    assert _removed(result.ops) == set(range(4, 20))
    assert _removed(result.held) == set(range(4))
    assert [(g.kind, g.count) for g in result.guards] == [(GuardKind.SHRINK, 20)]
