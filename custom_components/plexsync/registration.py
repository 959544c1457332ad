"""The entry's webhook URL registered on plex.tv, so Plex calls it.

At set-up, unless the option is off, the URL Home Assistant gives for the
entry's webhook (`webhook.async_generate_url`: the external URL when there is
one, else the internal one, which a Plex server on the same network reaches)
is added to the account's webhooks through plexapi, if the account has Plex
Pass (webhooks are a Plex Pass feature: without it the scheduled syncs are
all there is, as the options say). At unload it is removed again; other
webhooks of the account are never touched. When Home Assistant has no URL to
give, a repair issue says how to set one.

The outcome is kept (`Registration`) for the diagnostics. A plex.tv failure
is logged and leaves the entry working on its schedule.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.network import NoURLAvailableError

from .const import CONF_PLEX_WEBHOOK, CONF_WEBHOOK_ID, DOMAIN, LOGGER
from .engine.errors import SyncServiceError
from .issues import issue_id

if TYPE_CHECKING:
    from .coordinator import PlexSyncConfigEntry

ISSUE_NO_URL = "webhook_no_url"


class Registration(StrEnum):
    NOT_YET = "not_yet"
    OFF = "off"  # turned off in the options
    NO_PLEX_PASS = "no_plex_pass"  # noqa: S105 - a state, no secret
    NO_URL = "no_url"
    REGISTERED = "registered"
    FAILED = "failed"


async def async_register_on_plex(
    hass: HomeAssistant, entry: PlexSyncConfigEntry
) -> None:
    """Register the entry's webhook URL on plex.tv (module docstring)."""
    instant = entry.runtime_data.instant
    no_url_issue = issue_id(ISSUE_NO_URL, entry.entry_id)
    if not entry.options.get(CONF_PLEX_WEBHOOK, True):
        ir.async_delete_issue(hass, DOMAIN, no_url_issue)
        instant.registration = Registration.OFF
        return
    try:
        url = webhook.async_generate_url(hass, entry.data[CONF_WEBHOOK_ID])
    except NoURLAvailableError:
        ir.async_create_issue(
            hass,
            DOMAIN,
            no_url_issue,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_NO_URL,
            translation_placeholders={"entry": entry.title},
        )
        instant.registration = Registration.NO_URL
        return
    ir.async_delete_issue(hass, DOMAIN, no_url_issue)
    hooks = entry.runtime_data.sides.plex.webhooks()
    try:
        if not await hass.async_add_executor_job(hooks.has_plex_pass):
            instant.registration = Registration.NO_PLEX_PASS
            return
        await hass.async_add_executor_job(hooks.add, url)
    except SyncServiceError as err:
        LOGGER.warning("Could not register the webhook on plex.tv: %s", err)
        instant.registration = Registration.FAILED
        return
    instant.registration = Registration.REGISTERED
    instant.registered_url = url


async def async_unregister_on_plex(
    hass: HomeAssistant, entry: PlexSyncConfigEntry
) -> None:
    """Remove the URL registered at set-up from plex.tv."""
    instant = entry.runtime_data.instant
    url, instant.registered_url = instant.registered_url, None
    if url is None:
        return
    # One attempt: Home Assistant waits for an unload (at shutdown too), and a
    # URL left on plex.tv is harmless: nothing answers it until the next
    # set-up, which finds it registered already.
    hooks = entry.runtime_data.sides.plex.webhooks(retry=False)
    try:
        await hass.async_add_executor_job(hooks.remove, url)
    except SyncServiceError as err:
        LOGGER.warning("Could not remove the webhook from plex.tv: %s", err)
