"""Headless Debian Chromium, driven by playwright, looking at the real frontend.

playwright's own browser download is never used: set-up installs Debian's
`chromium` and we point playwright at it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google's
# hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 60_000
# The data entry flow dialog's button that submits a step.
SUBMIT = re.compile(r"^(Submit|Next)$")


# The frontend is built of web components: the visible text lives in nested
# shadow roots, which `inner_text("body")` does not enter.
DEEP_TEXT = """() => {
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent.trim();
      if (text) parts.push(text);
      return;
    }
    if (node.nodeName === "STYLE" || node.nodeName === "SCRIPT") return;
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(document.body);
  return parts.join("\\n");
}"""


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file()


@asynccontextmanager
async def signed_in(url: str, *, username: str, password: str) -> AsyncIterator[Page]:
    """A browser page signed in to Home Assistant through its login form."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 1000})
            await page.goto(f"{url}/", wait_until="domcontentloaded")
            await page.wait_for_selector("input[name=username]", timeout=WAIT_MS)
            await page.fill("input[name=username]", username)
            await page.fill("input[name=password]", password)
            await page.keyboard.press("Enter")
            await page.wait_for_url("**/lovelace/**", timeout=WAIT_MS)
            yield page
        finally:
            await browser.close()


async def shoot(page: Page, expected_texts: list[str], screenshot: Path) -> str:
    """Wait for every expected text, save a screenshot, return the visible text."""
    for text in expected_texts:
        await page.get_by_text(text, exact=False).first.wait_for(timeout=WAIT_MS)
    await page.wait_for_timeout(1_000)  # let card animations settle
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(screenshot), full_page=True)
    return str(await page.evaluate(DEEP_TEXT))


async def open_and_shoot(
    page: Page, url: str, path: str, expected_texts: list[str], screenshot: Path
) -> str:
    """Open `path`, then `shoot` it."""
    await page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    return await shoot(page, expected_texts, screenshot)


async def submit(page: Page) -> None:
    await page.get_by_role("button", name=SUBMIT).click()


async def first_sync_preview(
    page: Page,
    url: str,
    *,
    plex_token: str,
    plex_user: tuple[str, str] | None = None,
    email: str,
    password: str,
    screenshot: Path,
) -> str:
    """Add PlexSync as a person does (Settings, Add integration, search), up
    to the first sync's preview: the Plex token, whose Plex data (`plex_user`:
    a Home user's name and PIN; None: the account's own), the SensCritique
    account, the features as offered; save a screenshot of the preview and
    return its text (the flow stays open)."""
    await page.goto(
        f"{url}/config/integrations/dashboard", wait_until="domcontentloaded"
    )
    await page.get_by_text("Add integration").first.click(timeout=WAIT_MS)
    await page.wait_for_timeout(1_000)  # the dialog's search field takes the keys
    await page.keyboard.type("PlexSync")
    await page.get_by_text("PlexSync", exact=True).last.click(timeout=WAIT_MS)
    await page.get_by_text("Sign in to Plex").first.wait_for(timeout=WAIT_MS)
    await page.locator("input[type=password]").first.fill(plex_token)
    await submit(page)
    await page.get_by_text("Whose Plex data?").first.wait_for(timeout=WAIT_MS)
    if plex_user is not None:
        name, pin = plex_user
        await page.get_by_text(name, exact=True).first.click(timeout=WAIT_MS)
        await submit(page)
        await page.get_by_text(f"PIN of {name}").first.wait_for(timeout=WAIT_MS)
        await page.locator("input[type=password]").first.fill(pin)
    await submit(page)
    await page.get_by_text("Sign in with e-mail and password").first.click(
        timeout=WAIT_MS
    )
    await page.locator("input[type=email]").first.fill(email, timeout=WAIT_MS)
    await page.locator("input[type=password]").first.fill(password)
    await submit(page)
    await page.get_by_text("What to sync").first.wait_for(timeout=WAIT_MS)
    await submit(page)
    return await shoot(page, ["Preview of the first sync", "Preview only"], screenshot)


async def choose(page: Page, option: str) -> None:
    """Pick a menu step's option, and close the dialog the flow ends with."""
    await page.get_by_text(option).first.click(timeout=WAIT_MS)
    await page.get_by_role("button", name=re.compile(r"^Finish$")).click(
        timeout=WAIT_MS
    )


async def repair_flow(
    page: Page, url: str, issue_title: str, expected_texts: list[str], screenshot: Path
) -> str:
    """Open a repair issue from Settings -> Repairs as a person does, save a
    screenshot of its fix flow and return its text (left unsubmitted)."""
    await page.goto(f"{url}/config/repairs", wait_until="domcontentloaded")
    await page.get_by_text(issue_title).first.click(timeout=WAIT_MS)
    return await shoot(page, expected_texts, screenshot)
