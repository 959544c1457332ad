"""Services: plexsync.sync, plexsync.link, plexsync.unlink,
plexsync.confirm_removals, plexsync.undo_last_run (undo_run.py).

Registered once (async_setup); each call names a loaded PlexSync entry. Every
input is capped by its schema; ids are checked (format, size) before any
request, each in the user's language when wrong.

plexsync.link: each id must name a known work, in the last run's read or else
by one lookup on its service (a Plex key of a legacy-agent library, which
names no Discover item, must be in the last read), and both works must be of one kind, a film or a
series (seasons and episodes follow their series). A link never replaces
another silently: when either work is linked elsewhere the call is refused and
names that link. plexsync.unlink remembers the pair, so matching never joins
it again; linking the pair by hand forgets that (engine/manual_links.py).
"""

from __future__ import annotations

import re
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

from .changes import run_response
from .const import DOMAIN
from .coordinator import (
    SERVICE_NAMES,
    PlexSyncCoordinator,
    error_key,
    error_placeholders,
)
from .engine.errors import AuthError, MalformedResponse, SyncServiceError
from .engine.manual_links import (
    conflicts,
    derived_links,
    with_manual_link,
    without_links,
)
from .engine.model import Feature, Kind, Link, Provenance, Side, SyncState, Work
from .engine.plans import GuardKind
from .pipeline import RunOutcome, SyncRequest
from .plex.guids import LEGACY_AGENT_PREFIX, is_discover_key, read_guid

if TYPE_CHECKING:
    from .coordinator import PlexSyncConfigEntry

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
SERVICE_UNDO = "undo_last_run"

# Product ids are GraphQL Ints (at most 2**31 - 1; 5 to 8 digits are seen).
_SC_ID = re.compile(r"[1-9][0-9]{0,9}")
_GRAPHQL_INT_MAX = 2**31 - 1
# Discover GUIDs: plex://<type>/<24 hex digits> (see the Plex reference).
_PLEX_GUID = re.compile(r"plex://(movie|show|season|episode)/[0-9a-f]{24}")
LINKABLE_KINDS = frozenset({Kind.MOVIE, Kind.SHOW})

# Hard caps, far above any valid value: absurd inputs stop at the schema;
# the format of a value that fits is checked with a translated error.
MAX_ENTRY_ID = 64  # config entry ids are 26-character ULIDs
MAX_KEY = 100

ENTRY_ID = vol.All(cv.string, vol.Length(min=1, max=MAX_ENTRY_ID))
KEY = vol.All(cv.string, vol.Length(min=1, max=MAX_KEY))

SYNC_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): ENTRY_ID,
        vol.Optional(ATTR_FEATURES): vol.All(
            cv.ensure_list,
            vol.Length(max=len(Feature)),
            vol.Unique(),
            [vol.In([f.value for f in Feature])],
        ),
        vol.Optional(ATTR_DRY_RUN, default=False): cv.boolean,
    }
)
LINK_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): ENTRY_ID,
        vol.Required(ATTR_SENSCRITIQUE_ID): KEY,
        vol.Required(ATTR_PLEX_GUID): KEY,
    }
)
UNLINK_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Required(ATTR_CONFIG_ENTRY_ID): ENTRY_ID,
            vol.Optional(ATTR_SENSCRITIQUE_ID): KEY,
            vol.Optional(ATTR_PLEX_GUID): KEY,
        }
    ),
    cv.has_at_least_one_key(ATTR_SENSCRITIQUE_ID, ATTR_PLEX_GUID),
)
CONFIRM_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): ENTRY_ID,
        vol.Optional(ATTR_GUARD, default=GuardKind.MASS_REMOVAL.value): vol.In(
            [kind.value for kind in GuardKind]
        ),
    }
)
UNDO_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): ENTRY_ID})


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


def service_error(
    entry: PlexSyncConfigEntry, err: SyncServiceError
) -> HomeAssistantError:
    """The translated error for a failed request; a refused sign-in also
    starts the reauth flow."""
    if isinstance(err, AuthError):
        entry.async_start_reauth(entry.runtime_data.coordinator.hass)
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=error_key(err),
        translation_placeholders=error_placeholders(err),
    )


async def _async_run(entry: PlexSyncConfigEntry, request: SyncRequest) -> RunOutcome:
    try:
        return await entry.runtime_data.coordinator.async_run_now(request)
    except SyncServiceError as err:
        raise service_error(entry, err) from err


def _response(outcome: RunOutcome) -> dict[str, Any]:
    """User-facing fields only: the plan's internals are in the diagnostics."""
    return run_response(outcome.plan, outcome.report, outcome.summary, outcome.applied)


def invalid(translation_key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders=placeholders,
    )


def senscritique_id(text: str) -> str:
    """A SensCritique product id as given, or a translated error."""
    value = text.strip()
    if not _SC_ID.fullmatch(value) or int(value) > _GRAPHQL_INT_MAX:
        raise invalid("invalid_senscritique_id", value=value)
    return value


def plex_guid(text: str) -> str:
    """A Plex key as a read gives it, or a translated error: a Discover GUID
    (any case), or the key of a film or series of a legacy-agent library
    (plex/guids.py; its ``?lang=`` query dropped)."""
    value = text.strip()
    if _PLEX_GUID.fullmatch(value.lower()):
        return value.lower()
    try:
        read = read_guid(value)
    except MalformedResponse:
        read = None
    if (
        read is None
        or not read.legacy
        or read.series is not None
        or not read.key.startswith(LEGACY_AGENT_PREFIX)
    ):
        raise invalid("invalid_plex_guid", value=value)
    return read.key


def _described(work: Work) -> str:
    return f"“{work.title}” ({work.year})" if work.year else f"“{work.title}”"


async def _known_work(entry: PlexSyncConfigEntry, side: Side, key: str) -> Work:
    """The work `key` of `side`: from the last run's read, else looked up."""
    coordinator: PlexSyncCoordinator = entry.runtime_data.coordinator
    work = coordinator.data.works.get(side, {}).get(key)
    # A legacy library key names no Discover item: only a read knows it.
    if work is None and (side is Side.SENSCRITIQUE or is_discover_key(key)):
        try:
            work = await coordinator.sides.lookup(side, key)
        except SyncServiceError as err:
            raise service_error(entry, err) from err
    if work is None:
        raise invalid("unknown_work", service=SERVICE_NAMES[side], key=key)
    if work.kind not in LINKABLE_KINDS:
        raise invalid(
            "kind_not_linkable", service=SERVICE_NAMES[side], work=_described(work)
        )
    return work


def _link_text(link: Link) -> str:
    return f"SensCritique {link.senscritique} ↔ Plex {link.plex}"


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
        sc_id = senscritique_id(call.data[ATTR_SENSCRITIQUE_ID])
        guid = plex_guid(call.data[ATTR_PLEX_GUID])
        sc_work = await _known_work(entry, Side.SENSCRITIQUE, sc_id)
        plex_work = await _known_work(entry, Side.PLEX, guid)
        if sc_work.kind is not plex_work.kind:
            raise invalid(
                "kinds_differ",
                senscritique=_described(sc_work),
                senscritique_kind=sc_work.kind.value,
                plex=_described(plex_work),
                plex_kind=plex_work.kind.value,
            )
        new = Link(sc_id, guid, sc_work.kind, Provenance.MANUAL)

        def set_link(state: SyncState) -> SyncState:
            # Checked under the coordinator's lock: no run changes the links
            # between this check and the change.
            if in_the_way := conflicts(state, new):
                raise invalid("already_linked", link=_link_text(in_the_way[0]))
            return with_manual_link(state, new)

        await entry.runtime_data.coordinator.async_change_state(set_link)

    async def unlink(call: ServiceCall) -> None:
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        sc_text = call.data.get(ATTR_SENSCRITIQUE_ID)
        guid_text = call.data.get(ATTR_PLEX_GUID)
        sc_id = None if sc_text is None else senscritique_id(sc_text)
        guid = None if guid_text is None else plex_guid(guid_text)

        def named(link: Link) -> bool:
            # Both ids given: that one pair; one id: every link it is part of.
            return (sc_id is None or link.senscritique == sc_id) and (
                guid is None or link.plex == guid
            )

        coordinator = entry.runtime_data.coordinator
        works = coordinator.data.works

        def drop(state: SyncState) -> SyncState:
            gone = [link_id for link_id, link in state.links.items() if named(link)]
            if not gone:
                raise invalid(
                    "link_not_found",
                    key=" ↔ ".join(key for key in (sc_id, guid) if key),
                )
            derived = derived_links(
                state,
                (state.links[link_id] for link_id in gone),
                works.get(Side.SENSCRITIQUE, {}),
                works.get(Side.PLEX, {}),
            )
            return without_links(state, gone, derived=derived)

        await coordinator.async_change_state(drop)

    async def undo_last_run(call: ServiceCall) -> ServiceResponse:
        entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID])
        try:
            answer = await entry.runtime_data.coordinator.async_undo()
        except SyncServiceError as err:
            raise service_error(entry, err) from err
        if answer is None:
            raise invalid("nothing_to_undo", entry=entry.title)
        return answer if call.return_response else None

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
    hass.services.async_register(
        DOMAIN,
        SERVICE_UNDO,
        undo_last_run,
        schema=UNDO_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    async_register_admin_service(hass, DOMAIN, SERVICE_LINK, link, LINK_SCHEMA)
    async_register_admin_service(hass, DOMAIN, SERVICE_UNLINK, unlink, UNLINK_SCHEMA)
    async_register_admin_service(
        hass, DOMAIN, SERVICE_CONFIRM_REMOVALS, confirm_removals, CONFIRM_SCHEMA
    )
