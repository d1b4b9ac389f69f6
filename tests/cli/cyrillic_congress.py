"""The second-congress demo renamed into Russian, with a roll call and a commissioners'
decree: a congress whose minutes and exports carry non-Latin-1 text and every delegate's
choice.

Changes to the packaged scenario (all ILLUSTRATIVE): the congress, its council of
commissioners, the Left SR delegates and the decree have Russian names; the Decree on
Land (003:25374-25376 gives only its tally) is taken by roll call, group by group; the
council of commissioners is formed and signs one (draft) decree on the second day.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.cli.main import app

NAME = "Второй Всероссийский съезд Советов"
SOVNARKOM = "Совет Народных Комиссаров"
DECREE = "Декрет о печати"
LEFT_SR = "Делегат левых эсеров"
#: How each group votes in the roll call on the Decree on Land (ILLUSTRATIVE).
ROLL = {
    "Bolsheviks": "for",
    "Left SRs": "for",
    "United Internationalists": "abstain",
    "Ukrainian SRs": "against",
}


def scenario(path: Path) -> Path:
    """Write the scenario to ``path`` and return it."""
    text = scenario_path("second-congress").read_text(encoding="utf-8")
    text = text.replace("Second All-Russian Congress of Soviets", NAME)
    text = text.replace("Left SR delegate", LEFT_SR)
    data = yaml.safe_load(text)
    steps = data["steps"]
    for step in steps:
        if step["action"] == "vote" and step["motion"] == "Decree on Land":
            del step["counts"]
            step.update(mode="roll-call", by_group=ROLL)
    close = steps.pop()
    assert close["action"] == "congress-close"

    def command(kind: str, **fields: str) -> dict[str, object]:
        return {"action": "command", "date": "1917-10-26", "command": kind, "with": fields}

    steps += [
        command("form-commissioners-council", name=SOVNARKOM, congress=NAME),
        command(
            "appoint-department-head",
            council=SOVNARKOM,
            department="Печать",
            member="Bolshevik delegate 2",
            by=NAME,
        ),
        command(
            "issue-decree",
            council=SOVNARKOM,
            registry="1",
            title=DECREE,
            text="-",
            department="Печать",
        ),
        close,
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def database(folder: Path) -> str:
    """A database holding the scenario, run."""
    runner = CliRunner()
    db = str(folder / "cyrillic.db")
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "import", str(scenario(folder / "cyrillic.yaml"))])
    assert result.exit_code == 0, result.output
    return db
