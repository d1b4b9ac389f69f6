"""Accounts, roles and the write API, in-process (Starlette's test client).

The matrix: every command's example succeeds for the account it names (200, the ledger
one entry longer, the entry's actor ``account:<id>/<role>``); every account holding
none of the roles the permission table grants is refused with 403 and nothing written;
without credentials every command is a 401.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accounts_world import (
    ACCOUNTS,
    EXAMPLES,
    ROLE_ACCOUNTS,
    complete,
    copy_world,
    make_template,
    tokens,
)
from soviet.adapters.http.app import create_app
from soviet.adapters.http.commands import command_path
from soviet.adapters.storage import open_service
from soviet.application.authorization import PERMISSIONS
from soviet.application.commands import command_class, command_names

#: The role kinds each account holds in the world (for the scopes the examples name).
ACCOUNT_KINDS: dict[str, set[str]] = {
    "root": {"admin"},
    "sec-1": {"secretary", "chair", "credentials-committee"},
    "e0-1": {"elector"},
    "d2": {"delegate"},
    "nobody": set(),
    # orders
    "mrc-1": {"oversight-member"},
    "cm-1": {"unit-commissioner"},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    make_template(folder)
    return folder


@pytest.fixture(scope="module")
def world(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One shared copy: for requests that must write nothing."""
    db = copy_world(template / "world.db", tmp_path_factory.mktemp("shared"))
    with TestClient(create_app(str(db))) as client:
        yield client


def bearer(template: Path, account: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens(template)[account]}"}


def head(client: TestClient) -> tuple[int, str | None]:
    data = client.get("/healthz").json()
    return data["seq"], data["hash"]


def test_every_command_has_a_permission_and_an_example() -> None:
    classes = {command_class(n) for n in command_names()}
    assert set(PERMISSIONS) == classes, "a command class has no entry in PERMISSIONS"
    assert set(EXAMPLES) == set(command_names()), "a command has no example in the matrix"
    assert set(ROLE_ACCOUNTS.values()) <= set(ACCOUNTS)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_allowed_role_succeeds(name: str, template: Path, tmp_path: Path) -> None:
    example = EXAMPLES[name]
    db = copy_world(template / "world.db", tmp_path)
    service = open_service(str(db))
    for command in example.before:
        service.handle(command, "setup")
    with TestClient(create_app(str(db))) as client:
        seq, _ = head(client)
        response = client.post(
            command_path(name), json=example.body, headers=bearer(template, example.account)
        )
        assert response.status_code == 200, response.text
        entry = response.json()
        assert head(client) == (seq + 1, entry["hash"])
        assert entry["seq"] == seq + 1
        me = client.get("/api/me", headers=bearer(template, example.account)).json()
        kinds = {g.kind for g in PERMISSIONS[command_class(name)].grants}
        account_id, role = entry["actor"].removeprefix("account:").split("/")
        assert int(account_id) == me["account"]["id"] and role in kinds
        page = client.get("/api/ledger", params={"after": seq}).json()["events"]
        assert page == [entry]


REFUSALS = [
    (name, account)
    for name in sorted(EXAMPLES)
    for account, kinds in ACCOUNT_KINDS.items()
    if not kinds & {g.kind for g in PERMISSIONS[command_class(name)].grants}
]


@pytest.mark.parametrize(("name", "account"), REFUSALS)
def test_other_roles_are_refused_and_nothing_is_written(
    name: str, account: str, world: TestClient, template: Path
) -> None:
    before = head(world)
    body = complete(name)
    response = world.post(command_path(name), json=body, headers=bearer(template, account))
    assert response.status_code == 403, response.text
    assert response.json()["detail"].startswith(f"{name} needs: ")
    assert head(world) == before


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_without_credentials_every_command_is_a_401(name: str, world: TestClient) -> None:
    before = head(world)
    response = world.post(command_path(name), json=complete(name))
    assert response.status_code == 401
    bad = world.post(
        command_path(name), json=complete(name), headers={"Authorization": "Bearer nope"}
    )
    assert bad.status_code == 401
    assert head(world) == before


@pytest.mark.parametrize(
    ("name", "body", "account", "needed"),
    [
        # An elector of Shop 0 cannot open a petition in Shop 1...
        ("OpenRecall", {"constituency": "Shop 1", "date": "1917-09-14"}, "e0-1", "Shop 1"),
        # ...nor open one in another elector's name, nor sign for others.
        (
            "OpenRecall",
            {"constituency": "Shop 0", "opened_by": "e0-5", "date": "1917-09-14"},
            "e0-1",
            "opened_by is their own",
        ),
        (
            "SignRecall",
            {"petition": 1, "electors": ["e0-1", "e0-3"], "date": "1917-09-15"},
            "e0-1",
            "electors is [their own",
        ),
        (
            "WithdrawSignature",
            {"petition": 1, "elector": "e0-2", "date": "1917-09-15"},
            "e0-1",
            "their own signature",
        ),
        # A delegate votes, moves and registers only for their own credential.
        (
            "CastVote",
            {
                "congress": "Congress",
                "vote": 1,
                "credential": 3,
                "choice": "for",
                "date": "1917-10-26",
            },
            "d2",
            "credential is their own",
        ),
        (
            "TableMotion",
            {"congress": "Congress", "title": "T", "text": "x", "mover": 1, "date": "1917-10-26"},
            "d2",
            "mover is their own",
        ),
        (
            "WithdrawMotion",
            {"congress": "Congress", "motion": 1, "date": "1917-10-26"},
            "d2",
            "their own motion",
        ),
        (
            "RegisterAttendance",
            {"congress": "Congress", "arriving": False, "credentials": [3], "date": "1917-10-26"},
            "d2",
            "credentials is [their own]",
        ),
        # A delegate of one congress is nobody in another.
        (
            "CastVote",
            {
                "congress": "Later Congress",
                "vote": 1,
                "credential": 2,
                "choice": "for",
                "date": "1917-10-26",
            },
            "d2",
            "delegate of 'Later Congress'",
        ),
    ],
)
def test_scopes_and_themselves_only(
    name: str,
    body: dict[str, Any],
    account: str,
    needed: str,
    world: TestClient,
    template: Path,
) -> None:
    before = head(world)
    response = world.post(command_path(name), json=body, headers=bearer(template, account))
    assert response.status_code == 403, response.text
    assert needed in response.json()["detail"]
    assert head(world) == before


def test_self_registration_needs_the_calls_leave(template: Path, tmp_path: Path) -> None:
    db = copy_world(template / "world.db", tmp_path)
    with TestClient(create_app(str(db))) as client:
        # Later Congress's call did not allow it: d5 is no delegate there anyway, so use
        # Congress with the flag off in a fresh database.
        body = {"congress": "Congress", "arriving": True, "date": "1917-10-26"}
        ok = client.post(
            command_path("RegisterAttendance"), json=body, headers=bearer(template, "d5")
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["payload"]["credentials"] == [5]


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        # Bounds are checked before the role's scope is looked up: no 500 from a BIGINT.
        ("SignRecall", {"petition": 2**63, "date": "1917-09-15"}, "64-bit"),
        (
            "WithdrawMotion",
            {"congress": "Congress", "motion": 2**64, "date": "1917-10-26"},
            "64-bit",
        ),
        ("SignRecall", {"petition": "one", "date": "1917-09-15"}, "petition"),
        ("SignRecall", {"petition": 1, "date": "1917-09-15", "force_date": True}, "force_date"),
    ],
)
def test_malformed_bodies_are_a_422_and_write_nothing(
    name: str, body: dict[str, Any], expected: str, world: TestClient, template: Path
) -> None:
    before = head(world)
    response = world.post(command_path(name), json=body, headers=bearer(template, "e0-1"))
    assert response.status_code == 422, response.text
    assert expected in json.dumps(response.json())
    assert head(world) == before
    for raw in (b"", b"[]", b"{", b"\xff"):
        bad = world.post(
            command_path(name),
            content=raw,
            headers={**bearer(template, "e0-1"), "Content-Type": "application/json"},
        )
        assert bad.status_code == 422, raw
