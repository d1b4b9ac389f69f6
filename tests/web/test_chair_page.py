"""The chair's page and the forms this branch added, in process (no browser): who may
see the chair's page, its forms posted to the command endpoints (checkboxes as a list,
``counts.for`` as a mapping), the elector's own standing on a petition, a petition
opened from the constituency page, a login link kept from the enrolment page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from accounts_world import copy_world, make_template
from soviet.adapters.http.app import create_app
from soviet.adapters.storage import open_service
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url
from soviet.views.personal import petition_standing, vote_standing

PASSWORD = "land peace and bread"
CHAIR = f"/congresses/{quote('Congress')}/chair"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    make_template(folder)
    return folder


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Path:
    db = copy_world(template / "world.db", tmp_path)
    store = AccountStore(database_url(str(db)))
    for login in ("sec-1", "e0-1", "e0-2", "d2"):
        account = store.by_login(login)
        assert account is not None
        store.set_password(account.id, PASSWORD)
    return db


@pytest.fixture
def client(world: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(world))) as c:
        yield c


def log_in(client: TestClient, login: str) -> None:
    done = client.post(
        "/api/login", data={"login": login, "password": PASSWORD}, follow_redirects=False
    )
    assert done.status_code == 303, done.text


def csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def last_entry(client: TestClient) -> dict[str, Any]:
    events: list[dict[str, Any]] = client.get(
        "/api/ledger", params={"after": 0, "limit": 1000}
    ).json()["events"]
    return events[-1]


def test_the_chair_page_is_the_chairs_only(client: TestClient) -> None:
    anonymous = client.get(CHAIR)
    assert anonymous.status_code == 401 and "log in as the chair of Congress" in anonymous.text
    log_in(client, "e0-1")
    assert client.get(CHAIR).status_code == 403
    assert client.get("/congresses/Nowhere/chair").status_code == 404
    log_in(client, "sec-1")  # a secretary of the convening council: chair before a presidium
    page = client.get(CHAIR)
    assert page.status_code == 200
    assert 'id="open-vote-1"' in page.text  # the world's open roll call
    assert 'data-live-source="/api/congresses/Congress/live"' in page.text
    assert 'action="/api/commands/close-vote"' in page.text
    assert 'id="open-vote-form"' not in page.text  # one vote open at a time


def test_the_chair_closes_opens_and_counts_a_show_of_hands(client: TestClient) -> None:
    log_in(client, "sec-1")
    token = csrf(client.get(CHAIR).text)
    base = {"csrf_token": token, "congress": "Congress", "next": CHAIR, "date": "1917-10-26"}
    closed = client.post("/api/commands/close-vote", data={**base, "vote": "1"})
    assert closed.status_code == 200 and "The vote is closed." in closed.text
    assert closed.url.path == CHAIR and closed.url.params["done"] == "CloseVote"
    opened = client.post(
        "/api/commands/open-vote", data={**base, "motion": "2", "mode": "show-of-hands"}
    )
    assert "The vote is open." in opened.text and 'id="count-for"' in opened.text
    counted = client.post(
        "/api/commands/close-vote",
        data={**base, "vote": "2", "counts.for": "3", "counts.against": "1"},
    )
    assert "The vote is closed." in counted.text
    entry = last_entry(client)
    assert entry["type"] == "VoteClosed" and entry["actor"].endswith("/chair")
    assert (entry["payload"]["counts"]["for"], entry["payload"]["counts"]["against"]) == (3, 1)
    refused = client.post("/api/commands/close-vote", data={**base, "vote": "2"})
    assert 'id="form-error"' in refused.text  # the rules' refusal, on the page
    assert last_entry(client)["seq"] == entry["seq"]


def test_the_chair_registers_several_credentials_at_once(client: TestClient) -> None:
    log_in(client, "sec-1")
    token = csrf(client.get(CHAIR).text)
    left = client.post(
        "/api/commands/register-attendance",
        content="&".join(
            [
                f"csrf_token={token}",
                "congress=Congress",
                f"next={quote(CHAIR)}",
                "date=1917-10-26",
                "arriving=false",
                "credentials=3",
                "credentials=4",
            ]
        ),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert "Attendance recorded." in left.text
    entry = last_entry(client)
    assert entry["type"] == "AttendanceRecorded" and entry["payload"]["credentials"] == [3, 4]


def test_an_elector_is_offered_sign_or_withdraw_by_their_own_standing(
    client: TestClient, world: Path
) -> None:
    log_in(client, "e0-1")
    page = client.get("/petitions/1").text
    assert 'id="sign"' in page and 'id="withdraw"' not in page
    log_in(client, "e0-2")  # signed in the world
    page = client.get("/petitions/1").text
    assert 'id="withdraw"' in page and 'id="sign"' not in page
    assert "You have signed this petition." in page
    service = open_service(str(world))
    assert service.query(lambda org: petition_standing(org, 1, "e0-2")) == {
        "elector": True,
        "signed": True,
    }
    assert service.query(lambda org: petition_standing(org, 1, "e1-1"))["elector"] is False
    assert service.query(lambda org: vote_standing(org, "Congress", 1, 2)) == {
        "voted": False,
        "choice": None,
    }


def test_a_delegate_who_voted_sees_it_recorded(client: TestClient) -> None:
    log_in(client, "d2")
    vote_page = f"/congresses/{quote('Congress')}/votes/1"
    page = client.get(vote_page).text
    form = {
        "csrf_token": csrf(page),
        "congress": "Congress",
        "vote": "1",
        "choice": "against",
        "date": "1917-10-26",
        "next": vote_page,
    }
    cast = client.post("/api/commands/cast-vote", data=form)
    assert 'id="ballot"' not in cast.text
    assert "Your vote is recorded</strong>: against (a roll call is public)" in cast.text


def test_no_second_petition_is_offered_while_one_is_open(client: TestClient) -> None:
    log_in(client, "e0-1")
    page = client.get("/constituencies/Shop%200").text
    assert "elector of Shop 0" in page and 'id="open-recall"' not in page


def test_the_enrolment_page_keeps_a_login_link(template: Path, world: Path) -> None:
    store = AccountStore(database_url(str(world)))
    account = store.by_login("e1-1")
    assert account is not None
    code = store.issue_code(account.id)
    with TestClient(create_app(str(world))) as client:
        page = client.post("/api/enrol", data={"code": code})
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        link = page.text.split('id="kept-link" href="')[1].split('"')[0]
        assert link.startswith("/login/link/")
        home = client.get(link)
        assert home.status_code == 200 and "elector of Shop 1" in home.text
        shop = client.get("/constituencies/Shop%201").text
        assert 'id="open-recall"' in shop
        opened = client.post(
            "/api/commands/open-recall",
            data={
                "csrf_token": csrf(shop),
                "constituency": "Shop 1",
                "date": "1917-10-26",
                "next": "/constituencies/Shop%201",
            },
        )
        assert 'id="form-done"' in opened.text and 'id="open-recall"' not in opened.text
        entry = client.get("/api/ledger", params={"after": 0, "limit": 1000}).json()["events"][-1]
        assert entry["type"] == "RecallOpened"
        assert entry["actor"] == f"account:{account.id}/elector"
        assert entry["payload"]["opened_by"] == "e1-1"


def test_a_refused_ballot_form_names_no_choice_in_the_address(client: TestClient) -> None:
    log_in(client, "d2")
    vote_page = f"/congresses/{quote('Congress')}/votes/1"
    page = client.get(vote_page).text
    form = {
        "csrf_token": csrf(page),
        "congress": "Congress",
        "vote": "1",
        "choice": "Kornilov",  # hand-made: the page's buttons offer for, against, abstain
        "date": "1917-10-26",
        "next": vote_page,
    }
    refused = client.post("/api/commands/cast-vote", data=form, follow_redirects=False)
    assert refused.status_code == 303
    where = refused.headers["location"]
    assert "Kornilov" not in where and "error=" in where, where
    shown = client.get(where).text
    assert "the ballot was refused: a choice is one of for, against, abstain" in shown
