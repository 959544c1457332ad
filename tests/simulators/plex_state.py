"""In-memory state of the Plex simulator: the Discover catalogue, one Plex
Media Server library and the account's own state (watchlist, ratings, history).

Pure data plus the mutations the wire routes perform; no HTTP here. Every
work is known by its 24-hex id (the tail of ``plex://<kind>/<hex>``); library
items by an integer ratingKey in a section. The library is *mixed*, as on a
long-lived real server (reference, "Real-world shapes"): the sections of the
current agents list items under their Discover guid, sections of the legacy
agents under the agent's own guid (plex_library_xml.py), and a personal-media
section holds works Discover does not know (`CatalogItem.on_discover`).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field

KINDS = ("movie", "show", "season", "episode")
TYPE_NUMBERS = {"movie": 1, "show": 2, "season": 3, "episode": 4}

MODERN_AGENTS = {"movie": "tv.plex.agents.movie", "show": "tv.plex.agents.series"}
IMDB_AGENT = "com.plexapp.agents.imdb"
TMDB_AGENT = "com.plexapp.agents.themoviedb"
TVDB_AGENT = "com.plexapp.agents.thetvdb"
PERSONAL_AGENT = "com.plexapp.agents.none"
# The default sections: kind, title, agent. Library items go to the first
# section of their kind unless told otherwise (see PlexState.section_for).
DEFAULT_SECTIONS = (
    (1, "movie", "Movies", MODERN_AGENTS["movie"]),
    (2, "show", "TV Shows", MODERN_AGENTS["show"]),
    (3, "movie", "Films (old agent)", IMDB_AGENT),
    (4, "show", "Series (old agent)", TVDB_AGENT),
    (5, "movie", "Home Videos", PERSONAL_AGENT),
    (6, "movie", "Documentaries", TMDB_AGENT),
)


def stable_hex(*parts: object) -> str:
    """A 24-hex Discover id derived from `parts` (same input, same id)."""
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass
class CatalogItem:
    """One work as Discover knows it."""

    hex: str
    kind: str
    title: str
    year: int | None = None
    original_title: str | None = None
    guids: tuple[str, ...] = ()
    parent: str | None = None  # season -> show hex, episode -> season hex
    index: int | None = None  # season / episode number
    # False for personal media, and for a film Discover does not know: such a
    # work is only in the library (no Discover search, metadata, watchlist).
    on_discover: bool = True
    # The title the library lists it under when it differs from Discover's
    # (e.g. a legacy agent set to another language).
    library_title: str | None = None
    # Its titles in other languages ("fr": ...), which Discover's search
    # knows when asked in that language (plex_routes._search).
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def guid(self) -> str:
        return f"plex://{self.kind}/{self.hex}"

    def external(self, scheme: str) -> str | None:
        """The id of `scheme` ("imdb", "tmdb", "tvdb") among its guids."""
        prefix = f"{scheme}://"
        return next(
            (g.removeprefix(prefix) for g in self.guids if g.startswith(prefix)), None
        )


@dataclass
class LibraryItem:
    """One item of the PMS library with the owner's user state."""

    rating_key: int
    section: int
    hex: str
    user_rating: float | None = None
    last_rated_at: int | None = None
    view_count: int = 0
    last_viewed_at: int | None = None
    added_at: int = 1609459200
    # A series' own play count beyond its episodes': real servers show
    # series with viewCount > 0 and no watched episode (reference).
    own_views: int = 0


@dataclass
class AccountState:
    """Account-level (Discover) state of one work."""

    watchlisted_at: int | None = None
    rating: float | None = None
    rated_at: int | None = None
    view_count: int = 0
    last_viewed_at: int | None = None


@dataclass
class Section:
    key: int
    kind: str  # "movie" or "show"
    title: str
    agent: str = ""  # "" = the current agent of its kind

    def __post_init__(self) -> None:
        self.agent = self.agent or MODERN_AGENTS[self.kind]

    @property
    def legacy(self) -> bool:
        return self.agent not in MODERN_AGENTS.values()

    @property
    def personal(self) -> bool:
        return self.agent == PERSONAL_AGENT


@dataclass
class PlexState:
    """Everything the simulator serves. Guard mutations with `lock`."""

    catalog: dict[str, CatalogItem] = field(default_factory=dict)
    sections: dict[int, Section] = field(default_factory=dict)
    library: dict[int, LibraryItem] = field(default_factory=dict)
    account: dict[str, AccountState] = field(default_factory=dict)
    history: list[tuple[str, int]] = field(default_factory=list)  # account watches
    lock: threading.RLock = field(default_factory=threading.RLock)
    _keys: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))
    # The states of the account's Home users (`member`); empty in theirs.
    members: list[PlexState] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.sections:
            for key, kind, title, agent in DEFAULT_SECTIONS:
                self.sections[key] = Section(key, kind, title, agent)

    def member(self) -> PlexState:
        """A Home user's state: the same catalogue, sections and library
        items (one server), user state of their own (ratings and views on
        the server, watchlist, ratings and history on Discover). Seed the
        catalogue and library through this owner state only."""
        other = PlexState(catalog=self.catalog, sections=self.sections, lock=self.lock)
        other._keys = self._keys
        for item in self.library.values():
            other.library[item.rating_key] = _blank(item)
        self.members.append(other)
        return other

    # ------------------------------------------------------------------ seeding
    def section_for(self, kind: str, agent: str | None = None) -> int:
        """The first section of `kind` (a series' seasons and episodes go to
        a show section) with `agent` (None: a current agent)."""
        section_kind = "movie" if kind == "movie" else "show"
        for section in self.sections.values():
            if section.kind != section_kind:
                continue
            if section.agent == (agent or MODERN_AGENTS[section_kind]):
                return section.key
        raise KeyError(f"no {section_kind} section with agent {agent}")

    def add_work(
        self, item: CatalogItem, *, in_library: bool, section: int | None = None
    ) -> LibraryItem | None:
        self.catalog[item.hex] = item
        if not in_library:
            return None
        if section is None:
            section = self.section_for(item.kind)
        lib = LibraryItem(rating_key=next(self._keys), section=section, hex=item.hex)
        self.library[lib.rating_key] = lib
        for member in self.members:
            member.library[lib.rating_key] = _blank(lib)
        return lib

    def discoverable(self, hex_id: str | None) -> CatalogItem | None:
        """The catalogue item `hex_id` if Discover knows it."""
        item = self.catalog.get(hex_id) if hex_id else None
        return item if item is not None and item.on_discover else None

    def state_of(self, hex_id: str) -> AccountState:
        return self.account.setdefault(hex_id, AccountState())

    # ------------------------------------------------------------------ lookups
    def library_by_hex(self, hex_id: str) -> LibraryItem | None:
        for item in self.library.values():
            if item.hex == hex_id:
                return item
        return None

    def kind_of(self, item: LibraryItem) -> str:
        return self.catalog[item.hex].kind

    def children(self, item: LibraryItem) -> list[LibraryItem]:
        """Direct children in the library (seasons of a show, episodes of a season)."""
        return [
            other
            for other in self.library.values()
            if self.catalog[other.hex].parent == item.hex
        ]

    def leaves(self, item: LibraryItem) -> list[LibraryItem]:
        kind = self.kind_of(item)
        if kind in ("movie", "episode"):
            return [item]
        return [leaf for child in self.children(item) for leaf in self.leaves(child)]

    def ancestor(self, item: CatalogItem, kind: str) -> CatalogItem | None:
        current: CatalogItem | None = item
        while current is not None and current.kind != kind:
            current = self.catalog.get(current.parent) if current.parent else None
        return current

    # ------------------------------------------------------------------ writes
    def rate_library(self, item: LibraryItem, rating: float, now: int) -> None:
        if rating < 0:
            item.user_rating = None
            item.last_rated_at = None
        else:
            item.user_rating = rating
            item.last_rated_at = now

    def scrobble_library(self, item: LibraryItem, now: int, *, played: bool) -> None:
        for leaf in self.leaves(item):
            if played:
                leaf.view_count += 1
                leaf.last_viewed_at = now
            else:
                leaf.view_count = 0
                leaf.last_viewed_at = None

    def add_orphan_watch(self, hex_id: str, title: str, at: int) -> CatalogItem:
        """An account watch of an episode whose season (and series) are gone
        from the catalogue: its history node has no parent nor grandparent."""
        gone = stable_hex("removed season", hex_id)
        item = CatalogItem(hex_id, "episode", title, parent=gone, index=1)
        self.add_work(item, in_library=False)
        self.scrobble_account(hex_id, at, played=True)
        return item

    def scrobble_account(self, hex_id: str, now: int, *, played: bool) -> None:
        state = self.state_of(hex_id)
        if played:
            state.view_count += 1
            state.last_viewed_at = now
            self.history.append((hex_id, now))
        else:
            # An unscrobble removes the work's rows from the account history
            # (inferred: watch.plex.tv no longer lists it as watched).
            state.view_count = 0
            state.last_viewed_at = None
            self.history = [row for row in self.history if row[0] != hex_id]


def _blank(item: LibraryItem) -> LibraryItem:
    """`item` as another user of the server sees it before touching it."""
    return LibraryItem(item.rating_key, item.section, item.hex, added_at=item.added_at)
