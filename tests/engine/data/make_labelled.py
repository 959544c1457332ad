"""Build labelled.json: a labelled matching set from the demo catalogue.

Run once by hand (``python tests/engine/data/make_labelled.py``); the test
reads the JSON it writes. Every work is real: the demo catalogue plus the
hand-picked distractors below. Perturbations are deterministic by position:
- some Plex years are one off (libraries and SensCritique disagree by a year),
- some works keep only one side (items with no partner: the remakes and
  homonyms left behind must not link to another version),
- a few Plex works appear twice with one IMDb id (the same work twice).
"""

from __future__ import annotations

import json
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

SC_UNIVERSE = {"movie": "movie", "show": "tvShow"}


def build() -> dict[str, object]:
    works = json.loads(CATALOGUE.read_text(encoding="utf-8"))["works"]
    rows = [
        (w["kind"], w["title_fr"], w["title_en"], w["original_title"], w["year"])
        for w in works
    ]
    rows += EXTRA_PAIRS
    senscritique: list[dict[str, object]] = []
    plex: list[dict[str, object]] = []
    pairs: list[list[object]] = []
    for n, (kind, fr, en, original, year) in enumerate(rows):
        sc_id = 3_000_000 + n * 7
        rating_key = str(10_000 + n)
        keep_sc = n % 10 != 3
        keep_plex = n % 10 != 7
        plex_year = year + (1 if n % 9 == 4 else -1 if n % 9 == 6 else 0)
        if keep_sc:
            senscritique.append(
                {
                    "id": sc_id,
                    "universe": SC_UNIVERSE[kind],
                    "title": fr,
                    # SensCritique gives the original title; some rows repeat the
                    # French title there, some leave it out when it is the same.
                    "originalTitle": original if (original != fr or n % 2) else None,
                    "yearOfProduction": year,
                }
            )
        if keep_plex:
            guid = DUPLICATES.get(en) if kind == "movie" else None
            copies = 2 if guid else 1
            for copy in range(copies):
                key = rating_key if copy == 0 else f"{rating_key}-4k"
                plex.append(
                    {
                        "ratingKey": key,
                        "type": kind,
                        "title": en,
                        "originalTitle": original if original != en else None,
                        "year": plex_year,
                        "guids": [guid] if guid else [],
                    }
                )
                if keep_sc:
                    pairs.append([sc_id, key])
    for n, (side, kind, title, original, year) in enumerate(EXTRA_ALONE):
        if side == "senscritique":
            senscritique.append(
                {
                    "id": 4_000_000 + n,
                    "universe": SC_UNIVERSE[kind],
                    "title": title,
                    "originalTitle": original,
                    "yearOfProduction": year,
                }
            )
        else:
            plex.append(
                {
                    "ratingKey": str(90_000 + n),
                    "type": kind,
                    "title": title,
                    "originalTitle": original,
                    "year": year,
                    "guids": [],
                }
            )
    return {"senscritique": senscritique, "plex": plex, "pairs": pairs}


if __name__ == "__main__":
    data = build()
    (HERE / "labelled.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    print(len(data["senscritique"]), len(data["plex"]), len(data["pairs"]))
