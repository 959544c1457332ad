"""Every injected fault meets the typed error (or the recovery) it should."""

from __future__ import annotations

import asyncio
import itertools
import random
import socket

import aiohttp
import pytest

from custom_components.plexsync.engine.errors import (
    MalformedResponse,
    RateLimited,
    ServiceUnavailable,
)
from custom_components.plexsync.engine.model import Kind
from custom_components.plexsync.senscritique import (
    USER_AGENT,
    Politeness,
    SensCritiqueClient,
)
from custom_components.plexsync.senscritique.transport import Transport
from tests.simulators.senscritique import SensCritiqueSimulator

from .conftest import FAST, USERNAME, Catalogue, make_client


@pytest.fixture
async def reader(
    session: aiohttp.ClientSession, sim: SensCritiqueSimulator, catalogue: Catalogue
) -> SensCritiqueClient:
    client = make_client(session, sim)
    await client.use_username(USERNAME)
    sim.requests.clear()
    return client


async def test_5xx_is_retried_then_succeeds(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.fail_next(2, status=502)
    snap = await reader.read_snapshot()
    assert snap.ratings
    assert sim.requests["UserLibrary"] == 3


async def test_5xx_beyond_the_retries_is_service_unavailable(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.fail_next(5, status=500)
    with pytest.raises(ServiceUnavailable, match="3 tries"):
        await reader.read_snapshot()
    assert sim.requests["UserLibrary"] == FAST.retries + 1


async def test_cloudflare_pages_are_service_unavailable(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.fail_next(3, status=503, html=True)
    with pytest.raises(ServiceUnavailable):
        await reader.read_snapshot()
    sim.fail_next(1, status=403, html=True)  # a challenge page: not retried
    with pytest.raises(ServiceUnavailable, match="web page"):
        await reader.read_snapshot()
    assert sim.requests["UserLibrary"] == 4


async def test_short_retry_after_is_waited_out_once(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.rate_limit_next(1, retry_after=0.05)
    assert (await reader.read_snapshot()).ratings
    assert sim.requests["UserLibrary"] == 2


async def test_rate_limited_twice_in_a_row_is_raised(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.rate_limit_next(2, retry_after=0)
    with pytest.raises(RateLimited) as caught:
        await reader.read_snapshot()
    assert caught.value.retry_after == 0


@pytest.mark.parametrize(("header", "expected"), [(30, 30.0), (None, None)])
async def test_long_or_missing_retry_after_is_rate_limited(
    reader: SensCritiqueClient,
    sim: SensCritiqueSimulator,
    header: int | None,
    expected: float | None,
) -> None:
    sim.rate_limit_next(1, retry_after=header)
    with pytest.raises(RateLimited) as caught:
        await reader.read_snapshot()
    assert caught.value.retry_after == expected
    assert sim.requests["UserLibrary"] == 1  # no waiting, no retry


async def test_timeout_is_retried(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.stall_next(FAST.timeout * 3, count=1)
    assert (await reader.read_snapshot()).ratings
    assert sim.requests["UserLibrary"] == 2


async def test_timeouts_beyond_the_retries_are_service_unavailable(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.stall_next(FAST.timeout * 3, count=3)
    with pytest.raises(ServiceUnavailable, match="in time"):
        await reader.read_snapshot()


async def test_latency_below_the_timeout_is_fine(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.set_latency(0.05)
    assert (await reader.read_snapshot()).ratings
    assert sim.requests["UserLibrary"] == 1


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("not_json", MalformedResponse),
        ("bad_utf8", MalformedResponse),
        ("wrong_shape", MalformedResponse),
        ("no_data", MalformedResponse),
        ("html", ServiceUnavailable),
    ],
)
async def test_malformed_payloads(
    reader: SensCritiqueClient,
    sim: SensCritiqueSimulator,
    kind: str,
    error: type[Exception],
) -> None:
    sim.malformed_next(kind)  # type: ignore[arg-type]
    with pytest.raises(error):
        await reader.read_snapshot()
    assert (await reader.read_snapshot()).ratings  # the next read is fine again


async def test_malformed_search_answer(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    sim.malformed_next("wrong_shape", operation="SearchAutocomplete")
    with pytest.raises(MalformedResponse, match="searchAutocomplete"):
        await reader.search("Parasite", Kind.MOVIE, None)


async def test_unreachable_service_is_service_unavailable(
    session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = SensCritiqueClient(
        session, url=f"http://127.0.0.1:{port}/", politeness=FAST
    )
    with pytest.raises(ServiceUnavailable, match="could not be reached"):
        await client.use_username(USERNAME)


# ------------------------------------------------------------------ politeness


async def test_user_agent_names_plexsync_and_its_version(
    reader: SensCritiqueClient, sim: SensCritiqueSimulator
) -> None:
    await reader.read_snapshot()
    assert sim.last_headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("PlexSync/0.")


async def test_concurrency_limit_and_spacing(
    sim: SensCritiqueSimulator, catalogue: Catalogue
) -> None:
    starts: list[float] = []

    async def on_request_start(*_: object) -> None:
        starts.append(asyncio.get_running_loop().time())

    tracing = aiohttp.TraceConfig()
    tracing.on_request_start.append(on_request_start)
    gentle = Politeness(concurrency=2, min_interval=0.03, retries=0, timeout=5.0)
    sim.set_latency(0.1)
    async with aiohttp.ClientSession(trace_configs=[tracing]) as session:
        client = SensCritiqueClient(session, url=sim.url, politeness=gentle)
        await asyncio.gather(
            *(client.search("Parasite", Kind.MOVIE, None) for _ in range(6))
        )
    assert sim.max_in_flight == 2
    assert len(starts) == 6
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.03 * 0.95  # spacing between request starts


def test_backoff_grows_exponentially_with_jitter() -> None:
    transport = Transport(
        None,  # type: ignore[arg-type]  # no request is sent
        "http://unused/",
        Politeness(backoff=1.0),
        rng=random.Random(7),
    )
    for failures, nominal in ((1, 1.0), (2, 2.0), (3, 4.0)):
        delays = {transport._delay(failures) for _ in range(50)}
        assert min(delays) >= nominal * 0.5
        assert max(delays) <= nominal * 1.5
        assert len(delays) > 1  # jittered


def test_politeness_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        Politeness(concurrency=0)
    with pytest.raises(ValueError, match="timeout"):
        Politeness(timeout=0)
    with pytest.raises(ValueError, match="negative"):
        Politeness(min_interval=-1)
