"""The e2e world: a few real films on both simulators, each one exercising one
sync rule, and readers that show what each simulator holds for a film.

Every film exists on both sides under the same title and year, so the local
match links them; what differs is the member's state on each side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.simulators.senscritique import SensCritiqueSimulator
from tests.simulators.serve import Simulators

SC_USER = ("e2e_member", "e2e@plexsync.invalid", "e2e-sc-password")
# A second person, for the browser test's own set-up (one entry per person:
# the first person's is already set up): a managed Plex Home user with a
# PIN, and a SensCritique member of their own.
SECOND_USER = ("e2e_second", "second@plexsync.invalid", "e2e-sc-second")
SECOND_PLEX_USER = ("Robin", "1357")
# title -> (wished, rating) of the second member
SECOND_MARKS = {"Alien": (False, 9), "Ran": (True, None), "Stalker": (False, 8)}


def epoch(year: int, month: int, day: int) -> int:
    return int(datetime(year, month, day, 20, 0, tzinfo=UTC).timestamp())


def day(value: str | int | None) -> str | None:
    """The calendar day (UTC) of a SensCritique ISO date or a Plex epoch."""
    if value is None:
        return None
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).date().isoformat()
    return value[:10]


@dataclass(frozen=True)
class Film:
    """One film as seeded: its SensCritique id and Plex guid."""

    title: str
    year: int
    sc_id: int
    guid: str


@dataclass(frozen=True)
class Side:
    """What one simulator holds for one film (ratings on 1..10)."""

    wished: bool
    rating: int | None
    watched: bool
    watched_day: str | None
    views: int = 0  # Plex only: how many times it was marked watched


@dataclass
class Seeded:
    films: dict[str, Film] = field(default_factory=dict)


# title, year, in Plex's library?, Plex state, SensCritique state
#   Plex state: (watchlisted, rating, viewed epoch)
#   SC state:   (wished, rating, done date)
RULES: list[
    tuple[
        str,
        int,
        bool,
        tuple[bool, int | None, int | None],
        tuple[bool, int | None, datetime | None],
    ]
] = [
    # watchlist: Plex only -> SensCritique
    ("Heat", 1995, False, (True, None, None), (False, None, None)),
    # watchlist: SensCritique only -> Plex
    ("Alien", 1979, False, (False, None, None), (True, None, None)),
    # rating + watch: SensCritique only -> Plex
    (
        "Ran",
        1985,
        True,
        (False, None, None),
        (False, 8, datetime(2020, 3, 1, tzinfo=UTC)),
    ),
    # rating + watch: Plex only -> SensCritique, with the Plex date
    ("Brazil", 1985, False, (False, 6, epoch(2021, 5, 1)), (False, None, None)),
    # both rated: Plex rated 2022, SensCritique done 2019 -> Plex's 9 wins
    (
        "Vertigo",
        1958,
        True,
        (False, 9, epoch(2022, 1, 1)),
        (False, 5, datetime(2019, 6, 1, tzinfo=UTC)),
    ),
    # both rated: Plex rated 2018, SensCritique done 2023 -> SensCritique's 7 wins
    (
        "Psycho",
        1960,
        False,
        (False, 4, epoch(2018, 1, 1)),
        (False, 7, datetime(2023, 2, 1, tzinfo=UTC)),
    ),
    # watched on both: the later (Plex's) date goes to SensCritique
    (
        "Tampopo",
        1985,
        False,
        (False, None, epoch(2022, 8, 1)),
        (False, None, datetime(2019, 4, 1, tzinfo=UTC)),
    ),
    # already in agreement: nothing to do
    ("Stalker", 1979, True, (True, None, None), (True, None, None)),
]


def seed(sims: Simulators) -> Seeded:
    """Seed RULES on both simulators; the SC member becomes the sims' user."""
    sims.sc_credentials = SC_USER
    sims.sc_others = [SECOND_USER]
    name, pin = SECOND_PLEX_USER
    sims.plex.add_home_user(name, managed=True, pin=pin)
    seeded = Seeded()

    def seed_sc(sim: SensCritiqueSimulator) -> dict[str, int]:
        sim.state.add_user(*SC_USER)
        sim.state.add_user(*SECOND_USER)
        ids = {}
        for title, year, _lib, _plex, (wished, rating, done) in RULES:
            pid = sim.state.add_movie(title, year)
            ids[title] = pid
            if wished:
                sim.state.set_mark(SC_USER[0], pid, wished=True)
            if done is not None:
                sim.state.set_mark(SC_USER[0], pid, done=True, date_done=done)
            if rating is not None:
                sim.state.set_mark(SC_USER[0], pid, rating=rating)
            second = SECOND_MARKS.get(title)
            if second is not None:
                sim.state.set_mark(
                    SECOND_USER[0], pid, wished=second[0], rating=second[1]
                )
        return ids

    sc_ids = sims.on_senscritique(seed_sc)
    for title, year, in_library, (watchlisted, rating, viewed), _sc in RULES:
        guid = sims.plex.add_movie(
            title,
            year,
            in_library=in_library,
            rating=float(rating) if rating is not None else None,
            viewed_at=viewed,
            watchlisted_at=epoch(2024, 6, 1) if watchlisted else None,
        )
        seeded.films[title] = Film(title, year, sc_ids[title], guid)
    return seeded


def add_films(
    sims: Simulators,
    seeded: Seeded,
    titles: list[str],
    *,
    plex: tuple[bool, int | None, int | None],
    senscritique: tuple[bool, int | None, datetime | None],
) -> None:
    """More films (year 2001), all with the same state on each side."""
    for title in titles:

        def seed_sc(sim: SensCritiqueSimulator, title: str = title) -> int:
            pid = sim.state.add_movie(title, 2001)
            wished, rating, done = senscritique
            if wished:
                sim.state.set_mark(SC_USER[0], pid, wished=True)
            if done is not None:
                sim.state.set_mark(SC_USER[0], pid, done=True, date_done=done)
            if rating is not None:
                sim.state.set_mark(SC_USER[0], pid, rating=rating)
            return pid

        pid = sims.on_senscritique(seed_sc)
        watchlisted, rating, viewed = plex
        guid = sims.plex.add_movie(
            title,
            2001,
            in_library=False,
            rating=float(rating) if rating is not None else None,
            viewed_at=viewed,
            watchlisted_at=epoch(2024, 6, 1) if watchlisted else None,
        )
        seeded.films[title] = Film(title, 2001, pid, guid)


def on_plex(sims: Simulators, film: Film, *, home_user: bool = False) -> Side:
    """What Plex holds for `film`: for the account, or (`home_user`) for the
    second person, its Home user."""
    plex = sims.plex
    state = plex.home[0].state if home_user else plex.state
    hex_id = film.guid.rsplit("/", 1)[-1]
    with plex.state.lock:
        account = state.account.get(hex_id)
        wished = bool(account and account.watchlisted_at)
        lib = state.library_by_hex(hex_id)
        if lib is not None:
            rating, views, viewed = lib.user_rating, lib.view_count, lib.last_viewed_at
        else:
            rating = account.rating if account else None
            views = account.view_count if account else 0
            viewed = account.last_viewed_at if account else None
    return Side(
        wished=wished,
        rating=round(rating) if rating else None,
        watched=views > 0,
        watched_day=day(viewed),
        views=views,
    )


def on_senscritique(sims: Simulators, film: Film) -> Side:
    mark = sims.on_senscritique(lambda sim: sim.state.mark(SC_USER[0], film.sc_id))
    return Side(
        wished=mark.wished,
        rating=mark.rating,
        watched=mark.done,
        watched_day=day(mark.date_done),
    )


PLEX_WRITES = (
    "rate",
    "scrobble",
    "unscrobble",
    "addToWatchlist",
    "removeFromWatchlist",
)
SC_WRITES = (
    "ProductWish",
    "ProductUnwish",
    "ProductRate",
    "ProductDone",
    "SetDateDone",
)


def writes(sims: Simulators) -> int:
    """Write requests both simulators have received so far (SensCritique's
    capability probes count too: the tests only compare growth)."""
    plex = sum(
        1
        for _role, _method, path, _query, _paging in list(sims.plex.log)
        if path.rsplit("/", 1)[-1] in PLEX_WRITES
    )
    counts = sims.on_senscritique(lambda sim: dict(sim.requests))
    return plex + sum(counts.get(name, 0) for name in SC_WRITES)
