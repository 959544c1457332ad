"""The fake services of the Home Assistant tests, at the client boundary:
FakeWorld holds both accounts, FakePlexClient and FakeSensCritiqueClient
read and write it; and the entry data and works the tests share."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USERNAME,
    CONF_SC_EMAIL,
    CONF_SC_MODE,
    CONF_SC_PASSWORD,
    CONF_SC_USER_ID,
    CONF_SC_USERNAME,
    DOMAIN,
    SC_MODE_ACCOUNT,
    SC_MODE_READ_ONLY,
)
from custom_components.plexsync.engine.errors import (
    AuthError,
    NotFound,
    SyncServiceError,
    Unsupported,
)
from custom_components.plexsync.engine.model import (
    Action,
    Kind,
    Rating,
    Side,
    Snapshot,
    Watch,
    WatchlistEntry,
    Work,
)
from custom_components.plexsync.engine.plans import Op
from custom_components.plexsync.engine.settings import Capabilities
from custom_components.plexsync.options import default_options
from custom_components.plexsync.plex.client import (
    PlexAccountInfo,
    PlexHomeUser,
    PlexServerInfo,
)
from custom_components.plexsync.plex.details import DiscoverDetails
from custom_components.plexsync.senscritique.client import SensCritiqueUser
from custom_components.plexsync.senscritique.writes import WRITE_LAG

from .fake_home import FakeHome

PLEX_TOKEN = "plex-token-s3cret-value"
SC_EMAIL = "someone.private@example.org"
SC_PASSWORD = "sc-passw0rd-s3cret"
SC_USERNAME = "cinephile"
PLEX_ACCOUNT = PlexAccountInfo(id=4242, uuid="uuid-4242", username="plexfan")
SC_USER = SensCritiqueUser(id=777, username=SC_USERNAME)
T0 = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class FakeSide:
    """One service's account data, as the engine's model sees it."""

    side: Side
    works: dict[str, Work] = field(default_factory=dict)
    watchlist: dict[str, WatchlistEntry] = field(default_factory=dict)
    ratings: dict[str, Rating] = field(default_factory=dict)
    watched: dict[str, Watch] = field(default_factory=dict)
    catalogue: dict[str, Work] = field(default_factory=dict)
    capabilities: Capabilities = field(default_factory=Capabilities)
    read_error: SyncServiceError | None = None
    apply_error: SyncServiceError | None = None
    search_error: SyncServiceError | None = None
    lookup_error: SyncServiceError | None = None
    applied: list[Op] = field(default_factory=list)
    reads: int = 0
    lookups: int = 0
    # Reads a wish the sync adds stays out of this side's reads (SensCritique's
    # write lag); -1: it never shows.
    wish_lag: int = 0
    hidden: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        work: Work,
        *,
        wish: bool = False,
        rating: int | None = None,
        watched: datetime | None = None,
    ) -> None:
        self.works[work.key] = work
        self.catalogue[work.key] = work
        if wish:
            self.watchlist[work.key] = WatchlistEntry(work.key, T0)
        if rating is not None:
            self.ratings[work.key] = Rating(work.key, rating, T0)
        if watched is not None:
            self.watched[work.key] = Watch(work.key, watched)

    def _read(self, work: Work) -> Work:
        """The work as this side's client returns it: read from this side."""
        return replace(work, side=self.side)

    def snapshot(self) -> Snapshot:
        self.reads += 1
        if self.read_error is not None:
            raise self.read_error
        watchlist = {k: e for k, e in self.watchlist.items() if k not in self.hidden}
        for key, left in list(self.hidden.items()):
            if left == 1:
                del self.hidden[key]
            elif left > 1:
                self.hidden[key] = left - 1
        keys = set(watchlist) | set(self.ratings) | set(self.watched)
        return Snapshot(
            side=self.side,
            works={k: self._read(self.works[k]) for k in keys},
            watchlist=watchlist,
            ratings=dict(self.ratings),
            watched=dict(self.watched),
        )

    def search(self, title: str, kind: Kind, year: int | None) -> list[Work]:
        if self.search_error is not None:
            raise self.search_error
        return [
            self._read(w)
            for w in self.catalogue.values()
            if w.kind is kind
            and title.casefold()
            in (w.title.casefold(), (w.original_title or "").casefold())
        ]

    def lookup(self, key: str) -> Work | None:
        self.lookups += 1
        if self.lookup_error is not None:
            raise self.lookup_error
        work = self.catalogue.get(key)
        return None if work is None else self._read(work)

    def apply(self, op: Op) -> None:
        if self.apply_error is not None:
            raise self.apply_error
        work = self.catalogue.get(op.key)
        if work is not None:
            self.works[op.key] = work
        if op.action is Action.ADD_WATCHLIST:
            self.watchlist[op.key] = WatchlistEntry(op.key, op.at)
            if self.wish_lag:
                self.hidden[op.key] = self.wish_lag
        elif op.action is Action.REMOVE_WATCHLIST:
            self.watchlist.pop(op.key, None)
            self.hidden.pop(op.key, None)
        elif op.action is Action.SET_RATING:
            assert op.value is not None
            self.ratings[op.key] = Rating(op.key, op.value, op.at)
        elif op.action is Action.CLEAR_RATING:
            self.ratings.pop(op.key, None)
        elif op.action is Action.MARK_WATCHED:
            self.watched[op.key] = Watch(op.key, op.at)
        else:
            self.watched.pop(op.key, None)
        self.applied.append(op)


@dataclass
class FakeWorld:
    """Both services; tests seed and inspect it."""

    plex: FakeSide = field(default_factory=lambda: FakeSide(Side.PLEX))
    senscritique: FakeSide = field(
        default_factory=lambda: FakeSide(
            Side.SENSCRITIQUE, capabilities=Capabilities(lagging=WRITE_LAG)
        )
    )
    plex_token: str = PLEX_TOKEN
    plex_account: PlexAccountInfo = PLEX_ACCOUNT
    servers: list[PlexServerInfo] = field(
        default_factory=lambda: [PlexServerInfo(id="srv1", name="Living room")]
    )
    plex_error: Exception | None = None  # raised by account()
    sc_user: SensCritiqueUser = SC_USER
    sc_email: str = SC_EMAIL
    sc_password: str = SC_PASSWORD
    sc_error: Exception | None = None  # raised by sign_in / use_username
    closed: int = 0
    home: FakeHome = field(default_factory=FakeHome)  # the account's Plex Home


class FakePlexClient:
    """Implements the PlexClient interface over a FakeWorld (blocking API)."""

    def __init__(self, world: FakeWorld, token: str) -> None:
        self._world = world
        self._token = token
        self.details = DiscoverDetails()  # the real client's: none looked up
        self.linked: frozenset[str] = frozenset()  # as the last read was told

    def account(self) -> PlexAccountInfo:
        if self._world.plex_error is not None:
            raise self._world.plex_error
        if (home := self._world.home.accounts.get(self._token)) is not None:
            return home
        if self._token != self._world.plex_token:
            raise AuthError(Side.PLEX, "Plex refused the token")
        return self._world.plex_account

    def home_users(self) -> list[PlexHomeUser]:
        owner = self._token == self._world.plex_token
        return list(self._world.home.users) if owner else []

    def switch_home_user(self, user_id: int, pin: str | None = None) -> str:
        if self._token != self._world.plex_token:
            raise AuthError(Side.PLEX, "Plex refused the token")
        return self._world.home.switch(user_id, pin)

    def servers(self) -> list[PlexServerInfo]:
        return list(self._world.servers)

    def connect(self, server_id: str | None) -> None:
        if server_id is not None and server_id not in {
            s.id for s in self._world.servers
        }:
            raise NotFound(Side.PLEX, "no such server")

    def read_snapshot(self, linked: Collection[str] = ()) -> Snapshot:
        self.linked = frozenset(linked)  # what the pipeline said was linked
        return self._world.plex.snapshot()

    def capabilities(self) -> Capabilities:
        return self._world.plex.capabilities

    def search(
        self, title: str, kind: Kind, year: int | None, language: str | None = None
    ) -> list[Work]:
        # The fake catalogue has one title per work, whatever the language.
        return self._world.plex.search(title, kind, year)

    def lookup(self, key: str) -> Work | None:
        return self._world.plex.lookup(key)

    def apply(self, op: Op) -> None:
        assert op.side is Side.PLEX
        self._world.plex.apply(op)

    def read_report(self) -> dict[str, Any]:
        return {"skipped": {}, "personal_media": 0, "legacy_works": 0}

    def webhooks(self, *, retry: bool = True) -> FakeWebhooks:
        return FakeWebhooks()

    def close(self) -> None:
        self._world.closed += 1


class FakeWebhooks:
    """A fake account without Plex Pass: no webhook is ever registered (the
    registration is tested with the real client on the simulator)."""

    def has_plex_pass(self) -> bool:
        return False

    def add(self, url: str) -> bool:
        raise AssertionError("no webhook without Plex Pass")

    def remove(self, url: str) -> bool:
        return False


class FakeSensCritiqueClient:
    """Implements the SensCritiqueClient interface over a FakeWorld."""

    def __init__(self, world: FakeWorld) -> None:
        self._world = world
        self._signed_in = False
        self._user: SensCritiqueUser | None = None

    async def sign_in(self, email: str, password: str) -> SensCritiqueUser:
        if self._world.sc_error is not None:
            raise self._world.sc_error
        if (email, password) != (self._world.sc_email, self._world.sc_password):
            raise AuthError(
                Side.SENSCRITIQUE, "SensCritique refused the e-mail or password"
            )
        self._signed_in = True
        self._user = self._world.sc_user
        return self._world.sc_user

    async def use_username(self, username: str) -> SensCritiqueUser:
        if self._world.sc_error is not None:
            raise self._world.sc_error
        if username != self._world.sc_user.username:
            raise NotFound(
                Side.SENSCRITIQUE, "SensCritique has no member with this username"
            )
        self._user = self._world.sc_user
        return self._world.sc_user

    @property
    def read_only(self) -> bool:
        return not self._signed_in

    async def read_snapshot(self) -> Snapshot:
        assert self._user is not None
        return self._world.senscritique.snapshot()

    async def capabilities(self) -> Capabilities:
        if self.read_only:
            return Capabilities(False, False, False, False, False, False)
        return self._world.senscritique.capabilities

    def capability_report(self) -> dict[str, bool | None]:
        return {"read_only": self.read_only, "wish": not self.read_only}

    def read_report(self) -> dict[str, dict[str, int]]:
        return {"skipped": {}}

    async def search(self, title: str, kind: Kind, year: int | None) -> list[Work]:
        return self._world.senscritique.search(title, kind, year)

    async def lookup(self, key: str) -> Work | None:
        return self._world.senscritique.lookup(key)

    async def apply(self, op: Op) -> None:
        assert op.side is Side.SENSCRITIQUE
        if self.read_only:
            raise Unsupported(Side.SENSCRITIQUE, "read-only")
        self._world.senscritique.apply(op)


def entry_data(**overrides: Any) -> dict[str, Any]:
    data = {
        CONF_PLEX_TOKEN: PLEX_TOKEN,
        CONF_PLEX_ACCOUNT_ID: PLEX_ACCOUNT.id,
        CONF_PLEX_USERNAME: PLEX_ACCOUNT.username,
        CONF_PLEX_SERVER_ID: "srv1",
        CONF_PLEX_SERVER_NAME: "Living room",
        CONF_SC_MODE: SC_MODE_ACCOUNT,
        CONF_SC_USER_ID: SC_USER.id,
        CONF_SC_USERNAME: SC_USERNAME,
        CONF_SC_EMAIL: SC_EMAIL,
        CONF_SC_PASSWORD: SC_PASSWORD,
    }
    data.update(overrides)
    return data


def movie(key: str, title: str, year: int) -> Work:
    return Work(key=key, kind=Kind.MOVIE, title=title, year=year)


# A film known on both sides under the same title, ready to be linked locally.
HEAT_SC = movie("1001", "Heat", 1995)
HEAT_PLEX = movie("plex://movie/aaa001", "Heat", 1995)
ALIEN_SC = movie("1002", "Alien", 1979)
ALIEN_PLEX = movie("plex://movie/aaa002", "Alien", 1979)


def read_only_entry() -> MockConfigEntry:
    """A PlexSync entry with SensCritique read only (not added to hass yet)."""
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{PLEX_ACCOUNT.id}_{SC_USER.id}",
        data=entry_data(senscritique_mode=SC_MODE_READ_ONLY),
        options=default_options(read_only=True),
    )
