"""``soviet decrees``: the council of commissioners' decrees with their state and history,
next to the congress-adopted decrees (the commands entered through the service; the
``soviet executive`` and ``soviet decree`` commands are in ``test_decree_cli.py``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage import open_service
from soviet.application import commands as cmd

runner = CliRunner()
D = dt.date(1917, 10, 26)  # illustrative


def test_decrees_json_shows_each_executive_decree_state_and_history(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    service = open_service(db)
    for c in (
        cmd.CreateCouncil(
            name="Soviet", seat_rule={"method": "per-unit", "per": 1000}, may_convene=["*"]
        ),
        cmd.CallCongress(
            name="Congress",
            convened_by="Soviet",
            date=D,
            opens_on=D,
            quorum="1/2",
            senders={"Soviet": 3},
        ),
        cmd.FormCommissionersCouncil(name="Sovnarkom", congress="Congress", date=D),
        cmd.AppointDepartmentHead(
            council="Sovnarkom", department="Labour", member="m1", by="Congress", date=D
        ),
        cmd.GrantUrgentPowers(council="Sovnarkom", by="Congress", ratify_within_days=7, date=D),
        cmd.IssueDecree(
            council="Sovnarkom",
            registry="1",
            title="Eight hours",
            text="t",
            department="Labour",
            urgent=True,
            date=D,
        ),
        cmd.IssueDecree(
            council="Sovnarkom", registry="2", title="Press", text="t", department="Labour", date=D
        ),
    ):
        service.handle(c, "t")
    result = runner.invoke(app, ["--db", db, "decrees", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["decrees"] == []
    assert [(x["registry"], x["state"], x["deadline"]) for x in data["executive"]] == [
        ("1", "in-force-pending-ratification", "1917-11-02"),
        ("2", "draft", None),
    ]
    table = runner.invoke(app, ["--db", db, "decrees"])
    assert table.exit_code == 0
    assert "Decrees of the council of commissioners" in table.output
    assert "no decrees" not in table.output
