"""Run the real PlexSync coordinator inside a real Home Assistant instance.

Home Assistant comes from the test plugin's `async_test_home_assistant` (the
same machinery as the HA tests), with a temporary config directory so the
sync state is written to disk for real. The config entry is the one the
config flow would create; the clients reach the simulators through the
documented development wiring (PLEXSYNC_PLEX_HOSTS / PLEXSYNC_SENSCRITIQUE_URL).

One change from a production install: SensCritique's politeness spacing
(0.2 s between requests) is set to 0 so the bench takes seconds, not minutes.
It changes wall time only, never which requests are made.

`LoopWatch` samples the event loop every 5 ms; its `max_ms` is the longest
time the loop was held (the lateness of a wake-up), with and without the
stalls a garbage collection overlapped.
"""

from __future__ import annotations

import asyncio
import gc
import os
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any
from unittest.mock import patch

from aiohttp.resolver import AsyncResolver
from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

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
    ENV_PLEX_HOSTS,
    ENV_SENSCRITIQUE_URL,
    SC_MODE_ACCOUNT,
)
from custom_components.plexsync.coordinator import PlexSyncCoordinator
from custom_components.plexsync.options import default_options
from custom_components.plexsync.senscritique.client import (
    Politeness,
    SensCritiqueClient,
)

from . import synthetic_account as account
from .sim_process import Wiring

WATCH_PERIOD = 0.005


class LoopWatch:
    """Measures the event loop's longest stall while running.

    A stall is the lateness of a 5 ms wake-up. The interpreter's garbage
    collector also stops the loop (a full collection walks every object of
    the process, Home Assistant's included, whichever thread triggers it), so
    the watch also times collections and tells the stalls that overlapped
    one from the others: `max_ms` is every stall, `max_ms_without_gc` only
    those no collection overlapped.
    """

    def __init__(self) -> None:
        self.max_ms = 0.0
        self.max_ms_without_gc = 0.0
        self.gc_max_ms = 0.0
        self.full_collections = 0
        self._gc_started: float | None = None
        self._gc_spans: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        now = time.monotonic()
        if phase == "start":
            self._gc_started = now
            return
        if self._gc_started is None:
            return
        self._gc_spans.append((self._gc_started, now))
        self.gc_max_ms = max(self.gc_max_ms, (now - self._gc_started) * 1000)
        self.full_collections += info["generation"] == 2
        self._gc_started = None

    def _overlaps_gc(self, start: float, end: float) -> bool:
        # The "stop" callback is Python code: the loop can win the GIL back
        # between the end of a collection and that callback, so a collection
        # that has started and not reported its end yet counts too.
        started = self._gc_started
        if started is not None and started < end:
            return True
        spans = self._gc_spans
        while spans and spans[0][1] < start - 1.0:
            spans.pop(0)  # older than any stall we will still measure
        return any(s < end and e > start for s, e in spans)

    async def _watch(self) -> None:
        # time.monotonic(), not loop.time(): the test harness's loop clock may
        # be offset, and the collection spans are taken with time.monotonic().
        while True:
            before = time.monotonic()
            await asyncio.sleep(WATCH_PERIOD)
            after = time.monotonic()
            late_ms = (after - before - WATCH_PERIOD) * 1000
            self.max_ms = max(self.max_ms, late_ms)
            if not self._overlaps_gc(before, after):
                self.max_ms_without_gc = max(self.max_ms_without_gc, late_ms)

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._task = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self) -> None:
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task


def entry_data(wiring: Wiring) -> dict[str, Any]:
    return {
        CONF_PLEX_TOKEN: wiring.plex_token,
        CONF_PLEX_ACCOUNT_ID: wiring.plex_account_id,
        CONF_PLEX_USERNAME: wiring.plex_username,
        CONF_PLEX_SERVER_ID: wiring.plex_server_id,
        CONF_PLEX_SERVER_NAME: wiring.plex_server_name,
        CONF_SC_MODE: SC_MODE_ACCOUNT,
        CONF_SC_USER_ID: wiring.sc_user_id,
        CONF_SC_USERNAME: account.USERNAME,
        CONF_SC_EMAIL: account.EMAIL,
        CONF_SC_PASSWORD: account.PASSWORD,
    }


def _unpaced_senscritique(hass: HomeAssistant) -> SensCritiqueClient:
    return SensCritiqueClient(
        async_get_clientsession(hass),
        url=os.environ[ENV_SENSCRITIQUE_URL],
        politeness=Politeness(min_interval=0.0),
    )


@asynccontextmanager
async def plexsync_in_home_assistant(
    wiring: Wiring,
) -> AsyncIterator[tuple[HomeAssistant, MockConfigEntry]]:
    """A running HA with a PlexSync entry added (not set up yet)."""
    os.environ[ENV_PLEX_HOSTS] = wiring.plex_hosts
    os.environ[ENV_SENSCRITIQUE_URL] = wiring.sc_url
    with (
        tempfile.TemporaryDirectory(prefix="plexsync-bench-") as config_dir,
        patch("custom_components.plexsync.new_senscritique", _unpaced_senscritique),
        # No zeroconf in a bench (the test plugin does the same).
        patch(
            "homeassistant.helpers.aiohttp_client._async_make_resolver",
            return_value=AsyncResolver(),
        ),
    ):
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            entry = MockConfigEntry(
                domain=DOMAIN,
                unique_id=f"{wiring.plex_account_id}_{wiring.sc_user_id}",
                data=entry_data(wiring),
                options=default_options(read_only=False),
            )
            entry.add_to_hass(hass)
            try:
                yield hass, entry
            finally:
                await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_block_till_done()


def coordinator_of(entry: MockConfigEntry) -> PlexSyncCoordinator:
    coordinator: PlexSyncCoordinator = entry.runtime_data.coordinator
    return coordinator


async def timed(awaitable: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = await awaitable
    return result, time.perf_counter() - started
