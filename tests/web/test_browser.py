"""The pages in a real browser: headless Debian Chromium driven by Playwright against
``soviet serve`` on the demo. Each page loads and shows the CLI's figures, the ledger's
"Verify" button shows the verdict, the keyboard reaches the nav and the button, and a
phone-sized screen has no horizontal scroll. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from browsing import CONGRESS, PAGES, PETROGRAD, screenshot
from serving import Server, cli_json

if TYPE_CHECKING:
    from playwright.sync_api import Page

# One browser for these tests, on one xdist worker (the machine's cores are shared).
pytestmark = pytest.mark.xdist_group("web")


def visit(page: Page, server: Server, path: str, status: int = 200) -> None:
    response = page.goto(server.url + path, wait_until="load")
    assert response is not None and response.status == status, path


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_loads_in_the_browser(page: Page, server: Server, name: str) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    visit(page, server, PAGES[name])
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip()
    screenshot(page, name)
    assert problems == []  # no script error, no blocked or missing asset


def test_the_hemicycle_has_a_circle_per_seat(page: Page, server: Server) -> None:
    visit(page, server, PAGES["council"])
    shown = cli_json(server.db, "council", "show", PETROGRAD)
    seats = page.locator("svg.hemicycle circle.seat")
    assert seats.count() == shown["seats"]
    box = page.locator("svg.hemicycle").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150  # drawn, visibly
    title = page.locator("svg.hemicycle title").text_content() or ""
    assert f"The {shown['seats']} seats of {PETROGRAD}" in title


def test_the_petition_progress_bar_is_its_signatures(page: Page, server: Server) -> None:
    visit(page, server, PAGES["petition"])
    (row,) = cli_json(server.db, "recall", "status", "1")["petitions"]
    bar = page.get_by_label(f"{row['signatures']:,} of {row['needed']:,} signatures needed")
    value, maximum, position = bar.evaluate(
        "e => [Number(e.getAttribute('value')), e.max, e.position]"
    )
    assert (value, maximum) == (row["signatures"], row["needed"])
    # The browser draws the bar full once the signatures reach the threshold.
    assert position == pytest.approx(min(1.0, row["signatures"] / row["needed"]))


def test_the_congress_page_shows_the_quorum(page: Page, server: Server) -> None:
    visit(page, server, PAGES["congress"])
    counts = cli_json(server.db, "congress", "show", CONGRESS)["counts"]
    assert page.locator("#entitled-present").inner_text() == f"{counts['entitled_present']:,}"
    assert (
        page.locator("#quorum").inner_text().endswith("met" if counts["quorum_met"] else "not met")
    )
    page.get_by_role("link", name="Vote 2").click()
    page.wait_for_url(f"**/congresses/{quote(CONGRESS)}/votes/2")
    assert page.locator("h1").inner_text() == "Vote 2"


def test_an_observer_verifies_the_ledger(page: Page, server: Server) -> None:
    visit(page, server, "/ledger")
    events = cli_json(server.db, "history")["events"]
    assert page.locator("#head-hash").inner_text() == events[-1]["hash"]
    assert page.locator("#entries tbody tr").count() == 50
    with page.expect_response("**/api/verify") as verified:
        page.get_by_role("button", name="Verify the ledger").click()
    assert verified.value.status == 200
    verdict = page.get_by_role("status")
    verdict.filter(has_text="intact").wait_for()
    assert verdict.inner_text().startswith(f"Ledger intact: {len(events):,} events checked")
    assert page.url == server.url + "/ledger"  # the script answered, not a reload
    screenshot(page, "ledger-verified")


def test_the_keyboard_reaches_the_nav_and_the_verify_button(page: Page, server: Server) -> None:
    visit(page, server, "/ledger")
    reached: list[str] = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.tagName + ':' + (e.textContent || '').trim(); }"
            )
        )
        if reached[-1] == "BUTTON:Verify the ledger":
            break
    assert reached[0] == "A:Skip to content"
    assert "A:Overview" in reached and "A:Ledger" in reached
    assert reached[-1] == "BUTTON:Verify the ledger"
    # The focused button is visibly outlined.
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="intact").wait_for()


def test_a_phone_screen_has_no_horizontal_scroll(browser: object, server: Server) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
    try:
        phone = context.new_page()
        for name, path in sorted(PAGES.items()):
            visit(phone, server, path)
            width = phone.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert width[0] <= width[1], (name, width)
            screenshot(phone, f"{name}-375px")
    finally:
        context.close()


def test_an_unknown_name_is_a_404_page(page: Page, server: Server) -> None:
    visit(page, server, "/councils/Nowhere", 404)
    assert page.locator("#message").inner_text() == "unknown council 'Nowhere'"
    screenshot(page, "not-found")
