"""Property tests: matching is order-independent, deterministic, and never
overrides a manual link."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.plexsync.engine.matching import MatchResult, match_local
from custom_components.plexsync.engine.model import Kind, Link, Provenance, Work

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Few title pieces and years, so that homonyms, remakes a year apart,
# subtitles, sequels, articles, readings of another script and qualifiers
# collide often.
TITLES = st.sampled_from(
    [
        "Dune", "The Thing", "La Chose", "Rocky II", "Rocky 2", "Rocky",
        "Star Wars: Episode V - The Empire Strikes Back", "The Empire Strikes Back",
        "L'Empire contre-attaque", "Thelma & Louise", "Thelma et Louise",
        "Le Parrain", "The Godfather", "기생충", "Parasite", "Crash",
        "Home Alone", "Maman, j'ai raté l'avion !", "Alien", "Aliens",
        "晩春", "Banshun", "Bansyun", "Utopia (UK)", "Utopia (US)", "Utopia",
        "Dune (1983)", "Dune (1984)",
    ]
)  # fmt: skip
YEARS = st.one_of(st.none(), st.integers(1982, 1985))
KINDS = st.sampled_from([Kind.MOVIE, Kind.SHOW])


@st.composite
def sides(draw: st.DrawFn) -> tuple[list[Work], list[Work]]:
    def works(prefix: str, imdb: bool) -> list[Work]:
        size = draw(st.integers(0, 7))
        return [
            Work(
                f"{prefix}{i}",
                draw(KINDS),
                draw(TITLES),
                draw(st.one_of(st.none(), TITLES)),
                draw(YEARS),
                guids=(f"imdb://tt{draw(st.integers(1, 3))}",)
                if imdb and draw(st.booleans())
                else (),
            )
            for i in range(size)
        ]

    return works("", False), works("plex://movie/", True)


def canonical(result: MatchResult) -> object:
    return (
        sorted(result.links.items()),
        result.ambiguous,
        result.unmatched_senscritique,
        result.unmatched_plex,
    )


@PROPERTY_SETTINGS
@given(sides(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(
    both: tuple[list[Work], list[Work]], rng: random.Random
) -> None:
    senscritique, plex = both
    first = match_local(senscritique, plex, {})
    shuffled_sc, shuffled_plex = list(senscritique), list(plex)
    rng.shuffle(shuffled_sc)
    rng.shuffle(shuffled_plex)
    again = match_local(reversed(shuffled_sc), reversed(shuffled_plex), {})
    assert canonical(first) == canonical(again)
    assert list(first.links) == list(again.links)


@PROPERTY_SETTINGS
@given(sides())
def test_deterministic_and_one_partner_per_work(
    both: tuple[list[Work], list[Work]],
) -> None:
    senscritique, plex = both
    first = match_local(senscritique, plex, {})
    assert canonical(first) == canonical(match_local(senscritique, plex, {}))
    groups: dict[str, set[str]] = {}
    imdb = {w.key: w.guids for w in plex}
    for link in first.links.values():
        groups.setdefault(link.senscritique, set()).add(link.plex)
    for partners in groups.values():
        # Several Plex partners only when they share an IMDb id.
        if len(partners) > 1:
            shared = set.intersection(*(set(imdb[p]) for p in partners))
            assert shared
    plex_partners = [link.plex for link in first.links.values()]
    assert len(plex_partners) == len(set(plex_partners))
    # Feeding the result back changes nothing: links are stable.
    assert canonical(match_local(senscritique, plex, first.links)) == canonical(first)


@PROPERTY_SETTINGS
@given(sides(), st.data())
def test_manual_link_is_never_overridden(
    both: tuple[list[Work], list[Work]], data: st.DataObject
) -> None:
    senscritique, plex = both
    sc_key = data.draw(
        st.sampled_from([w.key for w in senscritique] or ["999"]), label="sc"
    )
    plex_key = data.draw(
        st.sampled_from([w.key for w in plex] or ["plex://movie/x"]), label="plex"
    )
    manual = Link(sc_key, plex_key, Kind.MOVIE, Provenance.MANUAL, 0.1)
    stale = Link(sc_key, "plex://movie/stale", Kind.MOVIE, Provenance.LOCAL)
    result = match_local(senscritique, plex, {manual.id: manual, stale.id: stale})
    assert result.links[manual.id] == manual
    assert stale.id not in result.links
    for link in result.links.values():
        if link != manual:
            assert link.senscritique != sc_key
            assert link.plex != plex_key
