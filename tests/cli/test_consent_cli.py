"""``soviet consent``: a rule of Decree No. 1 (003:5747-5768) set up and used from the
command line; refusals name the field and write nothing. Names are illustrative."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from soviet.adapters.cli.main import app

runner = CliRunner()
RULE = '{"method": "per-unit", "per": 1000}'


def soviet(db: str, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == code, result.output + result.stderr
    return result.stdout + result.stderr


def test_a_case_from_proposal_to_binding_decision(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    soviet(db, "init")
    for council in ("Moscow Soviet", "Presnya District Soviet"):
        soviet(db, "council", "create", council, "--seat-rule", RULE)
    soviet(db, "unit", "create", "Mill", "--council", "Moscow Soviet", "--date", "1917-11-06")
    rule = [
        "consent", "rule", "Decree No. 1", "--council", "Moscow Soviet", "--workplace", "Mill",
        "--action", "hire", "--action", "dismiss", "--general", "Factory committee",
        "--escalation", "Presnya District Soviet", "--conciliation", "Conciliation committee",
        "--date", "1917-11-06",
    ]  # fmt: skip
    out = soviet(db, *rule, "--default-outcome", "maybe", code=2)
    assert "default_outcome must be one of consent, refuse, got 'maybe'" in out
    soviet(db, *rule)
    out = soviet(db, "consent", "propose", "Decree No. 1", "promote", "a weaver", "--by", "Board",
                 "--date", "1917-11-07", code=2)  # fmt: skip
    assert "action 'promote' is not covered by rule 'Decree No. 1' (hire, dismiss)" in out
    soviet(db, "consent", "propose", "Decree No. 1", "dismiss", "a weaver", "--by", "Board",
           "--date", "1917-11-07")  # fmt: skip
    out = soviet(db, "consent", "escalate", "1", "--date", "1917-11-07", code=2)
    assert "workplace action 1 is pending, not refused: cannot escalate" in out
    soviet(db, "consent", "refuse", "1", "--reason", "no cause", "--date", "1917-11-08")
    soviet(db, "consent", "escalate", "1", "--date", "1917-11-08")
    assert "finally decided, not in effect" in soviet(
        db, "consent", "decide", "1", "--refuse", "--date", "1917-11-09"
    )
    shown = json.loads(soviet(db, "consent", "show", "Decree No. 1", "--json"))
    (case,) = shown["actions_proposed"]
    assert (case["status"], case["final"], case["effective"], case["decided_by"]) == (
        "decided",
        True,
        False,
        "Presnya District Soviet",
    )
    assert shown["decider"] == "Factory committee"
    table = soviet(db, "consent", "show")
    assert "hire, dismiss at Mill need the consent of Factory committee" in table
    assert "state matches the ledger" in soviet(db, "verify")
