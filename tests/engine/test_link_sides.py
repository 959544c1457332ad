"""A link places each key on the side its work was read from, whatever the
key's text: the side is a property of the work (`Work.side`, set by each
client's decoder), never read from the shape of the key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from custom_components.plexsync.engine.matching import match_candidates, match_local
from custom_components.plexsync.engine.model import Kind, Link, Side, Work

SETTINGS = settings(max_examples=200, deadline=None)

# Key texts of every shape either service could produce, and some that look
# like the other service's: a legacy Plex library key, a Discover GUID, a
# product id, digits that a Plex key could be, and anything at all.
KEYS = st.one_of(
    st.from_regex(
        r"com\.plexapp\.agents\.(imdb|themoviedb)://(tt)?\d{1,7}", fullmatch=True
    ),
    st.from_regex(r"plex://movie/[0-9a-f]{24}", fullmatch=True),
    st.from_regex(r"[1-9]\d{0,8}", fullmatch=True),
    st.from_regex(r"local://\d{1,5}", fullmatch=True),
    st.text(min_size=1, max_size=30),
)
NOISE_TITLES = st.sampled_from(["Alien", "Ran", "Brazil", "Le Mépris", "Dune"])


def work(key: str, side: Side, title: str = "Heat", year: int = 1995) -> Work:
    return Work(key, Kind.MOVIE, title, year=year, side=side)


@st.composite
def two_sides(draw: st.DrawFn) -> tuple[Work, list[Work], list[Work]]:
    """One film on each side, plus other films on both, all keys distinct."""
    keys = draw(st.lists(KEYS, min_size=2, max_size=8, unique=True))
    plex_heat, sc_heat, *others = keys
    plex = [work(plex_heat, Side.PLEX)]
    sc = [work(sc_heat, Side.SENSCRITIQUE)]
    for index, key in enumerate(others):
        side = Side.PLEX if index % 2 else Side.SENSCRITIQUE
        noise = work(key, side, draw(NOISE_TITLES), 1960 + index)
        (plex if side is Side.PLEX else sc).append(noise)
    return plex[0], plex, sc


@SETTINGS
@given(two_sides())
def test_a_search_from_plex_keeps_the_plex_key_on_the_plex_side(
    sides: tuple[Work, list[Work], list[Work]],
) -> None:
    plex_heat, _, sc = sides
    found = match_candidates(plex_heat, sc)
    assert isinstance(found, Link)
    assert found.plex == plex_heat.key
    assert found.senscritique == sc[0].key


@SETTINGS
@given(two_sides())
def test_a_search_from_senscritique_keeps_the_plex_key_on_the_plex_side(
    sides: tuple[Work, list[Work], list[Work]],
) -> None:
    plex_heat, plex, sc = sides
    found = match_candidates(sc[0], plex)
    assert isinstance(found, Link)
    assert found.plex == plex_heat.key
    assert found.senscritique == sc[0].key


@SETTINGS
@given(two_sides())
def test_local_links_never_put_a_plex_key_on_the_senscritique_side(
    sides: tuple[Work, list[Work], list[Work]],
) -> None:
    plex_heat, plex, sc = sides
    result = match_local(sc, plex, {})
    plex_keys = {w.key for w in plex}
    sc_keys = {w.key for w in sc}
    for link in result.links.values():
        assert link.plex in plex_keys
        assert link.senscritique in sc_keys
    assert (sc[0].key, plex_heat.key) in {
        (lk.senscritique, lk.plex) for lk in result.links.values()
    }


def test_a_legacy_library_film_links_with_its_key_on_the_plex_side() -> None:
    """The case that went wrong when sides were read from key prefixes: a
    legacy-agent key has no ``plex://`` and was taken for a product id."""
    legacy = Work(
        "com.plexapp.agents.imdb://tt0113277",
        Kind.MOVIE,
        "Heat",
        year=1995,
        guids=("imdb://tt0113277",),
        side=Side.PLEX,
    )
    product = work("35310418", Side.SENSCRITIQUE)
    for found in (
        match_candidates(legacy, [product]),
        match_candidates(product, [legacy]),
    ):
        assert isinstance(found, Link)
        assert (found.senscritique, found.plex) == ("35310418", legacy.key)


def test_a_work_without_a_side_is_never_placed() -> None:
    anonymous = Work("plex://movie/aaa", Kind.MOVIE, "Heat", year=1995)
    with pytest.raises(ValueError, match="no side"):
        match_candidates(anonymous, [work("1", Side.SENSCRITIQUE)])


def test_candidates_of_the_searched_side_are_refused() -> None:
    with pytest.raises(ValueError, match="its own side"):
        match_candidates(work("1", Side.SENSCRITIQUE), [work("2", Side.SENSCRITIQUE)])
