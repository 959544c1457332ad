"""Build labelled.json: a labelled matching set from the demo catalogue.

Run once by hand (``python tests/engine/data/make_labelled.py``); the test
reads the JSON it writes, and so can ``scripts/match-eval`` (it then prints the
precision and recall per family). Every work is real: the demo catalogue plus
the hand-picked works below, labelled by family (what makes them hard):
- ``catalogue``: the demo catalogue's plain cases; ``original_title``: titles
  only the original title joins;
- ``native_script``: Plex gives the original title in its own script,
  SensCritique a romanization;
- ``country_qualifier`` / ``year_qualifier``: "Shameless (US)", "Cosmos (1980)";
- ``translated``: translated titles with no common word, that an original
  title on both sides joins; without one on Plex (an account-level work) they
  are ``unmatchable`` locally: only a search or an external id can tell.
Perturbations are deterministic by position, on the catalogue's plain rows:
- some Plex years are one off (libraries and SensCritique disagree by a year),
- some works keep only one side (items with no partner: the remakes and
  homonyms left behind must not link to another version),
- a few Plex works appear twice with one IMDb id (the same work twice).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
CATALOGUE = HERE.parents[1] / "simulators" / "demo_catalogue.json"

# Real works on one side only, chosen to look like a catalogue work or each
# other: sequels a year apart, other parts of a saga, other versions.
# (side, kind, title, original title, year)
EXTRA_ALONE = [
    ("senscritique", "movie", "Scream", "Scream", 1996),
    ("plex", "movie", "Scream 2", None, 1997),
    ("senscritique", "movie", "Scary Movie", "Scary Movie", 2000),
    ("plex", "movie", "Scary Movie 2", None, 2001),
    ("senscritique", "movie", "Saw", "Saw", 2004),
    ("plex", "movie", "Saw II", None, 2005),
    ("senscritique", "movie", "Paranormal Activity", "Paranormal Activity", 2009),
    ("plex", "movie", "Paranormal Activity 2", None, 2010),
    ("senscritique", "movie", "Halloween Kills", "Halloween Kills", 2021),
    ("plex", "movie", "Halloween Ends", None, 2022),
    (
        "senscritique",
        "movie",
        "Harry Potter et les Reliques de la Mort : 1re partie",
        "Harry Potter and the Deathly Hallows: Part 1",
        2010,
    ),
    ("plex", "movie", "Harry Potter and the Deathly Hallows: Part 2", None, 2011),
    ("senscritique", "movie", "Rocky 5", "Rocky V", 1990),
    ("plex", "movie", "Psycho II", None, 1983),
    ("senscritique", "movie", "Matrix Resurrections", "The Matrix Resurrections", 2021),
    ("plex", "movie", "Avatar: The Way of Water", None, 2022),
    ("senscritique", "movie", "Mondwest", "Westworld", 1973),
    ("plex", "movie", "Twin Peaks: Fire Walk with Me", None, 1992),
    (
        "senscritique",
        "movie",
        "Toy Story : Hors du temps",
        "Toy Story That Time Forgot",
        2014,
    ),
    ("plex", "movie", "Iron Man & Hulk: Heroes United", None, 2013),
]

# Real pairs with unrelated titles that only the original title joins.
# (kind, french title, english title, original title, year)
EXTRA_PAIRS = [
    (
        "movie",
        "Shrek 4 : Il était une fin",
        "Shrek Forever After",
        "Shrek Forever After",
        2010,
    ),
    ("movie", "Halloween 2", "Halloween II", "Halloween II", 2009),
    (
        "movie",
        "Terminator 3 : Le Soulèvement des machines",
        "Terminator 3: Rise of the Machines",
        "Terminator 3: Rise of the Machines",
        2003,
    ),
]

# Plex libraries holding one work twice (two ratingKeys, one IMDb id).
DUPLICATES = {
    "Die Hard": "imdb://tt0095016",
    "The Matrix": "imdb://tt0133093",
    "Inception": "imdb://tt1375666",
    "Pulp Fiction": "imdb://tt0110912",
}

# Original titles in another script on Plex, romanized on SensCritique.
# (kind, french title, english title, romanized, native, year)
NATIVE_PAIRS = [
    ("movie", "Printemps tardif", "Late Spring", "Banshun", "晩春", 1949),
    (
        "movie",
        "Les Contes de la lune vague après la pluie",
        "Ugetsu",
        "Ugetsu monogatari",
        "雨月物語",
        1953,
    ),
    ("movie", "Nuages flottants", "Floating Clouds", "Ukigumo", "浮雲", 1955),
    (
        "movie",
        "La Femme des sables",
        "Woman in the Dunes",
        "Suna no onna",
        "砂の女",
        1964,
    ),
    (
        "movie",
        "La Traversée du temps",
        "The Girl Who Leapt Through Time",
        "Toki o kakeru shōjo",
        "時をかける少女",
        2006,
    ),
    (
        "movie",
        "Les Enfants loups, Ame et Yuki",
        "Wolf Children",
        "Ōkami kodomo no Ame to Yuki",
        "おおかみこどもの雨と雪",
        2012,
    ),
    ("movie", "Le vent se lève", "The Wind Rises", "Kaze tachinu", "風立ちぬ", 2013),
    (
        "movie",
        "Tel père, tel fils",
        "Like Father, Like Son",
        "Soshite chichi ni naru",
        "そして父になる",
        2013,
    ),
    (
        "movie",
        "La Cité des douleurs",
        "A City of Sadness",
        "Bei qing cheng shi",
        "悲情城市",
        1989,
    ),
    (
        "movie",
        "Épouses et Concubines",
        "Raise the Red Lantern",
        "Da hong deng long gao gao gua",
        "大紅燈籠高高掛",
        1991,
    ),
    (
        "movie",
        "Le Secret des poignards volants",
        "House of Flying Daggers",
        "Shi mian mai fu",
        "十面埋伏",
        2004,
    ),
    # A character with two readings: anyascii reads 著 "zhu", here it is "zhe".
    ("movie", "Vivre !", "To Live", "Huo zhe", "活著", 1994),
    (
        "movie",
        "J'ai rencontré le Diable",
        "I Saw the Devil",
        "Angmareul boatda",
        "악마를 보았다",
        2010,
    ),
    (
        "movie",
        "Printemps, été, automne, hiver... et printemps",
        "Spring, Summer, Fall, Winter... and Spring",
        "Bom yeoreum gaeul gyeoul geurigo bom",
        "봄 여름 가을 겨울 그리고 봄",
        2003,
    ),
    ("movie", "Locataires", "3-Iron", "Bin-jip", "빈집", 2004),
    (
        "movie",
        "Quand passent les cigognes",
        "The Cranes Are Flying",
        "Letyat zhuravli",
        "Летят журавли",
        1957,
    ),
    (
        "movie",
        "Requiem pour un massacre",
        "Come and See",
        "Idi i smotri",
        "Иди и смотри",
        1985,
    ),
]

# Plex titles with a qualifier, SensCritique's without.
# (kind, french title, plex title, original title, year, family)
QUALIFIED_PAIRS = [
    (
        "show",
        "Queer as Folk",
        "Queer as Folk (US)",
        "Queer as Folk",
        2000,
        "country_qualifier",
    ),
    ("show", "Utopia", "Utopia (UK)", "Utopia", 2013, "country_qualifier"),
    ("show", "Utopia", "Utopia (US)", "Utopia", 2020, "country_qualifier"),
    (
        "show",
        "Being Human : La Confrérie de l'étrange",
        "Being Human (US)",
        "Being Human",
        2011,
        "country_qualifier",
    ),
    ("show", "Wilfred", "Wilfred (US)", "Wilfred", 2011, "country_qualifier"),
    (
        "show",
        "House of Cards",
        "House of Cards (UK)",
        "House of Cards",
        1990,
        "country_qualifier",
    ),
    ("show", "Cosmos", "Cosmos (1980)", "Cosmos", 1980, "year_qualifier"),
    (
        "movie",
        "Point Break",
        "Point Break (2015)",
        "Point Break",
        2015,
        "year_qualifier",
    ),
    ("show", "Teen Wolf", "Teen Wolf (2011)", "Teen Wolf", 2011, "year_qualifier"),
]
# Their namesakes on one side only. (side, kind, title, original title, year)
QUALIFIED_ALONE = [
    ("senscritique", "movie", "Point Break", "Point Break", 1991),
    ("plex", "show", "Being Human (UK)", None, 2008),
    ("senscritique", "show", "Teen Wolf", "Teen Wolf", 1986),
    ("plex", "show", "Wilfred (AU)", None, 2007),
]

# Translated titles with no common word, and no original title on Plex (an
# account-level work read through the community API): not matchable locally.
# (kind, french title, original title on SensCritique, plex title, year)
UNMATCHABLE = [
    ("movie", "La Règle du jeu", None, "The Rules of the Game", 1939),
    ("movie", "Les Yeux sans visage", None, "Eyes Without a Face", 1960),
    ("movie", "Le Cercle rouge", None, "The Red Circle", 1970),
    ("movie", "Les Ailes du désir", "Der Himmel über Berlin", "Wings of Desire", 1987),
]

SC_UNIVERSE = {"movie": "movie", "show": "tvShow"}
QUALIFIER_FAMILIES = ("country_qualifier", "year_qualifier")


@dataclass(frozen=True)
class Row:
    """One work on both sides, as each side shows it."""

    kind: str
    fr: str
    en: str
    sc_original: str | None
    plex_original: str | None
    year: int
    family: str

    @property
    def perturbed(self) -> bool:
        """Plain rows lose a side or shift a year by position; family rows
        keep both sides (qualifier rows their year too: the qualifier says it)."""
        return self.family in ("catalogue", "original_title")


def _rows() -> list[Row]:
    works = json.loads(CATALOGUE.read_text(encoding="utf-8"))["works"]
    rows = [
        Row(
            w["kind"],
            w["title_fr"],
            w["title_en"],
            w.get("original_title_senscritique", w["original_title"]),
            w["original_title"] if w["original_title"] != w["title_en"] else None,
            w["year"],
            w.get("family", "catalogue"),
        )
        for w in works
    ]
    rows += [
        Row(k, fr, en, orig, orig if orig != en else None, year, "original_title")
        for k, fr, en, orig, year in EXTRA_PAIRS
    ]
    rows += [
        Row(k, fr, en, rom, native, year, "native_script")
        for k, fr, en, rom, native, year in NATIVE_PAIRS
    ]
    rows += [
        Row(k, fr, en, orig, None, year, family)
        for k, fr, en, orig, year, family in QUALIFIED_PAIRS
    ]
    return rows


def _sc_item(
    item_id: int, kind: str, title: str, original: str | None, year: int
) -> dict[str, object]:
    return {
        "id": item_id,
        "universe": SC_UNIVERSE[kind],
        "title": title,
        "originalTitle": original,
        "yearOfProduction": year,
    }


def _plex_item(
    key: str,
    kind: str,
    title: str,
    original: str | None,
    year: int,
    *,
    guid: str | None = None,
) -> dict[str, object]:
    return {
        "ratingKey": key,
        "type": kind,
        "title": title,
        "originalTitle": original,
        "year": year,
        "guids": [guid] if guid else [],
    }


def build() -> dict[str, object]:
    senscritique: list[dict[str, object]] = []
    plex: list[dict[str, object]] = []
    pairs: list[list[object]] = []
    for n, row in enumerate(_rows()):
        sc_id = 3_000_000 + n * 7
        rating_key = str(10_000 + n)
        keep_sc = not row.perturbed or n % 10 != 3
        keep_plex = not row.perturbed or n % 10 != 7
        shift = 1 if n % 9 == 4 else -1 if n % 9 == 6 else 0
        plex_year = row.year + (shift if row.family not in QUALIFIER_FAMILIES else 0)
        if keep_sc:
            # SensCritique gives the original title; some rows repeat the
            # French title there, some leave it out when it is the same.
            original = row.sc_original if (row.sc_original != row.fr or n % 2) else None
            senscritique.append(_sc_item(sc_id, row.kind, row.fr, original, row.year))
        if keep_plex:
            guid = DUPLICATES.get(row.en) if row.kind == "movie" else None
            for copy in range(2 if guid else 1):
                key = rating_key if copy == 0 else f"{rating_key}-4k"
                plex.append(
                    _plex_item(
                        key, row.kind, row.en, row.plex_original, plex_year, guid=guid
                    )
                )
                if keep_sc:
                    pairs.append([sc_id, key, row.family])
    alone = [*EXTRA_ALONE, *QUALIFIED_ALONE]
    for n, (side, kind, title, original, year) in enumerate(alone):
        if side == "senscritique":
            senscritique.append(_sc_item(4_000_000 + n, kind, title, original, year))
        else:
            plex.append(_plex_item(str(90_000 + n), kind, title, original, year))
    unmatchable: list[list[object]] = []
    for n, (kind, fr, sc_original, en, year) in enumerate(UNMATCHABLE):
        senscritique.append(_sc_item(5_000_000 + n, kind, fr, sc_original, year))
        plex.append(_plex_item(str(95_000 + n), kind, en, None, year))
        unmatchable.append([5_000_000 + n, str(95_000 + n), "translated"])
    return {
        "senscritique": senscritique,
        "plex": plex,
        "pairs": pairs,
        "unmatchable": unmatchable,
    }


if __name__ == "__main__":
    data = build()
    (HERE / "labelled.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    print(
        len(data["senscritique"]),
        len(data["plex"]),
        len(data["pairs"]),
        len(data["unmatchable"]),
    )
