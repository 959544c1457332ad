"""Paginated reads: the Discover watchlist, library sections with server-side
filters, and account-level ratings / watch history from community GraphQL.

All calls go through plexapi's own `query` (token, headers, error mapping,
our injected session). Pages are fetched with the X-Plex-Container-Start/Size
headers like plexapi's fetchItems, but the elements are decoded directly (see
decode.py), so a read costs one request per page and never one per item.

One item that cannot be read (a history node whose series is gone from
Plex's catalogue, an odd guid...) is skipped and counted in the `ReadTally`,
with a debug log line; only a page or envelope that cannot be read fails the
read. Personal media is counted there too, and left out (guids.py).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine.errors import MalformedResponse
from ..engine.model import Kind, Rating, Watch, WatchlistEntry, Work
from ..engine.scale import rating_from_plex
from . import decode
from .decode import LibraryRecord, malformed
from .writes import METADATA, parse_key

_LOGGER = logging.getLogger(__name__)

DISCOVER = "https://discover.provider.plex.tv"
COMMUNITY = "https://community.plex.tv/api"
PAGE_SIZE = 100
MAX_PAGES = 10_000  # a guard against a server that never stops paging

Query = Callable[..., Any]  # plexapi's account.query / server.query

# Server-side filters per library type: (type number, rated filter, watched filter).
# Show sections prefix fields with the libtype as plexapi does ("episode.userRating").
# Series are read when any of their episodes was played (viewCount > 0), not
# only when all were: a watched episode needs its series in the snapshot to be
# linked through it. Whether a series counts as watched is still decided from
# its episodes (decode.py).
LIBRARY_QUERIES: Mapping[str, tuple[tuple[int, str, str], ...]] = {
    "movie": ((1, "userRating>>=0", "unwatched=0"),),
    "show": (
        (2, "show.userRating>>=0", "show.viewCount>>=0"),
        (3, "season.userRating>>=0", "season.unwatchedLeaves=0"),
        (4, "episode.userRating>>=0", "episode.unwatched=0"),
    ),
}


@dataclass(slots=True)
class ReadTally:
    """What one snapshot read left out: unreadable items per list, and
    personal media."""

    skipped: Counter[str] = field(default_factory=Counter)
    personal_media: int = 0

    def skip(self, what: str, err: MalformedResponse) -> None:
        self.skipped[what] += 1
        _LOGGER.debug("Skipped an unreadable item of the Plex %s: %s", what, err)

    def add(self, other: ReadTally) -> None:
        self.skipped.update(other.skipped)
        self.personal_media += other.personal_media


def readable[T, R](
    items: Iterable[T], decode_one: Callable[[T], R], what: str, tally: ReadTally
) -> Iterator[R]:
    """`decode_one` of each item; an item it cannot read is skipped and counted."""
    for item in items:
        try:
            yield decode_one(item)
        except MalformedResponse as err:
            tally.skip(what, err)


def pages(query: Query, key: str, page_size: int = PAGE_SIZE) -> Iterator[ET.Element]:
    """Every child element of a paginated MediaContainer listing."""
    start = 0
    for _ in range(MAX_PAGES):
        headers = {
            "X-Plex-Container-Start": str(start),
            "X-Plex-Container-Size": str(page_size),
        }
        root = query(key, headers=headers)
        if root is None or root.tag != "MediaContainer":
            raise malformed("listing is not a MediaContainer")
        children = list(root)
        yield from children
        total = _total(root, start, len(children))
        start += len(children)
        if not children or start >= total:
            return
    raise malformed("listing did not end")


def _total(root: ET.Element, start: int, count: int) -> int:
    raw = root.get("totalSize") or root.get("size")
    if raw is None:
        return start + count
    try:
        return int(raw)
    except ValueError as err:
        raise malformed(f"bad totalSize {raw!r}") from err


def sections(server_query: Query) -> list[tuple[str, str]]:
    """(section key, type) of the movie and show sections."""
    root = server_query("/library/sections")
    if root is None:
        raise malformed("no library sections")
    out = []
    for el in root:
        kind, key = el.get("type"), el.get("key")
        if kind in LIBRARY_QUERIES and key:
            out.append((key, kind))
    return out


def library(
    server_query: Query, tally: ReadTally, page_size: int = PAGE_SIZE
) -> dict[str, LibraryRecord]:
    """Rated or watched items of every movie/show section, keyed by their
    key (guids.py); personal media left out."""
    records: dict[str, LibraryRecord] = {}
    for section, kind in sections(server_query):
        for type_number, rated, watched in LIBRARY_QUERIES[kind]:
            for condition in (rated, watched):
                key = (
                    f"/library/sections/{section}/all?type={type_number}"
                    f"&includeGuids=1&{_encode(condition)}"
                )
                elements = pages(server_query, key, page_size)
                for record in readable(elements, decode.library_item, "library", tally):
                    if record.personal:
                        tally.personal_media += 1
                    else:
                        records[record.work.key] = record
    return records


def _encode(condition: str) -> str:
    field, value = condition.rsplit("=", 1)
    return f"{field.replace('>', '%3E').replace('<', '%3C')}={value}"


def watchlist(
    account_query: Query, tally: ReadTally, page_size: int = PAGE_SIZE
) -> list[tuple[Work, WatchlistEntry]]:
    """The account watchlist (Discover host, as plexapi >= 4.17.1 reads it)."""
    key = (
        f"{DISCOVER}/library/sections/watchlist/all"
        "?includeCollections=1&includeExternalMedia=1"
    )
    elements = pages(account_query, key, page_size)
    return list(readable(elements, decode.watchlist_item, "watchlist", tally))


REVIEWS = (
    'query GetReviewsHub($uuid: ID = "", $first: PaginationInt!, $after: String) '
    "{ user(id: $uuid) { reviews(first: $first, after: $after) { nodes { "
    "... on ActivityRating { id date rating metadataItem { ...Item } } "
    "... on ActivityWatchRating { id date rating metadataItem { ...Item } } } "
    "pageInfo { hasNextPage endCursor } } } } "
    "fragment Item on MetadataItem { id title type year index key "
    "parent { id title index } grandparent { id title index } }"
)
WATCH_HISTORY = (
    'query GetWatchHistoryHub($uuid: ID = "", $first: PaginationInt!, $after: String) '
    "{ user(id: $uuid) { watchHistory(first: $first, after: $after) { nodes { "
    "id date metadataItem { id title type year index key "
    "parent { id title index } grandparent { id title index } } } "
    "pageInfo { hasNextPage endCursor } } } }"
)


def _graphql(
    account_query: Query,
    post: Callable[..., Any],
    *,
    uuid: str,
    operation: str,
    query_text: str,
    field: str,
    page_size: int,
) -> Iterator[Mapping[str, Any]]:
    after: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        body = {
            "operationName": operation,
            "variables": {"uuid": uuid, "first": page_size, "after": after},
            "query": query_text,
        }
        data = account_query(
            COMMUNITY,
            method=post,
            json=body,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        nodes, after = decode.graphql_page(data, field)
        yield from nodes
        if after is None:
            return
        if after in seen:
            raise malformed(f"GraphQL {field} cursor does not advance")
        seen.add(after)
    raise malformed(f"GraphQL {field} did not end")


def _review(node: Mapping[str, Any]) -> tuple[Work, Rating | None]:
    work = decode.graphql_work(node.get("metadataItem") or {})
    raw = node.get("rating")
    if raw is not None and not isinstance(raw, int | float):
        raise malformed("GraphQL rating is not a number")
    value = rating_from_plex(raw)
    if value is None:
        return work, None
    return work, Rating(work.key, value, decode.iso(node.get("date")))


def account_ratings(
    account_query: Query,
    post: Callable[..., Any],
    uuid: str,
    tally: ReadTally,
    page_size: int = PAGE_SIZE,
) -> tuple[dict[str, Work], dict[str, Rating]]:
    works: dict[str, Work] = {}
    ratings: dict[str, Rating] = {}
    nodes = _graphql(
        account_query,
        post,
        uuid=uuid,
        operation="GetReviewsHub",
        query_text=REVIEWS,
        field="reviews",
        page_size=page_size,
    )
    for work, rating in readable(nodes, _review, "ratings", tally):
        if rating is None:
            continue
        known = ratings.get(work.key)
        at = rating.rated_at
        if known is None or (at is not None and (known.rated_at or at) < at):
            ratings[work.key] = rating
        works.setdefault(work.key, work)
    return works, ratings


def _watch(node: Mapping[str, Any]) -> tuple[Work, Watch]:
    work = decode.graphql_work(node.get("metadataItem") or {})
    return work, Watch(work.key, decode.iso(node.get("date")))


def account_history(
    account_query: Query,
    post: Callable[..., Any],
    uuid: str,
    tally: ReadTally,
    page_size: int = PAGE_SIZE,
) -> tuple[dict[str, Work], dict[str, Watch]]:
    works: dict[str, Work] = {}
    watched: dict[str, Watch] = {}
    nodes = _graphql(
        account_query,
        post,
        uuid=uuid,
        operation="GetWatchHistoryHub",
        query_text=WATCH_HISTORY,
        field="watchHistory",
        page_size=page_size,
    )
    for work, watch in readable(nodes, _watch, "watch history", tally):
        known = watched.get(work.key)
        at = watch.watched_at
        if known is None or (at is not None and (known.watched_at or at) < at):
            watched[work.key] = watch
        works.setdefault(work.key, work)
    return works, watched


SEARCH_TYPES = {Kind.MOVIE: "movies", Kind.SHOW: "tv"}


def lookup(account_query: Query, key: str) -> Work | None:
    """The metadata provider's work `key`, None when it has none by that key."""
    _, hex_id = parse_key(key)
    root = account_query(f"{METADATA}/library/metadata/{hex_id}")
    found = list(root) if root is not None else []
    if not found:
        return None
    # A metadata element has the shape of a watchlist one.
    work, _ = decode.watchlist_item(found[0])
    return work if work.key == key else None  # plex://show/<a film's id>


def search(
    account_query: Query,
    title: str,
    kind: Kind,
    year: int | None,
    language: str | None = None,
) -> list[Work]:
    """A Discover search of films or series (`kind` in SEARCH_TYPES); with a
    `language`, asked in that language (Plex's X-Plex-Language header, which
    plexapi sends as "en"), so Discover knows the title as it is known there."""
    headers = {"Accept": "application/json"}
    if language is not None:
        headers["X-Plex-Language"] = language
    params = {
        "query": title,
        "limit": 30,
        "searchTypes": SEARCH_TYPES[kind],
        "searchProviders": "discover",
        "includeMetadata": 1,
    }
    data = account_query(f"{DISCOVER}/library/search", headers=headers, params=params)
    found = decode.search_results(data, kind)
    if year is None:
        return found
    # Closest years first; matching does the real scoring.
    return sorted(found, key=lambda w: abs((w.year or year) - year))
