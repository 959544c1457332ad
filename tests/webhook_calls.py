"""Plex webhook calls as a Plex Media Server sends them (the reference's
fixtures/webhook_multipart_example.http): multipart/form-data with a JSON
``payload`` part and, for a rating, a JPEG ``thumb`` part."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from .simulators.plex import PlexSimulator

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2048 + b"\xff\xd9"


def payload(
    plex: PlexSimulator,
    event: str,
    guid: str,
    *,
    account_id: int = 1,
    account_title: str | None = None,
    rating: float | None = None,
) -> dict[str, Any]:
    """A payload about the library item of `guid`, by default from the
    server's owner (Account.id 1, titled with the owner's username)."""
    item = plex.library_item(guid)
    assert item is not None
    cat = plex.state.catalog[item.hex]
    data: dict[str, Any] = {
        "event": event,
        "user": True,
        "owner": True,
        "Account": {
            "id": account_id,
            "thumb": "https://plex.tv/users/x/avatar",
            "title": account_title or plex.username,
        },
        "Server": {"title": plex.server_name, "uuid": plex.server_id},
        "Player": {"local": True, "title": "Chrome", "uuid": "k3x9w2q8"},
        "Metadata": {
            "librarySectionType": cat.kind,
            "ratingKey": str(item.rating_key),
            "key": f"/library/metadata/{item.rating_key}",
            "guid": cat.guid,
            "type": cat.kind,
            "title": cat.title,
            "year": cat.year,
            "Guid": [{"id": g} for g in cat.guids],
        },
    }
    if rating is not None:
        data["rating"] = rating
        data["Metadata"]["userRating"] = rating
    return data


def form(data: dict[str, Any] | str, *, thumb: bool = True) -> aiohttp.FormData:
    """The multipart body Plex sends."""
    body = aiohttp.FormData()
    text = data if isinstance(data, str) else json.dumps(data)
    body.add_field("payload", text, content_type="application/json")
    if thumb:
        body.add_field("thumb", JPEG, filename="image.jpg", content_type="image/jpeg")
    return body


def plex_requests(plex: PlexSimulator) -> int:
    """Every request the Plex simulator answered, all hosts."""
    return sum(count for name, count in plex.requests.items() if name.endswith(":*"))
