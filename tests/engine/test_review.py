"""The review of an unmatched work: its candidates and the person's answers
(engine/review.py)."""

from __future__ import annotations

import pytest

from custom_components.plexsync.engine.codec import state_from_json, state_to_json
from custom_components.plexsync.engine.model import (
    Kind,
    Provenance,
    Side,
    SyncState,
    Work,
)
from custom_components.plexsync.engine.review import (
    REVIEW_CANDIDATES,
    picked_link,
    review_candidates,
    with_alone,
)


def sc(key: str, title: str, year: int | None, original: str | None = None) -> Work:
    return Work(key, Kind.MOVIE, title, original, year, side=Side.SENSCRITIQUE)


def plex(key: str, title: str, year: int | None, kind: Kind = Kind.MOVIE) -> Work:
    return Work(f"plex://{kind.value}/{key}", kind, title, year=year, side=Side.PLEX)


def test_close_titles_come_first_then_works_of_the_same_year() -> None:
    """An ambiguous set is shown whole for the person to pick from; a
    translated title shares no word, so works of the very same year fill
    the places left; another kind or a distant year never shows."""
    work = sc("1", "Les Amants", 1958)
    others = [
        plex("a", "The Lovers", 1958),  # the same film, translated
        plex("b", "Les Amants", 1958),
        plex("c", "Les Amants", 1959),
        plex("d", "Les Amants", 1990),  # a remake: the year rules it out
        plex("e", "Les Amants", 1958, Kind.SHOW),
        plex("f", "Zazie", 1960),
    ]

    found = review_candidates(work, others)

    assert [c.key for c in found] == [
        "plex://movie/b",
        "plex://movie/c",
        "plex://movie/a",
    ]
    assert found[0].score == 1.0
    assert found[1].score < 1.0
    assert len(review_candidates(work, others * 3)) == REVIEW_CANDIDATES


def test_readings_of_another_script_are_candidates() -> None:
    work = sc("1", "Le Goût du saké", 1962, original="Sanma no aji")
    found = review_candidates(
        work, [plex("a", "秋刀魚の味", 1962), plex("b", "X", 1970)]
    )
    assert [c.key for c in found] == ["plex://movie/a"]


def test_a_pick_is_a_manual_link_placed_by_side() -> None:
    work = sc("1", "Les Amants", 1958)
    link = picked_link(Side.SENSCRITIQUE, work, "plex://movie/a")
    assert (link.senscritique, link.plex, link.provenance) == (
        "1",
        "plex://movie/a",
        Provenance.MANUAL,
    )
    other = plex("a", "The Lovers", 1958)
    assert picked_link(Side.PLEX, other, "1") == link
    season = Work("s", Kind.SEASON, "Season 1", parent="x", season=1)
    with pytest.raises(ValueError, match="not a film or a series"):
        picked_link(Side.PLEX, season, "1")


def test_a_work_said_alone_is_remembered_through_the_store() -> None:
    state = with_alone(SyncState(), Side.PLEX, "plex://movie/a")
    assert state.alone == {(Side.PLEX, "plex://movie/a")}
    assert state_from_json(state_to_json(state)) == state
    assert "alone" not in state_to_json(SyncState())  # older states read the same
