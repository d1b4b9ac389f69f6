"""Credential rulings in bulk (several numbers, every clean one) and reconsidered rulings."""

from __future__ import annotations

import pytest
from test_congress_cli import CREDENTIALS, JUL, C, convene, events, ok, ok_json, refused
from test_congress_cli import db as db


@pytest.fixture
def presented(db: str) -> str:
    """Convened, with the eight credentials presented (6 and 8 failed the checks)."""
    convene(db, "--quorum", "1/2")
    for _, name, sent_by, elected, group, extra in CREDENTIALS:
        ok(
            db, "congress", "credentials", C, "present", "--delegate", name,
            "--sent-by", sent_by, "--elected", elected, "--group", group, *extra,
            "--date", "1917-10-24", *JUL,
        )  # fmt: skip
    return db


def statuses(db: str) -> dict[int, tuple[str, str | None]]:
    rows = ok_json(db, "congress", "credentials", C, "list")["credentials"]
    return {r["number"]: (r["status"], r["reason"]) for r in rows}


def test_several_numbers_are_one_ruling(presented: str) -> None:
    db = presented
    before = events(db)
    data = ok_json(db, "congress", "credentials", C, "accept", "1", "2", "3")
    assert data["type"] == "CredentialsRuled"
    assert data["payload"]["numbers"] == [1, 2, 3] and data["payload"]["overridden"] == []
    assert events(db) == before + 1
    assert [statuses(db)[n][0] for n in (1, 2, 3, 4)] == ["accepted"] * 3 + ["pending"]
    out = ok(db, "congress", "credentials", C, "reject", "4", "5", "--reason", "late")
    assert "credentials 4, 5 rejected: late" in out
    assert statuses(db)[5] == ("rejected", "late")


def test_one_bad_number_refuses_the_whole_ruling(presented: str) -> None:
    db = presented
    err = refused(db, "congress", "credentials", C, "accept", "1", "6")
    assert "credential 6 (Chernov) failed the checks" in err
    err = refused(db, "congress", "credentials", C, "accept", "1", "99")
    assert "99" in err
    err = refused(db, "congress", "credentials", C, "accept", "1", "1")
    assert "repeat" in err
    err = refused(db, "congress", "credentials", C, "reject", "1", "2")
    assert "a rejection needs a reason" in err
    assert {s for s, _ in statuses(db).values()} == {"pending"}
    data = ok_json(
        db, "congress", "credentials", C, "accept", "1", "6", "--override", "--reason", "ok"
    )
    assert data["payload"]["overridden"] == [6]


def test_all_clean_takes_only_the_credentials_that_passed(presented: str) -> None:
    db = presented
    data = ok_json(db, "congress", "credentials", C, "accept", "--all-clean")
    assert data["payload"]["numbers"] == [1, 2, 3, 4, 5, 7]
    assert statuses(db)[6][0] == "pending" and statuses(db)[8][0] == "pending"
    err = refused(db, "congress", "credentials", C, "accept", "--all-clean")
    assert "no pending credential that passed the checks" in err
    err = refused(db, "congress", "credentials", C, "accept", "6", "--all-clean")
    assert err.startswith("error: --all-clean")
    err = refused(db, "congress", "credentials", C, "accept")
    assert "at least one credential" in err


def test_a_ruling_reconsidered_with_its_reason(presented: str) -> None:
    db = presented
    ok(db, "congress", "credentials", C, "reject", "8", "--reason", "Kronstadt sent one")
    err = refused(db, "congress", "credentials", C, "reconsider", "1", "--accept", "--reason", "x")
    assert "has not been ruled on yet" in err
    err = refused(db, "congress", "credentials", C, "reconsider", "8", "--reject", "--reason", "x")
    assert "already rejected" in err
    err = refused(db, "congress", "credentials", C, "reconsider", "8", "--accept", "--reject",
                  "--reason", "x")  # fmt: skip
    assert "--accept/--reject" in err
    err = refused(db, "congress", "credentials", C, "reconsider", "8", "--accept", "--reason", " ")
    assert "needs a reason" in err
    data = ok_json(
        db, "congress", "credentials", C, "reconsider", "8", "--accept",
        "--reason", "Kronstadt's second seat confirmed",
    )  # fmt: skip
    assert data["type"] == "CredentialReconsidered"
    assert (data["payload"]["was"], data["payload"]["override"]) == ("rejected", True)
    assert statuses(db)[8] == ("accepted", "Kronstadt's second seat confirmed")
    ok(db, "congress", "credentials", C, "reconsider", "8", "--reject", "--reason", "appeal lost")
    assert statuses(db)[8] == ("rejected", "appeal lost")
    assert ok(db, "verify").count("intact") >= 1
