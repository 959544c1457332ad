"""The server library's shapes in the Plex simulator: sections and items.

A section of the current agents lists its items under their Discover guid
with ``<Guid>`` children (imdb/tmdb/tvdb). A section of a legacy agent lists
them under the agent's own guid, the external id inside it, and NO ``<Guid>``
children even with ``includeGuids=1`` (reference, "Real-world shapes"):
``com.plexapp.agents.imdb://tt0103639?lang=en``,
``com.plexapp.agents.themoviedb://603?lang=en``,
``com.plexapp.agents.thetvdb://81189/1/10?lang=en`` (series / season /
episode). Personal media is ``local://<ratingKey>`` or
``com.plexapp.agents.none://<hash>?lang=xn``. [inferred] Which of the two a
personal item gets is our choice (both forms exist); the ``lang`` values too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .plex_render import container, put, rating_text
from .plex_state import (
    IMDB_AGENT,
    TMDB_AGENT,
    TVDB_AGENT,
    CatalogItem,
    LibraryItem,
    PlexState,
    Section,
)

SCANNERS = {
    "movie": "Plex Movie",
    "show": "Plex TV Series",
    "legacy movie": "Plex Movie Scanner",
    "legacy show": "Plex Series Scanner",
}
# [inferred] The language the legacy agents write in their guids.
LEGACY_LANGUAGE = "en"


def sections_xml(state: PlexState) -> ET.Element:
    dirs = []
    for sec in state.sections.values():
        scanner = SCANNERS[f"legacy {sec.kind}" if sec.legacy else sec.kind]
        d = ET.Element(
            "Directory",
            {
                "key": str(sec.key),
                "type": sec.kind,
                "title": sec.title,
                "agent": sec.agent,
                "scanner": scanner,
                "language": "xn" if sec.personal else "en-US",
                "uuid": f"00000000-0000-4000-8000-{sec.key:012d}",
                "updatedAt": "1736900000",
                "createdAt": "1622548800",
                "scannedAt": "1736900000",
            },
        )
        ET.SubElement(d, "Location", {"id": str(sec.key), "path": f"/data/{sec.key}"})
        dirs.append(d)
    return container({"size": str(len(dirs)), "title1": "Plex Library"}, dirs)


def _made_up_id(cat: CatalogItem, scheme: str) -> str:
    """An id for a work seeded without one: Discover knows no such id, so the
    work has no Discover twin (as for a film only its legacy agent knows)."""
    number = int(cat.hex[:7], 16) % 10_000_000
    return f"tt{number:07d}" if scheme == "imdb" else str(number)


def _legacy_path(state: PlexState, cat: CatalogItem, section: Section) -> str:
    """What a legacy agent writes after ``://``: the id of the work, or for
    a season/episode the id of its series and its numbers."""
    scheme = {IMDB_AGENT: "imdb", TMDB_AGENT: "tmdb", TVDB_AGENT: "tvdb"}.get(
        section.agent, "imdb"
    )
    series = state.ancestor(cat, "show") if cat.kind != "movie" else None
    owner = series or cat
    path = owner.external(scheme) or _made_up_id(owner, scheme)
    if cat.kind == "season":
        path += f"/{cat.index}"
    elif cat.kind == "episode":
        season = state.catalog[cat.parent] if cat.parent else None
        path += f"/{season.index if season else 0}/{cat.index}"
    return path


def library_guid(state: PlexState, item: LibraryItem) -> str:
    """The ``guid`` the server lists `item` under (see the module docstring)."""
    cat = state.catalog[item.hex]
    section = state.sections[item.section]
    if not section.legacy:
        return cat.guid
    if section.personal:
        if item.rating_key % 2:
            return f"local://{item.rating_key}"
        return f"{section.agent}://{cat.hex[:16]}?lang=xn"
    path = _legacy_path(state, cat, section)
    return f"{section.agent}://{path}?lang={LEGACY_LANGUAGE}"


def _guid_of(state: PlexState, cat: CatalogItem) -> str:
    """A parent's guid as its child's listing names it: its library guid."""
    item = state.library_by_hex(cat.hex)
    return library_guid(state, item) if item is not None else cat.guid


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
            "guid": library_guid(state, item),
            "type": cat.kind,
            "title": cat.library_title or cat.title,
            "addedAt": str(item.added_at),
            "librarySectionID": str(item.section),
        },
    )
    put(el, "originalTitle", cat.original_title)
    put(el, "year", cat.year)
    put(el, "index", cat.index)
    put(el, "userRating", rating_text(item.user_rating))
    put(el, "lastRatedAt", item.last_rated_at if item.user_rating is not None else None)
    if cat.kind in ("movie", "episode"):
        if item.view_count:
            el.set("viewCount", str(item.view_count))
            put(el, "lastViewedAt", item.last_viewed_at)
    else:
        leaves = state.leaves(item)
        seen = [leaf for leaf in leaves if leaf.view_count]
        el.set("leafCount", str(len(leaves)))
        el.set("viewedLeafCount", str(len(seen)))
        if cat.kind == "show":
            el.set("childCount", str(len(state.children(item))))
        views = sum(leaf.view_count for leaf in seen) + item.own_views
        if views:
            # A series' viewCount counts plays, not watched episodes: it can
            # be above 0 while viewedLeafCount is 0 (reference).
            el.set("viewCount", str(views))
            last = [leaf.last_viewed_at or 0 for leaf in seen] + [
                item.last_viewed_at or 0
            ]
            el.set("lastViewedAt", str(max(last)))
    _parents(state, el, cat, item)
    if include_guids and not state.sections[item.section].legacy:
        for guid in cat.guids:
            ET.SubElement(el, "Guid", {"id": guid})
    return el


def _parents(
    state: PlexState, el: ET.Element, cat: CatalogItem, item: LibraryItem
) -> None:
    if cat.kind == "season" and cat.parent:
        show = state.catalog[cat.parent]
        show_lib = state.library_by_hex(show.hex)
        el.set("parentGuid", _guid_of(state, show))
        el.set("parentTitle", show.title)
        if show_lib:
            el.set("parentRatingKey", str(show_lib.rating_key))
            el.set("parentKey", f"/library/metadata/{show_lib.rating_key}")
    if cat.kind == "episode" and cat.parent:
        season = state.catalog[cat.parent]
        show = state.catalog[season.parent] if season.parent else None
        el.set("parentGuid", _guid_of(state, season))
        put(el, "parentIndex", season.index)
        el.set("parentTitle", season.title)
        season_lib = state.library_by_hex(season.hex)
        if season_lib:
            el.set("parentRatingKey", str(season_lib.rating_key))
        if show is not None:
            el.set("grandparentGuid", _guid_of(state, show))
            el.set("grandparentTitle", show.title)
            show_lib = state.library_by_hex(show.hex)
            if show_lib:
                el.set("grandparentRatingKey", str(show_lib.rating_key))
                el.set("grandparentKey", f"/library/metadata/{show_lib.rating_key}")
