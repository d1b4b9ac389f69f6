"""``soviet minutes`` on the second-congress demo (HTML and PDF carry the views' motions
and tallies) and on the same congress in Russian (cyrillic_congress): the PDF's font,
roll calls, decrees, departures and ``--session``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cyrillic_congress import DECREE, LEFT_SR, ROLL, SOVNARKOM, database
from cyrillic_congress import NAME as CYRILLIC
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


# --- the second congress in Russian: fonts, roll calls, decrees, sittings -------------
@pytest.fixture(scope="module")
def cyrillic(tmp_path_factory: pytest.TempPathFactory) -> str:
    return database(tmp_path_factory.mktemp("cyrillic"))


def _pdf_text(doc: Any) -> str:
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return " ".join(text.split())


def _roll_entries(db: str) -> dict[str, list[str]]:
    """The roll call's delegates by choice, as 'NAME (#N)', from the views' --json."""
    report = runner.invoke(app, ["--db", db, "congress", "show", CYRILLIC, "--json"])
    credentials = runner.invoke(
        app, ["--db", db, "congress", "credentials", CYRILLIC, "list", "--json"]
    )
    names = {str(c["number"]): c["delegate"] for c in json.loads(credentials.stdout)["credentials"]}
    (vote,) = [v for m in json.loads(report.stdout)["motions"] for v in m["votes"] if v["roll"]]
    by_choice: dict[str, list[str]] = {}
    for number, choice in sorted(vote["roll"].items(), key=lambda kv: int(kv[0])):
        by_choice.setdefault(choice, []).append(f"{names[number]} (#{number})")
    return by_choice


def test_pdf_renders_cyrillic_with_decrees_and_roll_call(cyrillic: str, tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    out = tmp_path / "m.pdf"
    r = runner.invoke(app, ["--db", cyrillic, "minutes", CYRILLIC, "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = pdfium.PdfDocument(str(out))
    image = doc[0].render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "page1.png")
    lo, hi = image.getextrema()
    assert lo < 100 and hi > 200  # ink on paper: not blank
    text = _pdf_text(doc)
    # The TrueType font carries the Cyrillic: neither replaced by '?' nor dropped.
    assert f"Minutes of the {CYRILLIC}" in text
    decrees = json.loads(runner.invoke(app, ["--db", cyrillic, "decrees", "--json"]).stdout)
    titles = [d["title"] for d in decrees["decrees"]] + [x["title"] for x in decrees["executive"]]
    assert DECREE in titles and len(titles) == 3
    assert text.index("Decrees") < min(text.rindex(t) for t in titles)
    by_choice = _roll_entries(cyrillic)
    assert set(by_choice) == set(ROLL.values())
    for choice, entries in by_choice.items():
        assert f"{choice} ({len(entries)}):" in text
        for entry in entries:  # every delegate's choice, Cyrillic names included
            assert entry in text
    assert any(e.startswith(LEFT_SR) for e in by_choice["for"])


def test_html_roll_call_and_decrees(cyrillic: str, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    r = runner.invoke(app, ["--db", cyrillic, "minutes", CYRILLIC, "--out", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    for choice, entries in _roll_entries(cyrillic).items():
        assert f"<b>{choice} ({len(entries)}):</b>\n{', '.join(entries)}</p>" in page
    assert f"{SOVNARKOM}, decree 1:\n{DECREE} (Печать); 1917-11-08 draft" in page
    assert "Decree 2: Decree on Land, adopted\n1917-11-08" in page
    assert "70 delegates left" in page


def test_session_keeps_one_sitting_day(cyrillic: str, tmp_path: Path) -> None:
    first, second = tmp_path / "25.html", tmp_path / "26.html"
    args = ["--db", cyrillic, "minutes", CYRILLIC, "--calendar", "julian", "--session"]
    assert runner.invoke(app, [*args, "1917-10-25", "--out", str(first)]).exit_code == 0
    assert runner.invoke(app, [*args, "1917-10-26", "--out", str(second)]).exit_code == 0
    day1, day2 = first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")
    assert "Sitting of 1917-11-07." in day1 and "70 delegates left" in day1
    assert "No motion was tabled or voted on." in day1
    assert 'class="motion"' not in day1 and "Decree" not in day1
    assert "Sitting of 1917-11-08." in day2 and "delegates left" not in day2
    assert day2.count('class="motion"') == 3 and day2.count('class="decree"') == 2
    # attendance at the end of the first day: after the walk-out of 70 (650 + 45 seated)
    assert "Seated 695, present 625" in day1


def test_session_without_business_names_the_day(cyrillic: str, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    r = runner.invoke(
        app,
        ["--db", cyrillic, "minutes", CYRILLIC, "--session", "1917-11-01", "--out", str(out)],
    )
    assert r.exit_code == 2
    assert r.stderr == (
        f"error: --session: {CYRILLIC!r} did nothing on 1917-11-01 "
        "(its sittings: 1917-11-07, 1917-11-08)\n"
    )
    assert not out.exists()
