"""Constants of the PlexSync integration: keys, defaults and limits."""

from __future__ import annotations

import logging
from typing import Final

from homeassistant.const import Platform

from .engine.model import Direction, Feature

DOMAIN: Final = "plexsync"
LOGGER = logging.getLogger(__package__)

PLATFORMS: Final = [Platform.BUTTON, Platform.EVENT, Platform.SENSOR, Platform.TODO]

# Development / test wiring (never set in production).
ENV_PLEX_HOSTS: Final = "PLEXSYNC_PLEX_HOSTS"
ENV_SENSCRITIQUE_URL: Final = "PLEXSYNC_SENSCRITIQUE_URL"

# Entry data.
CONF_PLEX_TOKEN: Final = "plex_token"  # noqa: S105 - a key name
CONF_PLEX_ACCOUNT_ID: Final = "plex_account_id"
CONF_PLEX_USERNAME: Final = "plex_username"
# Whose data the entry syncs: the signed-in account itself, or one of its
# Plex Home users (household.py). Absent from entries made before version 1.2.
CONF_PLEX_USER_ID: Final = "plex_user_id"
CONF_PLEX_USER_NAME: Final = "plex_user_name"
CONF_PLEX_SERVER_ID: Final = "plex_server_id"
CONF_PLEX_SERVER_NAME: Final = "plex_server_name"
CONF_SC_MODE: Final = "senscritique_mode"
CONF_SC_EMAIL: Final = "senscritique_email"
CONF_SC_PASSWORD: Final = "senscritique_password"  # noqa: S105 - a key name
CONF_SC_USERNAME: Final = "senscritique_username"
CONF_SC_USER_ID: Final = "senscritique_user_id"

SC_MODE_ACCOUNT: Final = "account"
SC_MODE_READ_ONLY: Final = "read_only"

# Options.
CONF_SYNC_INTERVAL: Final = "sync_interval"  # minutes
CONF_GUARD_PERCENT: Final = "guard_percent"
CONF_GUARD_MIN: Final = "guard_min"
CONF_PREVIEW_ONLY: Final = "preview_only"


def conf_enabled(feature: Feature) -> str:
    """Option key: is `feature` synchronised."""
    return f"{feature.value}_enabled"


def conf_direction(feature: Feature) -> str:
    """Option key: which way `feature` flows."""
    return f"{feature.value}_direction"


def conf_removals(feature: Feature) -> str:
    """Option key: do removals of `feature` propagate."""
    return f"{feature.value}_propagate_removals"


DEFAULT_SYNC_INTERVAL: Final = 360
MIN_SYNC_INTERVAL: Final = 15
MAX_SYNC_INTERVAL: Final = 7 * 24 * 60
DEFAULT_GUARD_PERCENT: Final = 10
DEFAULT_GUARD_MIN: Final = 5
DEFAULT_REMOVALS: Final = {
    Feature.WATCHLIST: True,
    Feature.RATINGS: False,
    Feature.WATCHED: False,
}
READ_ONLY_DIRECTION: Final = Direction.SENSCRITIQUE_TO_PLEX

# Summary limits and events.
MAX_UNMATCHED_LISTED: Final = 50
EVENT_SYNC_FINISHED: Final = "plexsync_sync_finished"
EVENT_SYNC_FAILED: Final = "plexsync_sync_failed"
EVENT_CHANGE: Final = "plexsync_change"
EVENT_RATING_REQUESTED: Final = "plexsync_rating_requested"
EVENT_WATCHLIST_AVAILABLE: Final = "plexsync_watchlist_available"

# Plex webhooks (webhook.py): the entry's webhook id in its data.
CONF_WEBHOOK_ID: Final = "webhook_id"
CONF_PLEX_WEBHOOK: Final = "plex_webhook"  # option: register it on plex.tv
CONF_PERSON: Final = "person"  # option: the Home Assistant person this entry is

# The oldest plexapi tested (the one Home Assistant's own Plex integration pins);
# manifest.json requires it.
MIN_PLEXAPI_VERSION: Final = "4.15.16"
STORE_VERSION: Final = 1
STORE_MINOR_VERSION: Final = 1
# Config entries: 1.2 names the Plex identity (CONF_PLEX_USER_*) and titles
# entries after both sides (household.py).
ENTRY_VERSION: Final = 1
ENTRY_MINOR_VERSION: Final = 2
