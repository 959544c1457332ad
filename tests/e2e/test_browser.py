"""The dashboard seen in headless Debian Chromium (playwright drives it)."""

from __future__ import annotations

import aiohttp
import pytest

from . import scenario
from .browser import CHROMIUM, chromium_available, screenshot_dashboard
from .conftest import E2E, run
from .hass_process import ROOT

pytestmark = pytest.mark.e2e
SCREENSHOT = ROOT / "screenshots" / "dashboard.png"


def test_dashboard_shows_sensors_and_watchlist(e2e: E2E) -> None:
    if not chromium_available():
        pytest.skip(
            f"Debian's chromium is not installed ({CHROMIUM} missing): "
            "run scripts/setup as root, or `apt-get install chromium`"
        )

    async def body() -> tuple[str, dict[str, str], dict[str, str]]:
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            ids = await scenario.entities(client, e2e.entry_id)
            await scenario.ensure_dashboard(client, ids)
            states = {
                key: (await client.state(entity_id))["state"]
                for key, entity_id in ids.items()
            }
        text = await screenshot_dashboard(
            e2e.hass.url,
            username=e2e.username,
            password=e2e.password,
            dashboard=scenario.DASHBOARD_URL,
            expected_texts=["Sync status", "Linked works", "Sync now", "Watchlist"],
            screenshot=SCREENSHOT,
        )
        return text, ids, states

    text, _ids, states = run(body())
    assert states["status"] == "ok", states
    assert int(states["linked"]) >= 8, states  # every seeded film is linked
    assert int(states["watchlist"]) >= 3, states  # Heat, Alien, Stalker
    for label in ("Sync status", "Linked works", "Unmatched works", "Sync now"):
        assert label in text, label
    assert "OK" in text  # the status sensor's translated state
    for film in ("Heat (1995)", "Alien (1979)", "Stalker (1979)"):
        assert film in text, film  # the watchlist card lists the merged watchlist
    assert SCREENSHOT.stat().st_size > 10_000
