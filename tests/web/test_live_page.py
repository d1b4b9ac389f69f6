"""The congress page follows its congress live in a real browser (live.js on the page's
event stream): a CLI command on the same database shows on the open page, without a
reload, and the aria-live region says so."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from browsing import screenshot
from serving import cli, running_server
from test_live import DAY, C, prepare_congress

if TYPE_CHECKING:
    from playwright.sync_api import Page

# On the worker of the other browser tests (the machine's cores are shared).
pytestmark = pytest.mark.xdist_group("web")


def test_the_congress_page_follows_attendance_live(page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect  # the page fixture skipped if it is missing

    db = str(tmp_path / "live.db")
    prepare_congress(db)
    with running_server(db) as server:
        page.goto(f"{server.url}/congresses/{quote(C)}", wait_until="load")
        assert page.locator("#entitled-present").inner_text() == "0"
        assert page.locator("#quorum strong").inner_text() == "not met"
        expect(page.locator("[data-live-connection]")).to_have_text("live")
        code, _, err = cli(db, "congress", "register", C, "1", "2", "3", *DAY)
        assert code == 0, err
        # Within the bound of the API's tests (the server polls the head twice a second).
        expect(page.locator("#entitled-present")).to_have_text("3", timeout=5000)
        assert page.locator("#quorum strong").inner_text() == "met"
        bar = page.locator("#quorum-progress")  # 3 of 2 needed: drawn full
        assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("3", "2")
        announce = page.locator("[data-live-announce]")
        expect(announce).to_have_text("3 voting delegates present of 2 needed: quorum reached.")
        screenshot(page, "congress-live")


def test_an_open_secret_votes_page_counts_the_ballots_live(page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    db = str(tmp_path / "live.db")
    prepare_congress(db)
    for args in (("register", C, "1", "2", "3"), ("vote", C, "open", "1", "--mode", "secret")):
        code, _, err = cli(db, "congress", *args, *DAY)
        assert code == 0, err
    with running_server(db) as server:
        page.goto(f"{server.url}/congresses/{quote(C)}/votes/1", wait_until="load")
        label = page.locator("label[for=voted]")
        assert label.inner_text() == "0 of 4 entitled delegates have voted"
        expect(page.locator("[data-live-connection]")).to_have_text("live")
        for credential, choice in (("1", "for"), ("2", "against")):
            code, _, err = cli(db, "congress", "vote", C, "cast", "1", credential, choice, *DAY)
            assert code == 0, err
        expect(label).to_have_text("2 of 4 entitled delegates have voted", timeout=5000)
        assert page.locator("#voted").get_attribute("value") == "2"
        # How many, never how: the page says no choice.
        progress = page.locator("section[aria-labelledby=progress-h]").inner_text()
        assert not re.search(r"\b(for|against|abstain)\b", progress), progress
        screenshot(page, "vote-live")
