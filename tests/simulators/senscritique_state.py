"""State of the SensCritique simulator: a catalogue and per-member marks.

Follows the reference's simulator conventions (§11): per member and product a
rating (1..10 or None), a wish, a done flag and a done date. `productRate` sets
the rating and marks done; `productDone` marks done and keeps the wish and the
date; `productUndone` un-marks it and drops the date (keeping the rating,
inferred); `setDateDone` marks done and stores the date at midnight UTC.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

MOVIE, TVSHOW = 1, 4
UNIVERSE_CODES = {"movie": 1, "book": 2, "game": 3, "tvShow": 4, "comic": 6, "album": 7}


def iso(moment: datetime) -> str:
    """SensCritique's date format: ISO-8601 UTC with milliseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


@dataclass
class SimProduct:
    """A film, series, season or episode (seasons/episodes are products too)."""

    id: int
    universe: int
    title: str
    original_title: str | None = None
    year: int | None = None
    category: str | None = None
    season_number: int | None = None
    episode_number: int | None = None
    parent_id: int | None = None  # the show of a season, the season of an episode
    children: list[int] = field(default_factory=list)

    @property
    def top_level(self) -> bool:
        return self.parent_id is None

    @property
    def url(self) -> str:
        slug = "film" if self.universe == MOVIE else "serie"
        return f"/{slug}/{self.title.lower().replace(' ', '_')}/{self.id}"


@dataclass
class Mark:
    """One member's state on one product."""

    rating: int | None = None
    wished: bool = False
    done: bool = False
    date_done: str | None = None
    last_action: int = 0
    wished_at: str | None = None
    # Write lag: a fresh wish stays invisible for this many list reads, or
    # until this monotonic time, whichever comes first.
    hidden_reads: int = 0
    hidden_until: float = 0.0
    lagging: bool = False

    @property
    def empty(self) -> bool:
        return self.rating is None and not self.wished and not self.done


@dataclass
class SimUser:
    id: int
    username: str
    email: str
    password: str
    marks: dict[int, Mark] = field(default_factory=dict)


@dataclass
class SimToken:
    username: str
    expires_at: datetime
    revoked: bool = False


class SimState:
    """Catalogue, members, tokens. Ids are ints; products are shared by all."""

    def __init__(self) -> None:
        self.products: dict[int, SimProduct] = {}
        self.users: dict[str, SimUser] = {}
        self.tokens: dict[str, SimToken] = {}
        self.token_lifetime = timedelta(days=30)
        self.wish_lag_reads: int | None = None
        self.wish_lag_seconds: float | None = None
        # The next N productDone/productUndone answer success: false.
        self.refuse_done_writes = 0
        # Collections list a marked season or episode as an item of its own
        # (reference 6.4b: they "can appear as top-level collection items";
        # when the real service does so is unknown) instead of through its
        # series, which is then listed only for its own marks.
        self.children_listed = False
        self._next_id = 10_000_001
        self._sequence = 0

    # ------------------------------------------------------------- catalogue

    def _new_id(self, wanted: int | None) -> int:
        if wanted is not None:
            if wanted in self.products:
                raise ValueError(f"product id {wanted} already exists")
            return wanted
        while self._next_id in self.products:
            self._next_id += 1
        self._next_id += 1
        return self._next_id - 1

    def add_product(
        self,
        title: str,
        *,
        universe: int = MOVIE,
        year: int | None = None,
        original_title: str | None = None,
        id: int | None = None,
    ) -> int:
        pid = self._new_id(id)
        category = {MOVIE: "Film", TVSHOW: "Série"}.get(universe, "Autre")
        self.products[pid] = SimProduct(
            pid, universe, title, original_title, year, category=category
        )
        return pid

    def add_movie(self, title: str, year: int | None = None, **kw: object) -> int:
        return self.add_product(title, universe=MOVIE, year=year, **kw)  # type: ignore[arg-type]

    def add_show(
        self,
        title: str,
        year: int | None = None,
        seasons: Sequence[int] = (),
        *,
        original_title: str | None = None,
        id: int | None = None,
        child_ids: Iterable[int] | None = None,
    ) -> int:
        """A series with len(seasons) seasons of seasons[i] episodes each."""
        show = self.add_product(
            title, universe=TVSHOW, year=year, original_title=original_title, id=id
        )
        ids = iter(child_ids) if child_ids is not None else None
        for s_number, episodes in enumerate(seasons, 1):
            season = self._child(show, f"Saison {s_number}", next(ids) if ids else None)
            self.products[season].season_number = s_number
            for e_number in range(1, episodes + 1):
                episode = self._child(
                    season, f"Épisode {e_number}", next(ids) if ids else None
                )
                self.products[episode].season_number = s_number
                self.products[episode].episode_number = e_number
        return show

    def _child(self, parent: int, title: str, wanted: int | None) -> int:
        pid = self._new_id(wanted)
        self.products[pid] = SimProduct(
            pid, TVSHOW, title, category="Série", parent_id=parent
        )
        self.products[parent].children.append(pid)
        return pid

    def show_of(self, product: SimProduct) -> SimProduct:
        while product.parent_id is not None:
            product = self.products[product.parent_id]
        return product

    def descendants(self, product: SimProduct) -> list[SimProduct]:
        found: list[SimProduct] = []
        for child_id in product.children:
            child = self.products[child_id]
            found.append(child)
            found.extend(self.descendants(child))
        return found

    def season(self, show_id: int, number: int) -> int:
        for child in self.products[show_id].children:
            if self.products[child].season_number == number:
                return child
        raise KeyError(f"show {show_id} has no season {number}")

    def episode(self, show_id: int, season: int, number: int) -> int:
        for child in self.products[self.season(show_id, season)].children:
            if self.products[child].episode_number == number:
                return child
        raise KeyError(f"show {show_id} has no episode S{season}E{number}")

    # ---------------------------------------------------------------- members

    def add_user(
        self, username: str, email: str, password: str, *, id: int | None = None
    ) -> SimUser:
        if username in self.users:
            raise ValueError(f"user {username} already exists")
        uid = id if id is not None else 4_800_000 + len(self.users) + 1
        user = SimUser(uid, username, email, password)
        self.users[username] = user
        return user

    def user_by_id(self, uid: int) -> SimUser | None:
        return next((u for u in self.users.values() if u.id == uid), None)

    def touch(self, user: SimUser, pid: int) -> Mark:
        if pid not in self.products:
            raise KeyError(f"unknown product {pid}")
        self._sequence += 1
        mark = user.marks.setdefault(pid, Mark())
        mark.last_action = self._sequence
        return mark

    def set_mark(
        self,
        username: str,
        pid: int,
        *,
        rating: int | object | None = ...,
        wished: bool | None = None,
        done: bool | None = None,
        date_done: datetime | str | object | None = ...,
    ) -> None:
        """Seed one member's state on one product (no write lag)."""
        mark = self.touch(self.users[username], pid)
        if rating is not ...:
            mark.rating = rating  # type: ignore[assignment]
            if rating is not None:
                mark.done = True
        if wished is not None:
            mark.wished = wished
            mark.lagging = False
        if done is not None:
            mark.done = done
        if date_done is not ...:
            mark.date_done = (
                iso(date_done) if isinstance(date_done, datetime) else date_done
            )  # type: ignore[assignment]
            if date_done is not None:
                mark.done = True

    def mark(self, username: str, pid: int) -> Mark:
        """A copy of the member's state on `pid` (empty when none)."""
        return replace(self.users[username].marks.get(pid, Mark()))

    def wished(self, username: str) -> set[int]:
        return {pid for pid, m in self.users[username].marks.items() if m.wished}

    def ratings(self, username: str) -> dict[int, int]:
        return {
            pid: m.rating
            for pid, m in self.users[username].marks.items()
            if m.rating is not None
        }

    def done(self, username: str) -> dict[int, str | None]:
        return {
            pid: m.date_done for pid, m in self.users[username].marks.items() if m.done
        }

    # --------------------------------------------------------------- wish lag

    def start_wish_lag(self, mark: Mark) -> None:
        if self.wish_lag_reads is None and self.wish_lag_seconds is None:
            mark.lagging = False
            return
        mark.lagging = True
        mark.hidden_reads = (
            self.wish_lag_reads if self.wish_lag_reads is not None else -1
        )
        mark.hidden_until = (
            time.monotonic() + self.wish_lag_seconds
            if self.wish_lag_seconds is not None
            else float("inf")
        )

    def wish_visible(self, mark: Mark) -> bool:
        if not mark.wished:
            return False
        if not mark.lagging:
            return True
        reads_done = mark.hidden_reads == 0
        if reads_done or time.monotonic() >= mark.hidden_until:
            mark.lagging = False
            return True
        return False

    def count_wish_read(self, user: SimUser) -> None:
        for mark in user.marks.values():
            if mark.lagging and mark.hidden_reads > 0:
                mark.hidden_reads -= 1

    # ----------------------------------------------------------------- tokens

    def issue_token(self, username: str) -> tuple[str, SimToken]:
        token = secrets.token_hex(16)
        record = SimToken(username, datetime.now(UTC) + self.token_lifetime)
        self.tokens[token] = record
        return token, record

    def user_for_token(self, token: str | None) -> SimUser | None:
        record = self.tokens.get(token or "")
        if record is None or record.revoked or record.expires_at <= datetime.now(UTC):
            return None
        return self.users.get(record.username)

    def expire_tokens(self, username: str | None = None) -> int:
        """Revoke every live token (of one member); returns how many."""
        count = 0
        for record in self.tokens.values():
            if not record.revoked and username in (None, record.username):
                record.revoked = True
                count += 1
        return count
