"""Plex PIN sign-in on plex.tv, as Home Assistant's own Plex integration does it.

`plexauth` asks plex.tv for a PIN and builds the app.plex.tv address the user
opens. Once they approve, plex.tv sends their browser to our callback view,
which moves the config flow on; the flow then polls the PIN for the token.
The token then goes through the same checks as a pasted one.
"""

from __future__ import annotations

from typing import Final

import aiohttp
from aiohttp import web
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import UnknownFlow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView, current_request
from homeassistant.helpers.network import NoURLAvailableError, get_url
from plexauth import PlexAuth  # type: ignore[import-untyped]  # no py.typed

from .const import DOMAIN

AUTH_CALLBACK_PATH: Final = "/auth/plexsync/callback"
AUTH_CALLBACK_NAME: Final = "auth:plexsync:callback"
HEADER_FRONTEND_BASE: Final = "HA-Frontend-Base"
PIN_STEP_ID: Final = "plex_pin"
# plex.tv issues the token as the user approves; after the callback a few
# polls are enough, and the callback's page stays open meanwhile.
TOKEN_WAIT_SECONDS: Final = 10
PLEX_HEADERS: Final = {
    "X-Plex-Product": "PlexSync",
    "X-Plex-Device-Name": "Home Assistant",
    "X-Plex-Platform": "Home Assistant",
    "X-Plex-Model": "Plex OAuth",
}
# What plexauth lets through when plex.tv is unreachable or answers oddly.
_PLEX_TV_ERRORS = (aiohttp.ClientError, TimeoutError, KeyError, TypeError, ValueError)


class PinUnavailable(Exception):
    """Home Assistant does not know an address plex.tv could send the user back to."""


class PinFailed(Exception):
    """plex.tv could not be reached or gave an unexpected answer."""


def _frontend_base(hass: HomeAssistant) -> str:
    """The address the user's browser reaches Home Assistant at."""
    # Where it is defined (homeassistant.components.http only re-exports it).
    request = current_request.get()
    if request is not None and (base := request.headers.get(HEADER_FRONTEND_BASE)):
        return base
    try:
        return get_url(hass)
    except NoURLAvailableError as err:
        raise PinUnavailable from err


class PlexPinSignIn:
    """One PIN sign-in: started with a PIN, then asked for the token after the
    callback."""

    def __init__(self, auth: PlexAuth, url: str) -> None:
        self._auth = auth
        self.url = url  # what the user opens on app.plex.tv

    @classmethod
    async def async_start(cls, hass: HomeAssistant, flow_id: str) -> PlexPinSignIn:
        """Ask plex.tv for a PIN for the flow `flow_id`."""
        base = _frontend_base(hass)
        hass.http.register_view(PlexPinCallbackView)
        payload = {**PLEX_HEADERS, "X-Plex-Device": hass.config.location_name}
        auth = PlexAuth(payload, async_get_clientsession(hass), {"Origin": base})
        try:
            await auth.initiate_auth()
        except _PLEX_TV_ERRORS as err:
            raise PinFailed(type(err).__name__) from err
        forward = f"{base}{AUTH_CALLBACK_PATH}?flow_id={flow_id}"
        return cls(auth, str(auth.auth_url(forward)))

    async def async_token(self) -> str | None:
        """The token once the user approved, or None if plex.tv has none yet."""
        try:
            token = await self._auth.token(TOKEN_WAIT_SECONDS)
        except _PLEX_TV_ERRORS as err:
            raise PinFailed(type(err).__name__) from err
        return token if isinstance(token, str) and token else None


class PlexPinCallbackView(HomeAssistantView):
    """Where plex.tv sends the browser back: moves the waiting flow on."""

    url = AUTH_CALLBACK_PATH
    name = AUTH_CALLBACK_NAME
    requires_auth = False

    async def get(self, request: web.Request) -> web.Response:
        """Resume the PlexSync flow that waits at the PIN step, and only that."""
        hass = request.app[KEY_HASS]
        flow_id = request.query.get("flow_id", "")
        flows = hass.config_entries.flow
        try:
            flow = flows.async_get(flow_id)
            if flow["handler"] != DOMAIN or flow.get("step_id") != PIN_STEP_ID:
                raise UnknownFlow
            await flows.async_configure(flow_id=flow_id, user_input=None)
        except UnknownFlow:
            return web.Response(
                status=404,
                text="This Plex sign-in has ended. Start it again from Home Assistant.",
            )
        return web.Response(
            content_type="text/html",
            text="<script>window.close()</script>Signed in to Plex. You can close this window.",
        )
