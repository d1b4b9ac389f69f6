"""``soviet account``: enrolment codes (printed, CSV, JSON), admins, the list, tokens;
and the actor the CLI records (the OS user, or ``--actor`` naming an admin account)."""

from __future__ import annotations

import csv
import getpass
import json
from pathlib import Path

import pytest
from cli_run import invoke, ok, ok_json
from fastapi.testclient import TestClient

from soviet.adapters.http.app import create_app
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "roll.db")
    ok(path, "init")
    ok(path, "council", "create", "Soviet", "--seat-rule", '{"method": "per-unit", "per": 1000}')
    ok(path, "constituency", "create", "Shop", "--council", "Soviet",
       "--elector", "ann", "--elector", "boris", "--elector", "clara")  # fmt: skip
    return path


def test_enrol_prints_one_code_per_elector_and_a_new_code_replaces_the_old(db: str) -> None:
    first = ok(db, "account", "enrol", "Shop").splitlines()
    assert [line.split("\t")[0] for line in first] == ["ann", "boris", "clara"]
    codes = {line.split("\t")[0]: line.split("\t")[2] for line in first}
    assert len(set(codes.values())) == 3 and all(len(c) >= 22 for c in codes.values())
    again = ok_json(db, "account", "enrol", "Shop")
    assert [a["subject"] for a in again] == ["member:ann", "member:boris", "member:clara"]
    with TestClient(create_app(db)) as client:
        old = client.post("/api/enrol", json={"code": codes["ann"]})
        assert old.status_code == 401  # re-issued: the first sheet's code is dead
        new = client.post("/api/enrol", json={"code": again[0]["code"]})
        assert new.status_code == 200 and new.json()["login_link"].startswith("/login/link/")
    listed = ok_json(db, "account", "list")["accounts"]
    assert [(a["login"], a["admin"]) for a in listed] == [
        ("ann", False),
        ("boris", False),
        ("clara", False),
    ]


def test_enrol_writes_a_csv_for_mail_merge(db: str, tmp_path: Path) -> None:
    sheet = tmp_path / "codes.csv"
    out = ok(db, "account", "enrol", "--all", "--csv", str(sheet))
    assert "3 enrolment codes written" in out
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert [r["login"] for r in rows] == ["ann", "boris", "clara"]
    assert set(rows[0]) == {"login", "display_name", "subject", "code"}
    assert sheet.stat().st_mode & 0o077 == 0  # codes are secrets: owner only


def test_enrol_refuses_what_it_cannot_enrol(db: str) -> None:
    code, _, err = invoke(db, "account", "enrol")
    assert code == 2 and "give one of" in err
    code, _, err = invoke(db, "account", "enrol", "Nowhere")
    assert code == 2 and "Nowhere" in err
    code, _, err = invoke(db, "account", "enrol", "--congress", "Nope")
    assert code == 2 and "Nope" in err


def test_admin_token_and_the_actor_recorded(db: str) -> None:
    line = ok(db, "account", "admin", "root").strip()
    name, code = line.split("\t")
    assert name == "root" and len(code) >= 22
    # Without --actor the OS user is recorded.
    entry = ok_json(db, "council", "change", "Soviet", "--description", "one")
    assert entry["actor"] == f"os:{getpass.getuser()}"
    # --actor must name an admin account: one line, exit 2, nothing written.
    before = len(ok_json(db, "history")["events"])
    code, _, err = invoke(db, "--actor", "mallory", "council", "change", "Soviet",
                          "--description", "two")  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "not an admin account" in err
    assert len(ok_json(db, "history")["events"]) == before
    entry = ok_json(db, "--actor", "root", "council", "change", "Soviet", "--description", "3")
    store = AccountStore(database_url(db))
    admin = store.by_login("root")
    assert admin is not None and admin.admin
    assert entry["actor"] == f"account:{admin.id}/admin"
    token = ok(db, "account", "token", "root").strip()
    with TestClient(create_app(db)) as client:
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert me["subject"] == "admin:root"
        assert {"role": "admin", "scope": ""} in me["roles"]
    code, _, err = invoke(db, "account", "token", "nobody")
    assert code == 2 and "no account" in err
    listed = json.loads(ok(db, "account", "list", "--json"))["accounts"]
    assert listed[0]["subject"] == "admin:root"


def test_the_demo_accounts_hold_the_roles_they_are_printed_with(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    ok(db, "demo")
    out = ok(db, "account", "demo").splitlines()
    codes = {line.split("login ")[1].split("'")[1]: line.rsplit(" ", 1)[1] for line in out[1:]}
    assert ok(db, "account", "demo").splitlines()[0] == out[0]  # a second run re-issues
    again = {line.split("login ")[1].split("'")[1]: line.rsplit(" ", 1)[1]
             for line in ok(db, "account", "demo").splitlines()[1:]}  # fmt: skip
    expected = {
        "baker 02": {"role": "elector", "scope": "Bakery"},
        "Demo Congress:2": {"role": "delegate", "scope": "Demo Congress", "credential": 2},
        "Demo Congress:3": {"role": "delegate", "scope": "Demo Congress", "credential": 3},
        "Demo Congress:1": {"role": "chair", "scope": "Demo Congress"},
        "demo-secretary": {"role": "secretary", "scope": "Petrograd Soviet"},
    }
    assert set(codes) == set(expected)
    with TestClient(create_app(db)) as client:
        for login, role in expected.items():
            client.cookies.clear()
            stale = client.post("/api/enrol", json={"code": codes[login]})
            assert stale.status_code == 401  # the second run's codes replaced these
            link = client.post("/api/enrol", json={"code": again[login]}).json()["login_link"]
            client.get(link)
            assert role in client.get("/api/me").json()["roles"], login
        # The elector can sign the open petition of the Bakery.
        client.cookies.clear()
        store = AccountStore(database_url(db))
        baker = store.by_login("baker 02")
        assert baker is not None
        token = store.create_token(baker.id, "test")
        open_ones = client.get("/api/petitions", params={"status": "open"}).json()["petitions"]
        (petition,) = [p["petition"] for p in open_ones if p["constituency"] == "Bakery"]
        signed = client.post(
            "/api/commands/sign-recall",
            json={"petition": petition, "date": "1917-11-21"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert signed.status_code == 200, signed.text


def test_secretaries_and_withdrawals_at_the_cli(db: str) -> None:
    entry = ok_json(db, "council", "secretary", "Soviet", "sec", "--date", "1917-03-01")
    assert (entry["type"], entry["payload"]["member"]) == ("SecretaryAppointed", "sec")
    code, _, err = invoke(db, "council", "secretary", "Soviet", "sec", "--date", "1917-03-01")
    assert code == 2 and "already a secretary" in err
    dismissed = ok_json(db, "council", "secretary", "Soviet", "sec", "--dismiss",
                        "--date", "1917-03-02")  # fmt: skip
    assert dismissed["type"] == "SecretaryDismissed"
    ok(db, "elect", "Shop", "Dan@B=3", "--date", "1917-03-01")
    ok(db, "recall", "open", "Shop", "--by", "ann", "--date", "1917-03-03")
    ok(db, "recall", "sign", "1", "boris", "--date", "1917-03-03")
    out = ok(db, "recall", "withdraw", "1", "boris", "--date", "1917-03-04")
    assert "boris withdrew, 0 signatures left" in out
    code, _, err = invoke(db, "recall", "withdraw", "1", "boris", "--date", "1917-03-04")
    assert code == 2 and "has not signed" in err
