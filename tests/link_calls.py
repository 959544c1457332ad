"""What the link and unlink tests share: the works, and calling the actions."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plexsync.const import DOMAIN
from custom_components.plexsync.engine.model import Kind, Work

from .fakes import movie

# Discover GUIDs have a 24-hex tail (see the Plex reference).
HEAT_SC = movie("1001", "Heat", 1995)
HEAT_PLEX = movie("plex://movie/5d7768244af8d1001f2e0001", "Heat", 1995)
RONIN_SC = movie("1002", "Ronin", 1998)
RONIN_PLEX = movie("plex://movie/5d7768244af8d1001f2e0002", "Ronin", 1998)
# Same film under unrelated titles: matching cannot link it, a person can.
VADROUILLE_SC = movie("6001", "La Grande Vadrouille", 1966)
VADROUILLE_PLEX = movie(
    "plex://movie/5d7768244af8d1001f2e0006",
    "Don't Look Now... We're Being Shot At!",
    1966,
)
DARK_SC = Work("7001", Kind.SHOW, "Dark", year=2017)
DARK_PLEX = Work("plex://show/5d7768244af8d1001f2e0007", Kind.SHOW, "Dark", year=2017)
DARK_S1_SC = Work("7002", Kind.SEASON, "Dark S1", parent="7001", season=1)


async def call(
    hass: HomeAssistant, service: str, entry: MockConfigEntry, **data: Any
) -> None:
    await hass.services.async_call(
        DOMAIN, service, {"config_entry_id": entry.entry_id, **data}, blocking=True
    )


async def link(hass: HomeAssistant, entry: MockConfigEntry, sc: str, guid: str) -> None:
    await call(hass, "link", entry, senscritique_id=sc, plex_guid=guid)


def link_ids(entry: MockConfigEntry) -> set[str]:
    return set(entry.runtime_data.coordinator.state.links)
