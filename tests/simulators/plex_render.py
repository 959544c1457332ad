"""XML/JSON shapes the Plex simulator sends, as in ../shared/reference/plex/.

Element and attribute names follow the reference fixtures; only what plexapi
and our client read is emitted, plus a few harmless extras.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from typing import Any

from .plex_state import TYPE_NUMBERS, CatalogItem, LibraryItem, PlexState

XML_TYPE = "text/xml;charset=utf-8"
JSON_TYPE = "application/json"
HTML_TYPE = "text/html"

PMS_401 = (
    b"<html><head><script>window.location = window.location.href.match("
    b"/(^.+\\/)[^\\/]*$/)[1] + 'web/index.html';</script><title>Unauthorized"
    b"</title></head><body><h1>401 Unauthorized</h1></body></html>"
)
PLEXTV_401 = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n  <error code="1001" '
    b'message="User could not be authenticated" status="401"/>\n</errors>\n'
)


def to_bytes(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)


def container(attrs: dict[str, str], children: list[ET.Element]) -> ET.Element:
    root = ET.Element("MediaContainer", attrs)
    root.extend(children)
    return root


def _set(el: ET.Element, name: str, value: object) -> None:
    if value is not None:
        el.set(name, str(value))


def _rating(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}"


# ---------------------------------------------------------------- plex.tv


def user_xml(account_id: int, uuid: str, username: str, token: str) -> ET.Element:
    user = ET.Element(
        "user",
        {
            "id": str(account_id),
            "uuid": uuid,
            "username": username,
            "title": username,
            "email": f"{username}@example.com",
            "authToken": token,
            "scrobbleTypes": "",
            "confirmed": "1",
            "joinedAt": "1420070400",
            "home": "0",
            "homeAdmin": "1",
            "guest": "0",
            "protected": "0",
            "restricted": "0",
            "twoFactorEnabled": "0",
            "experimentalFeatures": "0",
            "emailOnlyAuth": "0",
            "hasPassword": "1",
            "mailingListActive": "0",
            "backupCodesCreated": "0",
        },
    )
    sub = ET.SubElement(
        user,
        "subscription",
        {"active": "1", "status": "Active", "plan": "lifetime", "paymentService": ""},
    )
    features = ET.SubElement(sub, "features")
    ET.SubElement(features, "feature", {"id": "webhooks"})
    ET.SubElement(
        user,
        "profile",
        {
            "autoSelectAudio": "1",
            "defaultAudioLanguage": "en",
            "defaultSubtitleLanguage": "en",
            "autoSelectSubtitle": "0",
            "defaultSubtitleAccessibility": "0",
            "defaultSubtitleForced": "0",
        },
    )
    ET.SubElement(ET.SubElement(user, "entitlements"), "entitlement", {"id": "all"})
    ET.SubElement(ET.SubElement(user, "roles"), "role", {"id": "plexpass"})
    return user


def resources_xml(
    server_id: str, server_name: str, server_token: str, pms_url: str, port: int
) -> ET.Element:
    root = ET.Element("resources")
    res = ET.SubElement(
        root,
        "resource",
        {
            "name": server_name,
            "product": "Plex Media Server",
            "productVersion": "1.41.3.9314-a0bfb8370",
            "platform": "Linux",
            "clientIdentifier": server_id,
            "createdAt": "2021-06-01T12:00:00Z",
            "lastSeenAt": "2025-01-15T08:30:00Z",
            "provides": "server",
            "accessToken": server_token,
            "owned": "1",
            "home": "0",
            "synced": "0",
            "relay": "0",
            "presence": "1",
            "httpsRequired": "0",
            "publicAddressMatches": "1",
            "dnsRebindingProtection": "0",
            "natLoopbackSupported": "0",
        },
    )
    conns = ET.SubElement(res, "connections")
    ET.SubElement(
        conns,
        "connection",
        {
            "protocol": "http",
            "address": "127.0.0.1",
            "port": str(port),
            "uri": pms_url,
            "local": "1",
            "relay": "0",
            "IPv6": "0",
        },
    )
    player = ET.SubElement(
        root,
        "resource",
        {
            "name": "Chrome",
            "product": "Plex Web",
            "clientIdentifier": "k3x9w2q8c7v5b1n4m6z0a2s4",
            "createdAt": "2024-02-10T19:04:11Z",
            "lastSeenAt": "2025-01-14T21:12:45Z",
            "provides": "client,player,pubsub-player",
            "owned": "1",
            "accessToken": "",
            "presence": "0",
        },
    )
    ET.SubElement(player, "connections")
    return root


# ---------------------------------------------------------------- PMS


def pms_root(server_id: str, name: str) -> ET.Element:
    return container(
        {
            "size": "1",
            "friendlyName": name,
            "machineIdentifier": server_id,
            "version": "1.41.3.9314-a0bfb8370",
            "platform": "Linux",
            "myPlex": "1",
            "transcoderActiveVideoSessions": "0",
        },
        [ET.Element("Directory", {"count": "1", "key": "library", "title": "library"})],
    )


def sections_xml(state: PlexState) -> ET.Element:
    dirs = []
    for sec in state.sections.values():
        d = ET.Element(
            "Directory",
            {
                "key": str(sec.key),
                "type": sec.kind,
                "title": sec.title,
                "agent": "tv.plex.agents.movie"
                if sec.kind == "movie"
                else "tv.plex.agents.series",
                "scanner": "Plex Movie" if sec.kind == "movie" else "Plex TV Series",
                "language": "en-US",
                "uuid": f"00000000-0000-4000-8000-{sec.key:012d}",
                "updatedAt": "1736900000",
                "createdAt": "1622548800",
                "scannedAt": "1736900000",
            },
        )
        ET.SubElement(d, "Location", {"id": str(sec.key), "path": f"/data/{sec.key}"})
        dirs.append(d)
    return container({"size": str(len(dirs)), "title1": "Plex Library"}, dirs)


def library_element(
    state: PlexState, item: LibraryItem, *, include_guids: bool
) -> ET.Element:
    """One library item as PMS lists it (user state as attributes)."""
    cat = state.catalog[item.hex]
    tag = "Video" if cat.kind in ("movie", "episode") else "Directory"
    rk = item.rating_key
    key = f"/library/metadata/{rk}" + ("" if tag == "Video" else "/children")
    el = ET.Element(
        tag,
        {
            "ratingKey": str(rk),
            "key": key,
            "guid": cat.guid,
            "type": cat.kind,
            "title": cat.title,
            "addedAt": str(item.added_at),
            "librarySectionID": str(item.section),
        },
    )
    _set(el, "originalTitle", cat.original_title)
    _set(el, "year", cat.year)
    _set(el, "index", cat.index)
    _set(el, "userRating", _rating(item.user_rating))
    _set(
        el, "lastRatedAt", item.last_rated_at if item.user_rating is not None else None
    )
    if cat.kind in ("movie", "episode"):
        if item.view_count:
            el.set("viewCount", str(item.view_count))
            _set(el, "lastViewedAt", item.last_viewed_at)
    else:
        leaves = state.leaves(item)
        seen = [leaf for leaf in leaves if leaf.view_count]
        el.set("leafCount", str(len(leaves)))
        el.set("viewedLeafCount", str(len(seen)))
        if cat.kind == "show":
            el.set("childCount", str(len(state.children(item))))
        if seen:
            el.set("viewCount", str(sum(leaf.view_count for leaf in seen)))
            el.set("lastViewedAt", str(max(leaf.last_viewed_at or 0 for leaf in seen)))
    _parents(state, el, cat, item)
    if include_guids:
        for guid in cat.guids:
            ET.SubElement(el, "Guid", {"id": guid})
    return el


def _parents(
    state: PlexState, el: ET.Element, cat: CatalogItem, item: LibraryItem
) -> None:
    if cat.kind == "season" and cat.parent:
        show = state.catalog[cat.parent]
        show_lib = state.library_by_hex(show.hex)
        el.set("parentGuid", show.guid)
        el.set("parentTitle", show.title)
        if show_lib:
            el.set("parentRatingKey", str(show_lib.rating_key))
            el.set("parentKey", f"/library/metadata/{show_lib.rating_key}")
    if cat.kind == "episode" and cat.parent:
        season = state.catalog[cat.parent]
        show = state.catalog[season.parent] if season.parent else None
        el.set("parentGuid", season.guid)
        _set(el, "parentIndex", season.index)
        el.set("parentTitle", season.title)
        season_lib = state.library_by_hex(season.hex)
        if season_lib:
            el.set("parentRatingKey", str(season_lib.rating_key))
        if show is not None:
            el.set("grandparentGuid", show.guid)
            el.set("grandparentTitle", show.title)
            show_lib = state.library_by_hex(show.hex)
            if show_lib:
                el.set("grandparentRatingKey", str(show_lib.rating_key))
                el.set("grandparentKey", f"/library/metadata/{show_lib.rating_key}")


def section_container(state: PlexState, section: int, kind: str) -> dict[str, str]:
    sec = state.sections[section]
    return {
        "librarySectionID": str(sec.key),
        "librarySectionTitle": sec.title,
        "identifier": "com.plexapp.plugins.library",
        "viewGroup": kind,
        "type": str(TYPE_NUMBERS[kind]),
    }


# ---------------------------------------------------------------- Discover


def online_element(
    state: PlexState, cat: CatalogItem, *, with_guids: bool, user_state: bool
) -> ET.Element:
    tag = "Video" if cat.kind in ("movie", "episode") else "Directory"
    key = f"/library/metadata/{cat.hex}" + ("/children" if tag == "Directory" else "")
    el = ET.Element(
        tag,
        {
            "guid": cat.guid,
            "key": key,
            "ratingKey": cat.hex,
            "type": cat.kind,
            "title": cat.title,
            "publicPagesURL": f"https://watch.plex.tv/{cat.kind}/{cat.hex}",
            "userState": "1",
        },
    )
    _set(el, "year", cat.year)
    _set(el, "originalTitle", cat.original_title)
    _set(el, "index", cat.index)
    if user_state:
        st = state.account.get(cat.hex)
        if st is not None:
            # inferred: the listing carries the date the work was added when
            # includeUserState=1 is asked (PlexTraktSync-like clients sort on it).
            _set(el, "watchlistedAt", st.watchlisted_at)
    if with_guids:
        for guid in cat.guids:
            ET.SubElement(el, "Guid", {"id": guid})
    return el


def user_state_xml(state: PlexState, cat: CatalogItem) -> ET.Element:
    st = state.account.get(cat.hex)
    us = ET.Element("UserState", {"ratingKey": cat.hex, "type": cat.kind})
    if st is not None:
        _set(us, "watchlistedAt", st.watchlisted_at)
        if st.view_count:
            us.set("viewCount", str(st.view_count))
            _set(us, "lastViewedAt", st.last_viewed_at)
            us.set("viewState", "complete")
        _set(us, "userRating", _rating(st.rating))
        _set(us, "lastRatedAt", st.rated_at if st.rating is not None else None)
    return container({"size": "1", "identifier": "tv.plex.provider.metadata"}, [us])


def search_json(results: list[CatalogItem]) -> dict[str, Any]:
    hits = []
    for i, cat in enumerate(results):
        meta: dict[str, Any] = {
            "guid": cat.guid,
            "key": f"/library/metadata/{cat.hex}",
            "ratingKey": cat.hex,
            "type": cat.kind,
            "title": cat.title,
            "slug": cat.hex,
            "userState": False,
            "Image": [{"alt": cat.title, "type": "coverPoster", "url": "x"}],
        }
        if cat.year is not None:
            meta["year"] = cat.year
        if cat.original_title:
            meta["originalTitle"] = cat.original_title
        hits.append({"score": round(1.0 - i * 0.01, 2), "Metadata": meta})
    return {
        "MediaContainer": {
            "suggestedTerms": [],
            "identifier": "tv.plex.provider.metadata",
            "size": 2,
            "SearchResults": [
                {
                    "id": "plex",
                    "title": "Free on Demand",
                    "size": 0,
                    "SearchResult": [],
                },
                {
                    "id": "external",
                    "title": "More Ways To Watch",
                    "size": len(hits),
                    "SearchResult": hits,
                },
            ],
        }
    }


# ---------------------------------------------------------------- community


def iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))


def graphql_item(state: PlexState, cat: CatalogItem) -> dict[str, Any]:
    def ref(other: CatalogItem | None) -> dict[str, Any] | None:
        if other is None:
            return None
        return {
            "id": other.hex,
            "title": other.title,
            "index": other.index or 0,
            "key": f"/library/metadata/{other.hex}",
            "type": other.kind.upper(),
        }

    parent = state.catalog.get(cat.parent) if cat.parent else None
    grandparent = (
        state.catalog.get(parent.parent)
        if parent is not None and parent.parent
        else None
    )
    return {
        "id": cat.hex,
        "title": cat.title,
        "type": cat.kind.upper(),
        "year": cat.year,
        "index": cat.index or 0,
        "key": f"/library/metadata/{cat.hex}",
        "parent": ref(parent),
        "grandparent": ref(grandparent),
    }
