"""Build the two service clients from entry data (and the dev/test wiring).

The Plex client is blocking: every call on it goes through the executor.
`PLEXSYNC_PLEX_HOSTS` / `PLEXSYNC_SENSCRITIQUE_URL` point the clients at the
loopback simulators in development and tests; they are unset in production.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import (
    CONF_SC_EMAIL,
    CONF_SC_MODE,
    CONF_SC_PASSWORD,
    CONF_SC_USERNAME,
    ENV_PLEX_HOSTS,
    ENV_SENSCRITIQUE_URL,
    SC_MODE_READ_ONLY,
)
from .engine.model import Kind, Side, Snapshot, Work
from .engine.plans import Op
from .engine.settings import Capabilities
from .plex.client import PlexClient
from .plex.session import ServiceHosts
from .senscritique.client import DEFAULT_URL, SensCritiqueClient, SensCritiqueUser


def plex_hosts() -> ServiceHosts | None:
    """Host replacements for development, or None in production."""
    if text := os.environ.get(ENV_PLEX_HOSTS):
        return ServiceHosts.from_json(text)
    return None


def senscritique_url() -> str:
    """SensCritique's GraphQL endpoint (replaced in development)."""
    return os.environ.get(ENV_SENSCRITIQUE_URL) or DEFAULT_URL


async def async_new_plex(hass: HomeAssistant, token: str) -> PlexClient:
    """A Plex client for `token` (not signed in yet)."""
    hosts = plex_hosts()
    return await hass.async_add_executor_job(lambda: PlexClient(token, hosts=hosts))


def new_senscritique(hass: HomeAssistant) -> SensCritiqueClient:
    """A SensCritique client on Home Assistant's shared aiohttp session."""
    return SensCritiqueClient(async_get_clientsession(hass), url=senscritique_url())


async def async_sign_in_senscritique(
    client: SensCritiqueClient, data: Mapping[str, Any]
) -> SensCritiqueUser:
    """Sign in (or attach read-only by username) as the entry says."""
    if data.get(CONF_SC_MODE) == SC_MODE_READ_ONLY:
        return await client.use_username(data[CONF_SC_USERNAME])
    return await client.sign_in(data[CONF_SC_EMAIL], data[CONF_SC_PASSWORD])


class SideClients:
    """Both clients behind one async surface, keyed by `Side`.

    Plex calls run in the executor; SensCritique calls run in the loop.
    """

    def __init__(
        self, hass: HomeAssistant, plex: PlexClient, senscritique: SensCritiqueClient
    ) -> None:
        self._hass = hass
        self.plex = plex
        self.senscritique = senscritique

    async def read(self, side: Side, linked: Collection[str] = ()) -> Snapshot:
        """A complete snapshot of one side; `linked`: the keys of its works
        already linked (Plex asks Discover details of the others only)."""
        if side is Side.PLEX:
            return await self._hass.async_add_executor_job(
                self.plex.read_snapshot, linked
            )
        return await self.senscritique.read_snapshot()

    async def read_item(self, side: Side, key: str) -> Snapshot | None:
        """One work alone: on Plex a library item by ratingKey, on
        SensCritique a product by id; None when it cannot be read alone."""
        if side is Side.PLEX:
            return await self._hass.async_add_executor_job(self.plex.read_item, key)
        return await self.senscritique.read_item(key)

    async def capabilities(self, side: Side) -> Capabilities:
        """What one side can write."""
        if side is Side.PLEX:
            return await self._hass.async_add_executor_job(self.plex.capabilities)
        return await self.senscritique.capabilities()

    async def search(
        self,
        side: Side,
        title: str,
        kind: Kind,
        year: int | None,
        *,
        language: str | None = None,
    ) -> list[Work]:
        """Search one side's catalogue; Plex's in `language` when given (a
        SensCritique title is French)."""
        if side is Side.PLEX:
            if language is not None:
                return await self._hass.async_add_executor_job(
                    self.plex.search, title, kind, year, language
                )
            return await self._hass.async_add_executor_job(
                self.plex.search, title, kind, year
            )
        return await self.senscritique.search(title, kind, year)

    async def lookup(self, side: Side, key: str) -> Work | None:
        """One work of one side's catalogue by its key, None if unknown."""
        if side is Side.PLEX:
            return await self._hass.async_add_executor_job(self.plex.lookup, key)
        return await self.senscritique.lookup(key)

    def restore_details(self, data: dict[str, Any] | None) -> None:
        """Give the Plex client the Discover details a store kept."""
        self.plex.details.restore(data)

    def details_to_keep(self) -> dict[str, Any] | None:
        """The Plex client's Discover details when they changed, else None."""
        details = self.plex.details
        return details.to_json() if details.changed else None

    async def apply(self, op: Op) -> None:
        """Hand one write to the client of its side."""
        if op.side is Side.PLEX:
            await self._hass.async_add_executor_job(self.plex.apply, op)
        else:
            await self.senscritique.apply(op)

    async def run_blocking[T](self, func: Callable[..., T], *args: Any) -> T:
        """Run CPU-heavy pure work (matching, planning) in the executor."""
        return await self._hass.async_add_executor_job(func, *args)

    async def close(self) -> None:
        """Release the Plex client's session."""
        await self._hass.async_add_executor_job(self.plex.close)
