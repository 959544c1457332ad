"""Plex webhooks -> a sync of one work, with the real clients against the
simulators: a rating or a finished film travels to SensCritique within the
debounce, reading that work alone; another account's event and a malformed
call change nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util
from homeassistant.util.aiohttp import MockRequest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.plexsync.const import (
    CONF_WEBHOOK_ID,
    EVENT_CHANGE,
    EVENT_RATING_REQUESTED,
    EVENT_WATCHLIST_AVAILABLE,
)
from custom_components.plexsync.instant import DEBOUNCE
from custom_components.plexsync.pipeline import SyncRequest

from .instant_world import NOW, USERNAME, linked_fixture  # noqa: F401
from .simulators.plex import PlexSimulator
from .simulators.senscritique import SensCritiqueSimulator
from .webhook_calls import form, payload, plex_requests


async def _post(client: Any, entry: MockConfigEntry, body: Any) -> int:
    resp = await client.post(f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}", data=body)
    return int(resp.status)


async def _settle(hass: HomeAssistant) -> None:
    """Past the debounce: the queued syncs run."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=DEBOUNCE + 1))
    await hass.async_block_till_done()


async def test_a_rating_travels_reading_the_work_alone(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_client_no_auth: Any,
) -> None:
    entry, keys = linked
    changes = async_capture_events(hass, EVENT_CHANGE)
    client = await hass_client_no_auth()
    heat = plex_sim.library_item(keys["heat"])
    assert heat is not None
    plex_sim.state.rate_library(heat, 9.0, NOW)  # the user rates Heat on Plex
    plex_before, sc_before = plex_requests(plex_sim), sc_sim.http_requests

    rated = payload(plex_sim, "media.rate", keys["heat"], rating=9.0)
    assert await _post(client, entry, form(rated)) == 200
    await hass.async_block_till_done()
    assert sc_sim.state.ratings(USERNAME).get(keys["sc_heat"]) is None  # debounced
    await _settle(hass)

    assert sc_sim.state.ratings(USERNAME)[keys["sc_heat"]] == 9
    plex_count = plex_requests(plex_sim) - plex_before
    sc_count = sc_sim.http_requests - sc_before
    # Plex: the item and its account state; SensCritique: the product, the rating.
    assert (plex_count, sc_count) == (2, 2)
    assert plex_count + sc_count <= 6
    listings = [line for line in plex_sim.log[-plex_count:] if "/all" in line[2]]
    assert listings == []  # no list read
    assert [(e.data["side"], e.data["action"], e.data["value"]) for e in changes] == [
        ("senscritique", "set_rating", 9)
    ]
    activity = hass.states.get("event.plex_senscritique_activity")
    assert activity is not None
    assert activity.attributes["event_type"] == "change"
    assert activity.attributes["value"] == 9
    # Recorded in the base: the next full sync writes nothing for it.
    outcome = await entry.runtime_data.coordinator.async_run_now(SyncRequest())
    assert [op for op in outcome.plan.ops if op.key == str(keys["sc_heat"])] == []
    assert entry.runtime_data.instant.counts["synced"] == 1


async def test_a_cleared_rating_is_a_removal(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_client_no_auth: Any,
) -> None:
    """Rated 7, agreed, then the rating cleared on Plex: with ratings'
    removals propagating, SensCritique's goes too (Plex sends a cleared
    rating as a media.rate; the sync reads the item, which has none)."""
    entry, keys = linked
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "ratings_propagate_removals": True}
    )
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    heat = plex_sim.library_item(keys["heat"])
    assert heat is not None
    plex_sim.state.rate_library(heat, 7.0, NOW)
    assert (
        await _post(client, entry, form(payload(plex_sim, "media.rate", keys["heat"])))
        == 200
    )
    await _settle(hass)
    assert sc_sim.state.ratings(USERNAME)[keys["sc_heat"]] == 7
    plex_sim.state.rate_library(heat, -1, NOW + 60)
    assert (
        await _post(client, entry, form(payload(plex_sim, "media.rate", keys["heat"])))
        == 200
    )
    await _settle(hass)
    assert keys["sc_heat"] not in sc_sim.state.ratings(USERNAME)


async def test_a_scrobble_marks_it_seen_and_asks_for_a_rating(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_client_no_auth: Any,
) -> None:
    entry, keys = linked
    asked: list[Event] = async_capture_events(hass, EVENT_RATING_REQUESTED)
    client = await hass_client_no_auth()
    alien = plex_sim.library_item(keys["alien"])
    assert alien is not None
    plex_sim.state.scrobble_library(alien, NOW, played=True)
    scrobbled = payload(plex_sim, "media.scrobble", keys["alien"])
    assert await _post(client, entry, form(scrobbled, thumb=False)) == 200
    await _settle(hass)
    assert keys["sc_alien"] in sc_sim.state.done(USERNAME)
    assert [e.data["title"] for e in asked] == ["Alien"]
    assert asked[0].data["entry_id"] == entry.entry_id
    assert asked[0].data["senscritique_id"] == str(keys["sc_alien"])
    # The event entity shows it as a UI trigger.
    activity = hass.states.get("event.plex_senscritique_activity")
    assert activity is not None
    assert activity.attributes["event_type"] == "rating_requested"
    assert activity.attributes["title"] == "Alien"


async def test_a_burst_is_one_sync(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_client_no_auth: Any,
) -> None:
    """Three ratings in a row (the user hesitates): one read, one write."""
    entry, keys = linked
    client = await hass_client_no_auth()
    heat = plex_sim.library_item(keys["heat"])
    assert heat is not None
    before = plex_requests(plex_sim)
    for value in (6.0, 8.0, 7.0):
        plex_sim.state.rate_library(heat, value, NOW)
        call = payload(plex_sim, "media.rate", keys["heat"], rating=value)
        assert await _post(client, entry, form(call)) == 200
    await _settle(hass)
    assert sc_sim.state.ratings(USERNAME)[keys["sc_heat"]] == 7
    assert plex_requests(plex_sim) - before == 2
    assert entry.runtime_data.instant.counts["received"] == 3


async def test_another_accounts_event_changes_nothing(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_client_no_auth: Any,
) -> None:
    """A household member rates Heat on the same server: their event is
    counted, and nothing is read or written."""
    entry, keys = linked
    client = await hass_client_no_auth()
    heat = plex_sim.library_item(keys["heat"])
    assert heat is not None
    plex_sim.state.rate_library(heat, 4.0, NOW)
    before = plex_requests(plex_sim), sc_sim.http_requests
    for account_id, title in ((5551234, "kid"), (1, "someone-else")):
        call = payload(
            plex_sim,
            "media.rate",
            keys["heat"],
            account_id=account_id,
            account_title=title,
            rating=4.0,
        )
        assert await _post(client, entry, form(call)) == 200
    await _settle(hass)
    assert keys["sc_heat"] not in sc_sim.state.ratings(USERNAME)
    assert (plex_requests(plex_sim), sc_sim.http_requests) == before
    assert entry.runtime_data.instant.counts["other_account"] == 2
    # The entry's account by its plex.tv id is taken.
    call = payload(plex_sim, "media.rate", keys["heat"], account_id=plex_sim.account_id)
    assert await _post(client, entry, form(call)) == 200
    await _settle(hass)
    assert sc_sim.state.ratings(USERNAME)[keys["sc_heat"]] == 4


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"event": "media.rate"}),  # no Account
        json.dumps({"event": "media.rate", "Account": {"id": "1"}}),
        json.dumps([1, 2]),
        json.dumps(
            {
                "event": "media.rate",
                "Account": {"id": 1},
                "Metadata": {"ratingKey": "../1"},
            }
        ),
    ],
)
async def test_a_malformed_payload_gets_400_and_changes_nothing(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    *,
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_client_no_auth: Any,
    body: str,
) -> None:
    entry, _ = linked
    client = await hass_client_no_auth()
    before = plex_requests(plex_sim), sc_sim.http_requests
    assert await _post(client, entry, form(body)) == 400
    await _settle(hass)
    assert (plex_requests(plex_sim), sc_sim.http_requests) == before
    assert entry.runtime_data.instant.counts["bad_payload"] == 1


async def test_not_multipart_or_too_large_gets_400(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    hass_client_no_auth: Any,
) -> None:
    entry, _ = linked
    client = await hass_client_no_auth()
    url = f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"
    resp = await client.post(url, json={"event": "media.rate"})
    assert resp.status == 400
    big = form({"event": "x", "Account": {"id": 1}}, thumb=False)
    big.add_field("thumb", b"\0" * (5 * 1024 * 1024), filename="image.jpg")
    resp = await client.post(url, data=big)
    assert resp.status == 400
    resp = await client.post(
        url, data=b"--x--", headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert resp.status == 400
    assert entry.runtime_data.instant.counts["bad_payload"] == 3


async def test_the_webhook_id_is_kept_and_dropped_on_unload(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    hass_client_no_auth: Any,
) -> None:
    entry, _ = linked
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    assert len(webhook_id) >= 32
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.data[CONF_WEBHOOK_ID] == webhook_id
    assert await hass.config_entries.async_unload(entry.entry_id)
    client = await hass_client_no_auth()
    resp = await client.post(f"/api/webhook/{webhook_id}", data=form("{}"))
    assert resp.status == 200  # Home Assistant's answer to an unknown id
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_a_watchlisted_work_arriving_on_plex_is_announced(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
    hass_client_no_auth: Any,
) -> None:
    """library.new: Alien (on both watchlists) is announced; Heat (on none)
    is not; nothing is written."""
    entry, keys = linked
    available = async_capture_events(hass, EVENT_WATCHLIST_AVAILABLE)
    changes = async_capture_events(hass, EVENT_CHANGE)
    client = await hass_client_no_auth()
    for work in ("alien", "heat"):
        call = payload(plex_sim, "library.new", keys[work])
        assert await _post(client, entry, form(call)) == 200
    await _settle(hass)
    assert [e.data["title"] for e in available] == ["Alien"]
    assert changes == []
    activity = hass.states.get("event.plex_senscritique_activity")
    assert activity is not None
    assert activity.attributes["event_type"] == "watchlist_available"


async def test_a_call_relayed_by_home_assistant_cloud_is_read(
    hass: HomeAssistant,
    linked: tuple[MockConfigEntry, dict[str, Any]],
    plex_sim: PlexSimulator,
    sc_sim: SensCritiqueSimulator,
) -> None:
    """Home Assistant Cloud hands the webhook a MockRequest, whose `content`
    is a new reader on each access: the body is still read once, whole."""
    entry, keys = linked
    heat = plex_sim.library_item(keys["heat"])
    assert heat is not None
    plex_sim.state.rate_library(heat, 6.0, NOW)
    boundary = "4f8e2b1c9d7a6e53"
    text = json.dumps(payload(plex_sim, "media.rate", keys["heat"], rating=6.0))
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="payload"\r\n'
        "Content-Type: application/json\r\n\r\n"
        f"{text}\r\n--{boundary}--\r\n"
    ).encode()
    request = MockRequest(
        content=body,
        mock_source="cloud",
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    response = await webhook.async_handle_webhook(
        hass, entry.data[CONF_WEBHOOK_ID], request
    )
    assert response.status == 200
    await _settle(hass)
    assert sc_sim.state.ratings(USERNAME)[keys["sc_heat"]] == 6
