"""The persisted sync state of one entry: links, base, pending writes, misses,
plus the last plan and run report shown by diagnostics and the services.

One HA Store per entry (`.storage/plexsync.<entry_id>`), versioned. The sync
state inside has its own version (the engine codec); the Store version covers
the envelope around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, STORE_MINOR_VERSION, STORE_VERSION
from .engine.codec import state_from_json, state_to_json
from .engine.model import SyncState


@dataclass(frozen=True, slots=True)
class Stored:
    """What a previous run left behind."""

    state: SyncState = field(default_factory=SyncState)
    last_plan: dict[str, Any] | None = None
    last_report: dict[str, Any] | None = None
    last_success: datetime | None = None


class _EnvelopeStore(Store[dict[str, Any]]):
    """Upgrades older envelopes; each version bump adds a step here."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        if old_major_version != STORE_VERSION:
            raise ValueError(
                f"PlexSync storage version {old_major_version} is not supported"
            )
        # Minor versions only ever add keys: fill in what an older one lacks.
        data = dict(old_data)
        data.setdefault("last_plan", None)
        data.setdefault("last_report", None)
        data.setdefault("last_success", None)
        return data


class PlexSyncStore:
    """Load once, then save the whole envelope after every change."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._hass = hass
        self._store = _EnvelopeStore(
            hass,
            STORE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORE_MINOR_VERSION,
            private=True,
            atomic_writes=True,
        )
        self._data: dict[str, Any] = {}

    async def async_load(self) -> Stored:
        """Read the stored envelope; a fresh entry starts empty.

        An unreadable state is a hard error (the entry will not start) rather
        than a silent reset: resetting would forget manual links and the base.
        """
        try:
            raw = await self._store.async_load()
            if raw is None:
                self._data = {}
                return Stored()
            state = state_from_json(raw["state"])
            last_success = raw.get("last_success")
            stored = Stored(
                state=state,
                last_plan=raw.get("last_plan"),
                last_report=raw.get("last_report"),
                last_success=dt_util.parse_datetime(last_success)
                if last_success
                else None,
            )
        except (ValueError, KeyError, TypeError) as err:
            raise ConfigEntryError(
                translation_domain=DOMAIN,
                translation_key="state_unreadable",
                translation_placeholders={"error": str(err)},
            ) from err
        self._data = dict(raw)
        return stored

    async def async_save_state(self, state: SyncState) -> None:
        """Persist the sync state now (called after each successful write).

        Encoding a large state takes long (hundreds of ms for 10,000 links):
        it runs in the executor, never in the event loop. `state` is immutable.
        """
        self._data["state"] = await self._hass.async_add_executor_job(
            state_to_json, state
        )
        await self._store.async_save(self._data)

    async def async_save_run(
        self,
        state: SyncState,
        *,
        plan: dict[str, Any] | None,
        report: dict[str, Any] | None,
        last_success: datetime | None,
    ) -> None:
        """Persist the state with the outcome of a run (encoded in the executor)."""
        self._data["state"] = await self._hass.async_add_executor_job(
            state_to_json, state
        )
        self._data["last_plan"] = plan
        self._data["last_report"] = report
        self._data["last_success"] = last_success.isoformat() if last_success else None
        await self._store.async_save(self._data)

    async def async_remove(self) -> None:
        """Delete the file (the entry was removed)."""
        await self._store.async_remove()
