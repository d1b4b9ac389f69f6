"""The council CLI end to end, through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import events, invoke
from sqlalchemy import text
from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage.sql import engine_for

runner = CliRunner()
DATE = ("--date", "1917-09-30")  # near the scenario's dates (a far date is refused)

SCENARIO = """\
scenario: test
calendar: julian
councils:
  - name: Soviet
    seat_rule: {method: per-unit, per: 1000, minimum: 1}
    recall_mode: replacement
    max_term_days: 60
constituencies:
  - {name: Putilov, council: Soviet, headcount: 3000, kind: large}
  - {name: Shop, council: Soviet, electors: [ann, bob, cat], kind: small}
steps:
  - action: elect
    date: 1917-03-01
    constituency: Putilov
    method: dhondt
    lists: [{group: SR, votes: 2000}, {group: B, votes: 1000}]
  - action: elect
    date: 1917-03-01
    constituency: Shop
    candidates: [{name: ann, group: M, votes: 2}, {name: bob, group: B, votes: 1}]
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "s.db")
    assert invoke(path, "init")[0] == 0
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO)
    code, _, err = invoke(path, "import", str(scenario))
    assert code == 0, err
    return path


def test_show_json_is_the_documented_shape(db: str) -> None:
    code, out, _ = invoke(db, "council", "show", "Soviet", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["seats"], data["filled"], data["vacant"]) == (4, 4, 0)
    assert data["groups"] == {"SR": 2, "B": 1, "M": 1}
    assert sorted(data) == sorted(
        [
            "council",
            "sections",
            "sections_merged",
            "seats",
            "filled",
            "vacant",
            "voting",
            "groups",
            "groups_by_section",
            "largest_group",
            "largest_group_has_majority",
            "constituencies",
        ]
    )


def test_report_json(db: str) -> None:
    code, out, _ = invoke(db, "council", "report", "Soviet", "--json")
    data = json.loads(out)
    assert code == 0
    kinds = {k["name"]: k for k in data["kinds"]}
    assert kinds["large"]["seats"] == 3 and kinds["small"]["seats"] == 1
    assert data["indices"]["max_weight_ratio"] == pytest.approx(1000 / 3)


def test_recall_open_sign_status_and_as_of(db: str) -> None:
    code, out, err = invoke(
        db,
        "recall",
        "open",
        "Shop",
        "--by",
        "bob",
        "--replacement",
        "cat@B",
        "--date",
        "1917-09-01",
        "--calendar",
        "julian",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["payload"]["petition"] == 1
    code, out, err = invoke(db, "recall", "sign", "1", "bob", "--date", "1917-09-14")
    assert code == 0 and "1 signatures" in out
    code, out, _ = invoke(db, "recall", "status", "--json")
    assert json.loads(out)["petitions"][0]["needed"] == 2
    code, out, _ = invoke(db, "recall", "sign", "1", "cat", "--date", "1917-09-14")
    assert "replaced by cat" in out
    shop = next(
        c
        for c in json.loads(invoke(db, "council", "show", "Soviet", "--json")[1])["constituencies"]
        if c["name"] == "Shop"
    )
    assert [d["name"] for d in shop["delegates"]] == ["cat"]
    before = json.loads(invoke(db, "council", "show", "Soviet", "--json", "--as-of", "5")[1])
    assert before["groups"] == {"SR": 2, "B": 1, "M": 1}
    assert invoke(db, "verify")[0] == 0


def test_numbered_signatures_recall_and_by_election(db: str) -> None:
    code, _, err = invoke(
        db, "recall", "open", "Putilov", "--by", "Putilov#1", "--all", "--date", "1917-09-14"
    )
    assert code == 0, err
    code, out, err = invoke(
        db, "recall", "sign", "1", "--numbers", "1-1501", "--date", "1917-09-15"
    )
    assert code == 0, err
    assert "open for a by-election" in out
    code, out, err = invoke(
        db,
        "elect",
        "Putilov",
        "x@B=5",
        "y@B=4",
        "z@M=1",
        "--method",
        "block",
        "--date",
        "1917-09-20",
    )
    assert code == 0, err
    assert "seat 1: x (B)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("council", "show", "Nope"), "error: unknown council 'Nope'"),
        (("elect", "Shop", "dan=x"), "votes must be a whole number >= 0, got 'x'"),
        (("elect", "Nowhere", "dan=1", *DATE), "unknown constituency 'Nowhere'"),
        (("elect", "Shop", "dan=1", "--date", "1917-02-30"), "--date: not a gregorian date"),
        (("recall", "sign", "7", "ann", *DATE), "unknown petition 7"),
        (
            ("recall", "open", "Shop", "--by", "Putilov#3", *DATE),
            "belongs to 'Putilov', not 'Shop'",
        ),
        (("council", "show", "Soviet", "--as-of", "99"), "--as-of: no ledger event 99"),
        (("council", "report", "Soviet", "--section", "x"), "has no section 'x'"),
        (("council", "dissolve", "Soviet", "--for", "1", "--against", "3", *DATE), "not carried"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    db: str, args: tuple[str, ...], message: str
) -> None:
    before = events(db)
    code, _, err = invoke(db, *args)
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert events(db) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "scenario: x\n  bad: indent\n",
            "bad.yaml:2: malformed YAML: mapping values are not allowed",
        ),
        ("- a list", "bad.yaml: a scenario is a mapping"),
        (
            "scenario: x\nconstituencies:\n  - {name: A, council: S, headcount: -3}",
            "bad.yaml: constituencies[0].headcount: Input should be greater than or equal to 0 "
            "(value -3)",
        ),
        (
            "scenario: x\nsteps:\n  - {action: elekt, date: 1917-01-01}",
            "bad.yaml: steps[0]: Input tag 'elekt' found using 'action' does not match",
        ),
        (
            "scenario: x\nconstituencies:\n  - {name: A, council: S, headcount: 3}",
            "bad.yaml: constituencies[0] (A): unknown council 'S'",
        ),
        (
            "scenario: x\ncouncils:\n  - {name: S, seat_rule: {method: per-unit, per: 10}}\n"
            "steps:\n  - {action: dissolve, date: 1917-13-01, council: S}",
            "steps[0] (dissolve): not a gregorian date (YYYY-MM-DD): '1917-13-01'",
        ),
    ],
)
def test_bad_scenario_files_exit_2_naming_file_field_and_value(
    db: str, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    before = events(db)
    code, _, err = invoke(db, "import", str(bad))
    assert code == 2
    assert message in err
    assert events(db) == before


def test_verify_exits_1_and_names_the_altered_event(db: str) -> None:
    with engine_for(f"sqlite:///{db}").begin() as conn:
        conn.execute(text("UPDATE ledger SET actor = 'mallory' WHERE seq = 3"))
    code, out, _ = invoke(db, "verify", "--json")
    assert code == 1
    assert json.loads(out)["first_bad_seq"] == 3


def test_stale_lists_delegates_past_the_maximum_term(db: str) -> None:
    code, out, _ = invoke(
        db, "council", "stale", "Soviet", "--on", "1917-05-01", "--calendar", "julian", "--json"
    )
    assert code == 0
    stale = json.loads(out)["stale"]
    assert len(stale) == 4 and {s["limit_days"] for s in stale} == {60}
    assert {s["days"] for s in stale} == {61}


def test_commands_on_an_uninitialised_database_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    code, _, err = invoke(str(path), "council", "show", "X")
    assert code == 2 and err == f"error: --db: no database at {path} (run soviet init)\n"
    assert not path.exists()  # a read does not create the file
    path.touch()  # an empty file: SQLite's empty database, not initialised
    code, _, err = invoke(str(path), "council", "show", "X")
    assert code == 2 and "run 'soviet init' first" in err


def test_demo_runs_and_ends_with_an_intact_ledger(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    code, out, err = invoke(db, "demo")
    assert code == 0, err
    assert "120" in out and "122" in out
    assert "soviet verify: intact" in out
    again = invoke(db, "demo")
    assert again[0] == 2 and "needs an empty database" in again[2]


def test_a_bad_date_option_is_named_as_given(db: str) -> None:
    code, _, err = invoke(db, "council", "stale", "Soviet", "--on", "1917-13-01")
    assert code == 2 and err.startswith("error: --on: ") and "1917-13-01" in err
    code, _, err = invoke(db, "council", "sections", "Soviet", "--merge", "--date", "1917-02-30")
    assert code == 2 and err.startswith("error: --date: ")


def test_stale_names_on_for_a_bad_date_and_its_calendar(db: str) -> None:
    """`council stale` has no --date: its errors and help speak of --on."""
    code, out, err = invoke(db, "council", "stale", "Soviet", "--on", "bad")
    assert (code, out) == (2, "")
    assert err.startswith("error: --on: ") and "'bad'" in err and "--date" not in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = invoke(db, "council", "stale", "Soviet", "--on", "1917-02-29")
    assert code == 2 and err.startswith("error: --on: ")  # no 29 Feb in 1917 (Gregorian)
    result = runner.invoke(app, ["council", "stale", "--help"], env={"COLUMNS": "200"})
    help_text = " ".join(result.stdout.split())
    assert "Calendar of --on" in help_text and "--date" not in help_text


def test_demo_suggests_commands_that_run_from_the_readers_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `make demo` (.venv/bin/soviet, not activated) the suggested commands name
    the path; with soviet on PATH, plain `soviet`."""
    from soviet.adapters.cli.demo_commands import program

    monkeypatch.setattr("sys.argv", [".venv/bin/soviet", "--db", "demo.db", "demo"])
    monkeypatch.setenv("PATH", str(tmp_path))
    assert program() == ".venv/bin/soviet"
    (tmp_path / "soviet").write_text("#!/bin/sh\n")
    (tmp_path / "soviet").chmod(0o755)
    assert program() == "soviet"
    monkeypatch.setattr("sys.argv", ["pytest"])
    assert program() == "soviet"
