"""webhook_event: what one Plex webhook event costs, on the synthetic account
of bench_sync (10,000 works per side; 1,000 with --quick).

After the set-up's first sync, the user rates EVENTS linked films of the Plex
library, one at a time; for each, a real-format multipart ``media.rate`` call
goes to the entry's webhook (through Home Assistant's webhook component, as
Home Assistant Cloud relays it) and the bench waits for the rating's change
event. Per event: the requests each simulator answered (by kind), the time
from the call to the write (`latency_s`, including the 2 s debounce that lets
a burst end as one sync) and the sync itself after the debounce (`sync_s`).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from homeassistant.components import webhook
from homeassistant.core import Event
from homeassistant.util.aiohttp import MockRequest

from custom_components.plexsync.const import CONF_WEBHOOK_ID, EVENT_CHANGE
from custom_components.plexsync.engine.model import Kind
from custom_components.plexsync.instant import DEBOUNCE

from .ha_sync import coordinator_of, plexsync_in_home_assistant
from .sim_process import SimulatorProcess

EVENTS = 5
BOUNDARY = "------------------------4f8e2b1c9d7a6e53"


def _body(rating_key: str, guid: str, account_id: int, server_id: str) -> bytes:
    """A media.rate call as a Plex Media Server sends it (reference:
    fixtures/webhook_multipart_example.http), with its poster."""
    payload = {
        "event": "media.rate",
        "user": True,
        "owner": True,
        "rating": 8.0,
        "Account": {"id": account_id, "title": "bench"},
        "Server": {"title": "bench", "uuid": server_id},
        "Metadata": {
            "ratingKey": rating_key,
            "key": f"/library/metadata/{rating_key}",
            "guid": guid,
            "type": "movie",
            "userRating": 8.0,
        },
    }
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="payload"\r\n'
            "Content-Type: application/json\r\n\r\n"
            f"{json.dumps(payload)}\r\n"
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="thumb"; filename="image.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff\xd8"
        + b"\0" * 50_000
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


async def _measure(n: int) -> dict[str, Any]:
    with SimulatorProcess(n) as sims:
        wiring = sims.wiring
        assert wiring is not None
        async with plexsync_in_home_assistant(wiring) as (hass, entry):
            if not await hass.config_entries.async_setup(entry.entry_id):
                raise RuntimeError(f"set-up failed: {entry.state} {entry.reason}")
            await hass.async_block_till_done()
            coordinator = coordinator_of(entry)
            written: asyncio.Queue[float] = asyncio.Queue()

            def on_change(event: Event) -> None:
                if event.data.get("action") == "set_rating":
                    written.put_nowait(time.perf_counter())

            hass.bus.async_listen(EVENT_CHANGE, on_change)
            films = [
                link
                for link in coordinator.state.links.values()
                if link.kind is Kind.MOVIE
            ]
            runs: list[dict[str, Any]] = []
            for link in films:
                if len(runs) == EVENTS:
                    break
                agreed = coordinator.state.agreed.get(link.id)
                value = 3 if agreed is None or agreed.rating != 3 else 5  # a change
                rating_key = sims.rate(link.plex, float(value))
                if rating_key is None:
                    continue  # not in the library: no webhook for it
                sims.reset()
                body = _body(
                    rating_key, link.plex, wiring.plex_account_id, wiring.plex_server_id
                )
                request = MockRequest(
                    content=body,
                    mock_source="bench",
                    method="POST",
                    headers={
                        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"
                    },
                )
                posted = time.perf_counter()
                response = await webhook.async_handle_webhook(
                    hass, entry.data[CONF_WEBHOOK_ID], request
                )
                if response.status != 200:
                    raise RuntimeError(f"webhook answered {response.status}")
                try:
                    done = await asyncio.wait_for(written.get(), DEBOUNCE + 30)
                except TimeoutError as err:
                    instant = entry.runtime_data.instant
                    raise RuntimeError(
                        f"no write: {dict(instant.counts)} {instant.last}"
                    ) from err
                await hass.async_block_till_done()
                counts = sims.counts()
                runs.append(
                    {
                        "requests": {s: sum(k.values()) for s, k in counts.items()},
                        "by_kind": counts,
                        "latency_s": done - posted,
                    }
                )
    if not runs:
        raise RuntimeError("no linked film of the library to rate")
    totals = [sum(r["requests"].values()) for r in runs]
    latencies = [r["latency_s"] for r in runs]
    return {
        "name": "webhook_event",
        "works_per_side": n,
        "events": len(runs),
        "requests_per_event": max(totals),
        "requests_by_side": runs[0]["requests"],
        "by_kind": runs[0]["by_kind"],
        "list_reads": sum(
            count
            for r in runs
            for side in r["by_kind"].values()
            for kind, count in side.items()
            if kind == "read"
        ),
        "latency_s_max": round(max(latencies), 2),
        "sync_s_max": round(max(latencies) - DEBOUNCE, 2),
    }


def run(quick: bool) -> dict[str, Any]:
    return asyncio.run(_measure(1_000 if quick else 10_000))


if __name__ == "__main__":
    print(json.dumps(run(quick=True)))
