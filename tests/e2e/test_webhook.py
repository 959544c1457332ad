"""Plex webhooks into the real `hass` process (issue 17's acceptance): a
real-format multipart media.rate POST puts the rating on SensCritique within
5 s in at most 6 requests; a media.scrobble marks the film seen there and
fires plexsync_rating_requested (seen on the Activity event entity); another
account's payload and a malformed one change nothing."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest

from tests.simulators.serve import Simulators

from . import scenario
from .conftest import E2E, run
from .hass_process import HassClient
from .world import SC_USER, epoch

pytestmark = pytest.mark.e2e

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 4096 + b"\xff\xd9"


def _form(data: dict[str, Any] | str) -> aiohttp.FormData:
    body = aiohttp.FormData()
    text = data if isinstance(data, str) else json.dumps(data)
    body.add_field("payload", text, content_type="application/json")
    body.add_field("thumb", JPEG, filename="image.jpg", content_type="image/jpeg")
    return body


def _payload(
    sims: Simulators, event: str, guid: str, account_id: int = 1
) -> dict[str, Any]:
    plex = sims.plex
    item = plex.library_item(guid)
    assert item is not None
    return {
        "event": event,
        "user": True,
        "owner": True,
        "Account": {"id": account_id, "title": plex.username},
        "Server": {"title": plex.server_name, "uuid": plex.server_id},
        "Metadata": {
            "ratingKey": str(item.rating_key),
            "key": f"/library/metadata/{item.rating_key}",
            "guid": guid,
            "type": "movie",
        },
    }


def _requests(sims: Simulators) -> int:
    plex = sum(n for name, n in sims.plex.requests.items() if name.endswith(":*"))
    return plex + sims.on_senscritique(lambda sim: sim.http_requests)


async def _until(check: Any, within: float) -> float:
    """Seconds until `check()` holds (bounded by `within`)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within} s")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def _webhook_url(client: HassClient, hass_url: str) -> str:
    (hooks,) = await client.websocket({"type": "webhook/list"})
    (hook,) = [h for h in hooks if h["domain"] == "plexsync"]
    return f"{hass_url}/api/webhook/{hook['webhook_id']}"


def test_webhooks_sync_one_work_at_once(e2e: E2E) -> None:
    run(_scenario(e2e))


async def _scenario(e2e: E2E) -> None:
    sims = e2e.sims
    pid = sims.on_senscritique(lambda sim: sim.state.add_movie("Rashomon", 1950))
    sims.on_senscritique(lambda sim: sim.state.set_mark(SC_USER[0], pid, done=True))
    guid = sims.plex.add_movie(
        "Rashomon", 1950, in_library=True, viewed_at=epoch(2024, 1, 1)
    )
    rating = lambda: sims.on_senscritique(  # noqa: E731
        lambda sim: sim.state.ratings(SC_USER[0]).get(pid)
    )
    async with aiohttp.ClientSession() as session:
        client = await e2e.client(session)
        await scenario.sync(client, e2e.entry_id)  # links Rashomon
        url = await _webhook_url(client, e2e.hass.url)

        # Another account's rating: 200, nothing read or written.
        item = sims.plex.library_item(guid)
        assert item is not None
        with sims.plex.state.lock:
            sims.plex.state.rate_library(item, 9.0, int(time.time()))
        before = _requests(sims)
        other = _payload(sims, "media.rate", guid, account_id=5551234)
        async with session.post(url, data=_form(other)) as resp:
            assert resp.status == 200
        # A malformed payload: 400, nothing read or written.
        async with session.post(url, data=_form("{not json")) as resp:
            assert resp.status == 400
        await asyncio.sleep(3)  # past the debounce
        assert _requests(sims) == before
        assert rating() is None

        # The owner's rating: on SensCritique within 5 s, in <= 6 requests.
        before = _requests(sims)
        async with session.post(
            url, data=_form(_payload(sims, "media.rate", guid))
        ) as resp:
            assert resp.status == 200
        seconds = await _until(lambda: rating() == 9, within=5)
        await asyncio.sleep(0.5)
        used = _requests(sims) - before
        print(f"media.rate: {seconds:.2f} s, {used} requests")
        assert used <= 6

        # A scrobble of a film rated nowhere: seen on SensCritique, and a
        # rating asked for.
        seen_pid = sims.on_senscritique(lambda sim: sim.state.add_movie("Ikiru", 1952))
        sims.on_senscritique(
            lambda sim: sim.state.set_mark(SC_USER[0], seen_pid, wished=True)
        )
        seen = sims.plex.add_movie(
            "Ikiru", 1952, in_library=True, watchlisted_at=epoch(2024, 1, 1)
        )
        await scenario.sync(client, e2e.entry_id)  # links Ikiru (both watchlists)
        ikiru = sims.plex.library_item(seen)
        assert ikiru is not None
        with sims.plex.state.lock:
            sims.plex.state.scrobble_library(ikiru, int(time.time()), played=True)
        async with session.post(
            url, data=_form(_payload(sims, "media.scrobble", seen))
        ) as resp:
            assert resp.status == 200
        done = lambda: sims.on_senscritique(  # noqa: E731
            lambda sim: seen_pid in sim.state.done(SC_USER[0])
        )
        await _until(done, within=5)
        # The Activity entity shows the request (after the write's change).
        activity = (await scenario.entities(client, e2e.entry_id))["activity"]
        for _ in range(50):
            state = await client.state(activity)
            if state["attributes"].get("event_type") == "rating_requested":
                break
            await asyncio.sleep(0.1)
        assert state["attributes"]["event_type"] == "rating_requested"
        assert state["attributes"]["title"] == "Ikiru"
