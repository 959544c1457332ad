"""Scoring a SensCritique work against a Plex work, and finding candidates.

Titles of both sides (title and original title) are normalised into forms (see
`normalise`): equal FULL forms score 1.0, a FULL form equal to the other's main
title or stand-alone subtitle scores `PART_SCORE`, near-equal token sets with
the same numbers score up to `FUZZY_WEIGHT`. The title score is multiplied by a
year factor: exact 1.0, one year off `YEAR_OFF_BY_ONE`, unknown
`YEAR_UNKNOWN`, further apart 0, so remakes never cross-link. `Index` finds
candidates by form key and by rare token, never by comparing every pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Kind, Work
from .normalise import Form, Level, work_forms

MATCH_THRESHOLD = 0.75
AMBIGUITY_MARGIN = 0.05
PART_SCORE = 0.88
FUZZY_WEIGHT = 0.9
FUZZY_MIN_DICE = 0.85
FUZZY_MIN_TOKENS = 3
FUZZY_PROBE_TOKENS = 3
YEAR_OFF_BY_ONE = 0.9
YEAR_UNKNOWN = 0.85

_IMDB_PREFIX = "imdb://"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A work on the other side and how well it matched."""

    key: str
    score: float


@dataclass(frozen=True, slots=True)
class Entry:
    """A work prepared for scoring: its forms and fuzzy token sets."""

    work: Work
    forms: Mapping[str, Form]
    token_sets: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, work: Work) -> Entry:
        forms = work_forms(work.title, work.original_title)
        token_sets = {
            frozenset(f.tokens)
            for f in forms
            if f.level is Level.FULL and len(set(f.tokens)) >= FUZZY_MIN_TOKENS
        }
        return cls(
            work,
            {f.key: f for f in forms},
            tuple(sorted(token_sets, key=sorted)),
        )


def year_factor(a: int | None, b: int | None) -> float:
    if a is None or b is None:
        return YEAR_UNKNOWN
    gap = abs(a - b)
    return 1.0 if gap == 0 else YEAR_OFF_BY_ONE if gap == 1 else 0.0


def _numbers(tokens: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if t.isdigit())


def titlepair_score(a: Entry, b: Entry) -> float:
    best = 0.0
    for key, form in a.forms.items():
        other = b.forms.get(key)
        if other is None:
            continue
        if form.level is Level.FULL and other.level is Level.FULL:
            return 1.0
        if Level.FULL in (form.level, other.level):
            best = PART_SCORE
    for sa in a.token_sets:
        for sb in b.token_sets:
            if _numbers(sa) != _numbers(sb):  # sequels differ by their number
                continue
            dice = 2 * len(sa & sb) / (len(sa) + len(sb))
            if dice >= FUZZY_MIN_DICE:
                best = max(best, FUZZY_WEIGHT * dice)
    return best


def pair_score(a: Entry, b: Entry) -> float:
    """Symmetric pair score in 0..1; 0 for another kind or a distant year."""
    if a.work.kind is not b.work.kind:
        return 0.0
    factor = year_factor(a.work.year, b.work.year)
    if factor == 0.0:
        return 0.0
    return round(titlepair_score(a, b) * factor, 4)


class Index:
    """Works of one side indexed by form key, and by fuzzy token and year.

    The year is part of the token index so that common words ("love", "night")
    only bring in the works of three years, never the whole list.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_form: dict[tuple[Kind, str], list[Entry]] = defaultdict(list)
        self.by_token: dict[tuple[Kind, str, int | None], list[Entry]]
        self.by_token = defaultdict(list)
        self.years: set[int | None] = set()
        for entry in entries:
            kind, year = entry.work.kind, entry.work.year
            self.years.add(year)
            for key in entry.forms:
                self.by_form[kind, key].append(entry)
            for token in set().union(*entry.token_sets):
                self.by_token[kind, token, year].append(entry)

    def _token_buckets(self, entry: Entry, token: str) -> list[list[Entry]]:
        year = entry.work.year
        # Works without a year pair with any year.
        years = self.years if year is None else (year - 1, year, year + 1, None)
        found = (self.by_token.get((entry.work.kind, token, y)) for y in years)
        return [bucket for bucket in found if bucket]

    def candidates(self, entry: Entry) -> list[tuple[Entry, float]]:
        """Indexed works scoring at least MATCH_THRESHOLD with `entry`."""
        seen: dict[str, Entry] = {}
        for key in entry.forms:
            for other in self.by_form.get((entry.work.kind, key), ()):
                seen.setdefault(other.work.key, other)
        for tokens in entry.token_sets:
            # A near-equal token set shares one of this set's rarest tokens.
            buckets = {t: self._token_buckets(entry, t) for t in tokens}
            rarest = sorted(tokens, key=lambda t: (sum(map(len, buckets[t])), t))
            for token in rarest[:FUZZY_PROBE_TOKENS]:
                for bucket in buckets[token]:
                    for other in bucket:
                        seen.setdefault(other.work.key, other)
        scored = ((other, pair_score(entry, other)) for other in seen.values())
        return [(o, s) for o, s in scored if s >= MATCH_THRESHOLD]


# ------------------------------------------------------------- plex identities


def imdb_groups(works: Iterable[Work]) -> dict[str, str]:
    """Plex key -> group key: works sharing an IMDb id are one work.

    The group key is the smallest member key, so it does not depend on order.
    """
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_with: dict[tuple[Kind, str], str] = {}
    for work in works:
        parent.setdefault(work.key, work.key)
        for guid in work.guids:
            if not guid.startswith(_IMDB_PREFIX):
                continue
            other = first_with.setdefault((work.kind, guid), work.key)
            a, b = find(other), find(work.key)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {key: find(key) for key in parent}


def ranked(scores: Mapping[str, float]) -> list[Candidate]:
    return sorted(
        (Candidate(k, s) for k, s in scores.items()), key=lambda c: (-c.score, c.key)
    )


def close_candidates(ranked: Sequence[Candidate]) -> tuple[Candidate, ...]:
    """The candidates within the ambiguity margin of the best one."""
    if not ranked:
        return ()
    top = ranked[0].score
    return tuple(c for c in ranked if top - c.score < AMBIGUITY_MARGIN)
