"""Plex payloads -> engine model objects.

Library and watchlist items are decoded from the XML elements themselves
(not plexapi objects): timestamps stay exact epoch seconds turned into aware
UTC datetimes (plexapi would give naive local times), and no attribute read
can trigger plexapi's per-item auto-reload. Anything unexpected raises
MalformedResponse; nothing is guessed. Library items of the legacy agents and
personal media are read as guids.py explains.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..engine.errors import MalformedResponse
from ..engine.model import (
    Kind,
    Rating,
    Side,
    Watch,
    WatchlistEntry,
    Work,
)
from ..engine.scale import rating_from_plex
from .guids import LibraryGuid, is_discover_key, read_guid

KINDS = {kind.value: kind for kind in Kind}


def malformed(message: str) -> MalformedResponse:
    return MalformedResponse(Side.PLEX, message)


def epoch(value: str | None) -> datetime | None:
    """Plex epoch seconds -> aware UTC (None when absent or zero)."""
    if value is None or value == "":
        return None
    try:
        seconds = int(float(value))
    except ValueError as err:
        raise malformed(f"bad timestamp {value!r}") from err
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None


def iso(value: Any) -> datetime:
    """GraphQL ISO-8601 date -> aware UTC."""
    if not isinstance(value, str):
        raise malformed("missing date")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as err:
        raise malformed(f"bad date {value!r}") from err
    if parsed.tzinfo is None:
        raise malformed(f"date without zone {value!r}")
    return parsed.astimezone(UTC)


def _int(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError as err:
        raise malformed(f"bad {name} {value!r}") from err


def _float(value: str | None, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError as err:
        raise malformed(f"bad {name} {value!r}") from err
    if math.isnan(number):
        raise malformed(f"bad {name} {value!r}")
    return number


def _kind(value: str | None) -> Kind:
    if value is None or value not in KINDS:
        raise malformed(f"unknown item type {value!r}")
    return KINDS[value]


def _guid(el: ET.Element, attr: str = "guid") -> str:
    value = el.get(attr)
    if not value:
        raise malformed(f"item without {attr}")
    return value


@dataclass(frozen=True, slots=True)
class LibraryRecord:
    """One decoded library item and its user state; `personal` for personal
    media, which the read leaves out (guids.py)."""

    work: Work
    rating: Rating | None
    watch: Watch | None
    personal: bool = False


def _series_key(el: ET.Element, attr: str, guid: LibraryGuid) -> str:
    """The key of a season's or an episode's series: from its own guid
    attribute, else (legacy agents) from the series written in its guid."""
    raw = el.get(attr)
    if raw:
        return read_guid(raw).key
    if guid.series is not None:
        return guid.series
    raise malformed(f"library item {guid.key} without {attr}")


def _number(el: ET.Element, attr: str, fallback: int | None) -> int | None:
    value = _int(el.get(attr), attr)
    return fallback if value is None else value


def _titled(
    el: ET.Element,
    key: str,
    kind: Kind,
    title: str,
    *,
    parent: str | None = None,
    season: int | None = None,
    episode: int | None = None,
    guids: tuple[str, ...] = (),
    ref: str | None = None,
) -> Work:
    """The Plex work `key` with the titles and year its element gives."""
    return Work(
        key=key,
        kind=kind,
        title=title,
        original_title=el.get("originalTitle") or None,
        year=_int(el.get("year"), "year"),
        parent=parent,
        season=season,
        episode=episode,
        guids=guids,
        ref=ref,
        side=Side.PLEX,
    )


def library_item(el: ET.Element) -> LibraryRecord:
    """A PMS listing element (Video/Directory) -> work + rating + watch."""
    kind = _kind(el.get("type"))
    guid = read_guid(_guid(el))
    key = guid.key
    title = el.get("title")
    rating_key = el.get("ratingKey")
    if not title or not rating_key:
        raise malformed(f"library item {key} without title or ratingKey")
    parent = season = episode = None
    if kind is Kind.SEASON:
        parent = _series_key(el, "parentGuid", guid)
        season = _number(el, "index", guid.season)
    elif kind is Kind.EPISODE:
        parent = _series_key(el, "grandparentGuid", guid)
        season = _number(el, "parentIndex", guid.season)
        episode = _number(el, "index", guid.episode)
    children = tuple(g.get("id", "") for g in el.findall("Guid") if g.get("id"))
    work = _titled(
        el,
        key,
        kind,
        title,
        parent=parent,
        season=season,
        episode=episode,
        guids=children or guid.external,
        ref=rating_key,
    )
    watched_at = epoch(el.get("lastViewedAt"))
    if kind in (Kind.MOVIE, Kind.EPISODE):
        watched = (_int(el.get("viewCount"), "viewCount") or 0) > 0
    else:
        # A series or season is watched when all its episodes are: never from
        # its own viewCount, which can be above 0 with no episode watched.
        leaves = _int(el.get("leafCount"), "leafCount") or 0
        seen = _int(el.get("viewedLeafCount"), "viewedLeafCount") or 0
        watched = leaves > 0 and seen >= leaves
    value = rating_from_plex(_float(el.get("userRating"), "userRating"))
    rating = None
    if value is not None:
        rating = Rating(key, value, epoch(el.get("lastRatedAt")), watched_at)
    watch = Watch(key, watched_at) if watched else None
    return LibraryRecord(work, rating, watch, personal=guid.personal)


def watchlist_item(el: ET.Element) -> tuple[Work, WatchlistEntry]:
    """A Discover watchlist element -> work + entry.

    The listing carries no ``watchlistedAt`` (reference, "Real-world
    shapes": only the per-item userState call shows it), so the entry has
    no date: nothing in the sync needs one.
    """
    kind = _kind(el.get("type"))
    key = _guid(el)
    if not is_discover_key(key):
        raise malformed(f"watchlist item with a non-Discover guid {key!r}")
    title = el.get("title")
    if not title:
        raise malformed(f"watchlist item {key} without title")
    return _titled(el, key, kind, title), WatchlistEntry(key)


def search_results(data: Any, kind: Kind) -> list[Work]:
    """searchDiscover JSON -> works of `kind` (the 'external' result set)."""
    try:
        groups = data["MediaContainer"].get("SearchResults", [])
        hits: list[Any] = next(
            (g.get("SearchResult", []) for g in groups if g.get("id") == "external"), []
        )
        out: list[Work] = []
        for hit in hits:
            meta = hit["Metadata"]
            if meta.get("type") != kind.value:
                continue
            guid = meta["guid"]
            if not isinstance(guid, str) or not is_discover_key(guid):
                raise malformed("search result without a Discover guid")
            year = meta.get("year")
            out.append(
                Work(
                    key=guid,
                    kind=kind,
                    title=str(meta["title"]),
                    original_title=meta.get("originalTitle") or None,
                    year=int(year) if year is not None else None,
                    guids=tuple(g["id"] for g in meta.get("Guid", []) if "id" in g),
                    side=Side.PLEX,
                )
            )
        return out
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise malformed(
            f"unexpected search payload ({err.__class__.__name__})"
        ) from err


def graphql_work(item: Mapping[str, Any]) -> Work:
    """A community GraphQL metadataItem -> work keyed by its Discover guid."""
    try:
        kind = _kind(str(item["type"]).lower())
        hex_id = str(item["id"])
        title = str(item["title"])
        parent_ref = item.get("parent")
        grand_ref = item.get("grandparent")
        parent = season = episode = None
        if kind is Kind.SEASON:
            if not parent_ref:
                raise malformed("season without its show")
            parent = f"plex://show/{parent_ref['id']}"
            season = int(item["index"])
        elif kind is Kind.EPISODE:
            if not parent_ref or not grand_ref:
                raise malformed("episode without its season and show")
            parent = f"plex://show/{grand_ref['id']}"
            season = int(parent_ref["index"])
            episode = int(item["index"])
        year = item.get("year")
        return Work(
            key=f"plex://{kind.value}/{hex_id}",
            kind=kind,
            title=title,
            year=int(year) if year else None,
            parent=parent,
            season=season,
            episode=episode,
            side=Side.PLEX,
        )
    except (KeyError, TypeError, ValueError) as err:
        raise malformed(f"unexpected GraphQL item ({err.__class__.__name__})") from err


def graphql_page(data: Any, field: str) -> tuple[list[Mapping[str, Any]], str | None]:
    """(nodes, next cursor or None) of one community GraphQL page."""
    if not isinstance(data, Mapping):
        raise malformed("GraphQL answer is not an object")
    if data.get("errors"):
        raise malformed("GraphQL answered with errors")
    try:
        page = data["data"]["user"][field]
        nodes = list(page["nodes"])
        info = page["pageInfo"]
    except (KeyError, TypeError) as err:
        raise malformed(f"unexpected GraphQL {field} payload") from err
    if not all(isinstance(n, Mapping) for n in nodes):
        raise malformed(f"unexpected GraphQL {field} node")
    if not info.get("hasNextPage"):
        return nodes, None
    cursor = info.get("endCursor")
    if not cursor:
        raise malformed(f"GraphQL {field} has a next page but no cursor")
    return nodes, str(cursor)
