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


class _Shelf:
    """The indexed works of one kind."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_form: dict[str, list[Entry]] = defaultdict(list)
        self.by_reading: dict[str, list[Entry]] = defaultdict(list)
        self.by_prefix: dict[tuple[str, int | None], list[Entry]] = defaultdict(list)
        # The loose keys of FULL forms, built when a reading first asks.
        self.by_latin: dict[str, list[Entry]] | None = None

    def latin(self) -> dict[str, list[Entry]]:
        if self.by_latin is None:
            self.by_latin = defaultdict(list)
            for entry in self.entries:
                for key in entry.latin_keys():
                    self.by_latin[key].append(entry)
        return self.by_latin


class Index:
    """Works of one side, by kind, then by form key, loose key and token-set
    prefix with the year."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        counts = Counter(t for e in entries for s in e.token_sets for t in s.tokens)
        # The global order: rarest first. Tokens this side lacks come before
        # all others; they find nothing, wherever they stand among themselves.
        self._rank = {
            t: n for n, t in enumerate(sorted(counts, key=lambda t: (counts[t], t)))
        }
        self._shelves: dict[Kind, _Shelf] = defaultdict(_Shelf)
        self._years: set[int | None] = set()
        for entry in entries:
            shelf, year = self._shelves[entry.work.kind], entry.year
            self._years.add(year)
            shelf.entries.append(entry)
            for key in entry.forms:
                shelf.by_form[key].append(entry)
            for key in entry.readings:
                shelf.by_reading[key].append(entry)
            for token in {t for s in entry.token_sets for t in self._prefix(s)}:
                shelf.by_prefix[token, year].append(entry)

    def _prefix(self, tokens: TokenSet) -> list[str]:
        ordered = sorted(tokens.tokens, key=lambda t: self._rank.get(t, -1))
        return ordered[: len(ordered) - min_overlap(len(ordered)) + 1]

    def _years_near(self, year: int | None) -> Iterable[int | None]:
        # Works without a year pair with any year.
        return self._years if year is None else (year - 1, year, year + 1, None)

    def candidates(self, entry: Entry) -> list[tuple[Entry, float]]:
        """Indexed works scoring at least MATCH_THRESHOLD with `entry`."""
        shelf = self._shelves.get(entry.work.kind)
        if shelf is None:
            return []
        seen: dict[Entry, None] = {}  # in a fixed order, each work once
        for key in entry.forms:
            seen.update(dict.fromkeys(shelf.by_form.get(key, ())))
        # A loose key counts when a reading is on one side at least.
        if shelf.by_reading:
            for key in entry.readings + entry.latin_keys():
                seen.update(dict.fromkeys(shelf.by_reading.get(key, ())))
        if entry.readings:
            latin = shelf.latin()
            for key in entry.readings:
                seen.update(dict.fromkeys(latin.get(key, ())))
        years = tuple(self._years_near(entry.year))
        for tokens in entry.token_sets:
            for token in self._prefix(tokens):
                for year in years:
                    seen.update(dict.fromkeys(shelf.by_prefix.get((token, year), ())))
        scored = ((other, pair_score(entry, other)) for other in seen)
        return [(o, s) for o, s in scored if s >= MATCH_THRESHOLD]
