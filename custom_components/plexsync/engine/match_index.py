"""Candidates for a work among the other side's works, without comparing pairs.

Scoring every pair of two 20,000-work lists is 400 million comparisons; only
works that can reach `MATCH_THRESHOLD` are scored:

- equal form keys and loose keys are looked up directly;
- near-equal token sets use prefix filtering: with every set's tokens in one
  global order (rarest first), two sets that share at least `min_overlap`
  tokens share a token among the first `size - min_overlap + 1` of each. Only
  those prefix tokens are indexed and probed, with the year (one off at most)
  in the key, so a common word never brings in the whole list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .match_score import MATCH_THRESHOLD, Entry, TokenSet, min_overlap, pair_score
from .model import Kind

_YearKey = tuple[Kind, str, int | None]


class Index:
    """Works of one side, by form key, loose key and token-set prefix."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        counts = Counter(t for e in entries for s in e.token_sets for t in s.tokens)
        # The global order: rarest first. Tokens this side lacks come before
        # all others; they find nothing, wherever they stand among themselves.
        self._rank = {
            t: n for n, t in enumerate(sorted(counts, key=lambda t: (counts[t], t)))
        }
        self._by_form: dict[tuple[Kind, str], list[Entry]] = defaultdict(list)
        # Loose keys by origin: a match needs a reading on one side at least.
        self._by_loose: dict[tuple[Kind, str], list[Entry]] = defaultdict(list)
        self._by_reading: dict[tuple[Kind, str], list[Entry]] = defaultdict(list)
        self._by_prefix: dict[_YearKey, list[Entry]] = defaultdict(list)
        self._years: set[int | None] = set()
        for entry in entries:
            kind, year = entry.work.kind, entry.year
            self._years.add(year)
            for key in entry.forms:
                self._by_form[kind, key].append(entry)
            for key, reading in entry.loose.items():
                (self._by_reading if reading else self._by_loose)[kind, key].append(
                    entry
                )
            for token in {t for s in entry.token_sets for t in self._prefix(s)}:
                self._by_prefix[kind, token, year].append(entry)

    def _prefix(self, tokens: TokenSet) -> list[str]:
        ordered = sorted(tokens.tokens, key=lambda t: self._rank.get(t, -1))
        return ordered[: len(ordered) - min_overlap(len(ordered)) + 1]

    def _years_near(self, year: int | None) -> Iterable[int | None]:
        # Works without a year pair with any year.
        return self._years if year is None else (year - 1, year, year + 1, None)

    def candidates(self, entry: Entry) -> list[tuple[Entry, float]]:
        """Indexed works scoring at least MATCH_THRESHOLD with `entry`."""
        kind = entry.work.kind
        seen: dict[str, Entry] = {}
        for key in entry.forms:
            for other in self._by_form.get((kind, key), ()):
                seen.setdefault(other.work.key, other)
        for key, reading in entry.loose.items():
            buckets = (
                (self._by_reading, self._by_loose) if reading else (self._by_reading,)
            )
            for bucket in buckets:
                for other in bucket.get((kind, key), ()):
                    seen.setdefault(other.work.key, other)
        years = tuple(self._years_near(entry.year))
        for tokens in entry.token_sets:
            for token in self._prefix(tokens):
                for year in years:
                    for other in self._by_prefix.get((kind, token, year), ()):
                        seen.setdefault(other.work.key, other)
        scored = ((other, pair_score(entry, other)) for other in seen.values())
        return [(o, s) for o, s in scored if s >= MATCH_THRESHOLD]
