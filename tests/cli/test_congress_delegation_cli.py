"""Through the CLI: a lower council elects congress delegates; the agenda and its items."""

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


def soviet(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def test_council_elects_delegates_then_agenda_and_motion(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    (tmp_path / "s.yaml").write_text(SCENARIO)
    assert soviet(db, "init")[0] == 0
    assert soviet(db, "import", str(tmp_path / "s.yaml"))[0] == 0
    code, _, err = soviet(
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
        "Moscow Soviet=2",
        "--date",
        "2026-11-20",
    )
    assert code == 0, err
    code, out, err = soviet(
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
    assert code == 0, err
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
        assert (
            soviet(
                db, "congress", "credentials", "Congress", "accept", number, "--date", "2026-12-01"
            )[0]
            == 0
        )
    assert soviet(db, "congress", "open", "Congress", "--date", "2026-12-01")[0] == 0
    assert soviet(db, "congress", "register", "Congress", "1", "2", "--date", "2026-12-01")[0] == 0
    code, _, err = soviet(
        db,
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
        "--date",
        "2026-12-01",
    )
    assert code == 2 and "'Wages' is not on the agenda" in err
    assert (
        soviet(db, "congress", "agenda", "Congress", "Wages", "Hours", "--date", "2026-12-01")[0]
        == 0
    )
    code, _, err = soviet(
        db,
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
        "--date",
        "2026-12-01",
    )
    assert code == 0, err
    shown = json.loads(soviet(db, "congress", "show", "Congress", "--json")[1])
    assert shown["agenda"] == ["Wages", "Hours"]
    assert shown["motions"][0]["item"] == "Wages"
    assert soviet(db, "verify")[0] == 0


def test_credentials_committee_appointed_by_the_call_then_elected(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    (tmp_path / "s.yaml").write_text(SCENARIO)
    assert soviet(db, "init")[0] == 0
    assert soviet(db, "import", str(tmp_path / "s.yaml"))[0] == 0
    assert (
        soviet(
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
            "Moscow Soviet=3",
            "--credentials-committee",
            "Mandate Commission",
            "--date",
            "2026-11-20",
        )[0]
        == 0
    )
    for who, group in (("Ann", "B"), ("Bo", "SR"), ("Cy", "B")):
        assert (
            soviet(
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
                "--date",
                "2026-12-01",
            )[0]
            == 0
        )
    assert (
        soviet(db, "congress", "credentials", "Congress", "accept", "1", "--date", "2026-12-01")[0]
        == 0
    )
    assert soviet(db, "congress", "open", "Congress", "--date", "2026-12-01")[0] == 0
    assert soviet(db, "congress", "register", "Congress", "1", "--date", "2026-12-01")[0] == 0
    code, _, err = soviet(
        db, "congress", "elect-credentials", "Congress", "--seats", "1", "--date", "2026-12-01"
    )
    assert code == 0, err
    assert (
        soviet(
            db,
            "congress",
            "credentials",
            "Congress",
            "reject",
            "2",
            "--reason",
            "no mandate",
            "--date",
            "2026-12-01",
        )[0]
        == 0
    )
    listed = json.loads(soviet(db, "congress", "credentials", "Congress", "list", "--json")[1])
    ruled = {c["delegate"]: c["ruled_by"] for c in listed["credentials"]}
    assert ruled == {"Ann": "Mandate Commission", "Bo": "Credentials Committee", "Cy": None}
    shown = json.loads(soviet(db, "congress", "show", "Congress", "--json")[1])
    assert shown["call"]["credentials_committee"] == "Credentials Committee"
