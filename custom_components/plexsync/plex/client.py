"""PlexClient: the blocking Plex side of a sync (the HA layer runs it in the executor).

One client = one token + one requests.Session (see session.py) handed to every
plexapi object it creates, so two clients never share hosts, timeouts or state.
plexapi's per-item auto-reload never fires: listings are decoded from their XML
elements (decode.py), not read through plexapi's lazy attributes, so no global
or environment knob is touched.

Libraries of the legacy agents are read and written like any other: their
items have keys of their own (guids.py), the account's records of the same
films are folded into them (fold.py), ratings and watches are written on the
server by ratingKey, and the watchlist through their Discover twin
(discover.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from plexapi import myplex

from ..engine.errors import NotFound, SyncServiceError, Unsupported
from ..engine.model import Action, Feature, Kind, Side, Snapshot, Work
from ..engine.plans import Op
from ..engine.settings import Capabilities
from . import item, reads, writes
from .capabilities import CAPABILITIES
from .details import DiscoverDetails, asked_first
from .discover import METADATA, DiscoverTwins, external_ids, metadata_path
from .errors import RetryPolicy, plex_errors, with_retries
from .fold import LegacyWorks, PlexRecords, fold
from .guids import is_discover_key
from .home import PlexHomeUser, home_users, switch_token
from .reads import ReadTally
from .session import ServiceHosts, build_session
from .webhooks import PlexWebhooks

_LOGGER = logging.getLogger(__name__)

# plexapi is untyped: its entry point is held as Any at this one edge.
_MY_PLEX_ACCOUNT: Any = myplex.MyPlexAccount


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
        self._refs: dict[str, str] = {}  # key -> library ratingKey, from the last read
        self._legacy: dict[str, Work] = {}  # legacy library works of the last read
        # Of the last read: legacy key -> the Discover key whose account rating
        # (watch) was folded into it (fold.py); removals clear those too.
        self._rated_twin: dict[str, str] = {}
        self._watched_twin: dict[str, str] = {}
        self._twins = DiscoverTwins()
        self._details = DiscoverDetails()
        self._tally = ReadTally()

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
            # A managed Home user has no username, only its Home name.
            name = account.username or account.title
            return PlexAccountInfo(int(account.id), str(account.uuid), str(name))

    def home_users(self) -> list[PlexHomeUser]:
        return home_users(self._signed_in(), self._retry)

    def switch_home_user(self, user_id: int, pin: str | None = None) -> str:
        """Home user `user_id`'s own token (a new client reads as them)."""
        return switch_token(self._signed_in(), self._session.post, user_id, pin)

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
    def _read[T](
        self, call: Callable[[ReadTally], T], what: str, tally: ReadTally
    ) -> T:
        """One list read (retried whole); its skips are counted once."""

        def attempt() -> tuple[T, ReadTally]:
            attempt_tally = ReadTally()
            return call(attempt_tally), attempt_tally

        result, read_tally = with_retries(attempt, self._retry, what)
        tally.add(read_tally)
        return result

    def read_snapshot(self, linked: Collection[str] = ()) -> Snapshot:
        """The whole account; the works of `linked` (keys) need no details."""
        account = self._signed_in()
        size = self._page_size
        tally = ReadTally()
        records = PlexRecords()
        for work, entry in self._read(
            lambda t: reads.watchlist(account.query, t, size),
            "reading the watchlist",
            tally,
        ):
            records.works[work.key] = work
            records.watchlist[entry.key] = entry
        post = self._session.post
        uuid = str(account.uuid)
        acc_works, acc_ratings = self._read(
            lambda t: reads.account_ratings(account.query, post, uuid, t, size),
            "reading account ratings",
            tally,
        )
        hist_works, acc_watched = self._read(
            lambda t: reads.account_history(account.query, post, uuid, t, size),
            "reading account watch history",
            tally,
        )
        for extra in (acc_works, hist_works):
            for key, work in extra.items():
                records.works.setdefault(key, work)
        records.ratings.update(acc_ratings)
        records.watched.update(acc_watched)
        refs: dict[str, str] = {}
        legacy: dict[str, Work] = {}
        if self._server is not None:
            server = self._server
            library = self._read(
                lambda t: reads.library(server.query, t, size),
                "reading the library",
                tally,
            )
            for key, record in library.items():
                records.works[key] = record.work  # library details win (GUIDs, ref)
                if record.work.ref:
                    refs[key] = record.work.ref
                if not is_discover_key(key):
                    legacy[key] = record.work
                if record.rating:
                    records.take_rating(record.rating)
                if record.watch:
                    records.take_watch(record.watch)
        self._refs, self._legacy, self._tally = refs, legacy, tally
        self._add_details(records, linked)
        twins = self._twins.fold_twins(
            records, LegacyWorks(legacy.values()), self._external_ids, refs.keys()
        )
        fold(records, twins)
        self._rated_twin, self._watched_twin = records.rated_twin, records.watched_twin
        for key, rating in list(records.ratings.items()):
            seen = records.watched.get(key)
            if rating.watched_at is None and seen is not None:
                records.ratings[key] = replace(rating, watched_at=seen.watched_at)
        return Snapshot.build(
            Side.PLEX,
            works=list(records.works.values()),
            watchlist=list(records.watchlist.values()),
            ratings=list(records.ratings.values()),
            watched=list(records.watched.values()),
        )

    def webhooks(self, *, retry: bool = True) -> PlexWebhooks:
        """The account's webhook registrations (webhooks.py), retried or not."""
        once = RetryPolicy(retries=0)
        return PlexWebhooks(self._signed_in, self._retry if retry else once)

    def read_item(self, rating_key: str) -> Snapshot | None:
        """Library item `rating_key` alone (item.py); None: not readable alone."""
        server, account = self._server, self._signed_in()
        if server is None:
            return None
        read = with_retries(
            lambda: item.read_item(server.query, account.query, rating_key),
            self._retry,
            "reading one item",
        )
        refs = {w.key: w.ref for w in read.works.values() if w.ref} if read else {}
        self._refs.update(refs)
        return read

    def _add_details(self, records: PlexRecords, linked: Collection[str]) -> None:
        """Original titles, years and external ids of the account-level works
        from Discover's item details (details.py): asked once per work."""
        self._details.keep_only(records.works)
        self._fetch_details(asked_first(records, linked))
        for key, work in records.works.items():
            records.works[key] = self._details.enrich(work)

    def _fetch_details(self, keys: list[str]) -> None:
        account = self._signed_in()
        self._details.fetch(
            keys,
            lambda ids: with_retries(
                lambda: account.query(f"{METADATA}/library/metadata/{ids}"),
                self._retry,
                "reading Discover item details",
            ),
        )

    @property
    def details(self) -> DiscoverDetails:
        """The Discover item details known (kept in the entry's store)."""
        return self._details

    def _external_ids(self, key: str) -> tuple[str, ...]:
        """The external ids of Discover item `key`; none when it is unknown."""
        account = self._signed_in()
        try:
            root = with_retries(
                lambda: account.query(metadata_path(key)),
                self._retry,
                "looking up a Discover item",
            )
        except NotFound:
            return ()
        return external_ids(root)

    def read_report(self) -> dict[str, Any]:
        """For diagnostics: what the last read left out, the legacy library
        works it found, and the watchlist writes no Discover item can take."""
        return {
            "skipped": dict(self._tally.skipped),
            "personal_media": self._tally.personal_media,
            "legacy_works": len(self._legacy),
            "details_known": len(self._details),
            "details_requests": self._details.requests,
            **self._twins.report(),
        }

    def capabilities(self) -> Capabilities:
        return replace(CAPABILITIES, watchlist_unreachable=self._twins.unreachable)

    def lookup(self, key: str) -> Work | None:
        """The work `key` as Plex's metadata provider knows it (kind, title,
        year), or None when it knows no such work under this key."""
        account = self._signed_in()
        try:
            return with_retries(
                lambda: reads.lookup(account.query, key),
                self._retry,
                "looking up a work",
            )
        except NotFound:
            return None

    def search(
        self, title: str, kind: Kind, year: int | None, language: str | None = None
    ) -> list[Work]:
        """Discover's films or series titled `title` (in `language`)."""
        if kind not in reads.SEARCH_TYPES:
            return []  # seasons and episodes link through their series
        account = self._signed_in()
        return with_retries(
            lambda: reads.search(account.query, title, kind, year, language),
            self._retry,
            "searching Discover",
        )

    # ------------------------------------------------------------------ writes
    def apply(self, op: Op) -> None:
        if op.side is not Side.PLEX:
            raise Unsupported(Side.PLEX, f"Op for {op.side} handed to the Plex client")
        account = self._signed_in()
        server = self._server
        with plex_errors(f"writing {op.action.value}"):
            if is_discover_key(op.key):
                target = self._discover_target(op, server)
            else:
                target = self._legacy_target(op)
            writes.apply(
                op,
                target,
                account_query=account.query,
                server_query=server.query if server is not None else None,
                put=self._session.put,
            )
        if op.action is Action.ADD_WATCHLIST and self._legacy:
            self._learn(op.key)

    def _learn(self, key: str) -> None:
        """What the next read needs to fold a new watchlist item (discover.py):
        its details (details.py), asked now, and not at all when the service
        does not answer (the read will ask again): the write itself succeeded."""
        if not is_discover_key(key):
            return
        try:
            self._fetch_details([key])
        except SyncServiceError as err:
            _LOGGER.debug("Looking up a new watchlist item failed: %s", err)

    def _discover_target(self, op: Op, server: Any) -> writes.Target:
        kind, hex_id = writes.parse_key(op.key)
        rating_key = self._refs.get(op.key)
        if (
            rating_key is None
            and server is not None
            and op.feature is not Feature.WATCHLIST
        ):
            rating_key = self._find_in_library(server, op.key)
        return writes.Target(hex_id, kind, rating_key)

    def _legacy_target(self, op: Op) -> writes.Target:
        """A legacy library work: its ratingKey; for the watchlist, its twin."""
        if "://" not in op.key:
            raise Unsupported(Side.PLEX, f"not a key of Plex: {op.key!r}")
        work = self._legacy.get(op.key)
        if work is None or self._server is None:
            raise NotFound(Side.PLEX, "the work is no longer in the Plex library")
        if op.feature is Feature.WATCHLIST:
            key = self._twins.watchlist_key(work, self.search, self._external_ids)
            return writes.Target(writes.parse_key(key)[1], work.kind, None)
        folded = (
            self._rated_twin if op.feature is Feature.RATINGS else self._watched_twin
        )
        twin = folded.get(op.key)
        return writes.Target(
            writes.parse_key(twin)[1] if twin else None,
            work.kind,
            self._refs[op.key],
            account_too=twin is not None,
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
