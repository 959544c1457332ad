"""A work one side's watchlist cannot hold although its kind can (a film of a
legacy Plex library with no Discover counterpart): `watchlist_unreachable`.

The planner plans no watchlist write for it, on either side, and never reads
the side's absence of it as a removal; every other work is unaffected."""

from __future__ import annotations

from datetime import UTC, datetime

from custom_components.plexsync.engine.model import (
    Action,
    Agreed,
    Kind,
    Link,
    Provenance,
    Side,
    Snapshot,
    SyncState,
    WatchlistEntry,
    Work,
)
from custom_components.plexsync.engine.planner import plan
from custom_components.plexsync.engine.settings import Capabilities, SyncOptions

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
LEGACY = Link("1", "com.plexapp.agents.imdb://tt0062622", Kind.MOVIE, Provenance.LOCAL)
MODERN = Link("2", "plex://movie/aa", Kind.MOVIE, Provenance.LOCAL)
OTHER = Link(
    "3", "plex://movie/bb", Kind.MOVIE, Provenance.LOCAL
)  # keeps lists non-empty


def capabilities(*unreachable: str) -> dict[Side, Capabilities]:
    return {
        Side.PLEX: Capabilities(watchlist_unreachable=frozenset(unreachable)),
        Side.SENSCRITIQUE: Capabilities(),
    }


def snapshot(side: Side, wished: tuple[Link, ...]) -> Snapshot:
    links = (LEGACY, MODERN, OTHER)
    return Snapshot.build(
        side,
        [
            Work(link.key_on(side), Kind.MOVIE, f"Film {link.senscritique}")
            for link in links
        ],
        [WatchlistEntry(link.key_on(side)) for link in (*wished, OTHER)],
    )


def state(agreed: dict[str, Agreed] | None = None) -> SyncState:
    links = (LEGACY, MODERN, OTHER)
    return SyncState(links={link.id: link for link in links}, agreed=agreed or {})


def test_holds_on_watchlist_by_key() -> None:
    caps = capabilities(LEGACY.plex)[Side.PLEX]
    assert not caps.holds_on_watchlist(Kind.MOVIE, LEGACY.plex)
    assert caps.holds_on_watchlist(Kind.MOVIE, MODERN.plex)
    assert caps.holds_on_watchlist(Kind.MOVIE)


def test_a_wish_of_an_unreachable_work_is_not_copied_to_plex() -> None:
    plex = snapshot(Side.PLEX, ())
    sc = snapshot(Side.SENSCRITIQUE, (LEGACY, MODERN))

    result = plan(plex, sc, state(), SyncOptions(), capabilities(LEGACY.plex), NOW)

    assert [(op.side, op.action, op.key) for op in result.ops] == [
        (Side.PLEX, Action.ADD_WATCHLIST, MODERN.plex)
    ]
    # Without the capability, the same world plans the write.
    unrestricted = plan(plex, sc, state(), SyncOptions(), capabilities(), NOW)
    assert LEGACY.plex in {op.key for op in unrestricted.ops}


def test_the_absence_of_an_unreachable_work_is_never_a_removal() -> None:
    """Agreed on both watchlists before (the Discover twin was known), now
    missing from Plex's: nothing is removed from SensCritique."""
    agreed = {LEGACY.id: Agreed(watchlist=True)}
    plex = snapshot(Side.PLEX, ())
    sc = snapshot(Side.SENSCRITIQUE, (LEGACY,))

    result = plan(
        plex, sc, state(agreed), SyncOptions(), capabilities(LEGACY.plex), NOW
    )

    assert not [op for op in result.ops if op.key == LEGACY.senscritique]
    assert not result.settled.get(LEGACY.id, Agreed()).watchlist
