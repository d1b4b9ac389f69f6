"""Setting up an organisation from the command line, as a tenants' union would: councils and
constituencies created, changed, renamed and removed; the list commands; mandates listed
by seat across re-elections. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from cli_run import events, invoke, ok, ok_json
from typer.testing import CliRunner

runner = CliRunner()
FED = "Tenants Federation"
RULE = '{"method": "per-unit", "per": 50}'


def refused(db: str, *args: str) -> str:
    """Exit 2, one line on stderr, nothing written."""
    before = events(db)
    code, _, err = invoke(db, *args)
    assert code == 2, (args, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert events(db) == before
    return err


@pytest.fixture
def db(database_url: str) -> str:
    ok(database_url, "init")
    ok(database_url, "council", "create", FED, "--seat-rule", RULE, "--recall-threshold", "1/3")
    ok(database_url, "constituency", "create", "Oak House", "--council", FED,
       "--headcount", "120", "--kind", "house")  # fmt: skip
    ok(database_url, "constituency", "create", "Elm House", "--council", FED,
       "--elector", "ana", "--elector", "bo", "--elector", "cy")  # fmt: skip
    return database_url


def test_councils_and_constituencies_are_created_and_listed(db: str) -> None:
    councils = ok_json(db, "council", "list")["councils"]
    assert [(c["name"], c["seats"], c["filled"], c["constituencies"]) for c in councils] == [
        (FED, 3, 0, 2)
    ]
    assert councils[0]["recall_threshold"] == "1/3"
    assert councils[0]["seat_rule"] == {"method": "per-unit", "per": 50}
    rows = ok_json(db, "constituency", "list", "--council", FED)["constituencies"]
    assert [(r["name"], r["roll"], r["headcount"], r["seats"]) for r in rows] == [
        ("Elm House", "named", 3, 1),
        ("Oak House", "numbered", 120, 2),
    ]
    assert "Oak House" in ok(db, "constituency", "list")
    assert ok_json(db, "congress", "list") == {"congresses": []}
    assert ok_json(db, "petition", "list") == {"petitions": []}
    err = refused(db, "council", "create", FED, "--seat-rule", RULE)
    assert "already exists" in err
    err = refused(db, "council", "create", "X", "--seat-rule", "{nope")
    assert err.startswith("error: --seat-rule: not valid JSON")
    err = refused(db, "council", "create", "X", "--seat-rule", '{"method": "per-unit"}')
    assert "per" in err
    err = refused(db, "constituency", "create", "A#1", "--council", FED, "--headcount", "5")
    assert "'#'" in err
    err = refused(db, "constituency", "list", "--council", "Nowhere")
    assert "unknown council 'Nowhere'" in err


def test_council_settings_change_one_by_one(db: str) -> None:
    data = ok_json(
        db, "council", "change", FED, "--max-term-days", "365", "--recall-threshold", "1/2",
        "--date", "2026-11-01",
    )  # fmt: skip
    assert data["type"] == "CouncilChanged"
    assert data["payload"]["changes"] == {"max_term_days": 365, "recall_threshold": "1/2"}
    council = ok_json(db, "council", "list")["councils"][0]
    assert (council["max_term_days"], council["recall_threshold"]) == (365, "1/2")
    ok(db, "council", "change", FED, "--no-max-term", "--may-convene", "Assembly")
    council = ok_json(db, "council", "list")["councils"][0]
    assert (council["max_term_days"], council["may_convene"]) == (None, ["Assembly"])
    err = refused(db, "council", "change", FED, "--recall-threshold", "1/2")
    assert "nothing to change" in err
    err = refused(db, "council", "change", FED, "--recall-mode", "lottery")
    assert "recall_mode" in err and "lottery" in err
    err = refused(db, "council", "change", FED)
    assert "at least one setting" in err
    err = refused(db, "council", "change", FED, "--max-term-days", "0")
    assert "max_term_days must be positive" in err


def test_a_seat_rule_that_would_unseat_delegates_is_refused(db: str) -> None:
    ok(db, "elect", "Oak House", "--method", "block", "--seats", "2", "Ivanova=40", "Petrov=30",
       "Sidorov=20", "--date", "2026-11-01")  # fmt: skip
    err = refused(db, "council", "change", FED, "--seat-rule", '{"method": "per-unit", "per": 100}')
    assert "gives 'Oak House' 1 seats but 2 delegates sit for it" in err
    ok(db, "council", "change", FED, "--seat-rule", '{"method": "per-unit", "per": 40}')
    rows = ok_json(db, "constituency", "list")["constituencies"]
    assert {r["name"]: r["seats"] for r in rows} == {"Elm House": 1, "Oak House": 3}


def test_a_rename_carries_delegates_mandates_petitions_and_signed_numbers(db: str) -> None:
    ok(db, "elect", "Oak House", "--method", "block", "--seats", "2", "Ivanova=40", "Petrov=30",
       "Sidorov=20", "--date", "2026-11-01")  # fmt: skip
    ok(db, "mandate", "adopt", "Oak House", "No rent rise", "--seat", "1", "--date", "2026-11-02")
    ok(db, "recall", "open", "Oak House", "--by", "Oak House#1", "--seat", "1",
       "--date", "2026-11-03")  # fmt: skip
    ok(db, "recall", "sign", "1", "--numbers", "1-20", "--date", "2026-11-03")
    ok(db, "constituency", "rename", "Oak House", "Oak Court", "--date", "2026-11-04")
    ok(db, "council", "rename", FED, "Federation", "--date", "2026-11-04")
    shown = ok_json(db, "council", "show", "Federation")
    oak = next(c for c in shown["constituencies"] if c["name"] == "Oak Court")
    assert [d["name"] for d in oak["delegates"]] == ["Ivanova", "Petrov"]
    assert oak["delegates"][0]["mandates"][0]["text"] == "No rent rise"
    (petition,) = ok_json(db, "petition", "list", "--constituency", "Oak Court")["petitions"]
    assert (petition["signatures"], petition["status"]) == (20, "open")
    # the numbers already signed are the renamed roll's: signing them again is refused
    err = refused(db, "recall", "sign", "1", "--numbers", "20-21", "--date", "2026-11-05")
    assert "Oak Court#20" in err
    ok(db, "recall", "sign", "1", "--numbers", "21-41", "--date", "2026-11-05")
    (petition,) = ok_json(db, "petition", "list", "--status", "succeeded")["petitions"]
    assert petition["constituency"] == "Oak Court"
    assert ok_json(db, "constituency", "list")["constituencies"][1]["council"] == "Federation"
    assert "state matches the ledger" in ok(db, "verify")
    err = refused(db, "constituency", "rename", "Oak Court", "Elm House")
    assert "already exists" in err
    err = refused(db, "constituency", "rename", "Oak Court", "Oak#2")
    assert "'#'" in err


def test_a_seats_mandates_are_kept_across_re_elections(db: str) -> None:
    ok(db, "elect", "Elm House", "ana=2", "bo=1", "--date", "2026-11-01")
    ok(db, "mandate", "adopt", "Elm House", "Repair the lift", "--date", "2026-11-02")
    ok(db, "recall", "open", "Elm House", "--by", "bo", "--date", "2026-11-03")
    ok(db, "recall", "sign", "1", "bo", "cy", "--date", "2026-11-04")
    ok(db, "elect", "Elm House", "bo=2", "ana=1", "--date", "2026-11-05")
    ok(db, "mandate", "adopt", "Elm House", "Repair the lift by spring", "--date", "2026-11-06")
    rows = ok_json(db, "mandate", "list", "--constituency", "Elm House", "--seat", "1")
    assert [(m["number"], m["delegate"], m["delegate_status"]) for m in rows["mandates"]] == [
        (1, "ana", "recalled"),
        (2, "bo", "sitting"),
    ]
    assert ok_json(db, "mandate", "list", "--council", FED) == rows
    out = ok(db, "mandate", "list")
    assert "(recalled)" in out and "spring" in out
    shown = ok_json(db, "council", "show", FED)
    elm = next(c for c in shown["constituencies"] if c["name"] == "Elm House")
    assert [m["number"] for m in elm["delegates"][0]["mandates"]] == [2]
    shown_text = ok(db, "council", "show", FED)
    assert "Elm House, seat 1 (bo): mandate 2 of 2026-11-06: Repair the lift by spring" in (
        shown_text.replace("\n    ", " ")
    )
    err = refused(db, "mandate", "list", "--seat", "1")
    assert "--seat" in err and "--constituency" in err


def test_removal_needs_an_empty_record(db: str) -> None:
    ok(db, "elect", "Oak House", "--method", "block", "--seats", "2", "Ivanova=40", "Petrov=30",
       "--date", "2026-11-01")  # fmt: skip
    err = refused(db, "constituency", "remove", "Oak House")
    assert "has 2 delegates and 0 petitions on record" in err
    err = refused(db, "council", "remove", FED)
    assert "still has 2 constituencies" in err
    data = ok_json(db, "constituency", "remove", "Elm House", "--date", "2026-11-02")
    assert data["payload"]["electors"] == ["ana", "bo", "cy"]
    assert [r["name"] for r in ok_json(db, "constituency", "list")["constituencies"]] == [
        "Oak House"
    ]
    ok(db, "council", "create", "Spare", "--seat-rule", '{"method": "dhondt", "seats": 5}')
    ok(db, "council", "remove", "Spare")
    assert [c["name"] for c in ok_json(db, "council", "list")["councils"]] == [FED]
    assert "state matches the ledger" in ok(db, "verify")


def test_a_council_named_by_an_unclosed_congress_keeps_its_name(db: str) -> None:
    ok(db, "council", "change", FED, "--may-convene", "Assembly")
    ok(db, "congress", "convene", "Assembly", "--by", FED, "--opens", "2026-12-01",
       "--sender", f"{FED}=3", "--quorum", "1/2", "--date", "2026-11-01")  # fmt: skip
    err = refused(db, "council", "rename", FED, "Other")
    assert "congress 'Assembly' (called) names it" in err
    (congress,) = ok_json(db, "congress", "list")["congresses"]
    assert (congress["name"], congress["status"], congress["convened_by"]) == (
        "Assembly",
        "called",
        FED,
    )
    assert "Assembly" in ok(db, "congress", "list")
