"""Through the CLI: council-elected congress delegates, agendas, credentials committees."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from soviet.adapters.cli.main import app

runner = CliRunner()
SCENARIO = """\
scenario: delegation
councils:
  - {name: CEC, seat_rule: {method: dhondt, seats: 5}, may_convene: [Congress]}
  - {name: Moscow Soviet, seat_rule: {method: dhondt, seats: 5}}
"""
OPENS = ("--date", "2026-12-01")


def soviet(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def ok(db: str, *args: str) -> str:
    code, out, err = soviet(db, *args)
    assert code == 0, err
    return out


def convened(tmp_path: Path, senders: str, *extra: str) -> str:
    """A database with the CEC's call to 'Congress' for 1 Dec 2026."""
    db = str(tmp_path / "c.db")
    (tmp_path / "s.yaml").write_text(SCENARIO)
    ok(db, "init")
    ok(db, "import", str(tmp_path / "s.yaml"))
    ok(
        db,
        "congress",
        "convene",
        "Congress",
        "--by",
        "CEC",
        "--opens",
        "2026-12-01",
        "--quorum",
        "1",
        "--sender",
        senders,
        *extra,
        "--date",
        "2026-11-20",
    )
    return db


def test_council_elects_delegates_then_agenda_and_motion(tmp_path: Path) -> None:
    # The Moscow Soviet has no constituencies here: the call lets it send anyone.
    db = convened(tmp_path, "Moscow Soviet=2", "--outside-delegates")
    out = ok(
        db,
        "congress",
        "credentials",
        "Congress",
        "elect",
        "--council",
        "Moscow Soviet",
        "Ann@B=30",
        "Bo@SR=25",
        "Cy@B=10",
        "--method",
        "block",
        "--date",
        "2026-11-25",
    )
    assert "credential 1: Ann (B)" in out and "credential 2: Bo (SR)" in out
    code, _, err = soviet(
        db,
        "congress",
        "credentials",
        "Congress",
        "elect",
        "--council",
        "Moscow Soviet",
        "Di=5",
        "--date",
        "2026-11-25",
    )
    assert code == 2 and "may elect 0 more delegates" in err
    for number in ("1", "2"):
        ok(db, "congress", "credentials", "Congress", "accept", number, *OPENS)
    ok(db, "congress", "open", "Congress", *OPENS)
    ok(db, "congress", "register", "Congress", "1", "2", *OPENS)
    motion = (
        "congress",
        "motion",
        "Congress",
        "--title",
        "T",
        "--text",
        "x",
        "--mover",
        "1",
        "--item",
        "Wages",
        *OPENS,
    )
    code, _, err = soviet(db, *motion)
    assert code == 2 and "'Wages' is not on the agenda" in err
    ok(db, "congress", "agenda", "Congress", "Wages", "Hours", *OPENS)
    ok(db, *motion)
    shown = json.loads(ok(db, "congress", "show", "Congress", "--json"))
    assert shown["agenda"] == ["Wages", "Hours"]
    assert shown["motions"][0]["item"] == "Wages"
    ok(db, "verify")


def test_credentials_committee_appointed_by_the_call_then_elected(tmp_path: Path) -> None:
    db = convened(
        tmp_path,
        "Moscow Soviet=3",
        "--credentials-committee",
        "Mandate Commission",
        "--outside-delegates",
    )
    for who, group in (("Ann", "B"), ("Bo", "SR"), ("Cy", "B")):
        ok(
            db,
            "congress",
            "credentials",
            "Congress",
            "present",
            "--delegate",
            who,
            "--sent-by",
            "Moscow Soviet",
            "--elected",
            "2026-11-25",
            "--group",
            group,
            *OPENS,
        )
    ok(db, "congress", "credentials", "Congress", "accept", "1", *OPENS)
    ok(db, "congress", "open", "Congress", *OPENS)
    ok(db, "congress", "register", "Congress", "1", *OPENS)
    ok(db, "congress", "elect-credentials", "Congress", "--seats", "1", *OPENS)
    ok(db, "congress", "credentials", "Congress", "reject", "2", "--reason", "no mandate", *OPENS)
    listed = json.loads(ok(db, "congress", "credentials", "Congress", "list", "--json"))
    ruled = {c["delegate"]: c["ruled_by"] for c in listed["credentials"]}
    assert ruled == {"Ann": "Mandate Commission", "Bo": "Credentials Committee", "Cy": None}
    shown = json.loads(ok(db, "congress", "show", "Congress", "--json"))
    assert shown["call"]["credentials_committee"] == "Credentials Committee"


def test_elect_help_names_the_group_form_the_command_takes(tmp_path: Path) -> None:
    """The help shows NAME[@GROUP]=VOTES, and both forms it shows are taken."""
    result = runner.invoke(
        app, ["congress", "credentials", "Congress", "elect", "--help"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    assert "NAME[@GROUP]=VOTES" in " ".join(result.stdout.split())
    db = convened(tmp_path, "Moscow Soviet=2", "--outside-delegates")
    ok(
        db,
        *("congress", "credentials", "Congress", "elect", "--council", "Moscow Soviet"),
        *("Ann@Left SR=30", "Bo=25", "--date", "2026-11-25"),
    )
    listed = json.loads(ok(db, "congress", "credentials", "Congress", "list", "--json"))
    groups = {c["delegate"]: c["group"] for c in listed["credentials"]}
    assert groups == {"Ann": "Left SR", "Bo": None}
