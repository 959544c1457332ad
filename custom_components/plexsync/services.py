"""Services: plexsync.sync, plexsync.link, plexsync.unlink, plexsync.confirm_removals.

Registered once (async_setup); each call names a loaded PlexSync entry.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service

from .const import DOMAIN
from .coordinator import error_key, error_placeholders
from .engine.codec import plan_to_json
from .engine.errors import AuthError, SyncServiceError
from .engine.model import Feature, GuardKind, Kind, Link, Provenance, SyncState
from .pipeline import RunOutcome, SyncRequest

if TYPE_CHECKING:
    from . import PlexSyncConfigEntry

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_FEATURES = "features"
ATTR_DRY_RUN = "dry_run"
ATTR_SENSCRITIQUE_ID = "senscritique_id"
ATTR_PLEX_GUID = "plex_guid"
ATTR_GUARD = "guard"

SERVICE_SYNC = "sync"
SERVICE_LINK = "link"
SERVICE_UNLINK = "unlink"
SERVICE_CONFIRM_REMOVALS = "confirm_removals"

_PLEX_GUID = re.compile(r"^plex://(movie|show|season|episode)/[0-9a-zA-Z]+$")
_SC_ID = re.compile(r"^\d+$")

SENSCRITIQUE_ID = vol.All(cv.string, vol.Match(_SC_ID))
PLEX_GUID = vol.All(cv.string, vol.Match(_PLEX_GUID))

SYNC_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_FEATURES): vol.All(
            cv.ensure_list, [vol.In([f.value for f in Feature])]
        ),
        vol.Optional(ATTR_DRY_RUN, default=False): cv.boolean,
    }
)
LINK_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_SENSCRITIQUE_ID): SENSCRITIQUE_ID,
        vol.Required(ATTR_PLEX_GUID): PLEX_GUID,
    }
)
UNLINK_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
            vol.Optional(ATTR_SENSCRITIQUE_ID): SENSCRITIQUE_ID,
            vol.Optional(ATTR_PLEX_GUID): PLEX_GUID,
        }
    ),
    cv.has_at_least_one_key(ATTR_SENSCRITIQUE_ID, ATTR_PLEX_GUID),
)
CONFIRM_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_GUARD, default=GuardKind.MASS_REMOVAL.value): vol.In(
            [kind.value for kind in GuardKind]
        ),
    }
)


def loaded_entry(hass: HomeAssistant, entry_id: str) -> PlexSyncConfigEntry:
    """The loaded PlexSync entry `entry_id`, or a translated validation error."""
    entry: PlexSyncConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"entry": entry.title},
        )
    return entry


async def _async_run(entry: PlexSyncConfigEntry, request: SyncRequest) -> RunOutcome:
    coordinator = entry.runtime_data.coordinator
    try:
        return await coordinator.async_run_now(request)
    except SyncServiceError as err:
        if isinstance(err, AuthError):
            entry.async_start_reauth(coordinator.hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=error_key(err),
            translation_placeholders=error_placeholders(err),
        ) from err


def _response(outcome: RunOutcome) -> dict[str, Any]:
    return {"plan": plan_to_json(outcome.plan), "report": outcome.report.as_dict()}


def _kind_of(guid: str) -> Kind:
    match = _PLEX_GUID.match(guid)
    assert match is not None  # the schema checked it
    return Kind(match[1])


def async_setup_services(hass: HomeAssistant) -> None:
    """Register the PlexSync services."""

    async def sync(call: ServiceCall) -> ServiceResponse:
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        features = call.data.get(ATTR_FEATURES)
        request = SyncRequest(
            features=frozenset(Feature(f) for f in features)
            if features
            else frozenset(Feature),
            dry_run=call.data[ATTR_DRY_RUN],
        )
        outcome = await _async_run(entry, request)
        return _response(outcome) if call.return_response else None

    async def link(call: ServiceCall) -> None:
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        sc_id: str = call.data[ATTR_SENSCRITIQUE_ID]
        guid: str = call.data[ATTR_PLEX_GUID]
        new = Link(sc_id, guid, _kind_of(guid), Provenance.MANUAL)

        def set_link(state: SyncState) -> SyncState:
            # A manual link replaces whatever linked either key before.
            replaced = {
                link_id
                for link_id, old in state.links.items()
                if old.senscritique == sc_id or old.plex == guid
            }
            links = {k: v for k, v in state.links.items() if k not in replaced}
            links[new.id] = new
            agreed = {k: v for k, v in state.agreed.items() if k not in replaced}
            return replace(state, links=links, agreed=agreed)

        await entry.runtime_data.coordinator.async_change_state(set_link)

    async def unlink(call: ServiceCall) -> None:
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        sc_id = call.data.get(ATTR_SENSCRITIQUE_ID)
        guid = call.data.get(ATTR_PLEX_GUID)
        coordinator = entry.runtime_data.coordinator
        gone = {
            link_id
            for link_id, old in coordinator.state.links.items()
            if (sc_id is not None and old.senscritique == sc_id)
            or (guid is not None and old.plex == guid)
        }
        if not gone:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="link_not_found",
                translation_placeholders={"key": str(sc_id or guid)},
            )

        def drop(state: SyncState) -> SyncState:
            return replace(
                state,
                links={k: v for k, v in state.links.items() if k not in gone},
                agreed={k: v for k, v in state.agreed.items() if k not in gone},
                pending=tuple(p for p in state.pending if p.link not in gone),
            )

        await coordinator.async_change_state(drop)

    async def confirm_removals(call: ServiceCall) -> None:
        """Release what one guard held in the last run, as its repair issue
        shows it; nothing that appeared since."""
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        held = entry.runtime_data.coordinator.held.only(
            GuardKind(call.data[ATTR_GUARD])
        )
        if held.empty:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="nothing_held",
                translation_placeholders={"entry": entry.title},
            )
        await _async_run(entry, SyncRequest(confirmed=held))

    hass.services.async_register(
        DOMAIN,
        SERVICE_SYNC,
        sync,
        schema=SYNC_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    async_register_admin_service(hass, DOMAIN, SERVICE_LINK, link, LINK_SCHEMA)
    async_register_admin_service(hass, DOMAIN, SERVICE_UNLINK, unlink, UNLINK_SCHEMA)
    async_register_admin_service(
        hass, DOMAIN, SERVICE_CONFIRM_REMOVALS, confirm_removals, CONFIRM_SCHEMA
    )
