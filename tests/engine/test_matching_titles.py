"""Titles in another script and titles with a qualifier: how they are spelled
and how they match. Examples are our own choice of real works."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from custom_components.plexsync.engine.hangul import romanize_word
from custom_components.plexsync.engine.matching import (
    Ambiguity,
    match_candidates,
    match_local,
)
from custom_components.plexsync.engine.model import Kind, Link, Side, Work
from custom_components.plexsync.engine.romanise import kana_reading, readings
from custom_components.plexsync.engine.titles import (
    loose_key,
    strip_qualifiers,
    work_titles,
)

ENGINE_PARENT = Path(__file__).parents[2] / "custom_components" / "plexsync"


def sc(key: str, title: str, original: str | None, year: int | None) -> Work:
    return Work(key, Kind.MOVIE, title, original, year, side=Side.SENSCRITIQUE)


def px(
    key: str,
    title: str,
    original: str | None,
    year: int | None,
    kind: Kind = Kind.MOVIE,
) -> Work:
    return Work(
        f"plex://{kind.value}/{key}", kind, title, original, year, side=Side.PLEX
    )


def links(result: object) -> set[tuple[str, str]]:
    found = getattr(result, "links", {})
    return {(lk.senscritique, lk.plex) for lk in found.values()}


# ------------------------------------------------------------------- readings


@pytest.mark.parametrize(
    ("kana", "hepburn"),
    [
        ("となりの", "tonarino"),
        ("きゃりーぱみゅぱみゅ", "kyariipamyupamyu"),  # small ya/yu, long mark
        ("しゃ", "sha"),
        ("まっちゃ", "matcha"),  # small tsu before ch
        ("アリエッティ", "arietti"),  # small tsu, then a small vowel
        ("ウィンター", "wintaa"),
        ("ヴァイオレット", "vaioretto"),
        ("デュエル", "dyueru"),
        ("を", "o"),
        ("ｶﾀｶﾅ", "ｶﾀｶﾅ"),  # half-width kana are folded by NFKC before this
    ],
)
def test_kana_in_modified_hepburn(kana: str, hepburn: str) -> None:
    assert kana_reading(kana) == hepburn


@pytest.mark.parametrize(
    ("hangul", "roman"),
    [
        ("기생충", "gisaengchung"),
        ("살인의", "sarinui"),  # a final consonant moves into the next vowel
        ("악마를", "angmareul"),  # a stop before a nasal becomes a nasal
        ("보았다", "boatda"),
        ("밀양", "miryang"),
        ("신라", "silla"),  # n before r
        ("종로", "jongno"),  # r after ng
        ("좋고", "joko"),  # h before g
        ("오징어", "ojingeo"),
    ],
)
def test_hangul_in_the_revised_romanization(hangul: str, roman: str) -> None:
    assert romanize_word(hangul) == roman


def test_readings_by_script() -> None:
    assert readings("Le Voyage de Chihiro") == ()
    assert readings("Tōkyō boshoku") == ()  # accented Latin is Latin
    assert readings("天気の子") == ("tenki no ko",)  # kana: Japanese only
    # Kanji alone may be Japanese or Chinese: both readings.
    assert readings("晩春") == ("banshun", "WanChun")
    assert readings("곡성") == ("gokseong",)
    assert readings("Зеркало") == ("Zerkalo",)
    assert readings("\uff21\uff2b\uff29\uff32\uff21") == ()  # full-width AKIRA


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("toukyou", "tokyo"),  # long vowels
        ("youjinbou", "yojimbo"),  # and m before b
        ("evangerion", "evangelion"),  # l and r
        ("gwoemul", "goemul"),
    ],
)
def test_loose_keys_unify_romanization_variants(a: str, b: str) -> None:
    assert loose_key(a) == loose_key(b)


def test_a_title_without_kanji_never_loads_the_kanji_dictionary() -> None:
    env = {**os.environ, "PYTHONPATH": str(ENGINE_PARENT)}
    probe = (
        "import sys; from engine.titles import work_titles; "
        "work_titles(['ドライブ・マイ・カー', '기생충', 'Dune (2021)'], 2021); "
        "print('pykakasi' in sys.modules); "
        "work_titles(['用心棒'], 1961); print('pykakasi' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["False", "True"]


# ----------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("title", "year", "expected"),
    [
        ("Shameless (US)", 2011, ("Shameless", None)),
        ("Utopia [UK]", None, ("Utopia", None)),
        ("The Office (U.S.)", 2005, ("The Office", None)),
        ("Doctor Who (2005)", 2005, ("Doctor Who", 2005)),
        ("Doctor Who (2005)", None, ("Doctor Who", 2005)),  # the year is taken
        ("The Office (US) (2005)", 2005, ("The Office", 2005)),
        ("Doctor Who (1963)", 2005, None),  # another version's year is kept
        ("(500) Days of Summer", 2009, None),
        ("Rocky (IV)", 1985, None),
        ("(2019)", 2019, None),  # never empties a title
    ],
)
def test_strip_qualifiers(
    title: str, year: int | None, expected: tuple[str, int | None] | None
) -> None:
    assert strip_qualifiers(title, year) == expected


def test_a_work_without_a_year_takes_its_qualifier_year() -> None:
    assert work_titles(["Dune (2021)"], None).year == 2021
    assert work_titles(["Dune (2021)"], 2021).year == 2021
    assert work_titles(["Dune"], None).year is None


# ------------------------------------------------------------------- matching


# (French title, romanized original, English title, native original, year)
NATIVE_AND_ROMANIZED = [
    ("Le Garde du corps", "Yōjinbō", "Yojimbo", "用心棒", 1961),
    ("Les Enfants du temps", "Tenki no ko", "Weathering with You", "天気の子", 2019),
    ("The Strangers", "Gokseong", "The Wailing", "곡성", 2016),
    ("Le Miroir", "Zerkalo", "Mirror", "Зеркало", 1975),
    (
        "Tigre et Dragon",
        "Wo hu cang long",
        "Crouching Tiger, Hidden Dragon",
        "臥虎藏龍",
        2000,
    ),
]


def test_native_title_links_to_its_romanization() -> None:
    senscritique = [
        sc(str(n), fr, romanized, year)
        for n, (fr, romanized, _, _, year) in enumerate(NATIVE_AND_ROMANIZED)
    ]
    plex = [
        px(str(n), en, native, year)
        for n, (_, _, en, native, year) in enumerate(NATIVE_AND_ROMANIZED)
    ]
    result = match_local(senscritique, plex, {})
    assert links(result) == {
        (str(n), f"plex://movie/{n}") for n in range(len(NATIVE_AND_ROMANIZED))
    }
    assert {lk.score for lk in result.links.values()} == {0.96}


def test_two_latin_titles_never_match_by_their_loose_keys() -> None:
    # "Ran" and "Lan" are one loose key, but neither is a reading.
    result = match_local([sc("1", "Ran", None, 1985)], [px("a", "Lan", None, 1985)], {})
    assert not result.links


def test_same_reading_for_two_works_is_reported_not_guessed() -> None:
    senscritique = [sc("1", "Printemps tardif", "Banshun", 1949)]
    plex = [
        px("a", "Late Spring", "晩春", 1949),
        px("b", "Banshun", None, 1949),  # a homonym of the same year
    ]
    result = match_local(senscritique, plex, {})
    assert not result.links
    (ambiguity,) = result.ambiguous
    assert {c.key for c in ambiguity.candidates} == {"plex://movie/a", "plex://movie/b"}


def test_country_qualifier_links_the_plain_title_of_that_year() -> None:
    senscritique = [
        sc("1", "Ghosts", "Ghosts", 2019),
        sc("2", "Ghosts", "Ghosts", 2021),
        sc("3", "Doctor Who", "Doctor Who", 1963),
    ]
    plex = [
        px("a", "Ghosts (UK)", None, 2019, Kind.SHOW),
        px("b", "Ghosts (US)", None, 2021, Kind.SHOW),
        px("c", "Doctor Who (2005)", None, 2005, Kind.SHOW),
    ]
    shows = [
        Work(w.key, Kind.SHOW, w.title, w.original_title, w.year) for w in senscritique
    ]
    result = match_local(shows, plex, {})
    assert links(result) == {("1", "plex://show/a"), ("2", "plex://show/b")}
    assert [w.key for w in result.unmatched_senscritique] == ["3"]


def test_two_qualified_titles_match_only_with_the_same_qualifier() -> None:
    senscritique = [sc("1", "Utopia (UK)", None, 2014)]
    plex = [px("a", "Utopia (US)", None, 2014), px("b", "Utopia (UK)", None, 2014)]
    result = match_local(senscritique, plex, {})
    assert links(result) == {("1", "plex://movie/b")}
    assert not result.ambiguous


def test_plain_title_between_two_qualified_ones_is_ambiguous() -> None:
    senscritique = [sc("1", "Utopia", None, 2014)]
    plex = [px("a", "Utopia (US)", None, 2014), px("b", "Utopia (UK)", None, 2014)]
    result = match_local(senscritique, plex, {})
    assert not result.links
    assert len(result.ambiguous) == 1


def test_search_result_carrying_an_original_title_links_a_translated_title() -> None:
    # "Les Quatre Cents Coups" / "The 400 Blows": no common word; a search
    # result that carries the original title settles it.
    work = px("a", "The 400 Blows", None, 1959)
    found = match_candidates(
        work,
        [
            sc("1", "Les Quatre Cents Coups", "Les Quatre Cents Coups", 1959),
            sc("2", "Quatre Garçons dans le vent", None, 1964),
        ],
    )
    assert found is None  # without an original title on the Plex side
    with_original = replace(work, original_title="Les Quatre Cents Coups")
    found = match_candidates(
        with_original, [sc("1", "Les Quatre Cents Coups", None, 1959)]
    )
    assert isinstance(found, Link)
    assert (found.senscritique, found.plex) == ("1", work.key)


def test_search_result_in_another_script_links_through_its_reading() -> None:
    work = sc("1", "Le Garde du corps", "Yōjinbō", 1961)
    found = match_candidates(
        work,
        [px("a", "Yojimbo", "用心棒", 1961), px("b", "Sanjuro", "椿三十郎", 1962)],
    )
    assert isinstance(found, Link)
    assert found.plex == "plex://movie/a"
    twice = match_candidates(
        work, [px("a", "Yojimbo", "用心棒", 1961), px("c", "Yojimbo", "用心棒", 1961)]
    )
    assert isinstance(twice, Ambiguity)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
    | st.text("東京暮色の雨とトトローッゃぃ기생충 ()[]UK2019-:Зеркало ", max_size=20)
)
def test_any_title_gets_spellings_without_error(title: str) -> None:
    for reading in readings(title):
        assert reading.isascii()
    spelled = work_titles([title], 2019)
    assert all(form.key for form in spelled.forms.values())
