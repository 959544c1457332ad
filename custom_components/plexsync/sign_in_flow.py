"""What every PlexSync flow needs: checking a Plex token and a SensCritique
sign-in, and the Plex account and server being set up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .clients import async_new_plex, new_senscritique
from .const import (
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    CONF_SC_USERNAME,
)
from .first_sync_flow import FirstSyncFlow
from .flow_forms import email_error, senscritique_errors
from .plex.client import PlexAccountInfo, PlexServerInfo
from .senscritique.client import SensCritiqueUser


class SignInFlow(FirstSyncFlow):
    """Sign-in checks shared by set-up, reauth and reconfigure."""

    def __init__(self) -> None:
        super().__init__()
        self._plex: dict[str, Any] = {}
        self._servers: list[PlexServerInfo] = []

    # ----------------------------------------------------------- validation

    async def _plex_sign_in(
        self, token: str
    ) -> tuple[PlexAccountInfo | None, list[PlexServerInfo], Exception | None]:
        try:
            client = await async_new_plex(self.hass, token)
            try:
                account = await self.hass.async_add_executor_job(client.account)
                servers = await self.hass.async_add_executor_job(client.servers)
            finally:
                await self.hass.async_add_executor_job(client.close)
        except Exception as err:
            return None, [], err
        return account, servers, None

    async def _sc_sign_in(
        self, user_input: Mapping[str, Any], *, read_only: bool
    ) -> tuple[SensCritiqueUser | None, dict[str, str]]:
        """Sign in (or look the username up); the form's errors otherwise."""
        if not read_only and (errors := email_error(user_input[CONF_SC_EMAIL])):
            return None, errors
        client = new_senscritique(self.hass)
        try:
            if read_only:
                user = await client.use_username(user_input[CONF_SC_USERNAME])
            else:
                user = await client.sign_in(
                    user_input[CONF_SC_EMAIL], user_input[CONF_SC_PASSWORD]
                )
        except Exception as err:
            return None, senscritique_errors(err, read_only=read_only)
        self.senscritique_client = client
        return user, {}

    def _choose_server(self, server_id: str) -> None:
        server = next(s for s in self._servers if s.id == server_id)
        self._plex[CONF_PLEX_SERVER_ID] = server.id
        self._plex[CONF_PLEX_SERVER_NAME] = server.name
