"""Seeding and inspecting the Plex simulator's state from tests (the data
API of `PlexSimulator`; its HTTP side is plex_http.py)."""

from __future__ import annotations

import time
from typing import Any

from . import plex_demo
from .plex_library_xml import library_guid
from .plex_state import PERSONAL_AGENT, CatalogItem, LibraryItem, PlexState, stable_hex


class PlexSeeding:
    """Methods of `PlexSimulator` that seed and read its `state`."""

    state: PlexState

    # ------------------------------------------------------------------ seeding
    def add_movie(
        self,
        title: str,
        year: int | None = None,
        *,
        original_title: str | None = None,
        guids: tuple[str, ...] = (),
        in_library: bool = True,
        rating: float | None = None,
        viewed_at: int | None = None,
        watchlisted_at: int | None = None,
        agent: str | None = None,
        on_discover: bool = True,
    ) -> str:
        """Adds a film; its user state goes to the library item when it is in
        the library, else to the account. Returns its Discover guid (an id
        only, for personal media or a film Discover does not know).

        `agent`: the library section's agent (None: the current one); see
        plex_state.DEFAULT_SECTIONS. Personal media is never on Discover."""
        hex_id = stable_hex("movie", title, year, len(self.state.catalog))
        with self.state.lock:
            item = CatalogItem(
                hex_id,
                "movie",
                title,
                year,
                original_title,
                guids,
                on_discover=on_discover and agent != PERSONAL_AGENT,
            )
            section = self.state.section_for("movie", agent) if in_library else None
            self.state.add_work(item, in_library=in_library, section=section)
            self._set_user_state(hex_id, rating, viewed_at)
            if watchlisted_at is not None:
                self.state.state_of(hex_id).watchlisted_at = watchlisted_at
        return item.guid

    def add_show(
        self,
        title: str,
        year: int | None = None,
        *,
        seasons: dict[int, int] | None = None,
        in_library: bool = True,
        guids: tuple[str, ...] = (),
        watchlisted_at: int | None = None,
        agent: str | None = None,
    ) -> list[str]:
        """Adds a series with seasons {number: episodes}; returns guids, show first,
        then each season followed by its episodes. `agent` as for add_movie."""
        hex_id = stable_hex("show", title, year, len(self.state.catalog))
        with self.state.lock:
            hexes = plex_demo.add_series(
                self.state,
                hex_id,
                title,
                year,
                sorted((seasons or {1: 2}).items()),
                in_library=in_library,
                guids=guids,
                section=self.state.section_for("show", agent) if in_library else None,
            )
            if watchlisted_at is not None:
                self.state.state_of(hex_id).watchlisted_at = watchlisted_at
            return [self.state.catalog[h].guid for h in hexes]

    def set_user_state(
        self, guid: str, *, rating: float | None = None, viewed_at: int | None = None
    ) -> None:
        with self.state.lock:
            self._set_user_state(guid.rsplit("/", 1)[-1], rating, viewed_at)

    def _set_user_state(
        self, hex_id: str, rating: float | None, viewed_at: int | None
    ) -> None:
        lib = self.state.library_by_hex(hex_id)
        if lib is not None:
            if viewed_at is not None:
                self.state.scrobble_library(lib, viewed_at, played=True)
            if rating is not None:
                self.state.rate_library(lib, rating, (viewed_at or 1700000000) + 60)
            return
        if viewed_at is not None:
            self.state.scrobble_account(hex_id, viewed_at, played=True)
        if rating is not None:
            st = self.state.state_of(hex_id)
            st.rating, st.rated_at = rating, (viewed_at or 1700000000) + 60

    def set_series_views(self, guid: str, views: int, at: int) -> None:
        """Plays of a library series of its own, none of its episodes watched:
        the real shape of a series with viewCount > 0 and viewedLeafCount 0."""
        with self.state.lock:
            item = self.state.library_by_hex(guid.rsplit("/", 1)[-1])
            assert item is not None, "the series is not in the library"
            item.own_views, item.last_viewed_at = views, at

    def add_orphan_watch(self, title: str, at: int) -> str:
        """An account watch of an episode whose season and series are gone from
        the catalogue: its history node has neither parent nor grandparent."""
        with self.state.lock:
            hex_id = stable_hex("orphan", title, len(self.state.catalog))
            return self.state.add_orphan_watch(hex_id, title, at).guid

    def listed_guid(self, guid: str) -> str:
        """The guid the server lists the library item of `guid` under (a
        legacy agent's string, personal media's, or the Discover guid)."""
        with self.state.lock:
            item = self.state.library_by_hex(guid.rsplit("/", 1)[-1])
            assert item is not None, "not in the library"
            return library_guid(self.state, item)

    def watchlist_add(self, guid: str, at: int | None = None) -> None:
        with self.state.lock:
            self.state.state_of(guid.rsplit("/", 1)[-1]).watchlisted_at = at or int(
                time.time()
            )

    def load_demo(self, works: list[dict[str, Any]] | None = None) -> None:
        with self.state.lock:
            plex_demo.load_demo(self.state, works)

    def seed_synthetic(
        self, n_works: int, rated: int, watched: int, watchlisted: int, seed: int = 0
    ) -> list[str]:
        with self.state.lock:
            return plex_demo.seed_synthetic(
                self.state,
                n_works,
                rated=rated,
                watched=watched,
                watchlisted=watchlisted,
                seed=seed,
            )

    # ------------------------------------------------------------------ inspection
    def library_item(self, guid: str) -> LibraryItem | None:
        with self.state.lock:
            return self.state.library_by_hex(guid.rsplit("/", 1)[-1])

    def watchlist(self) -> dict[str, int]:
        """guid -> watchlistedAt epoch."""
        with self.state.lock:
            return {
                self.state.catalog[h].guid: st.watchlisted_at
                for h, st in self.state.account.items()
                if st.watchlisted_at
            }

    def account_ratings(self) -> dict[str, float]:
        with self.state.lock:
            return {
                self.state.catalog[h].guid: st.rating
                for h, st in self.state.account.items()
                if st.rating is not None
            }

    def account_watched(self) -> dict[str, int]:
        """guid -> latest account-level watch epoch."""
        with self.state.lock:
            out: dict[str, int] = {}
            for h, at in self.state.history:
                guid = self.state.catalog[h].guid
                out[guid] = max(at, out.get(guid, 0))
            return out
