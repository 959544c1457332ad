"""What a person sees, in headless Debian Chromium (playwright drives it): the
dashboard with the status, its reason and the last run; the logbook's change
entries; adding PlexSync up to the first sync's preview; the preview-only
entry's approval repair; the review of works without a match. Each page is
saved under screenshots/."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from . import scenario
from .browser import (
    CHROMIUM,
    choose,
    chromium_available,
    first_sync_preview,
    open_and_shoot,
    repair_flow,
    signed_in,
    submit,
)
from .conftest import E2E, run
from .hass_process import ROOT
from .world import SC_USER, SECOND_PLEX_USER, SECOND_USER, on_plex

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots"


def accounts(e2e: E2E) -> list[object]:
    """Every seeded film as both people's Plex and the second member hold it."""
    films = list(e2e.seeded.films.values())
    second = [
        e2e.sims.on_senscritique(
            lambda sim, film=film: sim.state.mark(SECOND_USER[0], film.sc_id)
        )
        for film in films
    ]
    return (
        [on_plex(e2e.sims, film) for film in films]
        + [on_plex(e2e.sims, film, home_user=True) for film in films]
        + [(m.wished, m.rating, m.done, m.date_done) for m in second]
    )


@pytest.fixture(autouse=True)
def _chromium() -> None:
    if not chromium_available():
        pytest.skip(
            f"Debian's chromium is not installed ({CHROMIUM} missing): "
            "run scripts/setup as root, or `apt-get install chromium`"
        )


def test_dashboard_shows_status_reason_and_last_run(e2e: E2E) -> None:
    async def body() -> tuple[str, dict[str, str]]:
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            ids = await scenario.entities(client, e2e.entry_id)
            await scenario.ensure_dashboard(client, ids)
            states = {
                key: (await client.state(entity_id))["state"]
                for key, entity_id in ids.items()
            }
        async with signed_in(
            e2e.hass.url, username=e2e.username, password=e2e.password
        ) as page:
            text = await open_and_shoot(
                page,
                e2e.hass.url,
                f"{scenario.DASHBOARD_URL}/0",
                ["Sync status", "Why", "Last run", "Next run", "Watchlist"],
                SHOTS / "dashboard.png",
            )
        return text, states

    text, states = run(body())
    assert states["status"] == "ok", states
    assert int(states["linked"]) >= 8, states  # every seeded film is linked
    # The e2e world is shared: a sync test may have run first on this worker
    # and taken Heat and Alien off the watchlists; the card shows what is on
    # them now.
    wished = [
        f
        for f in ("Heat", "Alien", "Stalker")
        if on_plex(e2e.sims, e2e.seeded.films[f]).wished
    ]
    assert "Stalker" in wished  # no e2e test removes it
    assert int(states["watchlist"]) >= len(wished), states
    for label in ("Sync status", "Why", "Last run", "Next run", "Unmatched works"):
        assert label in text, label
    assert "OK" in text  # the status sensor's translated state
    assert "Plex and SensCritique agree" in text  # its translated reason
    for title in ("Heat", "Alien", "Stalker"):
        year = e2e.seeded.films[title].year
        # the watchlist card lists the merged watchlist, and only it
        assert (f"{title} ({year})" in text) == (title in wished), (title, wished)
    assert "On your Plex watchlist and your SensCritique wishlist." in text
    assert (SHOTS / "dashboard.png").stat().st_size > 10_000


def test_logbook_lists_each_change(e2e: E2E) -> None:
    async def body() -> str:
        async with signed_in(
            e2e.hass.url, username=e2e.username, password=e2e.password
        ) as page:
            # Only the first sync's window: later tests' changes (a sync test
            # may have run first) would push its entries out of the list's
            # rendered rows.
            start, end = (moment.isoformat() for moment in e2e.first_sync)
            return await open_and_shoot(
                page,
                e2e.hass.url,
                f"logbook?start_date={quote(start)}&end_date={quote(end)}",
                ["because you rated it on"],
                SHOTS / "logbook.png",
            )

    text = run(body())
    # The first sync's writes, each in plain words with its reason.
    assert "added “Heat” (1995) to your SensCritique wishlist because it is on " in (
        text
    )
    assert "rated “Ran” (1985) 8/10 on Plex because you rated it on SensCritique" in (
        text
    )


def test_first_sync_preview_then_preview_only_and_its_approval(e2e: E2E) -> None:
    """A second person's set-up, in the browser (the Plex Home user Robin,
    with their PIN, and their own SensCritique member): the preview shows
    what the first sync would write; choosing preview only sets the
    entry up without writing; its planned changes wait in Settings ->
    Repairs for an approval listing them. Nothing is written throughout (the
    approval is left unsubmitted, and the entry removed at the end)."""
    before = accounts(e2e)

    async def body() -> tuple[str, str]:
        url = e2e.hass.url
        async with signed_in(url, username=e2e.username, password=e2e.password) as page:
            preview = await first_sync_preview(
                page,
                url,
                plex_token=e2e.sims.plex.token,
                plex_user=SECOND_PLEX_USER,
                email=SECOND_USER[1],
                password=SECOND_USER[2],
                screenshot=SHOTS / "first-sync-preview.png",
            )
            await choose(page, "Preview only: plan, never write until I approve")
            async with aiohttp.ClientSession() as session:
                client = await e2e.client(session)
                await scenario.wait_loaded(client)
            approval = await repair_flow(
                page,
                url,
                "PlexSync preview: changes wait for your approval",
                ["Apply the previewed changes", "because"],
                SHOTS / "preview-approval.png",
            )
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            for entry in await client.config_entries(scenario.DOMAIN):
                if entry["entry_id"] != e2e.entry_id:
                    await client.call_path(
                        "DELETE",
                        f"/api/config/config_entries/entry/{entry['entry_id']}",
                    )
        return preview, approval

    preview, approval = run(body())
    assert "Nothing has been written yet" in preview
    assert "Written to Plex" in preview
    assert "Written to SensCritique" in preview
    assert "Start syncing now" in preview
    assert "preview-only mode" in approval
    assert (
        "Rated “Alien” (1979) 9/10 on Plex because you rated it on SensCritique."
        in (approval)
    )
    assert accounts(e2e) == before  # nothing was written


def test_review_of_works_without_a_match(e2e: E2E) -> None:
    """A film each side knows under a translated title (no word in common):
    no sync links it, so Settings -> Repairs reviews it: the work, its side,
    the other side's work of the same year as a candidate. Both are answered
    "not on the other service" (nothing is written), and the sensor follows
    at once."""

    def seed_sc(sim: Any) -> int:
        pid = int(sim.state.add_movie("Le Mépris", 1963))
        sim.state.set_mark(SC_USER[0], pid, rating=8)
        return pid

    e2e.sims.on_senscritique(seed_sc)
    e2e.sims.plex.add_movie("Contempt", 1963, in_library=False, rating=7.0)

    async def body() -> tuple[str, str]:
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            await scenario.sync(client, e2e.entry_id)
            ids = await scenario.entities(client, e2e.entry_id)
        async with signed_in(
            e2e.hass.url, username=e2e.username, password=e2e.password
        ) as page:
            review = await repair_flow(
                page,
                e2e.hass.url,
                "Works without a match",
                ["Review a work without a match", "Le Mépris (1963)"],
                SHOTS / "review-unmatched.png",
            )
            for _ in range(2):  # Contempt, then Le Mépris
                await page.get_by_text("Not on the other service").first.click()
                await submit(page)
                await page.wait_for_timeout(1_000)
        async with aiohttp.ClientSession() as session:
            client = await e2e.client(session)
            unmatched = (await client.state(ids["unmatched"]))["state"]
        return review, unmatched

    review, unmatched = run(body())
    assert "Contempt (1963)" in review
    assert "is on Plex" in review
    assert "Skip for now" in review
    assert unmatched == "0"
