"""Polite HTTP transport for SensCritique's GraphQL endpoint.

Politeness, in one place: at most `concurrency` requests in flight, at least
`min_interval` seconds between two request starts, a timeout on every request,
bounded retries with exponential backoff and jitter on 5xx answers, timeouts
and connection failures, and ``Retry-After`` honoured on 429 (one short wait
is absorbed here; a long one is handed up as `RateLimited`).

Retrying is safe for every operation we send: reads have no effect and each
write sets an absolute state (wish, unwish, rate to N, mark done...), so a
repeated write cannot double anything.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp

from ..engine.errors import MalformedResponse, RateLimited, ServiceUnavailable
from .const import USER_AGENT
from .documents import Document
from .failures import SIDE, parse_body, parse_retry_after, result_data
from .offload import OFFLOAD_BYTES, off_loop

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Politeness:
    """How gently the client treats SensCritique (tests shrink the intervals).

    `max_retry_after`: a 429 asking to wait at most this long is waited out and
    retried once; a longer (or missing) Retry-After raises `RateLimited`.
    """

    concurrency: int = 2
    min_interval: float = 0.2
    retries: int = 3
    backoff: float = 0.5
    timeout: float = 20.0
    max_retry_after: float = 5.0

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if min(self.min_interval, self.backoff, self.max_retry_after) < 0:
            raise ValueError("intervals must not be negative")
        if self.retries < 0 or self.timeout <= 0:
            raise ValueError("retries must be >= 0 and timeout > 0")


class Pacer:
    """A concurrency limit plus a minimum spacing between request starts."""

    def __init__(self, concurrency: int, min_interval: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._spacing = asyncio.Lock()
        self._min_interval = min_interval
        self._next_start = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._spacing:
                now = asyncio.get_running_loop().time()
                if self._next_start > now:
                    await asyncio.sleep(self._next_start - now)
                    now = self._next_start
                self._next_start = now + self._min_interval
            yield


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    content_type: str
    body: bytes
    retry_after: str | None


def _read_body(status: int, content_type: str, body: bytes) -> object:
    """The JSON an answer carries (see `parse_body`); the body must be UTF-8."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedResponse(
            SIDE, "SensCritique sent a body that is not UTF-8"
        ) from None
    return parse_body(status, content_type, text)


class Transport:
    """Sends one GraphQL document and returns its ``data`` or a typed error."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        politeness: Politeness,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self._session = session
        self._url = url
        self._politeness = politeness
        self._pacer = Pacer(politeness.concurrency, politeness.min_interval)
        self._rng = rng or random.Random()

    async def execute(
        self,
        document: Document,
        variables: Mapping[str, object],
        *,
        token: str | None = None,
    ) -> Mapping[str, object]:
        body = {
            "operationName": document.operation,
            "query": document.text,
            "variables": dict(variables),
        }
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token is not None:
            # Raw token, no "Bearer" prefix: what the service expects (ref §2.1).
            headers["Authorization"] = token
        failures = 0
        waited_for_rate_limit = False
        while True:
            try:
                answer = await self._send(body, headers)
            except TimeoutError:
                reason = "did not answer in time"
            except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError):
                reason = "could not be reached"
            else:
                _LOGGER.debug(
                    "SensCritique %s: HTTP %s", document.operation, answer.status
                )
                if answer.status == 429:
                    wait = parse_retry_after(answer.retry_after, datetime.now(UTC))
                    if (
                        not waited_for_rate_limit
                        and wait is not None
                        and wait <= self._politeness.max_retry_after
                    ):
                        waited_for_rate_limit = True
                        await asyncio.sleep(wait)
                        continue
                    raise RateLimited(
                        SIDE, "SensCritique asks us to slow down (HTTP 429)", wait
                    )
                if answer.status < 500:
                    return result_data(answer.status, await self._parse(answer))
                reason = f"failed (HTTP {answer.status})"
            failures += 1
            if failures > self._politeness.retries:
                raise ServiceUnavailable(
                    SIDE, f"SensCritique {reason}; gave up after {failures} tries"
                )
            _LOGGER.debug(
                "SensCritique %s %s; retry %d", document.operation, reason, failures
            )
            await asyncio.sleep(self._delay(failures))

    @staticmethod
    async def _parse(answer: _Answer) -> object:
        """Decode the body; a large one (a library page) off the event loop."""
        if len(answer.body) >= OFFLOAD_BYTES:
            return await off_loop(
                _read_body, answer.status, answer.content_type, answer.body
            )
        return _read_body(answer.status, answer.content_type, answer.body)

    def _delay(self, failures: int) -> float:
        """Exponential backoff with full jitter around the nominal delay."""
        nominal = self._politeness.backoff * 2.0 ** (failures - 1)
        return nominal * (0.5 + self._rng.random())

    async def _send(
        self, body: Mapping[str, object], headers: Mapping[str, str]
    ) -> _Answer:
        timeout = aiohttp.ClientTimeout(total=self._politeness.timeout)
        async with (
            self._pacer.slot(),
            self._session.post(
                self._url, json=body, headers=headers, timeout=timeout
            ) as response,
        ):
            # read() + our own json.loads rather than response.json(): the
            # latter would decode a large page in the event loop.
            return _Answer(
                response.status,
                response.headers.get("Content-Type", ""),
                await response.read(),
                response.headers.get("Retry-After"),
            )
