"""Config flow: Plex (pasted token or PIN sign-in on plex.tv) -> server ->
SensCritique (account or read-only), reauth for either service, reconfigure
(the server, or SensCritique's mode and credentials), and the options flow.

The Plex step stays one form so REST clients that post a token keep working:
ticking "sign in on plex.tv" instead leads to the external step `plex_pin`,
and the token it brings back is checked exactly like a pasted one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import callback

from .const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USERNAME,
    CONF_SC_EMAIL,
    CONF_SC_MODE,
    CONF_SC_PASSWORD,
    CONF_SC_USER_ID,
    CONF_SC_USERNAME,
    DOMAIN,
    LOGGER,
    SC_MODE_ACCOUNT,
    SC_MODE_READ_ONLY,
)
from .coordinator import PlexSyncConfigEntry
from .flow_forms import (
    CONF_PLEX_PIN,
    PLEX_SCHEMA,
    SC_ACCOUNT_SCHEMA,
    SC_READ_ONLY_SCHEMA,
    TOKEN_HELP_URL,
    plex_errors,
    server_schema,
)
from .options_flow import PlexSyncOptionsFlow
from .plex_pin import PIN_STEP_ID, PinFailed, PinUnavailable, PlexPinSignIn
from .reconfigure_flow import ReconfigureFlow


class PlexSyncConfigFlow(ReconfigureFlow, domain=DOMAIN):
    """Set up one Plex account with one SensCritique account."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        super().__init__()
        self._pin: PlexPinSignIn | None = None
        self._pin_token: str | None = None
        self._pin_error = "pin_timeout"

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: PlexSyncConfigEntry) -> OptionsFlow:
        return PlexSyncOptionsFlow()

    # ----------------------------------------------------------------- user

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Plex: paste the account token, or sign in on plex.tv."""
        if user_input is None:
            return self._plex_form()
        return await self._plex_input(user_input)

    def _plex_form(self, errors: dict[str, str] | None = None) -> ConfigFlowResult:
        """The Plex form of this flow: `user`, or `reauth_plex` in a reauth."""
        return self.async_show_form(
            step_id="reauth_plex" if self.source == SOURCE_REAUTH else "user",
            data_schema=PLEX_SCHEMA,
            errors=errors or {},
            description_placeholders={"token_url": TOKEN_HELP_URL},
        )

    async def _plex_input(self, user_input: Mapping[str, Any]) -> ConfigFlowResult:
        """A submitted Plex form: start the PIN sign-in or check the token."""
        if user_input.get(CONF_PLEX_PIN):
            return await self.async_step_plex_pin()
        token = str(user_input.get(CONF_PLEX_TOKEN, "")).strip()
        if not token:
            return self._plex_form({"base": "token_required"})
        return await self._use_plex_token(token, pasted=True)

    async def _use_plex_token(self, token: str, *, pasted: bool) -> ConfigFlowResult:
        """Check a pasted or PIN-obtained token and go on (or show the error)."""
        account, servers, error = await self._plex_sign_in(token)
        if account is None:
            return self._plex_form(plex_errors(error, pasted=pasted) if error else None)
        if self.source == SOURCE_REAUTH:
            entry = self._get_reauth_entry()
            if account.id != entry.data[CONF_PLEX_ACCOUNT_ID]:
                return self.async_abort(reason="wrong_account")
            return self.async_update_reload_and_abort(
                entry, data_updates={CONF_PLEX_TOKEN: token}
            )
        self._plex = {
            CONF_PLEX_TOKEN: token,
            CONF_PLEX_ACCOUNT_ID: account.id,
            CONF_PLEX_USERNAME: account.username,
            CONF_PLEX_SERVER_ID: None,
            CONF_PLEX_SERVER_NAME: None,
        }
        self._servers = servers
        if len(servers) > 1:
            return await self.async_step_server()
        if servers:
            self._choose_server(servers[0].id)
        return await self.async_step_senscritique()

    # ------------------------------------------------------ Plex PIN sign-in

    async def async_step_plex_pin(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """External step: the user approves on plex.tv, the callback brings
        them back here, and the PIN is polled for the token."""
        if self._pin is None:
            try:
                self._pin = await PlexPinSignIn.async_start(self.hass, self.flow_id)
            except PinUnavailable:
                return self._plex_form({"base": "pin_unavailable"})
            except PinFailed as err:
                LOGGER.warning("Plex PIN sign-in could not start: %s", err)
                return self._plex_form({"base": "plex_unreachable"})
            return self.async_external_step(step_id=PIN_STEP_ID, url=self._pin.url)
        try:
            self._pin_token = await self._pin.async_token()
            self._pin_error = "pin_timeout"
        except PinFailed as err:
            LOGGER.warning("Plex PIN sign-in failed: %s", err)
            self._pin_token, self._pin_error = None, "plex_unreachable"
        return self.async_external_step_done(next_step_id="plex_pin_done")

    async def async_step_plex_pin_done(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Back from plex.tv: use the token, or offer the Plex form again."""
        token, self._pin_token, self._pin = self._pin_token, None, None
        if token is None:
            return self._plex_form({"base": self._pin_error})
        return await self._use_plex_token(token, pasted=False)

    async def async_step_server(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Plex: which of the account's servers to use."""
        if user_input is not None:
            self._choose_server(user_input[CONF_PLEX_SERVER_ID])
            return await self.async_step_senscritique()
        return self.async_show_form(
            step_id="server", data_schema=server_schema(self._servers)
        )

    async def async_step_senscritique(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """SensCritique: full account or read-only by username."""
        return self.async_show_menu(
            step_id="senscritique",
            menu_options=["senscritique_account", "senscritique_read_only"],
        )

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
                await self.async_set_unique_id(
                    f"{self._plex[CONF_PLEX_ACCOUNT_ID]}_{user.id}"
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
                return await self.async_first_sync(
                    f"Plex ↔ SensCritique ({user.username})", data, read_only=read_only
                )
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
        """New SensCritique credentials (or username) for the same user."""
        entry = self._get_reauth_entry()
        read_only = entry.data.get(CONF_SC_MODE) == SC_MODE_READ_ONLY
        schema = SC_READ_ONLY_SCHEMA if read_only else SC_ACCOUNT_SCHEMA
        errors: dict[str, str] = {}
        if user_input is not None:
            user, errors = await self._sc_sign_in(user_input, read_only=read_only)
            if user is not None:
                if user.id != entry.data[CONF_SC_USER_ID]:
                    return self.async_abort(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry, data_updates={**user_input, CONF_SC_USERNAME: user.username}
                )
        suggested = {} if read_only else {CONF_SC_EMAIL: entry.data.get(CONF_SC_EMAIL)}
        return self.async_show_form(
            step_id="reauth_senscritique",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )
