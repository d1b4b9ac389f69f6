"""The account on the pages: the header, the login and enrolment pages, and the forms a
member signs with and a delegate votes with (HTML form posts, the CSRF token a field)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accounts_world import copy_world, make_template
from soviet.adapters.http.app import create_app
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url

PASSWORD = "land peace and bread"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    make_template(folder)
    return folder


@pytest.fixture
def client(template: Path, tmp_path: Path) -> Iterator[TestClient]:
    db = copy_world(template / "world.db", tmp_path)
    store = AccountStore(database_url(str(db)))
    for login in ("e0-1", "d2"):
        account = store.by_login(login)
        assert account is not None
        store.set_password(account.id, PASSWORD)
    with TestClient(create_app(str(db))) as c:
        yield c


def _log_in(client: TestClient, login: str) -> None:
    done = client.post(
        "/api/login",
        data={"login": login, "password": PASSWORD, "next": "/petitions/1"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_the_header_offers_login_then_names_the_account_and_its_roles(
    client: TestClient,
) -> None:
    page = client.get("/petitions/1").text
    assert 'href="/login?next=/petitions/1"' in page and "Log out" not in page
    assert 'id="sign-form"' not in page  # nobody to sign as
    login = client.get("/login?next=/petitions/1")
    assert login.status_code == 200
    assert '<label for="login">' in login.text and '<label for="password">' in login.text
    assert 'name="next" value="/petitions/1"' in login.text
    wrong = client.post("/api/login", data={"login": "e0-1", "password": "not the one at all"})
    assert wrong.status_code == 200 and "wrong login name or password" in wrong.text  # /login
    _log_in(client, "e0-1")
    page = client.get("/").text
    assert 'id="who"' in page and "e0-1" in page and "elector of Shop 0" in page
    assert "Log out" in page
    out = client.post("/api/logout", data={"csrf_token": _csrf(page)})
    assert out.status_code == 200 and "Log in" in out.text
    assert client.get("/api/me").status_code == 401


def test_an_elector_signs_and_withdraws_from_the_petition_page(client: TestClient) -> None:
    _log_in(client, "e0-1")
    page = client.get("/petitions/1").text
    assert 'id="sign-form"' in page and 'action="/api/commands/sign-recall"' in page
    assert "1 of " in page  # e0-2's signature
    form = {"csrf_token": _csrf(page), "petition": "1", "date": "1917-09-15"}
    signed = client.post(
        "/api/commands/sign-recall", data={**form, "next": "/petitions/1"}, follow_redirects=False
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/petitions/1?done=SignRecall"
    page = client.get(signed.headers["location"]).text
    assert 'id="form-done"' in page and "2 of " in page
    again = client.post("/api/commands/sign-recall", data={**form, "next": "/petitions/1"})
    assert "already signed petition 1" in again.text  # shown on the page
    withdrawn = client.post(
        "/api/commands/withdraw-signature", data={**form, "next": "/petitions/1"}
    )
    assert 'id="form-done"' in withdrawn.text and "1 of " in withdrawn.text
    without = {k: v for k, v in form.items() if k != "csrf_token"}
    no_token = client.post("/api/commands/sign-recall", data=without)
    assert no_token.status_code == 403  # the form's CSRF field is required
    history = client.get("/api/ledger", params={"type": "SignatureWithdrawn"}).json()
    assert [e["payload"]["elector"] for e in history["events"]] == ["e0-1"]


def test_a_delegate_votes_from_the_vote_page(client: TestClient) -> None:
    vote_page = "/congresses/Congress/votes/1"
    _log_in(client, "d2")
    page = client.get(vote_page).text
    assert 'id="ballot"' in page and '<label for="choice-for">' in page
    assert "Credential 2" in page
    cast = client.post(
        "/api/commands/cast-vote",
        data={
            "csrf_token": _csrf(page),
            "congress": "Congress",
            "vote": "1",
            "choice": "against",
            "date": "1917-10-26",
            "next": vote_page,
        },
    )
    assert cast.status_code == 200 and "Your vote is recorded" in cast.text
    entry = client.get("/api/ledger", params={"type": "BallotCast"}).json()["events"][-1]
    assert entry["payload"]["credential"] == 2
    client.post("/api/logout", data={"csrf_token": _csrf(cast.text)})
    _log_in(client, "e0-1")
    assert 'id="ballot"' not in client.get(vote_page).text  # an elector is no delegate


def test_the_enrolment_page_sets_a_password_and_logs_in(client: TestClient) -> None:
    page = client.get("/enrol")
    assert page.status_code == 200 and '<label for="code">' in page.text
    store_db = client.app.state.accounts  # type: ignore[attr-defined]
    account = store_db.by_login("e1-1")
    code = store_db.issue_code(account.id)
    bad = client.post("/api/enrol", data={"code": "nope", "password": PASSWORD})
    assert "unknown or already used" in bad.text and bad.url.path == "/enrol"
    done = client.post("/api/enrol", data={"code": code, "password": PASSWORD})
    assert done.status_code == 200 and "elector of Shop 1" in done.text


def test_a_delegate_registers_their_own_arrival_from_the_congress_page(
    client: TestClient, template: Path
) -> None:
    store = client.app.state.accounts  # type: ignore[attr-defined]
    d5 = store.by_login("d5")
    store.set_password(d5.id, PASSWORD)
    _log_in(client, "d5")
    page = client.get("/congresses/Congress").text
    assert 'id="attend"' in page and "credential 5" in page
    before = client.get("/api/congresses/Congress").json()["counts"]["present"]
    arrived = client.post(
        "/api/commands/register-attendance",
        data={
            "csrf_token": _csrf(page),
            "congress": "Congress",
            "arriving": "true",
            "date": "1917-10-26",
            "next": "/congresses/Congress",
        },
    )
    assert 'id="form-done"' in arrived.text
    assert client.get("/api/congresses/Congress").json()["counts"]["present"] == before + 1
