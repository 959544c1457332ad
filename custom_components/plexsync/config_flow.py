"""Config flow: Plex (plex_flow.py: sign-in, whose data, server) ->
SensCritique (account or read-only) -> the first sync (first_sync_flow.py);
reauth for either service, reconfigure (the server, or SensCritique's mode
and credentials), and the options flow.

One entry per person (household.py): as soon as the SensCritique user is
known, an entry that already syncs them ends the flow, naming that entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import SOURCE_REAUTH, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback

from .clients import new_senscritique
from .const import (
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USER_ID,
    CONF_PLEX_USER_NAME,
    CONF_SC_EMAIL,
    CONF_SC_MODE,
    CONF_SC_PASSWORD,
    CONF_SC_USER_ID,
    CONF_SC_USERNAME,
    DOMAIN,
    ENTRY_MINOR_VERSION,
    ENTRY_VERSION,
    SC_MODE_ACCOUNT,
    SC_MODE_READ_ONLY,
)
from .coordinator import PlexSyncConfigEntry
from .flow_forms import (
    SC_ACCOUNT_SCHEMA,
    SC_READ_ONLY_SCHEMA,
    email_error,
    error_key,
    senscritique_errors,
    server_schema,
)
from .household import entry_holding_senscritique, entry_title, pair_unique_id
from .options_flow import PlexSyncOptionsFlow
from .plex_flow import PlexSignInFlow
from .senscritique.client import SensCritiqueUser


class PlexSyncConfigFlow(PlexSignInFlow, domain=DOMAIN):
    """Set up one person: a Plex identity with a SensCritique user."""

    VERSION = ENTRY_VERSION
    MINOR_VERSION = ENTRY_MINOR_VERSION

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: PlexSyncConfigEntry) -> OptionsFlow:
        return PlexSyncOptionsFlow()

    # ----------------------------------------------------------- validation

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

    # ---------------------------------------------------------- SensCritique

    async def async_step_senscritique_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """SensCritique: e-mail and password, checked by a real sign-in."""
        return await self._senscritique_step(
            "senscritique_account", SC_ACCOUNT_SCHEMA, user_input, read_only=False
        )

    async def async_step_senscritique_read_only(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """SensCritique: a public profile, read only (SensCritique -> Plex)."""
        return await self._senscritique_step(
            "senscritique_read_only", SC_READ_ONLY_SCHEMA, user_input, read_only=True
        )

    async def _senscritique_step(
        self,
        step_id: str,
        schema: vol.Schema,
        user_input: dict[str, Any] | None,
        *,
        read_only: bool,
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            user, errors = await self._sc_sign_in(user_input, read_only=read_only)
            if user is not None:
                if held := entry_holding_senscritique(self.hass, user.id):
                    return self.async_abort(
                        reason="senscritique_user_taken",
                        description_placeholders={"entry": held.title},
                    )
                await self.async_set_unique_id(
                    pair_unique_id(self._plex[CONF_PLEX_USER_ID], user.id)
                )
                self._abort_if_unique_id_configured()
                data = {
                    **self._plex,
                    CONF_SC_MODE: SC_MODE_READ_ONLY if read_only else SC_MODE_ACCOUNT,
                    CONF_SC_USER_ID: user.id,
                    CONF_SC_USERNAME: user.username,
                }
                if not read_only:
                    data[CONF_SC_EMAIL] = user_input[CONF_SC_EMAIL]
                    data[CONF_SC_PASSWORD] = user_input[CONF_SC_PASSWORD]
                title = entry_title(self._plex[CONF_PLEX_USER_NAME], user.username)
                return await self.async_first_sync(title, data, read_only=read_only)
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    # ---------------------------------------------------------------- reauth

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """A sign-in was refused: ask which one to renew."""
        return self.async_show_menu(
            step_id="reauth",
            menu_options=["reauth_plex", "reauth_senscritique"],
            description_placeholders={"entry": self._get_reauth_entry().title},
        )

    async def async_step_reauth_plex(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A new Plex token (pasted or by PIN) for the same Plex account."""
        if user_input is None:
            return self._plex_form()
        return await self._plex_input(user_input)

    async def async_step_reauth_senscritique(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """New SensCritique credentials (or username) for the same user, in
        the entry's mode."""
        entry = self._get_reauth_entry()
        return await self._senscritique_member(
            "reauth_senscritique",
            user_input,
            read_only=entry.data.get(CONF_SC_MODE) == SC_MODE_READ_ONLY,
        )

    # ----------------------------------------------------------- reconfigure

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
        account, servers, _, error = await self._plex_sign_in(
            entry.data[CONF_PLEX_TOKEN]
        )
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
        return await self._senscritique_member(
            "reconfigure_senscritique_account", user_input, read_only=False
        )

    async def async_step_reconfigure_senscritique_read_only(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Only read the SensCritique profile; the stored password goes."""
        return await self._senscritique_member(
            "reconfigure_senscritique_read_only", user_input, read_only=True
        )

    async def _senscritique_member(
        self, step_id: str, user_input: dict[str, Any] | None, *, read_only: bool
    ) -> ConfigFlowResult:
        """Sign the entry's SensCritique member in again (reauth), or with
        the account or read only (reconfigure); another member is refused."""
        entry = (
            self._get_reauth_entry()
            if self.source == SOURCE_REAUTH
            else self._get_reconfigure_entry()
        )
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
