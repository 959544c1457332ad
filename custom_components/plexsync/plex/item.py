"""One library item as the account holds it: what a sync of one work reads.

Two requests: the server's item (``/library/metadata/<ratingKey>``, the same
element a library listing gives, decoded the same way) and the account's
state of its Discover item (``<metadata>/library/metadata/<hex>/userState``,
what plexapi's ``userState`` reads: watchlisted, rated, watched at account
level). The two records of the work are merged as a full read merges them
(fold.py: the latest rating and watch win).

Only a library item of the current agents (its key a Discover GUID) is read
this way: a legacy-agent item's account records live under another key
(fold.py), and personal media is never synced. For those, and for an item
Discover does not know, `read_item` answers None: the work is left to the
next full sync rather than read in part (a part read would look like
removals).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from ..engine.errors import NotFound
from ..engine.model import Kind, Rating, Side, Snapshot, Watch, WatchlistEntry, Work
from ..engine.scale import rating_from_plex
from . import decode
from .decode import LibraryRecord, epoch, malformed
from .errors import plex_errors
from .fold import PlexRecords
from .guids import is_discover_key
from .writes import METADATA

Query = Callable[..., Any]

# Plex keeps an account watch of films and episodes only (capabilities.CAPABILITIES).
_LEAVES = frozenset({Kind.MOVIE, Kind.EPISODE})


def library_record(server_query: Query, rating_key: str) -> LibraryRecord:
    """The server's item `rating_key`."""
    if not rating_key.isdigit():
        raise malformed(f"bad ratingKey {rating_key!r}")
    root = server_query(f"/library/metadata/{rating_key}?includeGuids=1")
    found = list(root) if root is not None else []
    if not found:
        raise NotFound(Side.PLEX, f"no library item {rating_key}")
    return decode.library_item(found[0])


def user_state(root: ET.Element | None, work: Work) -> PlexRecords:
    """The account's records of `work` in a userState answer."""
    records = PlexRecords()
    records.works[work.key] = work
    element = root.find("UserState") if root is not None else None
    if element is None:
        raise malformed(f"no UserState for {work.key}")
    key = work.key
    if epoch(element.get("watchlistedAt")) is not None:
        records.watchlist[key] = WatchlistEntry(key)
    raw = element.get("userRating")
    try:
        value = rating_from_plex(float(raw)) if raw else None
    except ValueError as err:
        raise malformed(f"bad userRating {raw!r}") from err
    watched_at = epoch(element.get("lastViewedAt"))
    if value is not None:
        rated_at = epoch(element.get("lastRatedAt"))
        records.ratings[key] = Rating(key, value, rated_at, watched_at)
    views = element.get("viewCount") or "0"
    if work.kind in _LEAVES and views.isdigit() and int(views) > 0:
        records.watched[key] = Watch(key, watched_at)
    return records


def read_item(
    server_query: Query, account_query: Query, rating_key: str
) -> Snapshot | None:
    """The work of library item `rating_key`, both its records merged; None
    when it is not a work of the current agents (see the module docstring)."""
    record = library_record(server_query, rating_key)
    work = record.work
    if record.personal or not is_discover_key(work.key):
        return None
    hex_id = work.key.rsplit("/", 1)[-1]
    try:
        with plex_errors("reading the account's state of an item"):
            root = account_query(f"{METADATA}/library/metadata/{hex_id}/userState")
    except NotFound:
        return None
    records = user_state(root, work)
    if record.rating is not None:
        records.take_rating(record.rating)
    if record.watch is not None:
        records.take_watch(record.watch)
    return Snapshot.build(
        Side.PLEX,
        works=[work],
        watchlist=list(records.watchlist.values()),
        ratings=list(records.ratings.values()),
        watched=list(records.watched.values()),
    )
