"""In-memory state of the Plex simulator: the Discover catalogue, one Plex
Media Server library and the account's own state (watchlist, ratings, history).

Pure data plus the mutations the wire routes perform; no HTTP here. Every
Discover work is known by its 24-hex id (the tail of ``plex://<kind>/<hex>``);
library items by an integer ratingKey and the same Discover guid.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field

KINDS = ("movie", "show", "season", "episode")
TYPE_NUMBERS = {"movie": 1, "show": 2, "season": 3, "episode": 4}


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

    @property
    def guid(self) -> str:
        return f"plex://{self.kind}/{self.hex}"


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

    def __post_init__(self) -> None:
        if not self.sections:
            self.sections[1] = Section(1, "movie", "Movies")
            self.sections[2] = Section(2, "show", "TV Shows")

    # ------------------------------------------------------------------ seeding
    def add_work(self, item: CatalogItem, *, in_library: bool) -> LibraryItem | None:
        self.catalog[item.hex] = item
        if not in_library:
            return None
        section = 1 if item.kind == "movie" else 2
        lib = LibraryItem(rating_key=next(self._keys), section=section, hex=item.hex)
        self.library[lib.rating_key] = lib
        return lib

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
