"""The blueprints shipped in blueprints/automation/plexsync/: each is a valid
blueprint, and an automation made from it sets up in Home Assistant."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.plexsync.const import DOMAIN

SHIPPED = Path(__file__).parent.parent / "blueprints" / "automation" / "plexsync"
NAMES = sorted(path.name for path in SHIPPED.glob("*.yaml"))


def test_the_three_blueprints_are_shipped() -> None:
    assert NAMES == [
        "needs_attention.yaml",
        "rate_after_watching.yaml",
        "watchlist_available.yaml",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_each_is_a_valid_automation_blueprint(name: str) -> None:
    blueprint = models.Blueprint(
        load_yaml_dict(str(SHIPPED / name)),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.domain == "automation"
    assert blueprint.metadata["source_url"].endswith(
        f"/blueprints/automation/plexsync/{name}"
    )


@pytest.mark.parametrize("name", NAMES)
async def test_an_automation_from_it_sets_up(
    hass: HomeAssistant, tmp_path: Path, name: str
) -> None:
    hass.config.config_dir = str(tmp_path)
    target = tmp_path / "blueprints" / "automation" / "plexsync"
    target.mkdir(parents=True)
    shutil.copy(SHIPPED / name, target / name)
    plexsync_entry = MockConfigEntry(domain=DOMAIN, data={})
    plexsync_entry.add_to_hass(hass)
    inputs: dict[str, Any] = {"notify_action": "notify.mobile_app_phone"}
    if name == "needs_attention.yaml":
        inputs["status_sensor"] = "sensor.plex_senscritique_sync_status"
    else:
        inputs["plexsync_entry"] = plexsync_entry.entry_id
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "from_blueprint",
                "use_blueprint": {"path": f"plexsync/{name}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    states = hass.states.async_all("automation")
    assert len(states) == 1
    assert states[0].state == "on", states[0].attributes


async def _automation_from(
    hass: HomeAssistant, tmp_path: Path, name: str, inputs: dict[str, Any]
) -> None:
    hass.config.config_dir = str(tmp_path)
    target = tmp_path / "blueprints" / "automation" / "plexsync"
    target.mkdir(parents=True)
    shutil.copy(SHIPPED / name, target / name)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {"path": f"plexsync/{name}", "input": inputs}
            }
        },
    )
    await hass.async_block_till_done()


REQUEST = {
    "entry_id": "entry-1",
    "title": "Alien",
    "year": 1979,
    "kind": "movie",
    "plex_key": "plex://movie/5d776825880197001ec90a2b",
    "senscritique_id": "472",
}


@pytest.mark.parametrize(
    ("answer", "rating"), [("button", 8), ("reply", 7), ("reply-bad", None)]
)
async def test_rate_after_watching_rates_what_the_phone_answers(
    hass: HomeAssistant, tmp_path: Path, answer: str, rating: int | None
) -> None:
    notes = async_mock_service(hass, "notify", "mobile_app_phone")
    rated = async_mock_service(hass, DOMAIN, "rate")
    await _automation_from(
        hass,
        tmp_path,
        "rate_after_watching.yaml",
        {"plexsync_entry": "entry-1", "notify_action": "notify.mobile_app_phone"},
    )
    hass.bus.async_fire("plexsync_rating_requested", {**REQUEST, "entry_id": "other"})
    await hass.async_block_till_done()
    assert notes == []  # another entry's request
    hass.bus.async_fire("plexsync_rating_requested", REQUEST)
    # The run now waits for the answer: not for Home Assistant to be idle.
    for _ in range(100):
        if notes:
            break
        await asyncio.sleep(0.01)
    assert len(notes) == 1
    assert notes[0].data["message"] == "Rate Alien (1979) from 1 to 10."
    actions = notes[0].data["data"]["actions"]
    assert [a["title"] for a in actions] == ["Rate 1-10", *map(str, range(1, 11))]
    assert actions[0]["behavior"] == "textInput"
    event: dict[str, Any] = {"action": actions[8]["action"]}  # the "8" button
    if answer.startswith("reply"):
        text = "7" if answer == "reply" else "seven"
        event = {"action": actions[0]["action"], "reply_text": text}
    hass.bus.async_fire("mobile_app_notification_action", event)
    await hass.async_block_till_done()
    if rating is None:
        assert rated == []
        return
    assert [call.data for call in rated] == [
        {
            "config_entry_id": "entry-1",
            "plex_guid": REQUEST["plex_key"],
            "rating": rating,
        }
    ]


async def test_watchlist_available_tells_the_phone(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    notes = async_mock_service(hass, "notify", "mobile_app_phone")
    await _automation_from(
        hass,
        tmp_path,
        "watchlist_available.yaml",
        {"plexsync_entry": "entry-1", "notify_action": "notify.mobile_app_phone"},
    )
    hass.bus.async_fire("plexsync_watchlist_available", REQUEST)
    await hass.async_block_till_done()
    assert [n.data["message"] for n in notes] == [
        "Alien (1979), from your watchlist, is in your Plex library."
    ]


async def test_needs_attention_tells_the_phone_why(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    notes = async_mock_service(hass, "notify", "mobile_app_phone")
    sensor = "sensor.plex_senscritique_sync_status"
    hass.states.async_set(sensor, "ok")
    await _automation_from(
        hass,
        tmp_path,
        "needs_attention.yaml",
        {"status_sensor": sensor, "notify_action": "notify.mobile_app_phone"},
    )
    hass.states.async_set(sensor, "attention", {"reason": "held_removals"})
    await hass.async_block_till_done()
    assert len(notes) == 1
    assert notes[0].data["message"].startswith("held removals.")


@pytest.mark.parametrize("name", NAMES)
def test_the_readme_shows_each_with_its_import_link(name: str) -> None:
    readme = (SHIPPED.parents[2] / "README.md").read_text(encoding="utf-8")
    encoded = quote(
        f"https://github.com/plexsync/plexsync/blob/main/blueprints/automation/plexsync/{name}",
        safe="",
    )
    assert f"(`{name}`)" in readme
    assert f"blueprint_import/?blueprint_url={encoded})" in readme
