"""``soviet minutes`` on the second-congress demo: HTML and PDF carry the views'
motions and tallies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli.main import app

NAME = "Second All-Russian Congress of Soviets"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("minutes") / "m.db")
    assert runner.invoke(app, ["--db", path, "demo", "second-congress"]).exit_code == 0
    return path


def _report(db: str) -> dict:
    out = runner.invoke(app, ["--db", db, "congress", "show", NAME, "--json"])
    assert out.exit_code == 0
    return json.loads(out.stdout)


def _tally(v: dict) -> str:
    return ", ".join(f"{k} {n}" for k, n in v["counts"].items())


def test_html_has_motions_and_tallies(db: str, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    r = runner.invoke(app, ["--db", db, "minutes", NAME, "--out", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    report = _report(db)
    assert report["motions"]
    for m in report["motions"]:
        assert m["title"].replace("'", "&#39;").replace('"', "&#34;") in html
        for v in m["votes"]:
            for k, n in v["counts"].items():
                assert f"<td>{k} {n}</td>" in html


def test_pdf_renders_and_has_text(db: str, tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    out = tmp_path / "m.pdf"
    r = runner.invoke(app, ["--db", db, "minutes", NAME, "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = pdfium.PdfDocument(str(out))
    image = doc[0].render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "page1.png")
    lo, hi = image.getextrema()
    assert lo < 100 and hi > 200  # ink on paper: not blank
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    text = " ".join(text.split())
    for m in _report(db)["motions"]:
        assert " ".join(m["title"].split())[:30] in text
        for v in m["votes"]:
            assert _tally(v) in text


def test_bad_out_is_one_line_exit_2(db: str) -> None:
    r = runner.invoke(app, ["--db", db, "minutes", NAME, "--out", "m.txt"])
    assert r.exit_code == 2
    assert "--out" in r.output and "m.txt" in r.output
