"""PlexClient: the blocking Plex side of a sync (the HA layer runs it in the executor).

One client = one token + one requests.Session (see session.py) handed to every
plexapi object it creates, so two clients never share hosts, timeouts or state.
plexapi's per-item auto-reload never fires: listings are decoded from their XML
elements (decode.py), not read through plexapi's lazy attributes, so no global
or environment knob is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

from plexapi import myplex

from ..engine.errors import NotFound, Unsupported
from ..engine.model import (
    Feature,
    Kind,
    Op,
    Rating,
    Side,
    Snapshot,
    Watch,
    WatchlistEntry,
    Work,
)
from ..engine.settings import Capabilities
from . import decode, reads, writes
from .decode import search_results
from .errors import RetryPolicy, plex_errors, with_retries
from .session import ServiceHosts, build_session

# plexapi is untyped: its entry point is held as Any at this one edge.
_MY_PLEX_ACCOUNT: Any = myplex.MyPlexAccount

__all__ = [
    "CAPABILITIES",
    "PlexAccountInfo",
    "PlexClient",
    "PlexServerInfo",
    "RetryPolicy",
    "ServiceHosts",
]

# Plex records "now" for a watch (scrobble has no date) and for a rating. Its
# watchlist (Discover) holds films and series only, never a season or episode.
# It keeps watches of films and episodes only: a series or season reads watched
# when all its episodes are, and marking one watched marks every episode
# watched "now" (dates that would then travel to SensCritique's episodes).
# Every write shows in the next read: no write lag, so a write Plex accepted is
# confirmed and a later read that lacks it shows the user's undo.
CAPABILITIES = Capabilities(
    watchlist=True,
    rate=True,
    unrate=True,
    mark_watched=True,
    mark_unwatched=True,
    set_watched_date=False,
    watchlist_kinds=frozenset({Kind.MOVIE, Kind.SHOW}),
    watched_kinds=frozenset({Kind.MOVIE, Kind.EPISODE}),
    lagging=frozenset(),
)


@dataclass(frozen=True)
class PlexAccountInfo:
    id: int
    uuid: str
    username: str


@dataclass(frozen=True)
class PlexServerInfo:
    id: str  # clientIdentifier
    name: str


class PlexClient:
    """See interfaces.md; every public method raises engine errors only."""

    def __init__(
        self,
        token: str,
        *,
        hosts: ServiceHosts | None = None,
        timeout: float = 20.0,
        retry: RetryPolicy | None = None,
        page_size: int = reads.PAGE_SIZE,
    ) -> None:
        self._token = token
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._page_size = page_size
        self._session = build_session(hosts or ServiceHosts(), timeout)
        self._account: Any = None  # plexapi MyPlexAccount
        self._server: Any = None  # plexapi PlexServer
        self._refs: dict[str, str] = {}  # guid -> library ratingKey, from the last read

    # ------------------------------------------------------------------ sign-in
    def _signed_in(self) -> Any:
        if self._account is None:
            with plex_errors("signing in"):
                self._account = _MY_PLEX_ACCOUNT(
                    token=self._token, session=self._session, timeout=self._timeout
                )
        return self._account

    def account(self) -> PlexAccountInfo:
        self._account = None  # always ask plex.tv: this is the sign-in check
        account = self._signed_in()
        with plex_errors("reading the account"):
            return PlexAccountInfo(
                int(account.id), str(account.uuid), str(account.username)
            )

    def servers(self) -> list[PlexServerInfo]:
        account = self._signed_in()
        with plex_errors("listing servers"):
            resources = with_retries(account.resources, self._retry, "listing servers")
            return [
                PlexServerInfo(str(r.clientIdentifier), str(r.name))
                for r in resources
                if "server" in str(r.provides or "").split(",")
            ]

    def connect(self, server_id: str | None) -> None:
        self._server = None
        self._refs = {}
        if server_id is None:
            return
        account = self._signed_in()
        with plex_errors("connecting to the server"):
            resources = with_retries(account.resources, self._retry, "listing servers")
            resource = next(
                (r for r in resources if r.clientIdentifier == server_id), None
            )
            if resource is None:
                raise NotFound(
                    Side.PLEX, "the chosen Plex server is not on this account"
                )
            # resource.connect() reuses the account's session (our adapter).
            self._server = resource.connect(timeout=self._timeout)

    # ------------------------------------------------------------------ reads
    def read_snapshot(self) -> Snapshot:
        account = self._signed_in()
        works: dict[str, Work] = {}
        ratings: dict[str, Rating] = {}
        watched: dict[str, Watch] = {}
        wl = with_retries(
            lambda: reads.watchlist(account.query, self._page_size),
            self._retry,
            "reading the watchlist",
        )
        watchlist: dict[str, WatchlistEntry] = {}
        for work, entry in wl:
            works[work.key] = work
            watchlist[entry.key] = entry
        post = self._session.post
        uuid = str(account.uuid)
        acc_works, acc_ratings = with_retries(
            lambda: reads.account_ratings(account.query, post, uuid, self._page_size),
            self._retry,
            "reading account ratings",
        )
        hist_works, acc_watched = with_retries(
            lambda: reads.account_history(account.query, post, uuid, self._page_size),
            self._retry,
            "reading account watch history",
        )
        for extra in (acc_works, hist_works):
            for key, work in extra.items():
                works.setdefault(key, work)
        ratings.update(acc_ratings)
        watched.update(acc_watched)
        refs: dict[str, str] = {}
        if self._server is not None:
            server = self._server
            library = with_retries(
                lambda: reads.library(server.query, self._page_size),
                self._retry,
                "reading the library",
            )
            for key, record in library.items():
                works[key] = record.work  # library details win (GUIDs, ref)
                if record.work.ref:
                    refs[key] = record.work.ref
                if record.rating and _newer(record.rating.rated_at, ratings.get(key)):
                    ratings[key] = record.rating
                if record.watch and _newer_watch(record.watch, watched.get(key)):
                    watched[key] = record.watch
        self._refs = refs
        for key, rating in list(ratings.items()):
            seen = watched.get(key)
            if rating.watched_at is None and seen is not None:
                ratings[key] = replace(rating, watched_at=seen.watched_at)
        return Snapshot.build(
            Side.PLEX,
            works=list(works.values()),
            watchlist=list(watchlist.values()),
            ratings=list(ratings.values()),
            watched=list(watched.values()),
        )

    def capabilities(self) -> Capabilities:
        return CAPABILITIES

    def lookup(self, key: str) -> Work | None:
        """The work `key` as Plex's metadata provider knows it (kind, title,
        year), or None when it knows no such work under this key."""
        account = self._signed_in()
        _, hex_id = writes.parse_key(key)

        def call() -> Work | None:
            root = account.query(f"{writes.METADATA}/library/metadata/{hex_id}")
            found = list(root) if root is not None else []
            if not found:
                return None
            # A metadata element has the shape of a watchlist one.
            work, _ = decode.watchlist_item(found[0])
            return work if work.key == key else None  # plex://show/<a film's id>

        try:
            return with_retries(call, self._retry, "looking up a work")
        except NotFound:
            return None

    def search(self, title: str, kind: Kind, year: int | None) -> list[Work]:
        if kind not in reads.SEARCH_TYPES:
            return []  # seasons and episodes link through their series
        account = self._signed_in()
        params = {
            "query": title,
            "limit": 30,
            "searchTypes": reads.SEARCH_TYPES[kind],
            "searchProviders": "discover",
            "includeMetadata": 1,
        }

        def call() -> list[Work]:
            data = account.query(
                f"{reads.DISCOVER}/library/search",
                headers={"Accept": "application/json"},
                params=params,
            )
            return search_results(data, kind)

        found = with_retries(call, self._retry, "searching Discover")
        if year is None:
            return found
        # Closest years first; matching does the real scoring.
        return sorted(found, key=lambda w: abs((w.year or year) - year))

    # ------------------------------------------------------------------ writes
    def apply(self, op: Op) -> None:
        if op.side is not Side.PLEX:
            raise Unsupported(Side.PLEX, f"Op for {op.side} handed to the Plex client")
        account = self._signed_in()
        kind, hex_id = writes.parse_key(op.key)
        server = self._server
        with plex_errors(f"writing {op.action.value}"):
            rating_key = self._refs.get(op.key)
            if (
                rating_key is None
                and server is not None
                and op.feature is not Feature.WATCHLIST
            ):
                rating_key = self._find_in_library(server, op.key)
            target = writes.Target(hex_id, kind, rating_key)
            writes.apply(
                op,
                target,
                account_query=account.query,
                server_query=server.query if server is not None else None,
                put=self._session.put,
            )

    def _find_in_library(self, server: Any, key: str) -> str | None:
        """The ratingKey of `key` on the server (one request), or None."""
        root = server.query(f"/library/all?guid={quote(key, safe='')}")
        for el in root if root is not None else ():
            if el.get("guid") == key and el.get("ratingKey"):
                self._refs[key] = str(el.get("ratingKey"))
                return self._refs[key]
        return None

    def close(self) -> None:
        self._session.close()
        self._account = None
        self._server = None


def _newer(at: datetime | None, known: Rating | None) -> bool:
    if known is None:
        return True
    if at is None or known.rated_at is None:
        return known.rated_at is None
    return at >= known.rated_at


def _newer_watch(watch: Watch, known: Watch | None) -> bool:
    if known is None:
        return True
    if watch.watched_at is None or known.watched_at is None:
        return known.watched_at is None
    return watch.watched_at >= known.watched_at
