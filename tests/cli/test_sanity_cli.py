"""The sanity checks through the CLI (issue 9): one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cli_run import events, invoke, ok
from typer.testing import CliRunner

from soviet.adapters.cli.main import app

runner = CliRunner()
SCENARIO = """\
scenario: sanity
councils:
  - {name: Soviet, seat_rule: {method: per-unit, per: 1000, minimum: 1}}
  - {name: CEC, seat_rule: {method: dhondt, seats: 5}, may_convene: ["*"]}
constituencies:
  - {name: Putilov, council: Soviet, headcount: 3000}
  - {name: Shop, council: Soviet, electors: [ann, bob, cat, dan]}
steps:
  - action: elect
    date: 1917-03-01
    constituency: Putilov
    method: block
    candidates: [{name: a1, votes: 900}, {name: a2, votes: 800}, {name: b1, votes: 700},
                 {name: b2, votes: 10}]
  - {action: elect, date: 1917-03-01, constituency: Shop,
     candidates: [{name: ann, votes: 3}, {name: bob, votes: 1}]}
"""
DAY = ("--date", "1917-04-01")


def refused(db: str, line: str, *args: str) -> None:
    """Exit 2, exactly ``error: LINE`` on stderr, the ledger as long as before."""
    before = events(db)
    code, _, err = invoke(db, *args)
    assert (code, err) == (2, f"error: {line}\n")
    assert events(db) == before


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "s.db")
    ok(path, "init")
    (tmp_path / "s.yaml").write_text(SCENARIO)
    ok(path, "import", str(tmp_path / "s.yaml"))
    return path


# --- dates ---------------------------------------------------------------------------
def test_a_date_far_outside_the_record_needs_force_date(db: str) -> None:
    refused(
        db,
        "date 2026-12-01 is more than 10 years after the last date on record (1917-03-01): "
        "give force_date (--force-date) if it is right",
        "elector", "headcount", "Putilov", "3100", "--date", "2026-12-01",
    )  # fmt: skip
    refused(
        db,
        "date 1197-03-01 is more than 10 years before the first date on record (1917-03-01): "
        "give force_date (--force-date) if it is right",
        "elector", "headcount", "Putilov", "3100", "--date", "1197-03-01",
    )  # fmt: skip
    # --force-date before or after the sub-command; the event records no permission
    ok(db, "--force-date", "elector", "headcount", "Putilov", "3100", "--date", "2026-12-01")
    ok(db, "elector", "headcount", "Putilov", "3200", "--date", "1197-03-01", "--force-date")
    history = json.loads(ok(db, "history", "--json"))["events"]
    assert [e["payload"]["date"] for e in history[-2:]] == ["2026-12-01", "1197-03-01"]
    assert all("force_date" not in e["payload"] for e in history)
    # the range now runs from 1197 to 2026: dates within ten years of it are taken
    ok(db, "elector", "headcount", "Putilov", "3300", "--date", "2036-01-01")
    ok(db, "elector", "headcount", "Putilov", "3300", "--date", "1190-01-01")


def test_a_scenario_step_may_force_its_date(db: str, tmp_path: Path) -> None:
    step = (
        "steps:\n  - {action: headcount, date: 1817-03-02, constituency: Putilov, "
        "headcount: 3100%s}\n"
    )
    (tmp_path / "late.yaml").write_text(f"scenario: late\n{step % ''}")
    before = events(db)
    code, _, err = invoke(db, "import", str(tmp_path / "late.yaml"))
    assert code == 2 and "steps[0] (headcount): date 1817-03-02 is more than 10 years" in err
    assert err.count("\n") == 1 and events(db) == before
    (tmp_path / "late.yaml").write_text(f"scenario: late\n{step % ', force_date: true'}")
    ok(db, "import", str(tmp_path / "late.yaml"))
    assert events(db) == before + 1


def test_a_mandate_is_not_older_than_its_delegate(db: str) -> None:
    refused(
        db,
        "date 1917-02-28 is before 'ann' was elected (1917-03-01)",
        "mandate", "adopt", "Shop", "Bread", "--date", "1917-02-28",
    )  # fmt: skip


def test_a_by_election_follows_the_vacancy(db: str) -> None:
    ok(db, "recall", "open", "Shop", "--by", "bob", "--date", "1917-04-10")
    ok(db, "recall", "sign", "1", "bob", "cat", "dan", "--date", "1917-04-10")
    refused(
        db,
        "date 1917-04-09 is before seat 1 of 'Shop' fell vacant (1917-04-10)",
        "elect", "Shop", "cat=2", "--date", "1917-04-09",
    )  # fmt: skip
    ok(db, "elect", "Shop", "cat=2", "--date", "1917-04-10")


# --- totals --------------------------------------------------------------------------
def test_totals_fit_the_roll_and_the_seats(db: str) -> None:
    ok(db, "recall", "open", "Shop", "--by", "bob", *DAY)
    ok(db, "recall", "sign", "1", "bob", "cat", "dan", *DAY)
    refused(
        db,
        "5 votes cast in 'Shop' but its roll has 4 electors",
        "elect", "Shop", "cat=3", "dan=2", *DAY,
    )  # fmt: skip
    for seats in ("0", "-1"):
        refused(db, f"seats must be 1 or more, got {seats}", "elect", "Shop", "cat=1",
                "--seats", seats, *DAY)  # fmt: skip
    refused(
        db,
        "6 votes on dissolving 'Soviet' (5 for, 1 against) but it has 4 seats",
        "council", "dissolve", "Soviet", "--for", "5", "--against", "1", *DAY,
    )  # fmt: skip


def test_a_headcount_cut_says_what_happens_to_the_extra_seats(db: str) -> None:
    refused(
        db,
        "headcount 1200 leaves 'Putilov' 1 seat, but 3 delegates sit and 2 of them hold seats "
        "above 1: give vacate_surplus (--vacate-surplus) to unseat those 2",
        "elector", "headcount", "Putilov", "1200", *DAY,
    )  # fmt: skip
    out = ok(db, "elector", "headcount", "Putilov", "1200", "--vacate-surplus", *DAY)
    assert "Putilov: headcount 1200; 2 delegates unseated" in out
    council = json.loads(ok(db, "council", "show", "Soviet", "--json"))
    putilov = next(c for c in council["constituencies"] if c["name"] == "Putilov")
    assert putilov["seats"] == 1 and [d["name"] for d in putilov["delegates"]] == ["a1"]
    assert "Soviet: 2 seats, 2 filled, 0 vacant" in ok(db, "council", "show", "Soviet")


# --- names ---------------------------------------------------------------------------
CONVENE = ("congress", "convene", "C1", "--by", "CEC", "--opens", "1917-05-01", "--date",
           "1917-04-02")  # fmt: skip


def test_senders_and_quorum_of_a_call(db: str) -> None:
    refused(
        db,
        "sender 'Army' is not a known council: give external (--external) to let bodies "
        "outside the councils send delegates",
        *CONVENE, "--quorum", "1", "--sender", "Soviet=2", "--sender", "Army=1",
    )  # fmt: skip
    refused(
        db,
        "quorum 9 is larger than the congress: the call allows 3 delegates",
        *CONVENE, "--quorum", "9", "--sender", "Soviet=2", "--sender", "Army=1", "--external",
    )  # fmt: skip
    data = json.loads(
        ok(
            db,
            *CONVENE,
            "--quorum",
            "3",
            "--sender",
            "Soviet=2",
            "--sender",
            "Army=1",
            "--external",
            "--json",
        )
    )
    assert "external" not in data["payload"] and "outside_delegates" not in data["payload"]


def test_a_council_sends_its_own_delegates_unless_the_call_allows_others(db: str) -> None:
    ok(db, *CONVENE, "--quorum", "1", "--sender", "Soviet=2")
    elect = ("congress", "credentials", "C1", "elect", "--council", "Soviet", "--date",
             "1917-04-20")  # fmt: skip
    line = (
        "'Lenin' is not a sitting delegate of council 'Soviet', and the call of 'C1' does not "
        "allow outside delegates (--outside-delegates)"
    )
    refused(db, line, *elect, "a1=3", "Lenin=2")
    refused(
        db, line, "congress", "credentials", "C1", "present", "--delegate", "Lenin",
        "--sent-by", "Soviet", "--elected", "1917-04-01", "--date", "1917-04-20",
    )  # fmt: skip
    ok(db, *elect, "a1=3", "ann=2")
    other = ("congress", "convene", "C2", *CONVENE[3:])
    data = json.loads(
        ok(db, *other, "--quorum", "1", "--sender", "Soviet=2", "--outside-delegates", "--json")
    )
    assert data["payload"]["outside_delegates"] is True
    ok(db, "congress", "credentials", "C2", "elect", "--council", "Soviet", "--date",
       "1917-04-20", "a1=3", "Lenin=2")  # fmt: skip


# --- bounds --------------------------------------------------------------------------
def test_absurd_sizes_are_refused_up_front(db: str) -> None:
    refused(
        db,
        "seat_rule.seats 1000000000000 is above the limit of 100,000",
        "council", "create", "Big", "--seat-rule", '{"method": "dhondt", "seats": 1000000000000}',
    )  # fmt: skip
    ok(db, "council", "create", "One", "--seat-rule", '{"method": "per-unit", "per": 1}')
    refused(
        db,
        "headcount 2000000000 is above the limit of 100,000,000",
        "constituency", "create", "Huge", "--council", "One", "--headcount", "2000000000",
    )  # fmt: skip
    refused(
        db,
        "council 'One': seat rule cannot allocate: seats (derived, per=1): 200000 is above the "
        "limit of 100,000 seats",
        "constituency", "create", "Huge", "--council", "One", "--headcount", "200000",
    )  # fmt: skip


def test_apportioning_a_trillion_seats_fails_fast() -> None:
    """Refused before anything is allocated (timed in-process: the interpreter's start-up
    on a loaded machine is not the command's work)."""
    start = time.perf_counter()
    result = runner.invoke(app, ["apportion", "--seats", "1000000000000", "A=1"])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 2
    assert result.stderr == "error: seats: 1000000000000 is above the limit of 100,000 seats\n"
    assert elapsed < 2, elapsed
