"""``--plot`` on ``council show`` (hemicycle) and ``council report`` (electors per seat):
the file is a real SVG or PNG whose shapes are the view's figures."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli.main import app as cli

runner = CliRunner()
PETROGRAD = "Petrograd Soviet"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("plots") / "demo.db")
    result = runner.invoke(cli, ["--db", path, "demo"])
    assert result.exit_code == 0, result.output
    return path


def _json(db: str, *args: str) -> dict[str, object]:
    result = runner.invoke(cli, ["--db", db, *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_the_hemicycle_has_one_wedge_per_group_labelled_with_its_seats(
    db: str, tmp_path: Path
) -> None:
    out = tmp_path / "hemicycle.svg"
    result = runner.invoke(cli, ["--db", db, "council", "show", PETROGRAD, "--plot", str(out)])
    assert result.exit_code == 0, result.output
    groups = _json(db, "council", "show", PETROGRAD)["groups"]
    assert isinstance(groups, dict) and len(groups) >= 2
    svg = ET.parse(out).getroot()
    text = out.read_text(encoding="utf-8")
    # The legend names each wedge's group, "Bolshevik 163" and so on (matplotlib draws
    # text as paths and keeps the string in a comment beside them).
    for group, seats in groups.items():
        assert f"{group} {seats}" in text
    wedges = [g for g in svg.iter(f"{SVG}g") if g.get("id", "").startswith("patch_")]
    # one patch per group, plus the axes' background patch and the legend's frame-less box
    assert len(wedges) >= len(groups)


def test_electors_per_seat_is_a_png_with_one_bar_per_constituency(db: str, tmp_path: Path) -> None:
    import matplotlib.image

    out = tmp_path / "electors.png"
    result = runner.invoke(
        cli, ["--db", db, "council", "report", PETROGRAD, "--json", "--plot", str(out)]
    )
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # --json stays clean: the notice goes to stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = matplotlib.image.imread(out)
    assert pixels.shape[0] > 200 and pixels.shape[1] > 200
    assert pixels.std() > 0.01  # not a blank page

    from soviet.adapters.figures import electors_per_seat

    report = _json(db, "council", "report", PETROGRAD)
    figure = electors_per_seat(report)
    bars = figure.axes[0].patches
    constituencies = report["constituencies"]
    assert isinstance(constituencies, list)
    assert len(bars) == len(constituencies)
    assert [round(b.get_height(), 6) for b in bars] == [
        round(c["electors_per_seat"] or 0.0, 6) for c in constituencies
    ]


def test_a_plot_file_of_another_kind_is_one_line_naming_it(db: str, tmp_path: Path) -> None:
    out = tmp_path / "figure.jpg"
    result = runner.invoke(cli, ["--db", db, "council", "show", PETROGRAD, "--plot", str(out)])
    assert result.exit_code == 2
    assert "--plot" in result.output and "figure.jpg" in result.output
    assert not out.exists()


def test_group_strength_has_one_line_per_group_following_the_congress(tmp_path: Path) -> None:
    db = str(tmp_path / "congress.db")
    assert runner.invoke(cli, ["--db", db, "demo", "second-congress"]).exit_code == 0
    congress = _json(db, "congress", "list")["congresses"]
    assert isinstance(congress, list)
    name = congress[0]["name"]
    out = tmp_path / "groups.svg"
    result = runner.invoke(cli, ["--db", db, "congress", "show", name, "--plot", str(out)])
    assert result.exit_code == 0, result.output
    ET.parse(out)  # well-formed SVG

    from soviet.adapters.figures import group_strength

    history = _json(db, "congress", "show", name)["group_history"]
    assert isinstance(history, list) and len(history) >= 2
    lines = {
        line.get_label(): list(line.get_ydata()) for line in group_strength(history).axes[0].lines
    }
    groups = {g for step in history for g in step["sizes"]}
    assert set(lines) == groups
    for group, ys in lines.items():
        assert ys == [step["sizes"].get(group, 0) for step in history]
