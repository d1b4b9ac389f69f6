"""Enrolment, passwords, sessions, CSRF, the login rate limit, tokens and logout."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accounts_world import copy_world, make_template
from soviet.adapters.http.app import create_app
from soviet.adapters.http.auth import COOKIE
from soviet.adapters.http.commands import command_path
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url, engine_for

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    make_template(folder)
    return folder


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    return copy_world(template / "world.db", tmp_path)


def _code(db: Path, login: str) -> str:
    store = AccountStore(database_url(str(db)))
    account = store.by_login(login)
    assert account is not None
    return store.issue_code(account.id)


def _head(client: TestClient) -> int:
    seq: int = client.get("/healthz").json()["seq"]
    return seq


def test_an_enrolment_code_sets_a_password_once_and_logs_in(db: Path) -> None:
    code = _code(db, "e0-1")
    with TestClient(create_app(str(db))) as client:
        response = client.post("/api/enrol", json={"code": code, "password": PASSWORD})
        assert response.status_code == 200, response.text
        me = response.json()
        assert me["subject"] == "member:e0-1"
        assert {"role": "elector", "scope": "Shop 0"} in me["roles"]
        cookie = response.headers["set-cookie"]
        assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # plain http here; https requests get Secure
        again = client.post("/api/enrol", json={"code": code, "password": PASSWORD})
        assert again.status_code == 401
        assert "unknown or already used" in again.json()["detail"]
    with engine_for(database_url(str(db))).connect() as conn:
        stored = conn.execute(
            select(t.accounts.c.password_hash).where(t.accounts.c.login == "e0-1")
        ).scalar_one()
        codes = conn.execute(select(t.enrolment_codes.c.code_hash)).scalars().all()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert code not in codes  # only its hash is kept


def test_reissuing_a_code_invalidates_the_old_one(db: Path) -> None:
    old = _code(db, "e0-1")
    new = _code(db, "e0-1")
    with TestClient(create_app(str(db))) as client:
        assert (
            client.post("/api/enrol", json={"code": old, "password": PASSWORD}).status_code == 401
        )
        assert (
            client.post("/api/enrol", json={"code": new, "password": PASSWORD}).status_code == 200
        )


def test_a_cookie_write_needs_the_csrf_token_and_logout_ends_the_session(db: Path) -> None:
    code = _code(db, "e0-1")
    with TestClient(create_app(str(db))) as client:
        enrolled = client.post("/api/enrol", json={"code": code, "password": PASSWORD}).json()
        csrf = enrolled["csrf_token"]
        body = {"petition": 1, "date": "1917-09-15"}
        before = _head(client)
        refused = client.post(command_path("SignRecall"), json=body)
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
        wrong = client.post(command_path("SignRecall"), json=body, headers={"X-CSRF-Token": "x"})
        assert wrong.status_code == 403
        assert _head(client) == before
        signed = client.post(command_path("SignRecall"), json=body, headers={"X-CSRF-Token": csrf})
        assert signed.status_code == 200, signed.text
        assert signed.json()["payload"]["electors"] == ["e0-1"]
        assert _head(client) == before + 1
        assert client.post("/api/logout").status_code == 403  # logging out needs it too
        assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
        assert client.get("/api/me").status_code == 401
        token_cookie = {COOKIE: "stale"}
        assert client.get("/api/me", cookies=token_cookie).status_code == 401


def test_password_login_and_the_rate_limit(db: Path) -> None:
    code = _code(db, "d2")
    with TestClient(create_app(str(db))) as client:
        assert (
            client.post("/api/enrol", json={"code": code, "password": PASSWORD}).status_code == 200
        )
        client.cookies.clear()
        for _ in range(5):
            bad = client.post("/api/login", json={"login": "d2", "password": "wrong password"})
            assert bad.status_code == 401
        limited = client.post("/api/login", json={"login": "d2", "password": PASSWORD})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 0
        # Another login name from the same address is not held up.
        other = client.post("/api/login", json={"login": "e0-1", "password": "wrong password"})
        assert other.status_code == 401
    with TestClient(create_app(str(db))) as client:  # a new server process forgets
        ok = client.post("/api/login", json={"login": "d2", "password": PASSWORD})
        assert ok.status_code == 200, ok.text
        assert {"role": "delegate", "scope": "Congress", "credential": 2} in ok.json()["roles"]


def test_a_form_login_redirects_and_a_login_link_logs_in(db: Path) -> None:
    code = _code(db, "e1-1")
    with TestClient(create_app(str(db))) as client:
        kept = client.post("/api/enrol", json={"code": code})
        assert kept.status_code == 200
        link = kept.json()["login_link"]
        assert link.startswith("/login/link/")
        assert client.get("/api/me").status_code == 401  # no session until the link is used
        followed = client.get(link, follow_redirects=False)
        assert followed.status_code == 303 and followed.headers["location"] == "/"
        assert client.get("/api/me").json()["subject"] == "member:e1-1"
        assert client.get("/login/link/not-a-link").status_code == 401
        store = AccountStore(database_url(str(db)))
        account = store.by_login("e1-1")
        assert account is not None
        store.set_password(account.id, PASSWORD)
        client.cookies.clear()
        form = client.post(
            "/api/login",
            data={"login": "e1-1", "password": PASSWORD, "next": "/petitions/1"},
            follow_redirects=False,
        )
        assert form.status_code == 303 and form.headers["location"] == "/petitions/1"
        csrf = client.get("/api/me").json()["csrf_token"]
        opened = client.post(
            command_path("OpenRecall"),
            json={"constituency": "Shop 1", "date": "1917-09-14"},
            headers={"X-CSRF-Token": csrf},
        )
        assert opened.status_code == 200, opened.text
        assert opened.json()["payload"]["opened_by"] == "e1-1"


def test_tokens_need_no_csrf_and_a_bad_token_is_refused(db: Path) -> None:
    store = AccountStore(database_url(str(db)))
    account = store.by_login("d2")
    assert account is not None
    token = store.create_token(account.id, "script")
    with TestClient(create_app(str(db))) as client:
        headers = {"Authorization": f"Bearer {token}"}
        me = client.get("/api/me", headers=headers).json()
        assert me["authenticated_by"] == "token" and me["csrf_token"] is None
        cast = client.post(
            command_path("CastVote"),
            json={"congress": "Congress", "vote": 1, "choice": "against", "date": "1917-10-26"},
            headers=headers,
        )
        assert cast.status_code == 200, cast.text
        assert cast.json()["actor"] == f"account:{account.id}/delegate"
        assert client.get("/api/me", headers={"Authorization": "Bearer x"}).status_code == 401


def test_html_forms_are_sent_back_with_the_error_and_log_out_with_the_field(db: Path) -> None:
    code = _code(db, "e0-1")
    with TestClient(create_app(str(db))) as client:
        wrong = client.post(
            "/api/enrol", data={"code": "nope", "password": PASSWORD}, follow_redirects=False
        )
        assert wrong.status_code == 303
        assert wrong.headers["location"].startswith("/enrol?error=this+enrolment+code")
        done = client.post(
            "/api/enrol", data={"code": code, "password": PASSWORD}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == "/"
        csrf = client.get("/api/me").json()["csrf_token"]
        client.cookies.clear()
        bad = client.post(
            "/api/login",
            data={"login": "e0-1", "password": "not it at all"},
            follow_redirects=False,
        )
        assert bad.status_code == 303
        assert bad.headers["location"] == "/login?error=wrong+login+name+or+password"
        assert client.get("/api/me").status_code == 401
        client.post("/api/login", data={"login": "e0-1", "password": PASSWORD})
        csrf = client.get("/api/me").json()["csrf_token"]
        refused = client.post("/api/logout", data={}, follow_redirects=False)
        assert refused.status_code == 403
        out = client.post("/api/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/"
        assert client.get("/api/me").status_code == 401
