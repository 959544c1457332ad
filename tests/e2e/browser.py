"""Headless Debian Chromium, driven by playwright, looking at the real frontend.

playwright's own browser download is never used: set-up installs Debian's
`chromium` and we point playwright at it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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


async def screenshot_dashboard(
    url: str,
    *,
    username: str,
    password: str,
    dashboard: str,
    expected_texts: list[str],
    screenshot: Path,
) -> str:
    """Log in through the login form, open `dashboard`, wait for every expected
    text, save a screenshot and return the page's visible text."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 1000})
            await page.goto(f"{url}/", wait_until="domcontentloaded")
            await page.wait_for_selector("input[name=username]", timeout=60_000)
            await page.fill("input[name=username]", username)
            await page.fill("input[name=password]", password)
            await page.keyboard.press("Enter")
            await page.wait_for_url("**/lovelace/**", timeout=60_000)
            await page.goto(f"{url}/{dashboard}/0", wait_until="domcontentloaded")
            for text in expected_texts:
                await page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
            await page.wait_for_timeout(1_000)  # let card animations settle
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(screenshot), full_page=True)
            return str(await page.evaluate(DEEP_TEXT))
        finally:
            await browser.close()
