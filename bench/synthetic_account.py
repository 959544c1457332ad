"""A synthetic person with a Plex and a SensCritique account that overlap.

Per side, `n` works carry some user state: half rated (a rating implies the
work was seen, as SensCritique records it), 45 % seen without a rating, 5 % on
the watchlist. All but a dozen works per side are on both accounts with the
same state, except that about 2 % of the rated works are rated on SensCritique
only, 2 % on Plex only and 2 % differ in value. A dozen works per side exist
only in that account (the other service's catalogue knows them, so a search
finds them): wishes, watches and ratings to copy over.

Titles: a French title on SensCritique with the English one as original title
(the Plex title), or the same title on both for about a third of the works,
like films released under their English name in France. Movies are in the
Plex library for 60 %; the others and every series are account-level
(Discover) state. Everything derives from `seed`: same input, same account.

The Plex library is mixed like a long-time user's (reference, "Real-world
shapes"): about a third of the library films are in sections of the legacy
agents (IMDb and TMDB guids, no <Guid> children), one series rated alike on
both sides sits in a TheTVDB-agent section with plays but no watched episode,
a few personal-media items are rated and watched (never synced), and the
account watch history has one node whose series is gone (skipped).

`expected_writes` counts the real differences from this construction, one
write per (work, feature) that differs, independently of the planner.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from tests.simulators.plex_demo import add_series
from tests.simulators.plex_state import (
    IMDB_AGENT,
    PERSONAL_AGENT,
    TMDB_AGENT,
    TVDB_AGENT,
    CatalogItem,
    PlexState,
    stable_hex,
)
from tests.simulators.senscritique_state import SimState

USERNAME = "bench_member"
EMAIL = "bench@plexsync.invalid"
PASSWORD = "bench-password"  # noqa: S105 - a simulator's fake password
ONE_SIDE_ONLY = 12  # per side; searched (within one run's SEARCH_REQUESTS_PER_RUN)
LEGACY_PERCENT = 35  # of the library films, in a legacy agent's section
PERSONAL_MEDIA = 5
_EPOCH = 1_420_070_400  # 2015-01-01
_SYLLABLES = tuple(
    c + v for c in "bcdfglmnprstv" for v in ("a", "e", "i", "o", "u", "ou", "an")
)


def _word(number: int) -> str:
    """A made-up word, distinct for every number."""
    parts = []
    while True:
        number, digit = divmod(number, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
        if number == 0:
            break
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class WorkSpec:
    """One work and each account's state on it (None/False = nothing)."""

    index: int
    kind: str  # "movie" | "show"
    title_en: str
    title_fr: str
    year: int
    in_library: bool
    agent: str | None = None  # the library section's agent; None: current
    plex_rating: int | None = None
    sc_rating: int | None = None
    plex_seen: int | None = None  # epoch seconds
    sc_seen: int | None = None
    plex_wish: bool = False
    sc_wish: bool = False

    @property
    def on_plex(self) -> bool:
        return bool(self.plex_rating or self.plex_seen or self.plex_wish)

    @property
    def on_sc(self) -> bool:
        return bool(self.sc_rating or self.sc_seen or self.sc_wish)

    def differences(self) -> int:
        """Writes a correct sync makes for this work (one per differing feature).

        A series' "seen" is not synced: Plex derives it from the episodes
        (Capabilities.watched_kinds), so a series seen on one side only is
        no write.
        """
        seen_differs = (self.plex_seen is None) != (self.sc_seen is None)
        return (
            int(self.plex_wish != self.sc_wish)
            + int(self.plex_rating != self.sc_rating)
            + int(seen_differs and self.kind == "movie")
        )


def build(n: int, seed: int = 10) -> list[WorkSpec]:
    """The works of an account of `n` works per side (see module docstring)."""
    rng = random.Random(seed)
    one_side = min(ONE_SIDE_ONLY, max(1, n // 100))
    shared = n - one_side
    works: list[WorkSpec] = []
    for i in range(shared + 2 * one_side):
        kind = "show" if i % 10 == 9 else "movie"
        title_en = f"{_word(i + 400)} {_word(rng.randrange(50_000))}".title()
        same_title = i >= shared or rng.random() < 0.3
        title_fr = (
            title_en
            if same_title
            else f"Le {_word(i + 400)} {_word(rng.randrange(50_000))}".capitalize()
        )
        year = 1950 + i % 75
        in_library = kind == "movie" and rng.random() < 0.6
        seen = _EPOCH + rng.randrange(0, 300_000_000)
        rating = rng.randint(1, 10)
        base = WorkSpec(i, kind, title_en, title_fr, year, in_library, _agent(i))
        if i < shared:
            works.append(_shared(base, i / shared, rng, seen, rating))
        else:
            works.append(_one_side(base, i - shared, one_side, seen, rating))
    played = len(works)
    works.append(
        WorkSpec(
            played,
            "show",
            "Twin Peaks",
            "Twin Peaks",
            1990,
            in_library=True,
            agent=TVDB_AGENT,
            plex_rating=7,
            sc_rating=7,
        )
    )
    return works


def _agent(index: int) -> str | None:
    """A legacy agent for about LEGACY_PERCENT % of the works (library films
    use it), by a hash of the index: the other draws stay as they were."""
    if (index * 2_654_435_761) % 100 >= LEGACY_PERCENT:
        return None
    return IMDB_AGENT if index % 2 else TMDB_AGENT


def _shared(
    base: WorkSpec, position: float, rng: random.Random, seen: int, rating: int
) -> WorkSpec:
    if position < 0.5:  # rated (and so seen)
        roll = rng.random()
        plex_rating: int | None = rating
        sc_rating: int | None = rating
        if roll < 0.02:
            plex_rating = None
        elif roll < 0.04:
            sc_rating = None
        elif roll < 0.06:
            sc_rating = rating % 10 + 1
        return replace(
            base,
            plex_rating=plex_rating,
            sc_rating=sc_rating,
            plex_seen=seen,
            sc_seen=seen,
        )
    if position < 0.95:
        return replace(base, plex_seen=seen, sc_seen=seen)
    return replace(base, plex_wish=True, sc_wish=True)


def _one_side(
    base: WorkSpec, offset: int, one_side: int, seen: int, rating: int
) -> WorkSpec:
    on_sc = offset < one_side
    match offset % 3:
        case 0:
            state = {"wish": True}
        case 1:
            state = {"seen": seen}
        case _:
            state = {"seen": seen, "rating": rating}
    prefix = "sc_" if on_sc else "plex_"
    return replace(base, **{prefix + k: v for k, v in state.items()})


def expected_writes(works: list[WorkSpec]) -> int:
    return sum(work.differences() for work in works)


def plex_key(work: WorkSpec) -> str:
    return f"plex://{work.kind}/{stable_hex('bench', work.index)}"


def _external_ids(work: WorkSpec) -> tuple[str, ...]:
    ids = (f"imdb://tt{10_000_000 + work.index}", f"tmdb://{900_000 + work.index}")
    return (*ids, f"tvdb://{500_000 + work.index}") if work.kind == "show" else ids


def _seed_played_series(state: PlexState, work: WorkSpec) -> None:
    """A legacy-agent series, rated, played with no episode watched."""
    hex_id = stable_hex("bench", work.index)
    section = state.section_for("show", work.agent)
    guids = _external_ids(work)
    add_series(
        state,
        hex_id,
        work.title_en,
        work.year,
        [(1, 3)],
        in_library=True,
        guids=guids,
        section=section,
    )
    series = state.library_by_hex(hex_id)
    assert series is not None
    assert work.plex_rating is not None
    state.rate_library(series, float(work.plex_rating), _EPOCH)
    series.own_views, series.last_viewed_at = 3, _EPOCH


def _seed_other_shapes(state: PlexState) -> None:
    """Personal media, rated and watched, and an orphan history node."""
    personal = state.section_for("movie", PERSONAL_AGENT)
    for number in range(PERSONAL_MEDIA):
        hex_id = stable_hex("bench-personal", number)
        item = CatalogItem(hex_id, "movie", f"Home Video {number}", on_discover=False)
        lib = state.add_work(item, in_library=True, section=personal)
        assert lib is not None
        state.scrobble_library(lib, _EPOCH + number, played=True)
        state.rate_library(lib, 10.0, _EPOCH + number)
    state.add_orphan_watch(stable_hex("bench-orphan"), "Episode 5", _EPOCH + 7)


def seed_plex(state: PlexState, works: list[WorkSpec]) -> None:
    """Puts every work in the Discover catalogue and the Plex state on it."""
    with state.lock:
        _seed_other_shapes(state)
        for work in works:
            if work.kind == "show" and work.in_library:
                _seed_played_series(state, work)
                continue
            hex_id = stable_hex("bench", work.index)
            guids = _external_ids(work)
            item = CatalogItem(hex_id, work.kind, work.title_en, work.year, None, guids)
            section = (
                state.section_for("movie", work.agent) if work.in_library else None
            )
            lib = state.add_work(item, in_library=work.in_library, section=section)
            if lib is not None:
                if work.plex_seen is not None:
                    state.scrobble_library(lib, work.plex_seen, played=True)
                if work.plex_rating is not None:
                    state.rate_library(
                        lib, float(work.plex_rating), (work.plex_seen or _EPOCH) + 60
                    )
            else:
                if work.plex_seen is not None:
                    state.scrobble_account(hex_id, work.plex_seen, played=True)
                if work.plex_rating is not None:
                    account = state.state_of(hex_id)
                    account.rating = float(work.plex_rating)
                    account.rated_at = (work.plex_seen or _EPOCH) + 60
            if work.plex_wish:
                state.state_of(hex_id).watchlisted_at = _EPOCH + work.index


def seed_senscritique(state: SimState, works: list[WorkSpec]) -> dict[int, int]:
    """Every work as a product, the member's marks on it; index -> product id."""
    if USERNAME not in state.users:
        state.add_user(USERNAME, EMAIL, PASSWORD)
    ids: dict[int, int] = {}
    for work in works:
        original = None if work.title_fr == work.title_en else work.title_en
        if work.kind == "show":
            pid = state.add_show(work.title_fr, work.year, (), original_title=original)
        else:
            pid = state.add_movie(work.title_fr, work.year, original_title=original)
        ids[work.index] = pid
        if work.sc_seen is not None:
            when = datetime.fromtimestamp(work.sc_seen, UTC)
            state.set_mark(USERNAME, pid, date_done=when)
        if work.sc_rating is not None:
            state.set_mark(USERNAME, pid, rating=work.sc_rating)
        if work.sc_wish:
            state.set_mark(USERNAME, pid, wished=True)
    return ids


def list_sizes(works: list[WorkSpec]) -> dict[str, int]:
    """Items of every list each service reads, from the construction."""
    movies = [w for w in works if w.kind == "movie" and w.in_library]
    account = [w for w in works if not w.in_library]
    legacy = [w for w in movies if w.agent is not None]
    return {
        "plex_library_legacy": len(legacy),
        "plex_personal_media": PERSONAL_MEDIA,
        "plex_watchlist": sum(w.plex_wish for w in works),
        "plex_library_rated": sum(w.plex_rating is not None for w in movies),
        "plex_library_seen": sum(w.plex_seen is not None for w in movies),
        "plex_account_ratings": sum(w.plex_rating is not None for w in account),
        "plex_account_history": sum(w.plex_seen is not None for w in account),
        "sc_wish": sum(w.sc_wish for w in works),
        "sc_rating": sum(w.sc_rating is not None for w in works),
        "sc_done": sum(w.sc_seen is not None for w in works),
    }
