"""Fixtures for the web pages: ``soviet serve`` on the demo (tests/http/serving.py), and
for the browser tests one headless Debian Chromium with a fresh page (and browser
context) per test, driven by Playwright (docs/decisions/0014-web-app.md).

Without Chromium (``make browser`` installs it as root) or Playwright the browser tests
are skipped, loudly: a skip reason, a warning, and a banner in the terminal summary.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "http"))

from browsing import CHROMIUM, CHROMIUM_ARGS
from serving import Server, prepare, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

_skipped: list[str] = []


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("web") / "demo.db")
    prepare(db)
    return db


@pytest.fixture(scope="session")
def server(demo_db: str) -> Iterator[Server]:
    with running_server(demo_db) as running:
        yield running


def _no_browser(reason: str) -> None:
    message = f"BROWSER TESTS SKIPPED: {reason}"
    _skipped.append(message)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


# Module scope: every browser test is in test_browser.py, so this is one browser for
# them all, and it stops when they end. While Playwright's sync API runs it marks an
# event loop as running in this thread, so a later test's asyncio.run() would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian (never a browser Playwright downloads): Playwright
    gives each launch a fresh temporary --user-data-dir."""
    if not os.access(CHROMIUM, os.X_OK):
        _no_browser(f"no Chromium at {CHROMIUM} (as root, `make browser` installs it)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _no_browser("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000
            )
        except Error as exc:
            _no_browser(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context (no cookies or storage from another test)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """A banner no one can miss when the browser tests did not run."""
    if _skipped:
        terminalreporter.write_sep("!", _skipped[0], red=True, bold=True)
