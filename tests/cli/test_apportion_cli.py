"""CLI contract of `soviet apportion` and `soviet indices` (checked from outside)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_tenth_army_contract() -> None:
    code, out, _ = run(
        "apportion", "--method", "dhondt", "--seats", "12", "A=326", "B=183", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["seats"] == {"A": 8, "B": 4}
    assert set(data) == {"method", "seats", "steps", "seed", "tie_breaks"}
    assert data["method"] == "dhondt" and data["tie_breaks"] == []


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("dhondt", [4, 3, 1, 0]),
        ("sainte-lague", [3, 3, 1, 1]),
        ("modified-sainte-lague", [4, 3, 1, 0]),
        ("huntington-hill", [3, 3, 1, 1]),
        ("adams", [3, 3, 1, 1]),
        ("danish", [3, 3, 1, 1]),
        ("hare", [3, 3, 1, 1]),
        ("droop", [4, 3, 1, 0]),
        ("hagenbach-bischoff", [4, 3, 1, 0]),
        ("imperiali", [4, 3, 1, 0]),
    ],
)
def test_every_method(method: str, expected: list[int]) -> None:
    code, out, _ = run(
        "apportion",
        "--method",
        method,
        "--seats",
        "8",
        "A=100000",
        "B=80000",
        "C=30000",
        "D=20000",
        "--json",
    )
    assert code == 0, out
    assert list(json.loads(out)["seats"].values()) == expected


def test_threshold_minimum_maximum_seed() -> None:
    code, out, _ = run(
        "apportion",
        "--method",
        "dhondt",
        "--seats",
        "10",
        "--threshold",
        "0.05",
        "A=900",
        "B=60",
        "C=40",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["seats"]["C"] == 0 and "C" in data["steps"]["excluded"]
    code, out, _ = run(
        "apportion",
        "--method",
        "dhondt",
        "--seats",
        "10",
        "--minimum",
        "1",
        "--maximum",
        "7",
        "A=900",
        "B=60",
        "C=40",
        "--json",
    )
    assert json.loads(out)["seats"] == {"A": 7, "B": 2, "C": 1}
    code, out, _ = run(
        "apportion",
        "--method",
        "hare",
        "--seats",
        "10",
        "--threshold-votes",
        "50",
        "A=900",
        "B=60",
        "C=40",
        "--json",
    )
    assert json.loads(out)["seats"] == {"A": 9, "B": 1, "C": 0}
    code, out, _ = run("apportion", "--seats", "1", "--seed", "7", "A=1", "B=1", "--json")
    data = json.loads(out)
    assert data["seed"] == 7 and len(data["tie_breaks"]) == 1


def test_per_unit_petrograd() -> None:
    code, out, _ = run("apportion", "--per", "1000", "A=5300", "B=200", "C=999", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["seats"] == {"A": 5, "B": 1, "C": 1} and data["method"] == "per-unit"
    code, out, _ = run(
        "apportion",
        "--method",
        "per-unit",
        "--per",
        "1000",
        "--minimum",
        "2",
        "A=5300",
        "B=2",
        "--json",
    )
    assert json.loads(out)["seats"] == {"A": 5, "B": 2}


def test_rich_output() -> None:
    code, out, _ = run("apportion", "--method", "dhondt", "--seats", "12", "A=326", "B=183")
    assert code == 0
    assert "seat share" in out and "quotients" in out and "163/4" in out
    code, out, _ = run("apportion", "--method", "hare", "--seats", "3", "A=326", "B=183")
    assert code == 0 and "quota: 509/3" in out and "remainder" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["A="], "'A='"),
        (["A=x"], "'A=x'"),
        (["A=-3"], "'A=-3'"),
        (["A=1", "A=2"], "duplicate name 'A'"),
        (["=5"], "name"),
        (["A5"], "'A5'"),
    ],
)
def test_bad_tokens_exit_2_with_one_line(args: list[str], needle: str) -> None:
    code, out, err = run("apportion", "--method", "dhondt", "--seats", "3", *args)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--method", "nope", "--seats", "3", "A=1"], "--method: 'nope'"),
        (["--method", "dhondt", "A=1"], "--seats"),
        (["--seats", "3", "--threshold", "abc", "A=1"], "--threshold: 'abc'"),
        (["--seats", "3", "--minimum", "2", "A=1", "B=1"], "minimums"),
        (["--method", "hare", "--per", "10", "A=1"], "--per"),
    ],
)
def test_bad_options_exit_2(args: list[str], needle: str) -> None:
    code, _, err = run("apportion", *args)
    assert code == 2 and needle in err


def test_indices_contract() -> None:
    code, out, _ = run("indices", "A=50:6", "B=30:3", "C=20:1", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "gallagher",
        "loosemore_hanby",
        "sainte_lague",
        "enp_votes",
        "enp_seats",
        "max_weight_ratio",
    }
    assert data["gallagher"] == pytest.approx(10.0)
    assert data["sainte_lague"] == pytest.approx(7.0)
    code, out, _ = run("indices", "A=50:6", "B=30:3")
    assert code == 0 and "gallagher" in out


@pytest.mark.parametrize(
    ("token", "needle"), [("A=50", "'A=50'"), ("A=x:1", "'A=x:1'"), ("A=5:-1", "negative")]
)
def test_indices_bad_tokens(token: str, needle: str) -> None:
    code, _, err = run("indices", "B=1:1", token)
    assert code == 2 and needle in err
