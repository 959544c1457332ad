"""The Plex webhook receiver, through Home Assistant's `webhook` component.

Each entry has its own unguessable webhook id, made once and kept in the
entry's data (`async_webhook_id`); its URL is what Plex is given. Plex POSTs
``multipart/form-data``: the JSON part ``payload`` is parsed
(webhook_payload.py), any other part (the ``thumb`` JPEG) is skipped. The
body is read up to `MAX_BODY` bytes, never more. A body that is not such a
payload gets 400 with a debug log line, and nothing changes; a payload is
answered 200 at once and handed to the entry's `InstantSync` (instant.py),
which decides what it sets off.
"""

from __future__ import annotations

import email.parser
import email.policy
from email.message import EmailMessage
from http import HTTPStatus
from typing import TYPE_CHECKING, Final

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback

from .const import CONF_WEBHOOK_ID, DOMAIN, LOGGER
from .webhook_payload import BadPayload, parse_payload

if TYPE_CHECKING:
    from .coordinator import PlexSyncConfigEntry

MAX_BODY: Final = 4 * 1024 * 1024  # a payload is a few kB; a poster well under 1 MB
CHUNK: Final = 64 * 1024
PAYLOAD_PART: Final = "payload"


def async_webhook_id(hass: HomeAssistant, entry: PlexSyncConfigEntry) -> str:
    """The entry's webhook id, made (and saved in its data) the first time."""
    if webhook_id := entry.data.get(CONF_WEBHOOK_ID):
        return str(webhook_id)
    webhook_id = webhook.async_generate_id()
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_WEBHOOK_ID: webhook_id}
    )
    return webhook_id


@callback
def async_register(hass: HomeAssistant, entry: PlexSyncConfigEntry) -> None:
    """Receive the entry's Plex webhooks until it is unloaded."""
    webhook_id = async_webhook_id(hass, entry)

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        return await async_handle(entry, request)

    webhook.async_register(
        hass, DOMAIN, entry.title, webhook_id, handle, allowed_methods=("POST",)
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))


async def async_handle(
    entry: PlexSyncConfigEntry, request: web.Request
) -> web.Response:
    """One webhook call (see the module docstring)."""
    instant = entry.runtime_data.instant
    try:
        event = parse_payload(await read_payload(request))
    except BadPayload as err:
        instant.counts["bad_payload"] += 1
        LOGGER.debug("Refused a Plex webhook call: %s", err)
        return web.Response(status=HTTPStatus.BAD_REQUEST, text=str(err))
    instant.take(event)
    return web.Response(status=HTTPStatus.OK)


async def read_body(request: web.Request) -> bytes:
    """The request body, `BadPayload` past `MAX_BODY` bytes."""
    # A call relayed by Home Assistant Cloud is a MockRequest: no length.
    length = getattr(request, "content_length", None)
    if (length or 0) > MAX_BODY:
        raise BadPayload(f"body of {length} bytes is too large")
    body = bytearray()
    stream = request.content  # a MockRequest makes a new reader on each access
    while chunk := await stream.read(CHUNK):
        body += chunk
        if len(body) > MAX_BODY:
            raise BadPayload("body is too large")
    return bytes(body)


async def read_payload(request: web.Request) -> bytes:
    """The ``payload`` part of a multipart/form-data body."""
    content_type = request.headers.get("Content-Type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise BadPayload(f"not multipart/form-data: {content_type!r}")
    body = await read_body(request)
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(head + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise BadPayload("multipart body without parts")
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == PAYLOAD_PART:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                return data
    raise BadPayload("no payload part")
