"""A Plex webhook payload -> a typed event. Pure: no Home Assistant here.

Plex (the media server, for an account with Plex Pass) POSTs
``multipart/form-data`` with a JSON part ``payload`` (and for some events a
JPEG part ``thumb``, ignored). The fields read here are those of the
reference (Plex reference, "E — Webhooks"): ``event``, ``owner``,
``Account {id, title}``, ``Server {uuid}``, ``Metadata {ratingKey, guid, type,
title, year, grandparentTitle}`` and, for ``media.rate``, the top-level
``rating`` (0 to 10; how Plex sends a cleared rating is not documented, which
does not matter: the sync reads the item itself, and a rating gone there is a
removal).

``Account.id`` is the server's own id of the account: the server owner is 1
(reference, 3rd-party telegraf sample), other plex.tv members their plex.tv
id. So an event is this entry's when the id is the entry's plex.tv account id,
or 1 with the entry's Plex username as ``Account.title`` (labelled a guess:
the owner's ``title`` is its plex.tv username in every sample seen).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

RATE: Final = "media.rate"
SCROBBLE: Final = "media.scrobble"
LIBRARY_NEW: Final = "library.new"
HANDLED: Final = frozenset({RATE, SCROBBLE, LIBRARY_NEW})

# The server's own id of its owner's account.
OWNER_LOCAL_ID: Final = 1


class BadPayload(ValueError):
    """The payload is not a Plex webhook payload."""


@dataclass(frozen=True, slots=True)
class PlexWebhookEvent:
    """The fields of one webhook call the sync needs."""

    event: str
    account_id: int
    account_title: str | None
    server_id: str | None
    rating_key: str | None
    guid: str | None
    kind: str | None
    title: str | None
    year: int | None
    rating: float | None = None

    @property
    def handled(self) -> bool:
        """An event the sync acts on (about an item it can read)."""
        return self.event in HANDLED and self.rating_key is not None

    def is_account(self, account_id: int, username: str | None) -> bool:
        """Whether the event is the entry's Plex account's (module docstring)."""
        if self.account_id == account_id:
            return True
        return (
            self.account_id == OWNER_LOCAL_ID
            and username is not None
            and (self.account_title or "").casefold() == username.casefold()
        )


def _object(value: Any, name: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BadPayload(f"{name} is not an object")
    return value


def _text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadPayload(f"{name} is not text")
    return str(value)


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadPayload(f"{name} is not a number")
    return float(value)


def parse_payload(raw: bytes | str) -> PlexWebhookEvent:
    """The event in the JSON text of a ``payload`` part; `BadPayload` when it
    is not JSON or lacks what every Plex event carries (event, Account.id)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadPayload(f"payload is not JSON: {err}") from err
    data = _object(data, "payload")
    event = _text(data.get("event"), "event")
    if event is None:
        raise BadPayload("payload without event")
    account = _object(data.get("Account"), "Account")
    account_id = _number(account.get("id"), "Account.id")
    if account_id is None or account_id != int(account_id):
        raise BadPayload("payload without Account.id")
    metadata = _object(data.get("Metadata"), "Metadata")
    rating_key = _text(metadata.get("ratingKey"), "Metadata.ratingKey")
    if rating_key is not None and not rating_key.isdigit():
        raise BadPayload(f"bad Metadata.ratingKey {rating_key!r}")
    year = _number(metadata.get("year"), "Metadata.year")
    # Not range-checked: a cleared rating may come as -1 (what plexapi sends
    # the server to clear one) or not at all; the sync reads the item anyway.
    rating = _number(data.get("rating"), "rating")
    return PlexWebhookEvent(
        event=event,
        account_id=int(account_id),
        account_title=_text(account.get("title"), "Account.title"),
        server_id=_text(_object(data.get("Server"), "Server").get("uuid"), "uuid"),
        rating_key=rating_key,
        guid=_text(metadata.get("guid"), "Metadata.guid"),
        kind=_text(metadata.get("type"), "Metadata.type"),
        title=_text(metadata.get("grandparentTitle") or metadata.get("title"), "title"),
        year=int(year) if year is not None else None,
        rating=rating,
    )
