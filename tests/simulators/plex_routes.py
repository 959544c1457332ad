"""Request handling of the Plex simulator, one function per virtual host.

Each handler takes the parsed request and returns a `Reply`. Unknown paths
raise `LookupError` (-> 404 in the host's own error shape).
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from . import plex_account_shapes as account_shapes, plex_render as render
from .plex_library_xml import library_element, library_guid, sections_xml
from .plex_state import TYPE_NUMBERS, CatalogItem, LibraryItem, PlexState

KIND_OF_TYPE = {str(v): k for k, v in TYPE_NUMBERS.items()}
# Query keys that are not library filters.
NOT_FILTERS = {
    "includeGuids",
    "type",
    "sort",
    "includeMeta",
    "includeAdvanced",
    "includeCollections",
    "includeExternalMedia",
    "includeUserState",
    "X-Plex-Token",
    "X-Plex-Container-Start",
    "X-Plex-Container-Size",
}
FILTER_KEY = re.compile(r"(?:(?:movie|show|season|episode)\.)?(\w+)(>>|<<|!)?")


@dataclass
class Request:
    role: str
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes = b""

    @property
    def args(self) -> dict[str, str]:
        return dict(self.query)

    def paging(self) -> tuple[int, int | None]:
        start = self.headers.get("X-Plex-Container-Start") or self.args.get(
            "X-Plex-Container-Start"
        )
        size = self.headers.get("X-Plex-Container-Size") or self.args.get(
            "X-Plex-Container-Size"
        )
        return int(start or 0), (None if size is None else int(size))


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class BadInput(Exception):
    """-> 400 in the host's error shape."""


def xml(root: ET.Element, status: int = 200) -> Reply:
    return Reply(status, render.XML_TYPE, render.to_bytes(root))


def json_reply(data: Any, status: int = 200) -> Reply:
    return Reply(status, render.JSON_TYPE, json.dumps(data).encode())


def empty() -> Reply:
    return Reply(200, render.XML_TYPE, b"")


def page(attrs: dict[str, str], elems: list[ET.Element], req: Request) -> Reply:
    start, size = req.paging()
    chunk = elems[start:] if size is None else elems[start : start + size]
    root = render.container(
        {
            **attrs,
            "size": str(len(chunk)),
            "totalSize": str(len(elems)),
            "offset": str(start),
        },
        chunk,
    )
    return xml(root)


def now() -> int:
    return int(time.time())


# ---------------------------------------------------------------- PMS


def _matches(state: PlexState, item: LibraryItem, key: str, value: str) -> bool:
    m = FILTER_KEY.fullmatch(key)
    if not m:
        raise BadInput(f"unknown filter {key}")
    name, op = m.groups()
    cat = state.catalog[item.hex]
    if name == "guid":
        return library_guid(state, item) == value
    if name == "title":
        return value.lower() in cat.title.lower()
    if name in ("unwatched", "unwatchedLeaves"):
        leaves = state.leaves(item)
        unwatched = not leaves or any(leaf.view_count == 0 for leaf in leaves)
        return unwatched == (value == "1")
    if name not in ("userRating", "viewCount"):
        raise BadInput(f"unsupported filter {key}")
    if name == "userRating":
        current: float | None = item.user_rating
    else:
        views = sum(leaf.view_count for leaf in state.leaves(item)) + item.own_views
        current = float(views) if views else None
    number = float(value)
    if current is None:
        return op == "!"
    return {">>": current > number, "<<": current < number, "!": current != number}.get(
        op or "", current == number
    )


def _listing(state: PlexState, req: Request, items: list[LibraryItem]) -> Reply:
    args = req.args
    kind = KIND_OF_TYPE.get(args.get("type", ""))
    if kind is not None:
        items = [i for i in items if state.kind_of(i) == kind]
    for key, value in req.query:
        if key not in NOT_FILTERS:
            items = [i for i in items if _matches(state, i, key, value)]
    items.sort(key=lambda i: i.rating_key)
    guids = args.get("includeGuids") == "1"
    start, size = req.paging()
    chunk = items[start:] if size is None else items[start : start + size]
    elems = [library_element(state, i, include_guids=guids) for i in chunk]
    root = render.container(
        {
            "identifier": "com.plexapp.plugins.library",
            "size": str(len(elems)),
            "totalSize": str(len(items)),
            "offset": str(start),
        },
        elems,
    )
    return xml(root)


def pms(state: PlexState, req: Request, server_id: str, name: str) -> Reply:
    path, args = req.path, req.args
    if path == "/":
        return xml(render.pms_root(server_id, name))
    if path == "/library":
        return xml(
            render.container(
                {"size": "1", "identifier": "com.plexapp.plugins.library"},
                [ET.Element("Directory", {"key": "sections", "title": "Sections"})],
            )
        )
    if path.rstrip("/") == "/library/sections":
        return xml(sections_xml(state))
    m = re.fullmatch(r"/library/sections/(\d+)/all", path)
    if m:
        section = int(m[1])
        if section not in state.sections:
            raise LookupError(path)
        items = [i for i in state.library.values() if i.section == section]
        if "type" not in args:
            items = [
                i for i in items if state.kind_of(i) == state.sections[section].kind
            ]
        return _listing(state, req, items)
    if path == "/library/all":
        return _listing(state, req, list(state.library.values()))
    m = re.fullmatch(r"/library/metadata/(\d+)", path)
    if m:
        item = state.library[int(m[1])]
        el = library_element(state, item, include_guids=True)
        return xml(render.container({"size": "1"}, [el]))
    if path == "/:/rate" and req.method == "PUT":
        _check_identifier(args)
        item = state.library[int(args["key"])]
        state.rate_library(item, _rating_arg(args), now())
        return empty()
    if path in ("/:/scrobble", "/:/unscrobble"):
        _check_identifier(args)
        item = state.library[int(args["key"])]
        state.scrobble_library(item, now(), played=path == "/:/scrobble")
        return empty()
    raise LookupError(path)


def _check_identifier(args: dict[str, str]) -> None:
    if args.get("identifier") != "com.plexapp.plugins.library":
        raise BadInput("identifier")
    if not args.get("key", "").isdigit():
        raise BadInput("key")  # e.g. key=nan from an online item's mixin


def _rating_arg(args: dict[str, str]) -> float:
    try:
        value = float(args["rating"])
    except (KeyError, ValueError) as err:
        raise BadInput("rating") from err
    if value != -1 and not 0 <= value <= 10:
        raise BadInput("rating")
    return value


# ---------------------------------------------------------------- Discover / metadata


def _catalog(state: PlexState, hex_id: str | None) -> CatalogItem:
    """A work Discover knows; 404 for any other (personal media too)."""
    item = state.discoverable(hex_id)
    if item is None:
        raise LookupError(hex_id)
    return item


def provider(state: PlexState, req: Request) -> Reply:
    path, args = req.path, req.args
    if path == "/":
        return xml(
            render.container(
                {"size": "1", "identifier": "tv.plex.provider.metadata"},
                [
                    ET.Element(
                        "MediaProvider", {"identifier": "tv.plex.provider.metadata"}
                    )
                ],
            )
        )
    m = re.fullmatch(r"/library/sections/watchlist/(all|available|released)", path)
    if m and req.role == "discover":
        hexes = [
            (st.watchlisted_at or 0, h)
            for h, st in state.account.items()
            if st.watchlisted_at and state.discoverable(h)
        ]
        hexes.sort(reverse=True)  # default order: most recently added first
        cats = [state.catalog[h] for _, h in hexes]
        if "type" in args:
            cats = [c for c in cats if c.kind == KIND_OF_TYPE.get(args["type"])]
        elems = [account_shapes.online_element(c, with_guids=False) for c in cats]
        return page(
            {
                "librarySectionID": "watchlist",
                "librarySectionTitle": "Watchlist",
                "identifier": "tv.plex.provider.discover",
            },
            elems,
            req,
        )
    if path == "/library/search" and req.role == "discover":
        return _search(state, args, req.headers.get("X-Plex-Language"))
    m = re.fullmatch(r"/library/metadata/([0-9a-f]{24})(/userState)?", path)
    if m:
        cat = _catalog(state, m[1])
        if m[2]:
            return xml(account_shapes.user_state_xml(state, cat))
        el = account_shapes.online_element(cat, with_guids=True)
        return xml(render.container({"size": "1", "totalSize": "1"}, [el]))
    m = re.fullmatch(r"/library/metadata/((?:[0-9a-f]{24},)+[0-9a-f]{24})", path)
    if m:
        return _details(state, m[1].split(","))
    action = path.removeprefix("/actions/")
    hex_id = args.get("ratingKey") or args.get("key")
    if req.role == "discover" and req.method == "PUT":
        if action in ("addToWatchlist", "removeFromWatchlist"):
            cat = _catalog(state, hex_id)
            if cat.kind not in ("movie", "show"):
                raise BadInput("only movies and shows can be watchlisted")
            st = state.state_of(cat.hex)
            st.watchlisted_at = now() if action == "addToWatchlist" else None
            return empty()
        if action == "rate":
            if args.get("identifier") != "tv.plex.provider.discover":
                raise BadInput("identifier")
            cat = _catalog(state, hex_id)
            value = _rating_arg(args)
            st = state.state_of(cat.hex)
            st.rating, st.rated_at = (None, None) if value < 0 else (value, now())
            return empty()
    if req.role == "metadata" and action in ("scrobble", "unscrobble"):
        cat = _catalog(state, hex_id)
        state.scrobble_account(cat.hex, now(), played=action == "scrobble")
        return empty()
    raise LookupError(path)


def _details(state: PlexState, hexes: list[str]) -> Reply:
    """The details of several items at once, asked as a comma list.

    GUESS (labelled): the reference documents the comma list for a Plex Media
    Server (``/library/metadata/1001,1002``, plexapi's fetchItems) and the
    single form for the metadata provider; that the provider answers the
    list the same way (one MediaContainer with the items it knows, in the
    order asked, unknown ones left out; 404 when it knows none) is inferred.
    """
    known = [cat for h in hexes if (cat := state.discoverable(h)) is not None]
    if not known:
        raise LookupError(",".join(hexes))
    elems = [account_shapes.online_element(c, with_guids=True) for c in known]
    size = str(len(elems))
    return xml(render.container({"size": size, "totalSize": size}, elems))


def _search(state: PlexState, args: dict[str, str], language: str | None) -> Reply:
    """Discover's search: by title or original title, and by the title in the
    request's language (GUESS, labelled: the reference shows the search in
    English only; that Discover, asked with ``X-Plex-Language: fr``, matches
    and answers a film's French title is inferred from the Plex apps showing
    French titles to French accounts)."""
    if "searchProviders" not in args:
        return json_reply(
            {
                "Error": {
                    "error": "Not Found",
                    "message": "Missing library search",
                    "statusCode": 404,
                }
            },
            404,
        )
    wanted = {"movies": "movie", "tv": "show"}
    kinds = {
        wanted[t]
        for t in args.get("searchTypes", "movies,tv").split(",")
        if t in wanted
    }
    text = args.get("query", "").lower()

    def shown(c: CatalogItem) -> str:
        return c.titles.get(language or "", c.title)

    hits = [
        c
        for c in state.catalog.values()
        if c.kind in kinds
        and c.on_discover
        and any(text in t.lower() for t in (c.title, c.original_title or "", shown(c)))
    ]
    hits.sort(key=lambda c: (shown(c).lower() != text, shown(c), c.year or 0))
    found = hits[: int(args.get("limit", 30))]
    return json_reply(account_shapes.search_json(found, shown))
