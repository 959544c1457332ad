"""Instant sync: what a Plex webhook event sets off, a few seconds later.

`InstantSync.take` is handed each event the webhook receives (webhook.py).
The entry's own account's events about a library item of its server are
queued per item and a short debounce (`DEBOUNCE`) lets a burst (a rating
changed three times, a scrobble then a rating) end as one sync per item. Each
item's sync waits for any run of the entry under way (the coordinator's one
run at a time), then syncs that work alone (targeted.py). A work not linked
yet is left to a full sync, asked for at once through the coordinator's own
debounced refresh.

Besides the change events of each write, two events for automations:
``plexsync_rating_requested`` after a scrobble of a work rated on neither
side, ``plexsync_watchlist_available`` when a work on either watchlist
arrives in the Plex library (``library.new``).

What was received and ignored is counted for the diagnostics.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer

from .clients import SideClients
from .const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_USERNAME,
    EVENT_RATING_REQUESTED,
    EVENT_WATCHLIST_AVAILABLE,
    LOGGER,
)
from .engine.errors import AuthError, SyncServiceError
from .engine.model import Side, Snapshot
from .events import entry_fields
from .options import preview_only, sync_options
from .pipeline import SyncPipeline
from .targeted import OneWork, Result, async_read_plex, async_sync_one, find_link
from .webhook_payload import LIBRARY_NEW, RATE, SCROBBLE, PlexWebhookEvent


class EntryRuns(Protocol):
    """What instant sync needs of its entry's coordinator: the entry, its
    clients and pipeline, the lock every run of the entry holds, and a
    refresh of what the entities show."""

    @property
    def config_entry(self) -> ConfigEntry: ...

    @property
    def sides(self) -> SideClients: ...

    @property
    def pipeline(self) -> SyncPipeline: ...

    @property
    def read_only(self) -> bool: ...

    def exclusive(self) -> asyncio.Lock: ...

    async def async_request_refresh(self) -> None: ...


DEBOUNCE = 2.0  # seconds


class InstantSync:
    """The webhook events of one entry, synced one work at a time."""

    def __init__(self, hass: HomeAssistant, coordinator: EntryRuns) -> None:
        self.hass = hass
        self.coordinator = coordinator
        self.counts: Counter[str] = Counter()
        self.last: dict[str, Any] | None = None  # the last item synced
        # The webhook's registration on plex.tv (registration.py).
        self.registration = "not_yet"
        self.registered_url: str | None = None
        self._queued: dict[str, set[str]] = {}  # ratingKey -> events
        self._debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=DEBOUNCE,
            immediate=False,
            function=self._async_flush,
        )

    @callback
    def take(self, event: PlexWebhookEvent) -> None:
        """Queue the sync an event asks for, or count why it asks for none."""
        data = self.coordinator.config_entry.data
        self.counts["received"] += 1
        if not event.is_account(
            int(data[CONF_PLEX_ACCOUNT_ID]), data.get(CONF_PLEX_USERNAME)
        ):
            self.counts["other_account"] += 1
            return
        if not event.handled or event.rating_key is None:
            self.counts["not_handled"] += 1
            return
        if event.server_id not in (None, data.get(CONF_PLEX_SERVER_ID)):
            self.counts["other_server"] += 1  # its ratingKey is not our server's
            return
        self._queued.setdefault(event.rating_key, set()).add(event.event)
        self._debouncer.async_schedule_call()

    @callback
    def shutdown(self) -> None:
        self._queued.clear()
        self._debouncer.async_shutdown()

    async def _async_flush(self) -> None:
        queued, self._queued = self._queued, {}
        for rating_key, events in queued.items():
            try:
                await self._async_item(rating_key, events)
            except AuthError:
                self.counts["failed"] += 1
                self.coordinator.config_entry.async_start_reauth(self.hass)
            except SyncServiceError as err:
                self.counts["failed"] += 1
                LOGGER.warning("Syncing a Plex item at once failed: %s", err)

    async def _async_item(self, rating_key: str, events: set[str]) -> None:
        coordinator = self.coordinator
        entry = coordinator.config_entry
        async with coordinator.exclusive():
            plex = await async_read_plex(coordinator.pipeline, rating_key)
            if plex is None:
                self.counts[Result.UNREADABLE.value] += 1
                return
            outcome = OneWork(Result.PREVIEW, plex)
            if {RATE, SCROBBLE} & events and not preview_only(entry.options):
                options = sync_options(entry.options, read_only=coordinator.read_only)
                outcome = await async_sync_one(coordinator.pipeline, options, plex)
            wished = await self._wished(plex) if LIBRARY_NEW in events else False
        self.counts[outcome.result.value] += 1
        if outcome.result is Result.UNLINKED and {RATE, SCROBBLE} & events:
            await coordinator.async_request_refresh()
        work = next(iter(plex.works.values()))
        about = {
            **entry_fields(entry),
            "title": work.title,
            "year": work.year,
            "kind": work.kind.value,
            "plex_key": work.key,
            "senscritique_id": outcome.link.senscritique if outcome.link else None,
        }
        self.last = {**about, "events": sorted(events), "result": outcome.result.value}
        if SCROBBLE in events and plex.watched and not outcome.rated():
            self.hass.bus.async_fire(EVENT_RATING_REQUESTED, about)
        if wished:
            self.hass.bus.async_fire(EVENT_WATCHLIST_AVAILABLE, about)

    async def _wished(self, plex: Snapshot) -> bool:
        """Whether the work is on the Plex watchlist or, linked, on
        SensCritique's."""
        if plex.watchlist:
            return True
        (key,) = plex.works
        link = find_link(self.coordinator.pipeline, key)
        if link is None:
            return False
        sides = self.coordinator.sides
        read = await sides.read_item(Side.SENSCRITIQUE, link.senscritique)
        return read is not None and bool(read.watchlist)
