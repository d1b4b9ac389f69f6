"""The replay ``decree-no-1``: Moscow workers' control (003:5739-5789). Hiring and
dismissal at a mill with the factory committee's consent, a disagreement decided by the
District Soviet and binding, an office committee's refusal challenged before
conciliation, a default after the deadline; nothing in effect until finally decided;
verify intact and the live state equal to the ledger's replay."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from soviet.adapters.cli import demo_commands
from soviet.adapters.cli.main import app
from soviet.adapters.scenario_file import parse_scenario
from soviet.adapters.storage import open_service
from soviet.views.consent import consent

runner = CliRunner()


def test_every_step_and_council_cites_a_source() -> None:
    path = demo_commands.scenario_path("decree-no-1")
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    assert all(s.source for s in scenario.steps)
    assert all(c.source for c in scenario.councils)


def test_the_replay_decides_each_case_once_and_verifies(tmp_path: Path) -> None:
    db = tmp_path / "d1.db"
    result = runner.invoke(app, ["--db", str(db), "demo", "decree-no-1"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "soviet verify: intact: 17 events" in out
    assert (
        "refused: workplace action 1 was already finally decided by 'Presnya District Soviet' "
        "on 1917-11-23: cannot escalate" in out
    )
    service = open_service(str(db))
    state = service.query(consent)
    assert [
        (a["number"], a["status"], a["final"], a["effective"], a["decided_by"])
        for a in state["actions"]
    ] == [
        (1, "decided", True, False, "Presnya District Soviet"),
        (2, "consented", True, True, "Factory committee"),
        (3, "decided", True, True, "Conciliation committee"),
        (4, "refused", True, False, "default"),
    ]
    # Note 1: section 1 names no office committee, so the factory committee consents.
    workers, office = state["rules"]
    assert (workers["decider"], office["decider"]) == (
        "Factory committee",
        "Office employees' committee",
    )
    shown = runner.invoke(app, ["--db", str(db), "consent", "show", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == state
    assert service.verify().ok


def test_the_demo_is_listed() -> None:
    result = runner.invoke(app, ["demo", "--list"])
    assert result.exit_code == 0
    assert "decree-no-1  Decree No. 1, Moscow 1917" in result.output
