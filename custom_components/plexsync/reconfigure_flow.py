"""Reconfigure an entry: another Plex server of the same account, or how
PlexSync uses the same SensCritique member (with the account or read only,
and its credentials)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult

from .const import (
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_SC_EMAIL,
    CONF_SC_MODE,
    CONF_SC_PASSWORD,
    CONF_SC_USER_ID,
    CONF_SC_USERNAME,
    SC_MODE_ACCOUNT,
    SC_MODE_READ_ONLY,
)
from .flow_forms import SC_ACCOUNT_SCHEMA, SC_READ_ONLY_SCHEMA, error_key, server_schema
from .sign_in_flow import SignInFlow


class ReconfigureFlow(SignInFlow):
    """The reconfigure steps of the config flow."""

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the Plex server, or how PlexSync uses SensCritique (with
        an account or read only, and its credentials). The people stay the
        same: another account is refused."""
        return self.async_show_menu(
            step_id="reconfigure",
            menu_options=[
                "reconfigure_server",
                "reconfigure_senscritique_account",
                "reconfigure_senscritique_read_only",
            ],
            description_placeholders={"entry": self._get_reconfigure_entry().title},
        )

    async def async_step_reconfigure_server(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick another Plex server of the same account."""
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            self._choose_server(user_input[CONF_PLEX_SERVER_ID])
            return self.async_update_reload_and_abort(
                entry,
                data_updates={
                    CONF_PLEX_SERVER_ID: self._plex[CONF_PLEX_SERVER_ID],
                    CONF_PLEX_SERVER_NAME: self._plex[CONF_PLEX_SERVER_NAME],
                },
            )
        account, servers, error = await self._plex_sign_in(entry.data[CONF_PLEX_TOKEN])
        if account is None:
            return self.async_abort(reason=error_key(error) if error else "unknown")
        if not servers:
            return self.async_abort(reason="no_servers")
        self._servers = servers
        return self.async_show_form(
            step_id="reconfigure_server",
            data_schema=self.add_suggested_values_to_schema(
                server_schema(servers),
                {CONF_PLEX_SERVER_ID: entry.data.get(CONF_PLEX_SERVER_ID)},
            ),
        )

    async def async_step_reconfigure_senscritique_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sync with the SensCritique account: e-mail and password."""
        return await self._reconfigure_senscritique(
            "reconfigure_senscritique_account", user_input, read_only=False
        )

    async def async_step_reconfigure_senscritique_read_only(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Only read the SensCritique profile; the stored password goes."""
        return await self._reconfigure_senscritique(
            "reconfigure_senscritique_read_only", user_input, read_only=True
        )

    async def _reconfigure_senscritique(
        self, step_id: str, user_input: dict[str, Any] | None, *, read_only: bool
    ) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            user, errors = await self._sc_sign_in(user_input, read_only=read_only)
            if user is not None:
                if user.id != entry.data[CONF_SC_USER_ID]:
                    return self.async_abort(reason="wrong_account")
                data = {
                    key: value
                    for key, value in entry.data.items()
                    if key not in (CONF_SC_EMAIL, CONF_SC_PASSWORD)
                }
                data[CONF_SC_MODE] = SC_MODE_READ_ONLY if read_only else SC_MODE_ACCOUNT
                data[CONF_SC_USERNAME] = user.username
                if not read_only:
                    data[CONF_SC_EMAIL] = user_input[CONF_SC_EMAIL]
                    data[CONF_SC_PASSWORD] = user_input[CONF_SC_PASSWORD]
                return self.async_update_reload_and_abort(entry, data=data)
        schema = SC_READ_ONLY_SCHEMA if read_only else SC_ACCOUNT_SCHEMA
        suggested = user_input or {
            CONF_SC_USERNAME: entry.data.get(CONF_SC_USERNAME),
            CONF_SC_EMAIL: entry.data.get(CONF_SC_EMAIL),
        }
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )
