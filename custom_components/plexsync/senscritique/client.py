"""SensCritique client: sign-in, complete reads, search and writes.

The client runs on an injected `aiohttp.ClientSession` (Home Assistant's
shared session in production) and speaks only in engine model objects and
engine errors. Two modes:

* signed in (`sign_in`): e-mail and password give a session token that is sent
  raw in ``Authorization``. When the service refuses the token (expired,
  revoked) the client signs in again ONCE by itself and repeats the request;
  a second refusal, or a refused sign-in, raises `AuthError`.
* read-only (`use_username`): public collection reads of one member, no
  writes at all (`capabilities` reports none).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime

import aiohttp

from ..engine.errors import AuthError, NotFound, Unsupported
from ..engine.model import Kind, Side, Snapshot, Work
from ..engine.plans import Op
from ..engine.settings import Capabilities
from .account import SensCritiqueUser, SignedIn
from .capabilities import CapabilityRegistry
from .const import DEFAULT_URL, PAGE_SIZE, SEARCH_LIMIT, UNIVERSE_ARGUMENT
from .decode import decode_lookup, decode_search, decode_sign_in, decode_user_lookup
from .documents import (
    PRODUCT_LOOKUP,
    PRODUCT_STATE,
    SEARCH,
    SIGN_IN,
    USER_LOOKUP,
    Document,
)
from .failures import SIDE, QueryRejected, TokenRefused
from .item import decode_item
from .library import build_snapshot, read_library
from .offload import off_loop
from .transport import Politeness, Transport
from .writes import Writer

__all__ = ["DEFAULT_URL", "Politeness", "SensCritiqueClient", "SensCritiqueUser"]

_NO_WRITES = Capabilities(
    watchlist=False,
    rate=False,
    unrate=False,
    mark_watched=False,
    mark_unwatched=False,
    set_watched_date=False,
)


class _Credentials:
    """E-mail and password kept in memory for the automatic re-sign-in."""

    __slots__ = ("email", "password")

    def __init__(self, email: str, password: str) -> None:
        self.email = email
        self.password = password

    def __repr__(self) -> str:
        return "_Credentials(<hidden>)"


class SensCritiqueClient:
    """Async client of SensCritique's GraphQL API (see module docstring)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        url: str = DEFAULT_URL,
        politeness: Politeness | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._transport = Transport(session, url, politeness or Politeness())
        self._page_size = page_size
        self._user: SensCritiqueUser | None = None
        self._credentials: _Credentials | None = None
        self._session: SignedIn | None = None
        self._renewing = asyncio.Lock()
        self._probing = asyncio.Lock()
        self._registry = CapabilityRegistry()
        self._writer = Writer(self._call, self._registry)
        self._skipped: dict[str, int] = {}

    # ------------------------------------------------------------- identity

    async def sign_in(self, email: str, password: str) -> SensCritiqueUser:
        """Sign in with e-mail and password; `AuthError` when refused."""
        signed = await self._request_session(email, password)
        self._credentials = _Credentials(email, password)
        self._session = signed
        self._user = signed.user
        return signed.user

    async def use_username(self, username: str) -> SensCritiqueUser:
        """Read-only mode: public reads of `username`; `NotFound` if unknown."""
        if not username.strip():
            raise NotFound(SIDE, "SensCritique username is empty")
        data = await self._transport.execute(
            USER_LOOKUP, {"username": username.strip()}
        )
        user = decode_user_lookup(data)
        if user is None:
            raise NotFound(SIDE, "SensCritique has no member with this username")
        self._credentials = None
        self._session = None
        self._user = user
        return user

    @property
    def read_only(self) -> bool:
        return self._session is None

    @property
    def user(self) -> SensCritiqueUser | None:
        return self._user

    # ----------------------------------------------------------------- reads

    async def read_snapshot(self) -> Snapshot:
        """The member's complete wishes, ratings and done works (all pages)."""
        user = self._require_user()
        read = await read_library(self._call, user.username, self._page_size)
        self._skipped = read.skipped
        # Assembling 10,000 works takes over 100 ms: not in the event loop.
        return await off_loop(build_snapshot, read.lists)

    async def search(self, title: str, kind: Kind, year: int | None) -> list[Work]:
        """Films or series whose title matches, closest year first.

        Seasons and episodes are never searched: they are linked through their
        series. The year only orders the results; the matcher decides.
        """
        universe = UNIVERSE_ARGUMENT.get(kind)
        if universe is None or not title.strip():
            return []
        data = await self._call(
            SEARCH,
            {"keywords": title.strip(), "universe": universe, "limit": SEARCH_LIMIT},
        )
        works = [work for work in decode_search(data) if work.kind is kind]
        if year is None:
            return works
        return sorted(
            works, key=lambda w: abs(w.year - year) if w.year is not None else 10_000
        )

    async def lookup(self, key: str) -> Work | None:
        """The product `key` (kind, title, year), or None when SensCritique
        has no such film, series, season or episode."""
        data = await self._call(PRODUCT_LOOKUP, {"id": int(key)})
        return decode_lookup(data)

    async def read_item(self, key: str) -> Snapshot | None:
        """The product `key` and the member's marks on it, as a snapshot of
        that one work (one request); None when there is no such product."""
        user = self._require_user()
        data = await self._call(
            PRODUCT_STATE, {"id": int(key), "username": user.username}
        )
        return decode_item(data)

    # ---------------------------------------------------------- capabilities

    async def capabilities(self) -> Capabilities:
        """What can be written; uncertain writes are probed once and cached."""
        if self.read_only:
            return _NO_WRITES
        await self._ensure_probed()
        return self._writer.capabilities()

    def capability_report(self) -> dict[str, bool | None]:
        """For diagnostics: each write, True/False, None when not probed yet."""
        writable = not self.read_only
        report: dict[str, bool | None] = {
            "read_only": self.read_only,
            "wish": writable,
            "rate": writable,
        }
        for capability, found in self._registry.report().items():
            report[capability.value] = found if writable else None
        return report

    def read_report(self) -> dict[str, dict[str, int]]:
        """For diagnostics: per list, the items the last read had to skip."""
        return {"skipped": dict(self._skipped)}

    # ---------------------------------------------------------------- writes

    async def apply(self, op: Op) -> None:
        """Carry out one write; raises a typed error when it did not happen."""
        if op.side is not Side.SENSCRITIQUE:
            raise ValueError(f"{op.action} is for {op.side}, not SensCritique")
        if self.read_only:
            raise Unsupported(SIDE, "SensCritique is connected read-only (no password)")
        await self._ensure_probed()
        await self._writer.apply(op, datetime.now(UTC))

    # ------------------------------------------------------------- internals

    def _require_user(self) -> SensCritiqueUser:
        if self._user is None:
            raise RuntimeError("call sign_in() or use_username() first")
        return self._user

    async def _ensure_probed(self) -> None:
        async with self._probing:
            if not self._registry.probed:
                await self._registry.probe(lambda document: self._call(document, {}))

    async def _request_session(self, email: str, password: str) -> SignedIn:
        try:
            data = await self._transport.execute(
                SIGN_IN, {"email": email, "password": password}
            )
        except (TokenRefused, NotFound) as err:
            raise AuthError(
                SIDE, "SensCritique refused the e-mail or password"
            ) from err
        except QueryRejected as err:
            if "BAD_USER_INPUT" in err.codes:
                raise AuthError(
                    SIDE, "SensCritique refused the e-mail or password"
                ) from err
            raise
        signed = decode_sign_in(data)
        if signed is None:
            raise AuthError(SIDE, "SensCritique refused the e-mail or password")
        return signed

    async def _renew(self, refused: SignedIn) -> SignedIn:
        """Sign in again, unless another task already did since `refused`."""
        async with self._renewing:
            if self._session is not refused and self._session is not None:
                return self._session
            if self._credentials is None:
                raise AuthError(SIDE, "SensCritique session expired")
            signed = await self._request_session(
                self._credentials.email, self._credentials.password
            )
            if self._user is not None and signed.user.id != self._user.id:
                raise AuthError(SIDE, "SensCritique signed in as another member")
            self._session = signed
            return signed

    async def _call(
        self, document: Document, variables: Mapping[str, object]
    ) -> Mapping[str, object]:
        """Send `document`, signed in when we are, renewing the session once."""
        session = self._session
        if session is None:
            return await self._transport.execute(document, variables)
        if session.expires_at is not None and session.expires_at <= datetime.now(UTC):
            session = await self._renew(session)
        try:
            return await self._transport.execute(
                document, variables, token=session.token
            )
        except TokenRefused:
            session = await self._renew(session)
        try:
            return await self._transport.execute(
                document, variables, token=session.token
            )
        except TokenRefused as err:
            raise AuthError(
                SIDE, "SensCritique refused the session even after signing in again"
            ) from err
