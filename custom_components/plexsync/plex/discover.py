"""The Discover item of each legacy library work (see fold.py), remembered.

Only the account watchlist needs a Discover item: ratings and watches of a
legacy library work are written on the server by ratingKey. The twin of a
legacy work is known from a read when the account already holds the film
(`fold_twins`); otherwise a watchlist write looks for it (`watchlist_key`):
a Discover search by title, whose results of the same kind and about the
same year are confirmed by their external ids (the search results' own, or
one metadata request each, at most `MAX_CONFIRMED`). A work with no external
id (an unknown legacy agent) takes the one result of the same title and year.

A work for which nothing is found is *unreachable*: its write fails once with
the reason, and from then on the client's capabilities tell the planner that
the Plex watchlist cannot hold it, so no run fails on it again (it is retried
when the client is created again, e.g. after a restart).

Everything is remembered for the client's lifetime: a Discover item's ids
never change, so an unchanged account costs no request here after the first
read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine.errors import Unsupported
from ..engine.model import Kind, Side, Work
from ..engine.normalise import normalise
from .fold import LegacyWorks, PlexRecords
from .guids import is_discover_key

METADATA = "https://metadata.provider.plex.tv"
MAX_CONFIRMED = 5

# A Discover item's external ids, by its key (one request, see below).
Fetch = Callable[[str], tuple[str, ...]]
# A Discover search: (title, kind, year) -> works, closest years first.
Search = Callable[[str, Kind, int | None], list[Work]]


def metadata_path(key: str) -> str:
    """The metadata host URL of Discover item `key` (plexapi's reload path)."""
    return f"{METADATA}/library/metadata/{key.rsplit('/', 1)[-1]}"


def external_ids(root: ET.Element | None) -> tuple[str, ...]:
    """The <Guid> ids of the item a metadata answer holds (first child)."""
    item = root[0] if root is not None and len(root) else None
    if item is None:
        return ()
    return tuple(g.get("id", "") for g in item.findall("Guid") if g.get("id"))


@dataclass(frozen=True, slots=True)
class Unreachable:
    """A legacy work the Plex watchlist cannot hold, and why."""

    key: str
    title: str
    year: int | None
    reason: str


class DiscoverTwins:
    """Twins found so far, ids looked up so far, and the unreachable works."""

    def __init__(self) -> None:
        self._ids: dict[str, tuple[str, ...]] = {}
        self._twin: dict[str, str] = {}  # legacy key -> Discover key
        self._unreachable: dict[str, Unreachable] = {}

    # ----------------------------------------------------------------- reads

    def _ids_of(self, work: Work, fetch: Fetch) -> tuple[str, ...]:
        if work.guids:
            return work.guids
        if work.key not in self._ids:
            self._ids[work.key] = fetch(work.key)
        return self._ids[work.key]

    def fold_twins(
        self,
        records: PlexRecords,
        legacy: LegacyWorks,
        fetch: Fetch,
        library: Collection[str],
    ) -> dict[str, str]:
        """Discover key -> legacy key, for the account items of `records`
        that are twins of legacy library works (fold.py says which are asked).

        Items of the `library` (keys) are never folded: a film in a section of
        a current agent and in a legacy one is two library items, both written
        (matching links both, by their shared IMDb id)."""
        twins: dict[str, str] = {}
        if not legacy:
            return twins
        for key, work in sorted(records.works.items()):
            if key in library:
                continue
            on_watchlist = key in records.watchlist
            if not legacy.worth_asking(work, on_watchlist=on_watchlist):
                continue
            twin = legacy.twin_of(work.kind, self._ids_of(work, fetch))
            if twin is not None:
                twins[key] = twin
                self._twin[twin] = key
                self._unreachable.pop(twin, None)
        return twins

    # ---------------------------------------------------------------- writes

    def watchlist_key(self, work: Work, search: Search, fetch: Fetch) -> str:
        """The Discover key to put legacy `work` on (or off) the watchlist;
        `Unsupported` with the reason when it has none."""
        if work.key in self._twin:
            return self._twin[work.key]
        if work.key in self._unreachable:
            raise Unsupported(Side.PLEX, self._unreachable[work.key].reason)
        titles = dict.fromkeys(t for t in (work.title, work.original_title) if t)
        for title in titles:
            twin = self._confirmed(work, search(title, work.kind, work.year), fetch)
            if twin is not None:
                self._twin[work.key] = twin.key
                return twin.key
        shown = f"“{work.title}” ({work.year})" if work.year else f"“{work.title}”"
        reason = (
            f"{shown} is in a legacy-agent Plex library and no Plex Discover item "
            "could be matched to it"
            + (" by its external id" if work.guids else " by its title and year")
            + ", so it cannot be on the Plex watchlist"
        )
        self._unreachable[work.key] = Unreachable(
            work.key, work.title, work.year, reason
        )
        raise Unsupported(Side.PLEX, reason)

    def _confirmed(
        self, work: Work, found: Sequence[Work], fetch: Fetch
    ) -> Work | None:
        near = [
            other
            for other in found
            if other.kind is work.kind
            and is_discover_key(other.key)
            and (
                other.year is None
                or work.year is None
                or abs(other.year - work.year) <= 1
            )
        ]
        if work.guids:
            wanted = set(work.guids)
            for other in near[:MAX_CONFIRMED]:
                if wanted & set(self._ids_of(other, fetch)):
                    return other
            return None
        title = normalise(work.title)
        same = [
            other
            for other in near
            if other.year == work.year and normalise(other.title) == title
        ]
        return same[0] if len(same) == 1 else None

    # ------------------------------------------------------------- reporting

    @property
    def unreachable(self) -> frozenset[str]:
        return frozenset(self._unreachable)

    def report(self) -> dict[str, Any]:
        return {
            "twins_known": len(self._twin),
            "ids_looked_up": len(self._ids),
            "watchlist_unreachable": [
                {"key": u.key, "title": u.title, "year": u.year, "reason": u.reason}
                for u in sorted(self._unreachable.values(), key=lambda u: u.key)
            ],
        }
