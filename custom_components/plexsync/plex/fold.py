"""One film, one Plex work: merging the records Plex keeps apart.

Plex keeps a film's user state in two places: the server's library item (with
its ratingKey) and the account (its Discover item ``plex://…``: watchlist,
watch.plex.tv ratings, community watch history). For a library item of the
current agents both carry the Discover GUID, the work's key, so their records
merge by key: the latest rating and the latest watch win (`newer_rating`,
`newer_watch`), nothing is counted twice.

A library item of a legacy agent has a key of its own (guids.py), so the same
film would be two works: the library's and the account's. That is trouble:
matching would see two equal candidates and link neither, and a film put on
the watchlist for a legacy work would show up on the next read under its
Discover key only, which reads as "removed from the Plex watchlist". So the
account's records of a film that *is* a legacy library work are folded into
that work, which keeps one key for good: the key of a link never changes
with what the client happens to have looked up.

A Discover item is a legacy work's *twin* when its external ids include the
legacy work's own (IMDb, TMDB or TheTVDB), never on titles alone. Looking its
ids up costs one request per Discover item, once per client; which items are
worth it (`LegacyWorks.worth_asking`):

* a watchlist item of the kind and about the year (within one) of some
  legacy work, whatever its title: a twin missed there would read as a
  removal, so titles (a library in French, Discover in English) must not
  decide;
* an account rating or watch only when a legacy work's title matches too:
  there can be thousands, and a twin missed there only leaves the film as
  two works, reported as unmatched, never written wrongly.

Seasons and episodes of a folded series follow it: folded into the library
season or episode of the same numbers, or re-parented to the legacy series.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..engine.model import Kind, Rating, Watch, WatchlistEntry, Work
from ..engine.normalise import title_forms
from .guids import is_discover_key

TWINNED_KINDS = frozenset({Kind.MOVIE, Kind.SHOW})


def newer_rating(rating: Rating, known: Rating | None) -> bool:
    """Whether `rating` replaces `known` (the latest wins; a dated one wins
    over an undated one)."""
    if known is None:
        return True
    if rating.rated_at is None or known.rated_at is None:
        return known.rated_at is None
    return rating.rated_at >= known.rated_at


def newer_watch(watch: Watch, known: Watch | None) -> bool:
    """Whether `watch` replaces `known` (same rule as `newer_rating`)."""
    if known is None:
        return True
    if watch.watched_at is None or known.watched_at is None:
        return known.watched_at is None
    return watch.watched_at >= known.watched_at


@dataclass(slots=True)
class PlexRecords:
    """What one read found, being assembled into a snapshot."""

    works: dict[str, Work] = field(default_factory=dict)
    watchlist: dict[str, WatchlistEntry] = field(default_factory=dict)
    ratings: dict[str, Rating] = field(default_factory=dict)
    watched: dict[str, Watch] = field(default_factory=dict)
    # Folded key -> the Discover key whose rating / watch was folded into it.
    rated_twin: dict[str, str] = field(default_factory=dict)
    watched_twin: dict[str, str] = field(default_factory=dict)

    def take_rating(self, rating: Rating) -> None:
        if newer_rating(rating, self.ratings.get(rating.key)):
            self.ratings[rating.key] = rating

    def take_watch(self, watch: Watch) -> None:
        if newer_watch(watch, self.watched.get(watch.key)):
            self.watched[watch.key] = watch

    def move(self, source: str, target: str) -> None:
        """Every record of `source` onto `target` (the latest wins)."""
        if self.watchlist.pop(source, None) is not None:
            self.watchlist[target] = WatchlistEntry(target)
        if (rating := self.ratings.pop(source, None)) is not None:
            self.take_rating(replace(rating, key=target))
            self.rated_twin[target] = source
        if (watch := self.watched.pop(source, None)) is not None:
            self.take_watch(replace(watch, key=target))
            self.watched_twin[target] = source


def _near(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= 1


@lru_cache(maxsize=1 << 14)  # a library's titles: the same at every read
def _whole_keys(title: str) -> tuple[str, ...]:
    """The compact keys of one title's whole forms (a tuple of strings, which
    the garbage collector stops tracking)."""
    return tuple(form.key for form in title_forms(title) if form.full)


def _title_keys(work: Work) -> set[str]:
    """The compact keys of the work's whole titles (matching's own spelling)."""
    return {
        key
        for title in (work.title, work.original_title)
        if title
        for key in _whole_keys(title)
    }


class LegacyWorks:
    """The legacy library films and series a Discover item may be the twin of
    (those with an external id)."""

    def __init__(self, works: Iterable[Work]) -> None:
        self._by_id: dict[tuple[Kind, str], str | None] = {}
        self._years: dict[Kind, set[int | None]] = defaultdict(set)
        self._by_title: dict[tuple[Kind, str], list[Work]] = defaultdict(list)
        for work in works:
            if work.kind not in TWINNED_KINDS or is_discover_key(work.key):
                continue
            if not work.guids:
                continue
            for external in work.guids:
                known = self._by_id.setdefault((work.kind, external), work.key)
                if known != work.key:
                    self._by_id[work.kind, external] = None  # two works: no twin
            self._years[work.kind].add(work.year)
            for title in _title_keys(work):
                self._by_title[work.kind, title].append(work)

    def __bool__(self) -> bool:
        return bool(self._by_id)

    def _near_year(self, work: Work) -> bool:
        years = self._years.get(work.kind, set())
        if work.year is None or None in years:
            return bool(years)
        return any(y in years for y in (work.year - 1, work.year, work.year + 1))

    def _titled_like(self, work: Work) -> bool:
        return any(
            _near(other.year, work.year)
            for title in _title_keys(work)
            for other in self._by_title.get((work.kind, title), ())
        )

    def worth_asking(self, work: Work, *, on_watchlist: bool) -> bool:
        """Whether the external ids of Discover item `work` are worth a request
        (see the module docstring)."""
        if work.kind not in TWINNED_KINDS or not is_discover_key(work.key):
            return False
        return self._near_year(work) if on_watchlist else self._titled_like(work)

    def twin_of(self, kind: Kind, external: Iterable[str]) -> str | None:
        """The legacy work that one of `external` names, if exactly one does."""
        found = {self._by_id.get((kind, item)) for item in external} - {None}
        return found.pop() if len(found) == 1 else None


def fold(records: PlexRecords, twins: Mapping[str, str]) -> None:
    """Fold each Discover item of `twins` into its legacy twin, and the
    seasons and episodes of folded series after them."""
    for discover, legacy in twins.items():
        records.works.pop(discover, None)
        records.move(discover, legacy)
    library_children = {
        (work.parent, work.kind, work.season, work.episode): key
        for key, work in records.works.items()
        if work.parent is not None and not is_discover_key(work.parent)
    }
    for key, work in list(records.works.items()):
        series = twins.get(work.parent) if work.parent is not None else None
        if series is None:
            continue
        same = library_children.get((series, work.kind, work.season, work.episode))
        if same is not None:
            del records.works[key]
            records.move(key, same)
        else:
            records.works[key] = replace(work, parent=series)
