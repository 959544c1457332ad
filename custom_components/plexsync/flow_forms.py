"""The config flow's forms and how a failed sign-in shows in them.

Each error names the field it is about where there is one: a malformed
e-mail address under the e-mail, a refused SensCritique sign-in under the
password, a refused Plex token under the token; a service that cannot be
reached is said of the whole form, with the service's name.
"""

from __future__ import annotations

import re

import voluptuous as vol
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .const import (
    CONF_PLEX_SERVER_ID,
    CONF_PLEX_TOKEN,
    CONF_PLEX_USER_ID,
    CONF_SC_EMAIL,
    CONF_SC_PASSWORD,
    CONF_SC_USERNAME,
    LOGGER,
)
from .engine.errors import AuthError, NotFound, SyncServiceError
from .plex.client import PlexServerInfo
from .plex.home import PlexHomeUser

TOKEN_HELP_URL = "https://support.plex.tv/articles/204059436-finding-an-authentication-token-x-plex-token/"  # noqa: S105 - a page address
PASSWORD = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
# Not stored: a choice in the Plex form.
CONF_PLEX_PIN = "plex_pin"
PLEX_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_PLEX_TOKEN): PASSWORD,
        vol.Optional(CONF_PLEX_PIN, default=False): BooleanSelector(),
    }
)
# Not stored: the Home user's PIN, asked when they have one and sent to
# plex.tv only, as the switch to them.
CONF_HOME_PIN = "home_pin"
HOME_PIN_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOME_PIN): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
        )
    }
)
# The Home user choice's value for the signed-in account's own data.
ACCOUNT_ITSELF = "account"
SC_ACCOUNT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_SC_EMAIL): TextSelector(
            TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="email")
        ),
        vol.Required(CONF_SC_PASSWORD): PASSWORD,
    }
)
SC_READ_ONLY_SCHEMA = vol.Schema(
    {vol.Required(CONF_SC_USERNAME): TextSelector(TextSelectorConfig())}
)
# Something@something.something, without spaces: enough to tell a slip of the
# keyboard from an address; SensCritique judges the rest.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def server_schema(servers: list[PlexServerInfo]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_PLEX_SERVER_ID): SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(value=s.id, label=s.name) for s in servers
                    ],
                    mode=SelectSelectorMode.LIST,
                )
            )
        }
    )


def home_user_schema(account_name: str, users: list[PlexHomeUser]) -> vol.Schema:
    """Whose data the entry syncs: the account's own, or a Home user's."""
    options = [SelectOptionDict(value=ACCOUNT_ITSELF, label=account_name)]
    options += [SelectOptionDict(value=str(u.id), label=u.name) for u in users]
    return vol.Schema(
        {
            vol.Required(CONF_PLEX_USER_ID, default=ACCOUNT_ITSELF): SelectSelector(
                SelectSelectorConfig(options=options, mode=SelectSelectorMode.LIST)
            )
        }
    )


def error_key(err: Exception) -> str:
    """The form error of a failed sign-in, said of the whole form."""
    if isinstance(err, AuthError):
        return "invalid_auth"
    if isinstance(err, NotFound):
        return "user_not_found"
    if isinstance(err, SyncServiceError):
        return "cannot_connect"
    LOGGER.exception("Unexpected error while signing in", exc_info=err)
    return "unknown"


def plex_errors(err: Exception, *, pasted: bool) -> dict[str, str]:
    """A failed Plex sign-in: a refused token is the pasted token's fault
    (one plex.tv handed over is the sign-in's)."""
    key = error_key(err)
    if key == "invalid_auth" and pasted:
        return {CONF_PLEX_TOKEN: "plex_token_refused"}
    if key == "cannot_connect":
        return {"base": "plex_unreachable"}
    return {"base": key}


def senscritique_errors(err: Exception, *, read_only: bool) -> dict[str, str]:
    """A failed SensCritique sign-in: a refusal is the password's (SensCritique
    does not say whether the address is known), an unknown member the
    username's, a service down the whole form's."""
    key = error_key(err)
    if key == "invalid_auth" and not read_only:
        return {CONF_SC_PASSWORD: "senscritique_refused"}
    if key == "user_not_found":
        return {CONF_SC_USERNAME: "user_not_found"}
    if key == "cannot_connect":
        return {"base": "senscritique_unreachable"}
    return {"base": key}


def email_error(text: str) -> dict[str, str]:
    """An address that cannot be one, told before anything is sent."""
    if _EMAIL.fullmatch(text.strip()):
        return {}
    return {CONF_SC_EMAIL: "invalid_email"}
