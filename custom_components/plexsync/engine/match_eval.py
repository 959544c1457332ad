"""Evaluate local matching on a JSON document (no request, no state).

``scripts/match-eval < input.json`` (or ``python -m
custom_components.plexsync.engine.match_eval``, which also loads Home Assistant
through the integration's package) reads::

    {"senscritique": [{"id", "universe": "movie"|"tvShow", "title",
                       "originalTitle", "yearOfProduction"}],
     "plex": [{"ratingKey", "type": "movie"|"show", "title", "originalTitle",
               "year", "guids"}]}

and prints::

    {"links": [{"senscritique": ID, "plex": RATINGKEY, "score": S}],
     "ambiguous": [{"side", "id", "title", "candidates": [{"id", "score"}]}],
     "unmatched": {"senscritique": [ID...], "plex": [RATINGKEY...]}}

A labelled document (``tests/engine/data/labelled.json``) also carries
``"pairs"`` and ``"unmatchable"``: lists of ``[ID, RATINGKEY, family]``; the
output then gains ``"evaluation"``: precision, recall, recall per family, and
the wrong and missed pairs (see `score`).

It runs exactly `match_local`, the code path of the sync. ``id``, ``ratingKey``
(string or integer), ``universe``/``type`` and ``title`` are required;
``originalTitle``, ``yearOfProduction``/``year`` and ``guids`` may be absent or
null but must have the right type when given. Bad input: a message on stderr
and exit status 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from .matching import MatchResult, match_local
from .model import Kind, Work

_SC_KINDS = {"movie": Kind.MOVIE, "tvShow": Kind.SHOW}
_PLEX_KINDS = {"movie": Kind.MOVIE, "show": Kind.SHOW}
EXIT_BAD_INPUT = 2


class InputError(ValueError):
    """The input document does not have the expected shape."""


@dataclass(frozen=True, slots=True)
class _Fields:
    """Field names of one side's items."""

    side: str
    key: str
    kind: str
    kinds: Mapping[str, Kind]
    year: str


_SC = _Fields("senscritique", "id", "universe", _SC_KINDS, "yearOfProduction")
_PLEX = _Fields("plex", "ratingKey", "type", _PLEX_KINDS, "year")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(item: Mapping[str, Any], name: str, where: str, kind: type) -> Any:
    value = item.get(name)
    if value is None:
        return None
    ok = _is_int(value) if kind is int else isinstance(value, kind)
    if not ok:
        raise InputError(f"{where}: {name!r} must be {kind.__name__} or null")
    return value


def _work(item: object, fields: _Fields, index: int) -> tuple[Work, str | int]:
    where = f"{fields.side}[{index}]"
    if not isinstance(item, dict):
        raise InputError(f"{where}: must be an object")
    for name in (fields.key, fields.kind, "title"):
        if name not in item:
            raise InputError(f"{where}: missing field {name!r}")
    raw_key = item[fields.key]
    if not (_is_int(raw_key) or (isinstance(raw_key, str) and raw_key)):
        raise InputError(f"{where}: {fields.key!r} must be a non-empty string or int")
    kind = (
        fields.kinds.get(item[fields.kind])
        if isinstance(item[fields.kind], str)
        else None
    )
    if kind is None:
        allowed = " or ".join(repr(k) for k in fields.kinds)
        raise InputError(f"{where}: {fields.kind!r} must be {allowed}")
    if not isinstance(item["title"], str) or not item["title"].strip():
        raise InputError(f"{where}: 'title' must be a non-empty string")
    original = _optional(item, "originalTitle", where, str)
    year = _optional(item, fields.year, where, int)
    guids: tuple[str, ...] = ()
    if fields is _PLEX:
        raw_guids = _optional(item, "guids", where, list) or []
        if not all(isinstance(g, str) for g in raw_guids):
            raise InputError(f"{where}: 'guids' must be a list of strings")
        guids = tuple(raw_guids)
    work = Work(str(raw_key), kind, item["title"], original, year, guids=guids)
    return work, raw_key


def parse(
    document: object,
) -> tuple[list[Work], list[Work], dict[tuple[str, str], str | int]]:
    """Works of both sides, and each side's key back to the input's id value."""
    if not isinstance(document, dict):
        raise InputError("input must be a JSON object")
    ids: dict[tuple[str, str], str | int] = {}
    sides: list[list[Work]] = []
    for fields in (_SC, _PLEX):
        items = document.get(fields.side)
        if not isinstance(items, list):
            raise InputError(f"missing or non-list field {fields.side!r}")
        works: list[Work] = []
        for index, item in enumerate(items):
            work, raw = _work(item, fields, index)
            if (fields.side, work.key) in ids:
                raise InputError(
                    f"{fields.side}[{index}]: duplicate {fields.key} {raw!r}"
                )
            ids[fields.side, work.key] = raw
            works.append(work)
        sides.append(works)
    return sides[0], sides[1], ids


def render(
    result: MatchResult, ids: Mapping[tuple[str, str], str | int]
) -> dict[str, Any]:
    """The output document for a matching result."""
    links = [
        {
            "senscritique": ids["senscritique", link.senscritique],
            "plex": ids["plex", link.plex],
            "score": round(link.score, 3),
        }
        for link in result.links.values()
    ]
    ambiguous = [
        {
            "side": a.side.value,
            "id": ids[a.side.value, a.key],
            "title": a.title,
            "candidates": [
                {"id": ids[a.side.other.value, c.key], "score": round(c.score, 3)}
                for c in a.candidates
            ],
        }
        for a in result.ambiguous
    ]
    return {
        "links": links,
        "ambiguous": ambiguous,
        "unmatched": {
            "senscritique": [
                ids["senscritique", w.key] for w in result.unmatched_senscritique
            ],
            "plex": [ids["plex", w.key] for w in result.unmatched_plex],
        },
    }


def _labels(
    document: dict[str, Any], name: str, ids: Mapping[tuple[str, str], str | int]
) -> list[tuple[str, str, str]]:
    """(SensCritique key, Plex key, family) of each labelled pair in `name`."""
    items = document.get(name, [])
    if not isinstance(items, list):
        raise InputError(f"{name!r} must be a list")
    out: list[tuple[str, str, str]] = []
    for index, item in enumerate(items):
        where = f"{name}[{index}]"
        if not isinstance(item, list) or len(item) not in (2, 3):
            raise InputError(
                f"{where}: must be [id, ratingKey] or [id, ratingKey, family]"
            )
        sc_key, plex_key = str(item[0]), str(item[1])
        family = item[2] if len(item) == 3 else "unlabelled"
        if not isinstance(family, str):
            raise InputError(f"{where}: the family must be a string")
        if ("senscritique", sc_key) not in ids or ("plex", plex_key) not in ids:
            raise InputError(f"{where}: names a work that is not in the input")
        out.append((sc_key, plex_key, family))
    return out


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def score(
    document: dict[str, Any],
    result: MatchResult,
    ids: Mapping[tuple[str, str], str | int],
) -> dict[str, Any]:
    """Precision and recall against the document's labelled pairs.

    ``pairs`` are the same work on both sides, which local matching should
    link; ``unmatchable`` are too, but only a search or an external id can
    tell (translated titles with no original title on one side): they are not
    counted in the recall, and linking them is no error.
    """
    pairs = _labels(document, "pairs", ids)
    unmatchable = _labels(document, "unmatchable", ids)
    found = {(lk.senscritique, lk.plex) for lk in result.links.values()}
    truth = {(a, b) for a, b, _ in pairs}
    right = truth | {(a, b) for a, b, _ in unmatchable}
    families: dict[str, dict[str, Any]] = {}
    for sc_key, plex_key, family in pairs:
        counts = families.setdefault(family, {"pairs": 0, "linked": 0})
        counts["pairs"] += 1
        counts["linked"] += (sc_key, plex_key) in found
    for counts in families.values():
        counts["recall"] = _ratio(counts["linked"], counts["pairs"])
    return {
        "pairs": len(truth),
        "links": len(found),
        "precision": _ratio(len(found & right), len(found)),
        "recall": _ratio(len(found & truth), len(truth)),
        "families": dict(sorted(families.items())),
        "unmatchable": {
            "pairs": len(unmatchable),
            "linked": sum((a, b) in found for a, b, _ in unmatchable),
        },
        "wrong": [
            [ids["senscritique", a], ids["plex", b]] for a, b in sorted(found - right)
        ],
        "missed": [
            [ids["senscritique", a], ids["plex", b]] for a, b in sorted(truth - found)
        ],
    }


def evaluate(document: object) -> dict[str, Any]:
    """Parse, match locally, render; with labelled pairs in the document, the
    output gains an ``evaluation``. Raises InputError on bad input."""
    senscritique, plex, ids = parse(document)
    result = match_local(senscritique, plex, {})
    output = render(result, ids)
    assert isinstance(document, dict)  # parse checked it
    if "pairs" in document or "unmatchable" in document:
        output["evaluation"] = score(document, result, ids)
    return output


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Command-line entry point; returns the exit status."""
    del argv  # no options
    source = stdin or sys.stdin
    sink = stdout or sys.stdout
    try:
        document = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        print(f"plexsync matching: input is not valid JSON: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        output = evaluate(document)
    except InputError as err:
        print(f"plexsync matching: bad input: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    json.dump(output, sink, ensure_ascii=False, indent=1)
    sink.write("\n")
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess
    sys.exit(main())
