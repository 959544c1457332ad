"""The first sync, planned but not made: what the config flow shows before the
entry exists.

It is a dry run of the sync pipeline from an empty base (nothing agreed yet,
exactly what the entry's first run will start from), with both clients
signed in: the same reads, matching and planner as every run, nothing
written and nothing saved. Reads and planning run off the event loop as in
any run; the whole preview is bounded in time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant

from .clients import SideClients, async_new_plex
from .const import CONF_PLEX_SERVER_ID, CONF_PLEX_TOKEN
from .engine.model import Feature, Side
from .engine.plans import Plan
from .engine.settings import SyncOptions
from .pipeline import SyncPipeline, SyncRequest
from .senscritique.client import SensCritiqueClient
from .store import PlexSyncStore

# Reading two large accounts takes tens of seconds; a service that stalls
# must not hold the set-up form for ever.
PREVIEW_TIMEOUT = 180.0
# The dry run saves nothing: this store is never read or written.
_NO_STORE_ID = "first_sync_preview"


@dataclass(frozen=True, slots=True)
class FirstSyncPreview:
    """How many writes the first sync would make on each side, per feature,
    and how many works it could link or not."""

    writes: Mapping[Side, Mapping[Feature, int]]
    linked: int
    unmatched: int

    @classmethod
    def of(cls, plan: Plan, linked: int, unmatched: int) -> FirstSyncPreview:
        writes = {side: dict.fromkeys(Feature, 0) for side in Side}
        for op in plan.ops:
            writes[op.side][op.feature] += 1
        return cls(writes, linked, unmatched)

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.writes.values())

    def placeholders(self) -> dict[str, str]:
        """The numbers of the preview step's description."""
        found = {
            f"{side.value}_{feature.value}": str(count)
            for side, counts in self.writes.items()
            for feature, count in counts.items()
        }
        found["total"] = str(self.total)
        found["linked"] = str(self.linked)
        found["unmatched"] = str(self.unmatched)
        return found


async def async_preview_first_sync(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    senscritique: SensCritiqueClient,
    options: SyncOptions,
) -> FirstSyncPreview:
    """Sign in to Plex with the flow's token and server, then plan the first
    sync against the SensCritique client the flow signed in. Raises the
    clients' errors, or TimeoutError after PREVIEW_TIMEOUT."""
    plex = await async_new_plex(hass, data[CONF_PLEX_TOKEN])
    sides = SideClients(hass, plex, senscritique)
    try:
        async with asyncio.timeout(PREVIEW_TIMEOUT):
            await hass.async_add_executor_job(plex.account)
            await hass.async_add_executor_job(plex.connect, data[CONF_PLEX_SERVER_ID])
            pipeline = SyncPipeline(hass, sides, PlexSyncStore(hass, _NO_STORE_ID))
            outcome = await pipeline.run(
                SyncRequest(dry_run=True), options, preview=False
            )
    finally:
        await sides.close()
    summary = outcome.summary
    return FirstSyncPreview.of(outcome.plan, summary.linked, summary.unmatched_count)
