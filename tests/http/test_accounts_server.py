"""Accounts and writes through the real server (``soviet serve`` in a subprocess): a
member enrols, logs in with a password and signs; a delegate's script casts with a token;
refusals write nothing; the secret never reaches the server's log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import Server, running_server

from accounts_world import copy_world, make_template, tokens
from soviet.adapters.http.commands import command_path
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url

PASSWORD = "all power to the soviets"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    template = tmp_path_factory.mktemp("template")
    make_template(template)
    db = copy_world(template / "world.db", tmp_path_factory.mktemp("served"))
    with running_server(str(db)) as server:
        yield server, template


def test_a_member_enrols_logs_in_and_signs_over_http(world: tuple[Server, Path]) -> None:
    server, _ = world
    store = AccountStore(database_url(server.db))
    account = store.by_login("e0-1")
    assert account is not None
    code = store.issue_code(account.id)
    with httpx.Client(base_url=server.url) as client:
        enrolled = client.post("/api/enrol", json={"code": code, "password": PASSWORD})
        assert enrolled.status_code == 200, enrolled.text
        client.cookies.clear()
        login = client.post("/api/login", json={"login": "e0-1", "password": PASSWORD})
        assert login.status_code == 200
        cookie = login.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
        csrf = login.json()["csrf_token"]
        seq = client.get("/healthz").json()["seq"]
        body = {"petition": 1, "date": "1917-09-15"}
        assert client.post(command_path("SignRecall"), json=body).status_code == 403
        signed = client.post(command_path("SignRecall"), json=body, headers={"X-CSRF-Token": csrf})
        assert signed.status_code == 200, signed.text
        assert signed.json()["actor"] == f"account:{account.id}/elector"
        assert client.get("/healthz").json()["seq"] == seq + 1
        petition = client.get("/api/petitions/1").json()["petitions"][0]
        assert petition["signatures"] == 2
    log = server.output()
    assert PASSWORD not in log and code not in log and csrf not in log


def test_a_delegate_script_casts_and_others_are_refused(world: tuple[Server, Path]) -> None:
    server, template = world
    keys = tokens(template)
    with httpx.Client(base_url=server.url) as client:
        seq = client.get("/healthz").json()["seq"]
        cast = {"congress": "Congress", "vote": 1, "choice": "against", "date": "1917-10-26"}
        for account in ("e0-1", "sec-1", "root", "nobody"):
            refused = client.post(
                command_path("CastVote"),
                json={**cast, "credential": 2},
                headers={"Authorization": f"Bearer {keys[account]}"},
            )
            assert refused.status_code == 403, (account, refused.text)
        assert client.post(command_path("CastVote"), json=cast).status_code == 401
        assert client.get("/healthz").json()["seq"] == seq
        ok = client.post(
            command_path("CastVote"), json=cast, headers={"Authorization": f"Bearer {keys['d2']}"}
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["payload"]["credential"] == 2
        assert client.get("/healthz").json()["seq"] == seq + 1
        report = client.get("/api/congresses/Congress").json()
        assert report["status"] == "open"


def test_a_login_link_logs_in_and_stays_out_of_the_log(world: tuple[Server, Path]) -> None:
    server, _ = world
    store = AccountStore(database_url(server.db))
    account = store.by_login("e0-2")
    assert account is not None
    code = store.issue_code(account.id)
    with httpx.Client(base_url=server.url) as client:
        enrolled = client.post("/api/enrol", json={"code": code})
        assert enrolled.status_code == 200, enrolled.text
        link = enrolled.json()["login_link"]
        token = link.rsplit("/", 1)[1]
        client.cookies.clear()
        opened = client.get(link)
        assert opened.status_code == 303, opened.text
        me = client.get("/api/me").json()
        assert me["account"]["id"] == account.id, me
    log = server.output()
    assert "GET /login/link/... HTTP/1.1" in log  # the line is there, the token is not
    assert token not in log and code not in log
