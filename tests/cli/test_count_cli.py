"""`soviet count`: the CLI contract, checked through the Typer application."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli.main import app

DATA = Path(__file__).parent.parent / "data"
FOOD = str(DATA / "food.blt")
runner = CliRunner()


def run_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["count", *args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_stv_scottish_json_shape() -> None:
    data = run_json(FOOD, "--method", "stv-scottish")
    assert data["elected"] == ["Chocolate", "Oranges", "Strawberries"]
    assert data["method"] == "stv-scottish"
    assert data["seats"] == 3  # from the BLT header
    assert data["seed"] == 1917
    assert set(data) >= {"elected", "rounds", "method", "seats", "seed", "tie_breaks", "details"}
    rounds = data["rounds"]
    assert isinstance(rounds, list) and rounds[0]["votes"]["Chocolate"] == 12


@pytest.mark.parametrize(
    ("method", "seats", "expected"),
    [
        ("stv-meek", "3", ["Chocolate", "Strawberries", "Oranges"]),
        ("stv-scottish", "1", ["Chocolate"]),
        ("irv", None, ["Chocolate"]),
        ("plurality", None, ["Chocolate"]),
        ("two-round", None, ["Chocolate"]),
        ("schulze", None, None),
        ("ranked-pairs", None, None),
        ("borda", None, None),
        ("approval", "2", None),
        ("block", "2", None),
    ],
)
def test_every_method_runs(method: str, seats: str | None, expected: list[str] | None) -> None:
    args = [FOOD, "--method", method, "--seed", "5"]
    if seats:
        args += ["--seats", seats]
    data = run_json(*args)
    assert data["seed"] == 5
    if expected is not None:
        assert data["elected"] == expected
    assert len(data["elected"]) == int(seats or 1)  # type: ignore[arg-type]


def test_human_output_has_round_table_and_winners() -> None:
    result = runner.invoke(app, ["count", FOOD, "--method", "stv-scottish"])
    assert result.exit_code == 0, result.output
    # the 80-column table may wrap "surplus of Chocolate" over two lines
    assert "surplus of" in result.output and "Chocolate" in result.output
    assert "Chocolate, Oranges, Strawberries" in result.output


def test_malformed_file_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "ballots.blt"
    bad.write_text("5 2\n1 1 2 0\n1 9 0\n0\n" + "".join(f'"{c}"\n' for c in "abcde"))
    result = runner.invoke(app, ["count", str(bad), "--method", "irv", "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr.strip()
    assert err == f"error: {bad}:3: candidate 9 out of range 1..5"
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "nope"], "unknown method 'nope'"),
        (["--method", "irv", "--seats", "2"], "elects one winner"),
        (["--seats", "0"], "--seats must be at least 1"),
        (["--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["count", FOOD, *args, "--json"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["count", str(tmp_path / "none.blt"), "--json"])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_csv_formats(tmp_path: Path) -> None:
    ranked = tmp_path / "r.csv"
    ranked.write_text("weight,1,2\n3,Ann,Bob\n2,Bob,\n")
    assert run_json(str(ranked), "--method", "irv")["elected"] == ["Ann"]
    appr = tmp_path / "a.txt"
    appr.write_text("Ann,Bob,Cy\n1,1,\n,1,1\n")
    data = run_json(str(appr), "--format", "csv-approval", "--method", "approval")
    assert data["elected"] == ["Bob"]
    result = runner.invoke(app, ["count", str(appr), "--format", "csv-approval", "-m", "irv"])
    assert result.exit_code == 2
    assert "needs ranked ballots" in result.stderr


def test_withdrawn_candidate_file() -> None:
    data = run_json(str(DATA / "withdrawn.blt"), "--method", "stv-scottish")
    assert "Bob" not in data["elected"]
    assert data["details"]["withdrawn"] == ["Bob"]  # type: ignore[index]
