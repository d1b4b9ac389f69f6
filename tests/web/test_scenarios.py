"""Members acting from the browser: headless Debian Chromium (Playwright) against the
real ``soviet serve``, each scenario on a fresh copy of one prepared database.

The world: the Petrograd demo and ``soviet account demo`` (an open recall petition in
the Bakery, 21 signatures needed of its 40 electors; the Demo Congress in session with
three delegates, 1 and 2 present, credential 1's holder in the Chair), then from the
CLI 19 Bakery signatures, the demo's open roll call closed and a motion "Peace" tabled.
Enrolment codes are issued with ``soviet account enrol`` in each scenario's set-up.
Every step is screenshotted to test-artifacts/screenshots/scenario-*.png, and every
scenario checks the ledger: what the browser did is recorded as ``account:<id>/<role>``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from browsing import screenshot
from serving import Server, cli, cli_json, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.xdist_group("web")

DAY = "1917-11-20"
PETITION = 55  # the demo accounts' open petition in the Bakery
NEEDED = 21
PRESIGNED = [f"baker {i:02d}" for i in range(3, 22)]  # 19 of the 21 needed
CONGRESS = "Demo Congress"
CONGRESS_URL = f"/congresses/{quote(CONGRESS)}"
CHAIR_URL = f"{CONGRESS_URL}/chair"
MOTION = 2  # "Peace", tabled in the set-up
PASSWORD = "a long enough password"


def ok(db: str, *args: str) -> str:
    code, out, err = cli(db, *args)
    assert code == 0, f"{args}: {err}"
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The prepared database every scenario copies."""
    db = str(tmp_path_factory.mktemp("scenarios") / "world.db")
    ok(db, "demo")
    ok(db, "account", "demo")
    ok(db, "recall", "sign", str(PETITION), *PRESIGNED, "--date", DAY)
    ok(db, "congress", "vote", CONGRESS, "close", "1", "--date", DAY)
    ok(db, "congress", "motion", CONGRESS, "--title", "Peace", "--text", "Peace now.",
       "--mover", "2", "--date", DAY)  # fmt: skip
    return Path(db)


@pytest.fixture
def fresh(world: Path, tmp_path: Path) -> Iterator[Server]:
    """``soviet serve`` on a copy of the world (SQLite's backup: a consistent copy)."""
    db = tmp_path / "scenario.db"
    with sqlite3.connect(world) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    with running_server(str(db)) as running:
        yield running


def codes(db: str, *args: str) -> dict[str, str]:
    """One-time enrolment codes by login name (``soviet account enrol ... --json``)."""
    return {row["login"]: row["code"] for row in cli_json(db, "account", "enrol", *args)}


def account_ids(db: str) -> dict[str, int]:
    return {a["login"]: a["id"] for a in cli_json(db, "account", "list")["accounts"]}


def events_since(db: str, seq: int) -> list[dict[str, Any]]:
    return [e for e in cli_json(db, "history")["events"] if e["seq"] > seq]


def head(db: str) -> int:
    seq: int = cli_json(db, "history")["events"][-1]["seq"]
    return seq


def context(browser: Browser) -> BrowserContext:
    made = browser.new_context(viewport={"width": 1280, "height": 900})
    made.set_default_timeout(20_000)
    return made


def go(page: Page, server: Server, path: str) -> None:
    response = page.goto(server.url + path, wait_until="load")
    assert response is not None and response.status == 200, path


def submit(page: Page, name: str, *, exact: bool = True) -> None:
    """Click the button ``name`` and wait for the page the redirect leads to."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=name, exact=exact).click()


def flash(page: Page) -> str:
    """The one line a form's answer left on the page it sent the browser back to."""
    return page.locator("#form-done, #form-error").inner_text()


def cast(page: Page, choice: str) -> None:
    page.get_by_label(choice, exact=True).check()
    submit(page, "Cast my vote")


def enrol_with_password(page: Page, server: Server, code: str, shot: str) -> None:
    go(page, server, "/enrol")
    page.locator("#code").fill(code)
    page.locator("#password").fill(PASSWORD)
    screenshot(page, f"{shot}-enrol")
    submit(page, "Enrol and log in")
    assert page.url == server.url + "/"


def bar(page: Page) -> tuple[int, int]:
    value, maximum = page.locator("#signatures").evaluate(
        "e => [Number(e.getAttribute('value')), e.max]"
    )
    return int(value), int(maximum)


def test_members_sign_a_recall_until_the_seat_is_vacant(browser: Browser, fresh: Server) -> None:
    db = fresh.db
    issued = codes(db, "--member", "baker 02", "--member", "baker 22")
    before = head(db)
    first, second = context(browser), context(browser)
    try:
        # A member enrols with the code, sets a password; logs out and in with it.
        page = first.new_page()
        enrol_with_password(page, fresh, issued["baker 02"], "scenario1-01")
        assert page.locator("#who").inner_text() == "baker 02 (elector of Bakery)"
        submit(page, "Log out")
        assert page.get_by_role("link", name="Log in").count() == 1
        go(page, fresh, f"/login?next=/petitions/{PETITION}")
        page.get_by_label("Login name").fill("baker 02")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        screenshot(page, "scenario1-02-login")
        submit(page, "Log in")
        assert page.url == f"{fresh.url}/petitions/{PETITION}"
        # The petition: 19 of 21, a Sign button; signing moves the bar by one.
        assert bar(page) == (len(PRESIGNED), NEEDED)
        screenshot(page, "scenario1-03-petition")
        submit(page, "Sign this petition")
        assert flash(page) == "Recorded on the ledger."
        assert bar(page) == (len(PRESIGNED) + 1, NEEDED)
        assert page.locator("#my-signature").inner_text() == "You have signed this petition."
        assert page.get_by_role("button", name="Withdraw my signature").count() == 1
        assert page.locator("#status").inner_text() == "open"
        screenshot(page, "scenario1-04-signed")

        # A second member keeps a login link instead of a password, and completes it.
        other = second.new_page()
        go(other, fresh, "/enrol")
        other.locator("#link-code").fill(issued["baker 22"])
        submit(other, "Give me a login link")
        link = other.locator("#kept-link").get_attribute("href")
        assert link is not None and link.startswith("/login/link/")
        screenshot(other, "scenario1-05-login-link")
        go(other, fresh, link)
        assert other.locator("#who").inner_text().startswith("baker 22")
        go(other, fresh, f"/petitions/{PETITION}")
        submit(other, "Sign this petition")
        assert bar(other) == (NEEDED, NEEDED)
        assert other.locator("#status").inner_text() == "succeeded"
        assert "The petition succeeded" in other.locator("#outcome").inner_text()
        assert other.get_by_role("button", name="Sign this petition").count() == 0
        screenshot(other, "scenario1-06-succeeded")
        go(other, fresh, "/constituencies/Bakery")
        assert other.locator("#vacant").inner_text() == "1 seat vacant."
        assert "No delegate sits for it." in other.locator("#delegates").inner_text()
        screenshot(other, "scenario1-07-seat-vacant")
        # The first member's page, reloaded, no longer offers to withdraw.
        page.reload()
        assert page.get_by_role("button", name="Withdraw my signature").count() == 0
    finally:
        first.close()
        second.close()
    ids = account_ids(db)
    signed = [
        (e["actor"], e["payload"]["electors"], e["payload"]["outcome"] is not None)
        for e in events_since(db, before)
        if e["type"] == "RecallSigned"
    ]
    assert signed == [
        (f"account:{ids['baker 02']}/elector", ["baker 02"], False),
        (f"account:{ids['baker 22']}/elector", ["baker 22"], True),
    ]
    (row,) = cli_json(db, "recall", "status", str(PETITION))["petitions"]
    assert (row["status"], row["signatures"]) == ("succeeded", NEEDED)


def open_vote_from_chair_page(page: Page, mode: str) -> int:
    """On the chair's page: put motion ``MOTION`` to the vote in ``mode``; its number."""
    page.get_by_label("Motion", exact=True).select_option(str(MOTION))
    page.get_by_label("Mode", exact=True).select_option(mode)
    submit(page, "Open the vote")
    assert flash(page) == "The vote is open."
    opened = page.locator(".vote-box").get_attribute("id") or ""
    return int(opened.removeprefix("open-vote-"))


def wait_live(page: Page, root: str) -> None:
    """Until the page's live stream is connected (live.js marks its root)."""
    page.locator(f'{root}[data-live-state="live"]').wait_for()


def test_a_secret_ballot_while_the_chair_watches_the_count(browser: Browser, fresh: Server) -> None:
    db = fresh.db
    issued = codes(db, "--congress", CONGRESS)
    before = head(db)
    chair_context, delegate_context = context(browser), context(browser)
    try:
        chair = chair_context.new_page()
        enrol_with_password(chair, fresh, issued[f"{CONGRESS}:1"], "scenario2-01-chair")
        assert f"chair of {CONGRESS}" in chair.locator("#who").inner_text()
        go(chair, fresh, CHAIR_URL)
        number = open_vote_from_chair_page(chair, "secret")
        count = chair.locator(f"#voted-count-{number}")
        assert count.inner_text() == "0"
        wait_live(chair, "#live-chair")
        chair.evaluate("() => { window.notReloaded = true; }")
        screenshot(chair, "scenario2-02-chair-opened")

        delegate = delegate_context.new_page()
        enrol_with_password(delegate, fresh, issued[f"{CONGRESS}:2"], "scenario2-03-delegate")
        go(delegate, fresh, f"{CONGRESS_URL}/votes/{number}")
        assert "a secret ballot" in delegate.locator("#ballot legend").inner_text()
        screenshot(delegate, "scenario2-04-ballot")
        cast(delegate, "For")
        assert flash(delegate) == "Your vote is recorded."
        recorded = delegate.locator("#my-vote").inner_text()
        assert recorded.startswith("Your vote is recorded")
        assert not re.search(r"\b(for|against|abstain)\b", recorded, re.I)
        assert delegate.locator("#ballot").count() == 0
        screenshot(delegate, "scenario2-05-cast")

        # The chair's page counts it without a reload.
        count.filter(has_text="1").wait_for()
        assert chair.evaluate("() => window.notReloaded") is True
        screenshot(chair, "scenario2-06-chair-counted")
        wait_live(delegate, "#live-vote")
        submit(chair, f"Close vote {number}")
        assert flash(chair) == "The vote is closed."
        result = chair.locator("#results tbody tr", has_text=f"Vote {number}")
        assert result.locator("td").all_inner_texts()[2:] == ["1", "0", "0", "carried"]
        screenshot(chair, "scenario2-07-chair-closed")
        # The delegate's open page hears the result live.
        delegate.locator("#live-result").filter(has_text="Carried").wait_for()
        screenshot(delegate, "scenario2-08-result-live")
    finally:
        chair_context.close()
        delegate_context.close()
    ids = account_ids(db)
    chair_actor = f"account:{ids[f'{CONGRESS}:1']}/chair"
    done = [(e["type"], e["actor"]) for e in events_since(db, before)]
    assert done == [
        ("VoteOpened", chair_actor),
        ("BallotCast", f"account:{ids[f'{CONGRESS}:2']}/delegate"),
        ("VoteClosed", chair_actor),
    ]
    ballot = next(e for e in events_since(db, before) if e["type"] == "BallotCast")
    assert "choice" not in ballot["payload"]  # the ledger knows who voted, never how
    # The choice went in the body only: the access log names the path, not the choice.
    log = fresh.output()
    lines = [line for line in log.splitlines() if "/api/commands/cast-vote" in line]
    assert lines and all("choice" not in line and " for" not in line for line in lines)
    assert "choice=" not in log


def test_a_chair_runs_a_roll_call(browser: Browser, fresh: Server) -> None:
    db = fresh.db
    issued = codes(db, "--congress", CONGRESS)
    before = head(db)
    chair_context, delegate_context = context(browser), context(browser)
    try:
        chair = chair_context.new_page()
        enrol_with_password(chair, fresh, issued[f"{CONGRESS}:1"], "scenario3-01-chair")
        go(chair, fresh, CHAIR_URL)
        # Attendance: credential 3 arrives.
        assert chair.locator("#attendance").inner_text().startswith("2 present")
        chair.get_by_label("Credential 3, Maria Spiridonova").check()
        submit(chair, "Register attendance")
        assert flash(chair) == "Attendance recorded."
        assert chair.locator("#attendance").inner_text().startswith("3 present")
        number = open_vote_from_chair_page(chair, "roll-call")
        screenshot(chair, "scenario3-02-chair-opened")

        delegate = delegate_context.new_page()
        enrol_with_password(delegate, fresh, issued[f"{CONGRESS}:2"], "scenario3-03-delegate")
        go(delegate, fresh, f"{CONGRESS_URL}/votes/{number}")
        assert "a roll call" in delegate.locator("#ballot legend").inner_text()
        cast(delegate, "Against")
        assert flash(delegate) == "Your vote is recorded."
        assert (
            delegate.locator("#my-vote").inner_text().startswith("Your vote is recorded: against")
        )
        # The chair votes too, as the delegate they are, from the vote page.
        go(chair, fresh, f"{CONGRESS_URL}/votes/{number}")
        cast(chair, "For")
        go(chair, fresh, CHAIR_URL)
        assert chair.locator(f"#roll-{number}").inner_text() == "1: for, 2: against"
        assert chair.locator(f"#voted-count-{number}").inner_text() == "2"
        screenshot(chair, "scenario3-04-roll-so-far")
        submit(chair, f"Close vote {number}")
        result = chair.locator("#results tbody tr", has_text=f"Vote {number}")
        assert result.locator("td").all_inner_texts()[2:] == ["1", "1", "0", "lost"]
        go(chair, fresh, f"{CONGRESS_URL}/votes/{number}")
        roll = chair.locator("#roll tbody tr")
        assert [r.inner_text().split() for r in roll.all()] == [["1", "for"], ["2", "against"]]
        screenshot(chair, "scenario3-05-roll")
    finally:
        chair_context.close()
        delegate_context.close()
    ids = account_ids(db)
    chair_id, delegate_id = ids[f"{CONGRESS}:1"], ids[f"{CONGRESS}:2"]
    done = [(e["type"], e["actor"]) for e in events_since(db, before)]
    assert done == [
        ("AttendanceRecorded", f"account:{chair_id}/chair"),
        ("VoteOpened", f"account:{chair_id}/chair"),
        ("BallotCast", f"account:{delegate_id}/delegate"),
        ("BallotCast", f"account:{chair_id}/delegate"),
        ("VoteClosed", f"account:{chair_id}/chair"),
    ]


def test_an_observer_verifies_what_members_did(browser: Browser, fresh: Server) -> None:
    """After a member's signature from the browser, an observer (not logged in) sees it
    on the ledger page and verifies the ledger; looking records nothing."""
    db = fresh.db
    issued = codes(db, "--member", "baker 02")
    member_context, observer_context = context(browser), context(browser)
    try:
        member = member_context.new_page()
        enrol_with_password(member, fresh, issued["baker 02"], "scenario4-01-member")
        go(member, fresh, f"/petitions/{PETITION}")
        submit(member, "Sign this petition")
        signed = head(db)
        observer = observer_context.new_page()
        go(observer, fresh, "/ledger")
        assert observer.get_by_role("link", name="Log in").count() == 1
        with observer.expect_response("**/api/verify") as verified:
            observer.get_by_role("button", name="Verify the ledger").click()
        assert verified.value.status == 200
        observer.get_by_role("status").filter(has_text="intact").wait_for()
        assert (
            observer.locator("#head-hash").inner_text()
            == cli_json(db, "history")["events"][-1]["hash"]
        )
        screenshot(observer, "scenario4-02-verified")
    finally:
        member_context.close()
        observer_context.close()
    assert head(db) == signed  # the observer wrote nothing
    (last,) = events_since(db, signed - 1)
    assert last["actor"] == f"account:{account_ids(db)['baker 02']}/elector"
