"""What the web tests share: the pages to visit, the browser to drive and its flags,
and where screenshots go (test-artifacts/screenshots, gitignored)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from playwright.sync_api import Page

PETROGRAD = "Petrograd Soviet"
CONGRESS = "Second All-Russian Congress of Soviets"
PUTILOV = "Putilov Works"

#: Every reading page, by the name its screenshot takes.
PAGES = {
    "overview": "/",
    "council": f"/councils/{quote(PETROGRAD)}",
    "constituency": f"/constituencies/{quote(PUTILOV)}",
    "petition": "/petitions/1",
    "congress": f"/congresses/{quote(CONGRESS)}",
    "vote": f"/congresses/{quote(CONGRESS)}/votes/2",
    "decrees": "/decrees",
    "consent": "/consent",
    "ledger": "/ledger",
}

CHROMIUM = os.environ.get("SOVIET_CHROMIUM", "/usr/bin/chromium")
#: The launch flags that work on a bare Debian machine or container, as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
