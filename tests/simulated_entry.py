"""The config entry data of an entry signed in to both simulators."""

from __future__ import annotations

from typing import Any

from custom_components.plexsync.const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USERNAME,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    CONF_SC_USER_ID,
    CONF_SC_USERNAME,
)

from .fakes import entry_data
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator


def simulated_entry_data(
    plex: PlexSimulator,
    sc: SensCritiqueSimulator,
    username: str,
    email: str,
    password: str,
) -> dict[str, Any]:
    """Entry data signed in to both simulators as SensCritique's `username`."""
    return entry_data(
        **{
            CONF_PLEX_TOKEN: plex.token,
            CONF_PLEX_ACCOUNT_ID: plex.account_id,
            CONF_PLEX_USERNAME: plex.username,
            CONF_PLEX_SERVER_ID: plex.server_id,
            CONF_PLEX_SERVER_NAME: plex.server_name,
            CONF_SC_USER_ID: sc.state.users[username].id,
            CONF_SC_USERNAME: username,
            CONF_SC_EMAIL: email,
            CONF_SC_PASSWORD: password,
        }
    )
