"""Scoring a SensCritique work against a Plex work.

Titles of both sides (title and original title) are spelled every comparable
way (see `titles`): equal FULL forms score 1.0, a FULL form equal to the other's
main title or stand-alone subtitle scores `PART_SCORE`, equal loose keys where
one comes from a reading of another script score `READING_SCORE`, near-equal
token sets with the same numbers score up to `FUZZY_WEIGHT`. The title score
is multiplied by a year factor: exact 1.0, one year off `YEAR_OFF_BY_ONE`,
unknown `YEAR_UNKNOWN`, further apart 0, so remakes never cross-link.
`match_index` finds the candidates worth scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from .model import Kind, Work
from .normalise import Form
from .titles import Known, latin_keys, work_titles

MATCH_THRESHOLD = 0.75
AMBIGUITY_MARGIN = 0.05
PART_SCORE = 0.88
# Within AMBIGUITY_MARGIN of an exact title: a homonym of a reading is ambiguous.
READING_SCORE = 0.96
FUZZY_WEIGHT = 0.9
FUZZY_MIN_DICE = 0.85
FUZZY_MIN_TOKENS = 3
YEAR_OFF_BY_ONE = 0.9
YEAR_UNKNOWN = 0.85

_IMDB_PREFIX = "imdb://"
_DICE = Fraction(FUZZY_MIN_DICE).limit_denominator(1000)


class Candidate(NamedTuple):
    """A work on the other side and how well it matched."""

    key: str
    score: float


class TokenSet(NamedTuple):
    """The distinct tokens of a FULL form, for fuzzy comparison, and its
    numbers; sorted tuples, which the garbage collector stops tracking."""

    tokens: tuple[str, ...]
    numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)  # one per work: compared by identity
class Entry:
    """A work prepared for scoring: every spelling of its titles."""

    work: Work
    year: int | None  # the work's, or the one a title qualifier gives
    forms: Mapping[str, Form]
    readings: tuple[str, ...]  # loose keys of readings of another script
    token_sets: tuple[TokenSet, ...]

    def latin_keys(self) -> tuple[str, ...]:
        """Loose keys of its FULL forms, to meet the other side's readings."""
        return latin_keys(self.forms.values())

    @classmethod
    def of(cls, work: Work, known: Known | None = None, *, learn: bool = True) -> Entry:
        names = (work.title, work.original_title)
        titles = work_titles(names, work.year, known, learn=learn)
        sets: dict[tuple[str, ...], TokenSet] = {}
        for form in titles.forms.values():
            if not form.full or form.stripped:
                continue
            distinct = set(form.tokens)
            if len(distinct) >= FUZZY_MIN_TOKENS:
                tokens = tuple(sorted(distinct))
                sets[tokens] = TokenSet(tokens, tuple(t for t in tokens if t.isdigit()))
        return cls(
            work, titles.year, titles.forms, titles.readings, tuple(sets.values())
        )


def year_factor(a: int | None, b: int | None) -> float:
    if a is None or b is None:
        return YEAR_UNKNOWN
    gap = abs(a - b)
    return 1.0 if gap == 0 else YEAR_OFF_BY_ONE if gap == 1 else 0.0


def near_equal(a: int, b: int, common: int) -> bool:
    """Whether two token sets of sizes `a` and `b` sharing `common` tokens
    reach FUZZY_MIN_DICE (exact integer arithmetic, as `min_overlap`)."""
    return 2 * common * _DICE.denominator >= _DICE.numerator * (a + b)


def min_overlap(size: int) -> int:
    """The fewest tokens a set of `size` shares with any near-equal set."""
    num, den = _DICE.numerator, _DICE.denominator
    # The partner is at least this large: 2 * min(a, b) >= dice * (a + b).
    smallest = max(FUZZY_MIN_TOKENS, -(-num * size // (2 * den - num)))
    return -(-num * (size + smallest) // (2 * den))


def _reads_as(a: Entry, b: Entry) -> bool:
    """Whether a reading of `a` is one of `b`'s titles or readings."""
    return bool(a.readings) and not set(a.readings).isdisjoint(
        b.readings + b.latin_keys()
    )


def titlepair_score(a: Entry, b: Entry) -> float:
    best = 0.0
    small, large = (a, b) if len(a.forms) <= len(b.forms) else (b, a)
    for key, form in small.forms.items():
        other = large.forms.get(key)
        if other is None or (form.stripped and other.stripped):
            continue
        if form.full and other.full:
            return 1.0
        if form.full or other.full:
            best = PART_SCORE
    if (a.readings or b.readings) and (_reads_as(a, b) or _reads_as(b, a)):
        best = max(best, READING_SCORE)
    for sa in a.token_sets:
        for sb in b.token_sets:
            if sa.numbers != sb.numbers:  # sequels differ by their number
                continue
            common = len(set(sa.tokens).intersection(sb.tokens))
            if near_equal(len(sa.tokens), len(sb.tokens), common):
                dice = 2 * common / (len(sa.tokens) + len(sb.tokens))
                best = max(best, FUZZY_WEIGHT * dice)
    return best


def pair_score(a: Entry, b: Entry) -> float:
    """Symmetric pair score in 0..1; 0 for another kind or a distant year."""
    if a.work.kind is not b.work.kind:
        return 0.0
    factor = year_factor(a.year, b.year)
    if factor == 0.0:
        return 0.0
    return round(titlepair_score(a, b) * factor, 4)


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


def close_candidates(scores: Mapping[str, float]) -> tuple[Candidate, ...]:
    """The candidates within the ambiguity margin of the best one, best first
    (then by key)."""
    if len(scores) <= 1:  # most works: no sorting to do
        return tuple(Candidate(k, s) for k, s in scores.items())
    top = max(scores.values())
    close = (Candidate(k, s) for k, s in scores.items() if top - s < AMBIGUITY_MARGIN)
    return tuple(sorted(close, key=lambda c: (-c.score, c.key)))
