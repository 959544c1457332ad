"""The config flow's Plex steps: sign-in (a pasted token or the PIN sign-in
on plex.tv), whose data the entry syncs (the account itself or one of its
Plex Home users, with that user's PIN when it has one), the server, then
the SensCritique menu (its steps are config_flow.py's).

The Plex step stays one form so REST clients that post a token keep working:
ticking "sign in on plex.tv" instead leads to the external step `plex_pin`,
and the token it brings back is checked exactly like a pasted one.

As soon as the Plex identity is known, an entry that already syncs it ends
the flow, naming that entry (household.py). A reauth signs the same account
in again and, for a Home user, switches to that same user again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigFlowResult

from .clients import async_new_plex
from .const import (
    CONF_PLEX_ACCOUNT_ID,
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USER_ID,
    CONF_PLEX_USER_NAME,
    CONF_PLEX_USERNAME,
    LOGGER,
)
from .engine.errors import AuthError
from .first_sync_flow import FirstSyncFlow
from .flow_forms import (
    CONF_HOME_PIN,
    CONF_PLEX_PIN,
    HOME_PIN_SCHEMA,
    PLEX_SCHEMA,
    TOKEN_HELP_URL,
    error_key,
    home_user_schema,
    plex_errors,
    server_schema,
)
from .household import entry_holding_plex, is_home_user, plex_user_id
from .plex.client import PlexAccountInfo, PlexServerInfo
from .plex.home import PlexHomeUser
from .plex_pin import PIN_STEP_ID, PinFailed, PinUnavailable, PlexPinSignIn

type SignIn = tuple[
    PlexAccountInfo | None, list[PlexServerInfo], list[PlexHomeUser], Exception | None
]


class PlexSignInFlow(FirstSyncFlow):
    """The Plex steps; `async_step_senscritique` comes next."""

    def __init__(self) -> None:
        super().__init__()
        self._plex: dict[str, Any] = {}
        self._servers: list[PlexServerInfo] = []
        self._pin: PlexPinSignIn | None = None
        self._pin_token: str | None = None
        self._pin_error = "pin_timeout"
        # The signed-in account's token, the account, its servers and Home users.
        self._signer: tuple[str, PlexAccountInfo, list[PlexServerInfo]] | None = None
        self._home_users: list[PlexHomeUser] = []
        self._home_user: PlexHomeUser | None = None

    async def _plex_sign_in(self, token: str, *, home: bool = False) -> SignIn:
        """The account of `token`, its servers and (`home`) its Home users."""
        try:
            client = await async_new_plex(self.hass, token)
            try:
                run = self.hass.async_add_executor_job
                account = await run(client.account)
                servers = await run(client.servers)
                users = await run(client.home_users) if home else []
            finally:
                await self.hass.async_add_executor_job(client.close)
        except Exception as err:
            return None, [], [], err
        return account, servers, users, None

    # ----------------------------------------------------------- sign-in

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
        account, servers, users, error = await self._plex_sign_in(token, home=True)
        if account is None:
            return self._plex_form(plex_errors(error, pasted=pasted) if error else None)
        self._signer, self._home_users = (token, account, servers), users
        if self.source == SOURCE_REAUTH:
            entry = self._get_reauth_entry()
            if account.id != entry.data[CONF_PLEX_ACCOUNT_ID]:
                return self.async_abort(reason="wrong_account")
            if not is_home_user(entry.data):
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_PLEX_TOKEN: token}
                )
            wanted = plex_user_id(entry.data)
            user = next((u for u in users if u.id == wanted), None)
            if user is None:
                return self.async_abort(reason="home_user_gone")
            return await self._home_user_chosen(user)
        if users:
            return await self.async_step_plex_user()
        return await self._plex_identity(token, account, account.username, servers)

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

    # ------------------------------------------------------------ Home users

    async def async_step_plex_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Whose data this entry syncs: the account's or a Home user's."""
        assert self._signer is not None
        token, account, servers = self._signer
        if user_input is None:
            return self.async_show_form(
                step_id="plex_user",
                data_schema=home_user_schema(account.username, self._home_users),
            )
        choice = user_input[CONF_PLEX_USER_ID]  # a user's id or ACCOUNT_ITSELF
        user = next((u for u in self._home_users if str(u.id) == choice), None)
        if user is None:
            return await self._plex_identity(token, account, account.username, servers)
        return await self._home_user_chosen(user)

    async def _home_user_chosen(self, user: PlexHomeUser) -> ConfigFlowResult:
        self._home_user = user
        if user.protected:
            return await self.async_step_plex_user_pin()
        return await self._switch(None)

    async def async_step_plex_user_pin(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The chosen Home user's PIN (checked by plex.tv as we switch)."""
        if user_input is not None:
            return await self._switch(str(user_input[CONF_HOME_PIN]).strip())
        return self._pin_form()

    def _pin_form(self, errors: dict[str, str] | None = None) -> ConfigFlowResult:
        assert self._home_user is not None
        return self.async_show_form(
            step_id="plex_user_pin",
            data_schema=HOME_PIN_SCHEMA,
            errors=errors or {},
            description_placeholders={"user": self._home_user.name},
        )

    async def _switch(self, pin: str | None) -> ConfigFlowResult:
        """Switch to the chosen Home user: their own token, account and servers."""
        assert self._signer is not None
        assert self._home_user is not None
        user = self._home_user
        try:
            client = await async_new_plex(self.hass, self._signer[0])
            try:
                token = await self.hass.async_add_executor_job(
                    client.switch_home_user, user.id, pin
                )
            finally:
                await self.hass.async_add_executor_job(client.close)
        except Exception as err:
            if not user.protected:
                return self.async_abort(reason=error_key(err))
            if isinstance(err, AuthError):
                return self._pin_form({CONF_HOME_PIN: "home_pin_refused"})
            return self._pin_form({"base": error_key(err)})
        account, servers, _, error = await self._plex_sign_in(token)
        if account is None:
            return self.async_abort(reason=error_key(error) if error else "unknown")
        if self.source == SOURCE_REAUTH:
            return self.async_update_reload_and_abort(
                self._get_reauth_entry(), data_updates={CONF_PLEX_TOKEN: token}
            )
        return await self._plex_identity(token, account, user.name, servers)

    # ------------------------------------------------------------ identity

    async def _plex_identity(
        self,
        token: str,
        account: PlexAccountInfo,
        name: str,
        servers: list[PlexServerInfo],
    ) -> ConfigFlowResult:
        """Whose data is known: abort if an entry holds it, else the server."""
        assert self._signer is not None
        if (held := entry_holding_plex(self.hass, account.id)) is not None:
            return self.async_abort(
                reason="plex_user_taken", description_placeholders={"entry": held.title}
            )
        signer = self._signer[1]
        self._plex = {
            CONF_PLEX_TOKEN: token,
            CONF_PLEX_ACCOUNT_ID: signer.id,
            CONF_PLEX_USERNAME: signer.username,
            CONF_PLEX_USER_ID: account.id,
            CONF_PLEX_USER_NAME: name,
            CONF_PLEX_SERVER_ID: None,
            CONF_PLEX_SERVER_NAME: None,
        }
        self._servers = servers
        if len(servers) > 1:
            return await self.async_step_server()
        if servers:
            self._choose_server(servers[0].id)
        return await self.async_step_senscritique()

    def _choose_server(self, server_id: str) -> None:
        server = next(s for s in self._servers if s.id == server_id)
        self._plex[CONF_PLEX_SERVER_ID] = server.id
        self._plex[CONF_PLEX_SERVER_NAME] = server.name

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
