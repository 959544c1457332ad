"""Build labelled.json: a labelled matching set from the demo catalogue.

Run once by hand (``python tests/engine/data/make_labelled.py``); the test
reads the JSON it writes, and so can ``scripts/match-eval`` (it then prints the
precision and recall per family). Every work is real: the demo catalogue plus
the hand-picked works of labelled_pairs.py, labelled by family (what makes them hard):
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

from labelled_pairs import (
    DUPLICATES,
    EXTRA_ALONE,
    EXTRA_PAIRS,
    NATIVE_PAIRS,
    QUALIFIED_ALONE,
    QUALIFIED_PAIRS,
    UNMATCHABLE,
)

HERE = Path(__file__).parent
CATALOGUE = HERE.parents[1] / "simulators" / "demo_catalogue.json"

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
