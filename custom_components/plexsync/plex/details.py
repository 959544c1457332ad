"""What Discover's item details add to an account-level Plex work, remembered.

The account's watchlist, ratings and watch history (community GraphQL) give
a film's title and year but no original title and no external ids, so a
Japanese film Plex lists as "Spirited Away" cannot meet SensCritique's
"Le Voyage de Chihiro" (original title "Sen to Chihiro no kamikakushi") by
its original title. The metadata provider's item details carry both.

They are asked in batches: one request names up to `BATCH` items as a comma
list (``/library/metadata/<hex>,<hex>,...``, the form a Plex Media Server
takes for several items; that the metadata provider takes it too is an
inference from the shared API, see the reference). Should a batch be refused
as not found, its items are asked one by one, so a service that only knows
the single form still answers. An item the provider does not know is
remembered as known-empty: no work is asked twice.

Details never change, so they are kept for good: in the client, and through
`to_json` / `from_json` in the entry's store, so a restart costs no request.
Only the works of the last read are kept.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..engine.errors import AuthError, NotFound, SyncServiceError
from ..engine.model import Kind, Work
from .fold import PlexRecords
from .guids import is_discover_key

_LOGGER = logging.getLogger(__name__)

BATCH = 20  # items per request
MAX_PER_READ = 2000  # items asked per read (100 requests); the rest next read
_KINDS = frozenset({Kind.MOVIE, Kind.SHOW})

# The metadata answer for a comma list of Discover ids (hex tails).
Fetch = Callable[[str], ET.Element | None]


@dataclass(frozen=True, slots=True)
class Details:
    """What the details of one Discover item said (all empty: nothing)."""

    original_title: str | None = None
    year: int | None = None
    guids: tuple[str, ...] = ()


NOTHING = Details()


def _hex(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def _details(el: ET.Element) -> Details:
    year = el.get("year")
    return Details(
        original_title=el.get("originalTitle") or None,
        year=int(year) if year and year.isdigit() else None,
        guids=tuple(g.get("id", "") for g in el.findall("Guid") if g.get("id")),
    )


def needs_details(work: Work) -> bool:
    """Whether a work's details may add something: a Discover film or series
    read without its external ids (an account-level or watchlist record)."""
    return work.kind in _KINDS and is_discover_key(work.key) and not work.guids


class DiscoverDetails:
    """The details known so far, by work key."""

    def __init__(self) -> None:
        self._known: dict[str, Details] = {}
        self.changed = False  # since the last `to_json`
        self.requests = 0  # for diagnostics

    def __len__(self) -> int:
        return len(self._known)

    # ---------------------------------------------------------------- fetch

    def fetch(self, keys: Iterable[str], fetch: Fetch) -> None:
        """Ask the details of `keys` not known yet (at most `MAX_PER_READ`,
        in the order given). A failure of the service ends the asking for
        this read (the read goes on without them); an expired sign-in is
        raised."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._known]
        wanted = wanted[:MAX_PER_READ]
        try:
            for start in range(0, len(wanted), BATCH):
                self._fetch_batch(wanted[start : start + BATCH], fetch)
        except AuthError:
            raise
        except SyncServiceError as err:
            _LOGGER.debug("Reading Discover item details stopped: %s", err)

    def _fetch_batch(self, keys: list[str], fetch: Fetch) -> None:
        try:
            self.requests += 1
            root = fetch(",".join(_hex(k) for k in keys))
        except NotFound:
            if len(keys) > 1:
                for key in keys:
                    self._fetch_batch([key], fetch)
                return
            root = None
        by_guid = {el.get("guid"): el for el in (root if root is not None else ())}
        for key in keys:
            el = by_guid.get(key)
            self._known[key] = _details(el) if el is not None else NOTHING
        self.changed = True

    # ----------------------------------------------------------------- use

    def enrich(self, work: Work) -> Work:
        """`work` with what its details add (its own values win)."""
        found = self._known.get(work.key)
        if found is None or found == NOTHING:
            return work
        original = found.original_title
        if original == work.title:
            original = None
        return replace(
            work,
            original_title=work.original_title or original,
            year=work.year if work.year is not None else found.year,
            guids=work.guids or found.guids,
        )

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget the works no longer read."""
        present = set(keys)
        gone = [k for k in self._known if k not in present]
        for key in gone:
            del self._known[key]
        self.changed = self.changed or bool(gone)

    # --------------------------------------------------------------- store

    def to_json(self) -> dict[str, Any]:
        self.changed = False
        return {
            key: [d.original_title, d.year, list(d.guids)]
            for key, d in sorted(self._known.items())
        }

    def restore(self, data: Mapping[str, Any] | None) -> None:
        """Take up stored details; an unreadable entry is dropped (it is only
        asked again)."""
        for key, value in (data or {}).items():
            try:
                title, year, guids = value
                if not (
                    isinstance(key, str)
                    and (title is None or isinstance(title, str))
                    and (year is None or isinstance(year, int))
                    and all(isinstance(g, str) for g in guids)
                ):
                    continue
                self._known[key] = Details(title, year, tuple(guids))
            except (TypeError, ValueError):
                continue


def asked_first(records: PlexRecords, linked: Collection[str] = ()) -> list[str]:
    """The keys of the works whose details may help, the watchlist's first,
    then the rated, then the watched (latest first): where a link pays most.

    Details serve matching: a work already `linked` needs none, so an
    unchanged account asks nothing.
    """
    works, watched = records.works, records.watched
    dated = [(w.watched_at, k) for k, w in watched.items() if w.watched_at]
    latest = [k for _, k in sorted(dated, reverse=True)] + sorted(watched)
    order = dict.fromkeys(
        [*sorted(records.watchlist), *sorted(records.ratings), *latest, *sorted(works)]
    )
    return [
        k for k in order if k in works and k not in linked and needs_details(works[k])
    ]
