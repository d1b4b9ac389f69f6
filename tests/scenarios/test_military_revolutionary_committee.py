"""The replay ``military-revolutionary-committee``: commissioners in the garrison's units,
orders valid only when countersigned, the Staff's order returned; verify intact."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from soviet.adapters.cli import demo_commands
from soviet.adapters.cli.main import app
from soviet.adapters.scenario_file import parse_scenario
from soviet.adapters.storage import open_service
from soviet.views.orders import unit_log

runner = CliRunner()


def test_every_step_cites_a_source() -> None:
    path = demo_commands.scenario_path("military-revolutionary-committee")
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    assert all(s.source for s in scenario.steps)
    assert all(c.source for c in scenario.councils)


def test_the_replay_records_countersigned_and_returned_orders(tmp_path: Path) -> None:
    db = tmp_path / "mrc.db"
    result = runner.invoke(app, ["--db", str(db), "demo", "military-revolutionary-committee"])
    assert result.exit_code == 0, result.output
    assert "soviet verify: intact: 17 events" in result.output
    assert "Order 1 countersigned by mrc-1 (1 signature): still pending" in result.output
    assert "Order 2 refused and returned by mrc-3: Not countersigned by the Committee" in (
        " ".join(result.output.split())
    )
    service = open_service(str(db))
    arsenal = service.query(unit_log("Kronwerk Arsenal"))
    assert arsenal["restricted"] == ["issue-arms"]
    assert [(o["number"], o["status"], o["actions"]) for o in arsenal["orders"]] == [
        (1, "valid", [1]),
        (3, "valid", [2]),
    ]
    regiment = service.query(unit_log("Garrison regiment"))
    (returned,) = regiment["orders"]
    assert returned["status"] == "returned"
    assert returned["issuer"] == "Staff of the Petrograd Military Area"
    assert not returned["by_commissioner"]
    shown = runner.invoke(app, ["--db", str(db), "unit", "show", "Garrison regiment", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == regiment
    assert service.verify().ok
