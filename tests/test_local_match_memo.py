"""The local match of the last run is taken again only for equal inputs."""

from __future__ import annotations

from dataclasses import replace

from custom_components.plexsync.engine.matching import match_local
from custom_components.plexsync.engine.model import (
    Kind,
    Link,
    Provenance,
    Side,
    Work,
)
from custom_components.plexsync.match_memo import LocalMatchMemo


def _works() -> tuple[dict[str, Work], dict[str, Work]]:
    """Fresh objects on every call, as a new read gives."""
    sc = [
        Work("1", Kind.MOVIE, "Heat", year=1995, side=Side.SENSCRITIQUE),
        Work("2", Kind.MOVIE, "Alien", year=1979, side=Side.SENSCRITIQUE),
        Work("3", Kind.MOVIE, "Brazil", year=1985, side=Side.SENSCRITIQUE),
    ]
    plex = [
        Work("plex://movie/a", Kind.MOVIE, "Heat", year=1995, side=Side.PLEX),
        Work("plex://movie/b", Kind.MOVIE, "Alien", year=1979, side=Side.PLEX),
        Work("plex://movie/c", Kind.MOVIE, "Ran", year=1985, side=Side.PLEX),
    ]
    return {w.key: w for w in sc}, {w.key: w for w in plex}


def _match(
    memo: LocalMatchMemo,
    sc: dict[str, Work],
    plex: dict[str, Work],
    links: dict[str, Link] | None = None,
    refused: frozenset[tuple[str, str]] = frozenset(),
) -> object:
    return memo.match(sc, plex, dict(links or {}), refused)


def test_equal_inputs_give_the_last_result_without_matching_again() -> None:
    memo = LocalMatchMemo()
    first = _match(memo, *_works())
    assert first == match_local(*(w.values() for w in _works()), {})
    sc, plex = _works()
    assert _match(memo, sc, plex) is first  # equal, not the same objects
    # The works kept are the last read's: the older ones can be freed.
    assert memo.inputs is not None
    assert all(
        a is b for a, b in zip(memo.inputs[0].values(), sc.values(), strict=True)
    )
    assert all(
        a is b for a, b in zip(memo.inputs[1].values(), plex.values(), strict=True)
    )


def test_a_changed_work_is_matched_again() -> None:
    memo = LocalMatchMemo()
    sc, plex = _works()
    first = _match(memo, sc, plex)
    plex["plex://movie/c"] = replace(plex["plex://movie/c"], title="Brazil")
    again = _match(memo, sc, plex)
    assert again is not first
    assert again == match_local(sc.values(), plex.values(), {})
    assert len(again.links) == len(first.links) + 1  # type: ignore[attr-defined]
    # Only a field the matcher ignores (the write handle) still counts.
    plex["plex://movie/a"] = replace(plex["plex://movie/a"], ref="42")
    assert _match(memo, sc, plex) is not again


def test_changed_links_or_refusals_are_matched_again() -> None:
    memo = LocalMatchMemo()
    sc, plex = _works()
    first = _match(memo, sc, plex)
    manual = Link("3", "plex://movie/c", Kind.MOVIE, Provenance.MANUAL)
    with_manual = _match(memo, sc, plex, {manual.id: manual})
    assert with_manual is not first
    assert with_manual == match_local(sc.values(), plex.values(), {manual.id: manual})
    refused = frozenset({("1", "plex://movie/a")})
    without_heat = _match(memo, sc, plex, refused=refused)
    assert without_heat == match_local(sc.values(), plex.values(), {}, refused=refused)
    assert without_heat != first
