"""Seed data for the Plex simulator: the shared demo catalogue and synthetic
libraries for benches. Everything derives from fixed seeds, so two runs give
the same state."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .plex_state import (
    IMDB_AGENT,
    PERSONAL_AGENT,
    TMDB_AGENT,
    TVDB_AGENT,
    CatalogItem,
    PlexState,
    stable_hex,
)

CATALOGUE = Path(__file__).resolve().parent / "demo_catalogue.json"
# Fixed "now" of the demo so dates are stable: 2025-01-15T00:00:00Z.
DEMO_NOW = 1736899200
DAY = 86400
# The second person of the demo household: a managed Home user and their PIN.
DEMO_HOME_USER = ("Anna", "2468")


def add_series(
    state: PlexState,
    hex_id: str,
    title: str,
    year: int | None,
    seasons: Iterable[tuple[int, int]],
    *,
    in_library: bool,
    original_title: str | None = None,
    guids: tuple[str, ...] = (),
    section: int | None = None,
) -> list[str]:
    """Adds a show with its seasons and episodes (in library `section`, by
    default the first of the current series agent); returns every hex, show
    first."""
    show = CatalogItem(hex_id, "show", title, year, original_title, guids)
    state.add_work(show, in_library=in_library, section=section)
    out = [hex_id]
    for number, episodes in seasons:
        season_hex = stable_hex(hex_id, "s", number)
        season = CatalogItem(
            season_hex, "season", f"Season {number}", year, parent=hex_id, index=number
        )
        state.add_work(season, in_library=in_library, section=section)
        out.append(season_hex)
        for ep in range(1, episodes + 1):
            ep_hex = stable_hex(hex_id, "s", number, "e", ep)
            episode = CatalogItem(
                ep_hex, "episode", f"Episode {ep}", year, parent=season_hex, index=ep
            )
            state.add_work(episode, in_library=in_library, section=section)
            out.append(ep_hex)
    return out


# The share of library works in a section of a legacy agent: a long-time
# user's library is mixed (reference, "Real-world shapes").
LEGACY_SHARE = 0.4


def _demo_ids(hex_id: str, kind: str) -> tuple[str, ...]:
    """Made-up external ids of a demo work (stable; Discover knows them)."""
    imdb = f"imdb://tt{int(hex_id[:7], 16) % 10_000_000:07d}"
    tmdb = f"tmdb://{int(hex_id[7:13], 16) % 1_000_000}"
    if kind == "show":
        return (imdb, tmdb, f"tvdb://{int(hex_id[13:19], 16) % 1_000_000}")
    return (imdb, tmdb)


def _demo_section(state: PlexState, work_id: str, kind: str) -> int:
    """The library section of a demo work: a legacy agent's for some (drawn
    from their own seed, so the other demo draws stay as they were)."""
    rng = random.Random(f"plex-demo-agent:{work_id}")
    if rng.random() >= LEGACY_SHARE:
        return state.section_for(kind)
    if kind == "show":
        return state.section_for(kind, TVDB_AGENT)
    return state.section_for(kind, rng.choice((IMDB_AGENT, TMDB_AGENT)))


def load_demo(state: PlexState, works: list[dict[str, Any]] | None = None) -> None:
    """Seeds the demo catalogue (English titles) with a stable user state.

    Per work, a hash of its id decides: in the library or only on Discover,
    in a section of a current or a legacy agent, watchlisted, rated (library
    or account level), watched and when. Some works are left out of Plex
    entirely, so each side has works of its own. Then the shapes of real
    accounts no catalogue work carries: personal media, a series played with
    no episode watched, and an account watch whose series is gone.
    """
    if works is None:
        works = json.loads(CATALOGUE.read_text(encoding="utf-8"))["works"]
    for work in works:
        rng = random.Random(f"plex-demo:{work['id']}")
        roll = rng.random()
        if roll < 0.12:
            continue  # unknown to this Plex account: only on SensCritique
        hex_id = stable_hex("demo", work["id"])
        title = work.get("title_en") or work.get("original_title") or work["id"]
        year = work.get("year")
        original = work.get("original_title")
        original = None if original == title else original
        kind = "show" if work["kind"] == "show" else "movie"
        guids = _demo_ids(hex_id, kind)
        in_library = rng.random() < 0.55
        section = _demo_section(state, work["id"], kind) if in_library else None
        if kind == "show":
            seasons = [(s["number"], s["episodes"]) for s in work.get("seasons", [])]
            add_series(
                state,
                hex_id,
                title,
                year,
                seasons,
                in_library=in_library,
                original_title=original,
                guids=guids,
                section=section,
            )
        else:
            item = CatalogItem(hex_id, "movie", title, year, original, guids)
            state.add_work(item, in_library=in_library, section=section)
        french = work.get("title_fr")
        if french and french != title:
            state.catalog[hex_id].titles["fr"] = french
        _demo_state(state, hex_id, rng, in_library=in_library)
    add_real_world_shapes(state)


def seed_home_user(member: PlexState, works: list[dict[str, Any]]) -> None:
    """A Home user's own state over the demo library and catalogue (`member`
    is theirs, PlexState.member): half of the works the account has, each
    drawn from its own seed, so the two people's states differ and overlap."""
    for work in works:
        rng = random.Random(f"plex-demo-home-user:{work['id']}")
        hex_id = stable_hex("demo", work["id"])
        if hex_id not in member.catalog or rng.random() < 0.5:
            continue
        in_library = member.library_by_hex(hex_id) is not None
        _demo_state(member, hex_id, rng, in_library=in_library)


def add_real_world_shapes(state: PlexState) -> None:
    """Personal media (rated and watched), a legacy-agent series played with
    no episode watched, and an account watch of an episode whose season and
    series are gone from the catalogue (its history node has no parents)."""
    personal = state.section_for("movie", PERSONAL_AGENT)
    for number, title in enumerate(
        ("Birthday 2019", "Holidays in Brittany", "Wedding")
    ):
        hex_id = stable_hex("demo-personal", number)
        item = CatalogItem(hex_id, "movie", title, 2019 + number, on_discover=False)
        lib = state.add_work(item, in_library=True, section=personal)
        assert lib is not None
        state.scrobble_library(lib, DEMO_NOW - (number + 5) * DAY, played=True)
        state.rate_library(lib, 10.0, DEMO_NOW - (number + 5) * DAY)
    series_hex = stable_hex("demo-played-series")
    add_series(
        state,
        series_hex,
        "Twin Peaks",
        1990,
        [(1, 8)],
        in_library=True,
        guids=_demo_ids(series_hex, "show"),
        section=state.section_for("show", TVDB_AGENT),
    )
    series = state.library_by_hex(series_hex)
    assert series is not None
    series.own_views, series.last_viewed_at = 2, DEMO_NOW - 900 * DAY
    state.add_orphan_watch(
        stable_hex("demo-orphan-episode"), "Episode 5", DEMO_NOW - 40 * DAY
    )


def _demo_state(
    state: PlexState, hex_id: str, rng: random.Random, *, in_library: bool
) -> None:
    watched_at = DEMO_NOW - rng.randrange(30, 3000) * DAY
    rating = rng.choice([None, None, 4, 5, 6, 7, 7, 8, 8, 9, 10])
    watched = rating is not None or rng.random() < 0.3
    if not watched and rng.random() < 0.5:
        state.state_of(hex_id).watchlisted_at = DEMO_NOW - rng.randrange(1, 400) * DAY
        return
    lib = state.library_by_hex(hex_id) if in_library else None
    if lib is not None:
        if watched:
            state.scrobble_library(lib, watched_at, played=True)
        if rating is not None:
            state.rate_library(lib, float(rating), watched_at + 3600)
    else:
        if watched:
            state.scrobble_account(hex_id, watched_at, played=True)
        if rating is not None:
            st = state.state_of(hex_id)
            st.rating, st.rated_at = float(rating), watched_at + 3600


def seed_synthetic(
    state: PlexState,
    n_works: int,
    *,
    rated: int,
    watched: int,
    watchlisted: int,
    seed: int = 0,
) -> list[str]:
    """`n_works` library movies; the first `rated` are rated, the first
    `watched` watched, and `watchlisted` more live only on the watchlist.
    Returns the library guids in order."""
    rng = random.Random(seed)
    guids = []
    for i in range(n_works):
        hex_id = stable_hex("synthetic", seed, i)
        item = CatalogItem(
            hex_id,
            "movie",
            f"Synthetic Film {i:05d}",
            1950 + i % 75,
            guids=(f"imdb://tt{9_000_000 + i}", f"tmdb://{800_000 + i}"),
        )
        lib = state.add_work(item, in_library=True)
        assert lib is not None
        at = DEMO_NOW - rng.randrange(1, 3000) * DAY
        if i < watched:
            state.scrobble_library(lib, at, played=True)
        if i < rated:
            state.rate_library(lib, float(rng.randint(1, 10)), at + 60)
        guids.append(item.guid)
    for j in range(watchlisted):
        hex_id = stable_hex("synthetic-wish", seed, j)
        state.add_work(
            CatalogItem(hex_id, "movie", f"Wished Film {j:05d}", 2000 + j % 25),
            in_library=False,
        )
        state.state_of(hex_id).watchlisted_at = DEMO_NOW - j * 60
    return guids
