"""The generic ``command`` step: any command by its API name, and ``soviet demo --list``."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli import demo_commands
from soviet.adapters.cli.main import app
from soviet.adapters.scenario_file import ScenarioFileError, parse_scenario
from soviet.adapters.storage import open_service
from soviet.application.commands import AppointSecretary, SignRecall
from soviet.application.scenario import ScenarioError, run_scenario
from soviet.application.scenario.compile import step_commands

HEAD = """\
scenario: Tenants
calendar: julian
councils:
  - {name: Council, seat_rule: {method: per-unit, per: 50, minimum: 1}}
constituencies:
  - {name: Block A, council: Council, electors: [ann, bob, cai]}
steps:
"""


def _scenario(steps: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(steps), "  ")


def test_a_command_step_builds_the_command_with_dates_in_the_scenario_calendar() -> None:
    scenario = parse_scenario(
        _scenario("""\
        - {action: command, date: 1917-10-25, command: appoint-secretary,
           with: {council: Council, member: ann}}
        - {action: command, date: 1917-10-25, command: sign-recall,
           with: {petition: 1, electors: [bob], date: 1917-10-26}}
        """),
        "t.yaml",
    )
    first = list(step_commands(scenario.steps[0], "julian", lambda: None))  # type: ignore[arg-type,return-value]
    # 25 October Old Style is 7 November New Style: the step's date fills the command's.
    assert first == [AppointSecretary(council="Council", member="ann", date=dt.date(1917, 11, 7))]
    second = list(step_commands(scenario.steps[1], "julian", lambda: None))  # type: ignore[arg-type,return-value]
    assert second == [SignRecall(petition=1, electors=["bob"], date=dt.date(1917, 11, 8))]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            "{action: command, date: 1917-10-25, command: apoint-secretary}",
            "no command is called 'apoint-secretary'",
        ),
        (
            "{action: command, date: 1917-10-25, command: appoint-secretary, with: {counsil: X}}",
            "appoint-secretary has no field 'counsil' (its fields: council, date, member)",
        ),
        (
            "{action: command, date: 1917-10-25, command: appoint-secretary,"
            " with: {force_date: true}}",
            "say force_date on the step, not in 'with'",
        ),
    ],
)
def test_an_unknown_command_or_field_is_refused_when_the_file_is_read(
    step: str, message: str
) -> None:
    with pytest.raises(ScenarioFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_scenario(_scenario(f"- {step}\n"), "t.yaml")


def test_a_field_of_the_wrong_shape_is_refused_naming_it_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'c.db'}", initialise=True)
    scenario = parse_scenario(
        _scenario("""\
        - {action: command, date: 1917-10-25, command: appoint-secretary,
           with: {council: Council, member: ann}}
        - {action: command, date: 1917-10-25, command: sign-recall,
           with: {petition: first, electors: [bob]}}
        """),
        "t.yaml",
    )
    refusal = r"steps\[1\] \(command\): sign-recall: with.petition: "
    with pytest.raises(ScenarioError, match=refusal):
        run_scenario(service, scenario, "test")
    assert service.last_seq() == 0


def test_a_command_step_is_recorded_and_verified(tmp_path: Path) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'c.db'}", initialise=True)
    scenario = parse_scenario(
        _scenario("""\
        - {action: command, date: 1917-10-25, command: appoint-secretary,
           with: {council: Council, member: ann}}
        - {action: command, date: 1917-10-27, command: dismiss-secretary,
           with: {council: Council, member: ann}}
        """),
        "t.yaml",
    )
    entries = run_scenario(service, scenario, "test")
    assert [e.type for e in entries[-2:]] == ["SecretaryAppointed", "SecretaryDismissed"]
    assert service.state().secretaries_of("Council") == []
    assert service.verify().ok


def test_demo_list_names_every_replay_with_its_title() -> None:
    result = CliRunner().invoke(app, ["demo", "--list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(demo_commands.DEMOS)
    assert lines[0].startswith("petrograd  The Petrograd Soviet")


def test_another_replay_is_narrated_step_by_step_and_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replay other than the two 1917 ones gets the step-by-step narrator."""
    replay = tmp_path / "tenants.yaml"
    replay.write_text(
        _scenario("""\
        - {action: command, date: 1917-10-25, command: appoint-secretary,
           title: Ann takes the minutes, source: ILLUSTRATIVE,
           with: {council: Council, member: ann}}
        """)
    )
    monkeypatch.setitem(demo_commands.DEMOS, "tenants", "tenants.yaml")
    monkeypatch.setattr(demo_commands, "scenario_path", lambda name: replay)
    db = tmp_path / "d.db"
    result = CliRunner().invoke(app, ["--db", str(db), "demo", "tenants"])
    assert result.exit_code == 0, result.output
    assert "Ann takes the minutes" in result.output
    assert "recorded: ann appointed a secretary of Council" in result.output
    assert "soviet verify: intact: 3 events" in result.output
