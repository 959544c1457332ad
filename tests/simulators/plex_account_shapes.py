"""Shapes of the account-level hosts in the Plex simulator: Discover and
the metadata provider (watchlist, item details, userState, search) and the
community GraphQL API (ratings, watch history).

The watchlist listing carries no ``watchlistedAt`` (reference, "Real-world
shapes": only the per-item userState call shows it).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from .plex_render import container, put, rating_text
from .plex_state import CatalogItem, PlexState


def online_element(cat: CatalogItem, *, with_guids: bool) -> ET.Element:
    """A Discover item: in a listing (no <Guid> children) or its details."""
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
    put(el, "year", cat.year)
    put(el, "originalTitle", cat.original_title)
    put(el, "index", cat.index)
    if with_guids:
        for guid in cat.guids:
            ET.SubElement(el, "Guid", {"id": guid})
    return el


def user_state_xml(state: PlexState, cat: CatalogItem) -> ET.Element:
    st = state.account.get(cat.hex)
    us = ET.Element("UserState", {"ratingKey": cat.hex, "type": cat.kind})
    if st is not None:
        put(us, "watchlistedAt", st.watchlisted_at)
        if st.view_count:
            us.set("viewCount", str(st.view_count))
            put(us, "lastViewedAt", st.last_viewed_at)
            us.set("viewState", "complete")
        put(us, "userRating", rating_text(st.rating))
        put(us, "lastRatedAt", st.rated_at if st.rating is not None else None)
    return container({"size": "1", "identifier": "tv.plex.provider.metadata"}, [us])


def search_json(
    results: list[CatalogItem], title: Callable[[CatalogItem], str] | None = None
) -> dict[str, Any]:
    """The search answer; `title` gives each item's title as answered (in
    the request's language)."""
    hits = []
    for i, cat in enumerate(results):
        meta: dict[str, Any] = {
            "guid": cat.guid,
            "key": f"/library/metadata/{cat.hex}",
            "ratingKey": cat.hex,
            "type": cat.kind,
            "title": title(cat) if title else cat.title,
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
