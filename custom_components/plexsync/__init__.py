"""PlexSync: keep a Plex and a SensCritique account in agreement."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from .actions import async_setup_actions
from .clients import SideClients, async_new_plex, new_senscritique
from .const import (
    CONF_PLEX_TOKEN,
    DOMAIN,
    ENTRY_MINOR_VERSION,
    ENTRY_VERSION,
    LOGGER,
    PLATFORMS,
)
from .coordinator import PlexSyncConfigEntry, PlexSyncCoordinator, PlexSyncData
from .household import migrated
from .instant import InstantSync
from .issues import async_check_plexapi
from .registration import async_register_on_plex, async_unregister_on_plex
from .services import async_setup_services
from .store import PlexSyncStore
from .undo_run import UndoLog
from .webhook import async_register as async_register_webhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services once for all entries."""
    async_setup_services(hass)
    async_setup_actions(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PlexSyncConfigEntry) -> bool:
    """Sign in to both services, run a first sync, add the entities."""
    await async_check_plexapi(hass)
    plex = await async_new_plex(hass, entry.data[CONF_PLEX_TOKEN])
    sides = SideClients(hass, plex, new_senscritique(hass))
    store = PlexSyncStore(hass, entry.entry_id)
    coordinator = PlexSyncCoordinator(hass, entry, sides, store)
    try:
        await coordinator.async_config_entry_first_refresh()
    except BaseException:
        await sides.close()
        raise
    instant = InstantSync(hass, coordinator)
    entry.runtime_data = PlexSyncData(coordinator, sides, store, instant)
    entry.async_on_unload(instant.shutdown)
    async_register_webhook(hass, entry)
    entry.async_create_task(
        hass, async_register_on_plex(hass, entry), "plexsync webhook"
    )
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: PlexSyncConfigEntry) -> bool:
    """1.1 -> 1.2: the Plex identity named, the title naming both sides."""
    if entry.version > ENTRY_VERSION:
        return False  # made by a newer PlexSync: leave it alone
    if entry.minor_version < ENTRY_MINOR_VERSION:
        data, title = migrated(entry)
        hass.config_entries.async_update_entry(
            entry, data=data, title=title, minor_version=ENTRY_MINOR_VERSION
        )
        LOGGER.debug("Migrated entry %s to 1.%s", entry.entry_id, ENTRY_MINOR_VERSION)
    return True


async def _async_options_updated(
    hass: HomeAssistant, entry: PlexSyncConfigEntry
) -> None:
    """Options change the schedule and the rules: start afresh."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: PlexSyncConfigEntry) -> bool:
    """Remove the entities and close the Plex session."""
    if unloaded := await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        await async_unregister_on_plex(hass, entry)
        await entry.runtime_data.sides.close()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: PlexSyncConfigEntry) -> None:
    """Forget the stored sync state, the writes kept for an undo and the
    repair issues of a deleted entry."""
    await PlexSyncStore(hass, entry.entry_id).async_remove()
    await UndoLog(hass, entry.entry_id).async_clear()
    # Per-entry issue ids end with "_<entry id>" (issues.issue_id).
    suffix = f"_{entry.entry_id}"
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.endswith(suffix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
