"""Plex webhook payloads -> events (webhook_payload.py), on the reference's
sample payloads (Plex reference, fixtures/webhook_media_*.json)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.plexsync.webhook_payload import BadPayload, parse_payload

RATE: dict[str, Any] = {
    "event": "media.rate",
    "user": True,
    "owner": True,
    "rating": 9.0,
    "Account": {
        "id": 1,
        "thumb": "https://plex.tv/users/a1/avatar",
        "title": "cinephile42",
    },
    "Server": {"title": "Living Room PMS", "uuid": "9f3c2a7b"},
    "Player": {"local": True, "title": "Chrome", "uuid": "k3x9"},
    "Metadata": {
        "librarySectionType": "movie",
        "ratingKey": "1001",
        "key": "/library/metadata/1001",
        "guid": "plex://movie/5d7768254af8d1001f2e3a01",
        "type": "movie",
        "title": "Heat",
        "userRating": 9.0,
        "year": 1995,
        "Guid": [{"id": "imdb://tt0113277"}],
    },
}
SCROBBLE: dict[str, Any] = {
    "event": "media.scrobble",
    "user": True,
    "owner": True,
    "Account": {"id": 1, "title": "cinephile42"},
    "Server": {"title": "Living Room PMS", "uuid": "9f3c2a7b"},
    "Metadata": {
        "ratingKey": "2004",
        "guid": "plex://episode/5d9c11154af8d1001f2e3b04",
        "grandparentGuid": "plex://show/5d9c08544af8d1001f2e3b01",
        "type": "episode",
        "title": "Cat's in the Bag...",
        "grandparentTitle": "Breaking Bad",
        "index": 2,
        "parentIndex": 1,
        "year": 2008,
    },
}


def test_a_rating() -> None:
    event = parse_payload(json.dumps(RATE).encode())
    assert event.event == "media.rate"
    assert event.handled
    assert (event.account_id, event.account_title) == (1, "cinephile42")
    assert (event.server_id, event.rating_key) == ("9f3c2a7b", "1001")
    assert (event.title, event.year, event.rating) == ("Heat", 1995, 9.0)


def test_an_episode_is_named_by_its_series() -> None:
    event = parse_payload(json.dumps(SCROBBLE))
    assert (event.kind, event.title, event.rating_key) == (
        "episode",
        "Breaking Bad",
        "2004",
    )
    assert event.rating is None


def test_whose_event_it_is() -> None:
    owner = parse_payload(json.dumps(RATE))
    assert owner.is_account(31415926, "cinephile42")  # the server's owner: id 1
    assert owner.is_account(31415926, "CinePhile42")
    assert not owner.is_account(31415926, "someone")  # id 1 is another owner
    member = parse_payload(json.dumps({**RATE, "Account": {"id": 5551234}}))
    assert member.is_account(5551234, None)
    assert not member.is_account(31415926, "cinephile42")


def test_a_cleared_rating_is_still_an_event() -> None:
    """Plex's value for a cleared rating is undocumented (plexapi clears one
    with -1): whatever number comes, the event stands; the sync reads the
    item and finds no rating."""
    for value in (-1, 0, None):
        event = parse_payload(json.dumps({**RATE, "rating": value}))
        assert event.handled
        assert event.rating == (None if value is None else float(value))


def test_events_not_acted_on() -> None:
    assert not parse_payload(json.dumps({**RATE, "event": "media.play"})).handled
    backup = {"event": "admin.database.backup", "Account": {"id": 1}}
    assert not parse_payload(json.dumps(backup)).handled


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe",
        b"{",
        b"[]",
        json.dumps({"Account": {"id": 1}}).encode(),
        json.dumps({"event": "media.rate"}).encode(),
        json.dumps({"event": "media.rate", "Account": {"id": 1.5}}).encode(),
        json.dumps({"event": "media.rate", "Account": {"id": True}}).encode(),
        json.dumps({"event": "media.rate", "Account": []}).encode(),
        json.dumps({**RATE, "rating": "9"}).encode(),
        json.dumps({**RATE, "Metadata": {"ratingKey": "12/../3"}}).encode(),
        json.dumps({**RATE, "Metadata": {"ratingKey": "1", "year": "1995"}}).encode(),
    ],
)
def test_bad_payloads(raw: bytes) -> None:
    with pytest.raises(BadPayload):
        parse_payload(raw)
