"""Matching by search: a clear best links, ambiguity is reported, misses back
off, and the per-run search budget."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.plexsync.engine.matching import (
    SEARCH_REQUESTS_PER_RUN,
    Ambiguity,
    due_for_search,
    match_candidates,
    miss_delay,
    record_miss,
    record_misses,
)
from custom_components.plexsync.engine.model import (
    Kind,
    Link,
    Provenance,
    Side,
    SyncState,
    Work,
)

from .match_works import NOW, px, sc

# -------------------------------------------------------------------- search


def test_match_candidates_links_a_clear_best() -> None:
    found = match_candidates(
        sc("1", "Le Parrain, 2e partie", "The Godfather Part II", 1974),
        [
            px("a", "The Godfather", None, 1972),
            px("b", "The Godfather Part II", None, 1974),
        ],
    )
    assert found == Link("1", "plex://movie/b", Kind.MOVIE, Provenance.SEARCH, 1.0)


def test_match_candidates_from_the_plex_side() -> None:
    found = match_candidates(
        px("a", "Spirited Away", "千と千尋の神隠し", 2001),
        [
            sc("1", "Le Voyage de Chihiro", "千と千尋の神隠し", 2001),
            sc("2", "Chihiro", None, 2001),
        ],
        provenance=Provenance.MANUAL,
    )
    assert found == Link("1", "plex://movie/a", Kind.MOVIE, Provenance.MANUAL, 1.0)


def test_match_candidates_reports_ambiguity_and_weak_results() -> None:
    work = sc("1", "La vie est belle", None, None)
    found = match_candidates(
        work,
        [
            px("a", "Life Is Beautiful", "La vie est belle", 1997),
            px("b", "It's a Wonderful Life", "La vie est belle", 1946),
        ],
    )
    assert isinstance(found, Ambiguity)
    assert match_candidates(work, [px("c", "Something Else", None, 1997)]) is None
    assert match_candidates(work, []) is None


def test_search_backoff_doubles_up_to_thirty_days() -> None:
    work = sc("1", "Obscure", None, 1950)
    state = SyncState()
    assert due_for_search(state, work, NOW)
    delays = []
    for _ in range(8):
        state = record_miss(state, Side.SENSCRITIQUE, work, NOW)
        miss = state.misses["1"]
        delays.append(miss.retry_at - NOW)
        assert not due_for_search(state, work, NOW)
        assert due_for_search(state, work, miss.retry_at)
    assert delays[:6] == [timedelta(days=d) for d in (1, 2, 4, 8, 16, 30)]
    assert delays[-1] == timedelta(days=30)
    assert state.misses["1"].attempts == 8
    assert state.misses["1"].side is Side.SENSCRITIQUE
    assert miss_delay(1000) == timedelta(days=30)
    with pytest.raises(ValueError, match="at least 1"):
        miss_delay(0)


def test_seasons_are_never_searched() -> None:
    season = Work("5s1", Kind.SEASON, "Season 1", parent="5", season=1)
    assert not due_for_search(SyncState(), season, NOW)
    assert match_candidates(season, [season]) is None


def test_the_search_budget_links_a_large_account_within_a_day() -> None:
    """1,500 works, none linked locally, one search each: searched within the
    runs of the first day at the default interval; a run stays bounded."""
    from custom_components.plexsync.const import DEFAULT_SYNC_INTERVAL

    runs_per_day = 24 * 60 // DEFAULT_SYNC_INTERVAL
    assert SEARCH_REQUESTS_PER_RUN * runs_per_day >= 1500
    assert SEARCH_REQUESTS_PER_RUN <= 1000


def test_misses_recorded_at_once_are_misses_recorded_one_by_one() -> None:
    a = Work("1", Kind.MOVIE, "A", year=2000)
    b = Work("plex://movie/b", Kind.MOVIE, "B", year=2001)
    state = record_miss(SyncState(), Side.SENSCRITIQUE, a, NOW)
    one_by_one = record_miss(
        record_miss(state, Side.SENSCRITIQUE, a, NOW), Side.PLEX, b, NOW
    )
    at_once = record_misses(state, [(Side.SENSCRITIQUE, a), (Side.PLEX, b)], NOW)
    assert at_once == one_by_one
    assert at_once.misses["1"].attempts == 2
