"""``soviet assembly`` and ``soviet lag`` end to end on SQLite: the CLI builds the same
commands as the API, refusals are one line with exit 2 and write nothing, ``--json`` is
the view's shape, ``--csv`` its rows, ``--plot`` a figure (issue 12)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.domain.rules import Candidate

runner = CliRunner()
D = dt.date(1917, 11, 12)  # illustrative dates throughout


def soviet(db: str, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["--db", db, *args])
    return r.exit_code, r.output


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A council whose majority shifts on D+2 (SR 2, B 2 -> B 4, SR 2) and an assembly of
    4 seats (SR 3, B 1) built through the CLI."""
    path = str(tmp_path / "a.db")
    service = open_service(path, initialise=True)
    h = lambda c: service.handle(c, "t")  # noqa: E731
    h(cmd.CreateCouncil(name="Soviet", seat_rule={"method": "per-unit", "per": 1000}))
    h(cmd.CreateConstituency(name="Mill", council="Soviet", headcount=4000))
    h(cmd.CreateConstituency(name="Works", council="Soviet", headcount=2000))
    c = Candidate
    h(cmd.ElectDelegates(constituency="Mill", date=D, method="block",
                         candidates=[c("s1", "SR", 9), c("s2", "SR", 8), c("b1", "B", 7),
                                     c("b2", "B", 6)]))  # fmt: skip
    h(cmd.ElectDelegates(constituency="Works", date=D + dt.timedelta(days=2), method="block",
                         candidates=[c("b3", "B", 5), c("b4", "B", 4)]))  # fmt: skip
    steps = [
        ["assembly", "create", "CA", "--district", "North=4", "--closing", "1917-09-20",
         "--term-days", "30", "--opening-quorum", "3", "--date", "1917-08-01"],
        ["assembly", "register-list", "CA", "--party", "SR", "--district", "North",
         *[f"--candidate=r{i}" for i in range(1, 5)], "--date", "1917-09-20"],
        ["assembly", "register-list", "CA", "--party", "B", "--district", "North",
         *[f"--candidate=x{i}" for i in range(1, 5)], "--date", "1917-09-20"],
        ["assembly", "votes", "CA", "--district", "North", "--votes", "SR=700",
         "--votes", "B=300", "--date", "1917-11-12"],
        ["assembly", "allocate", "CA", "--date", "1917-11-12"],
    ]  # fmt: skip
    for step in steps:
        code, out = soviet(path, *step)
        assert code == 0, out
    return path


def test_show_after_a_split_and_a_refused_opening(db: str, tmp_path: Path) -> None:
    code, out = soviet(db, "assembly", "split", "CA", "--party", "SR",
                       "--member", "r1=Right SR", "--member", "r2=Right SR",
                       "--member", "r3=Left SR", "--date", "1917-11-20")  # fmt: skip
    assert code == 0, out
    assert "split of SR attributed (event 11)" in out
    before = open_service(db).last_seq()
    code, out = soviet(db, "assembly", "open", "CA", "--present", "2", "--date", "1917-11-28")
    assert code == 2
    assert "assembly 'CA' cannot open on 1917-11-28: 2 deputies present, 3 needed" in out
    assert open_service(db).last_seq() == before  # a refusal writes nothing
    code, out = soviet(db, "assembly", "open", "CA", "--present", "3", "--date", "1917-11-29")
    assert code == 0 and "CA opened with 3 deputies present" in out
    code, out = soviet(db, "assembly", "show", "CA", "--json", "--plot", str(tmp_path / "h.svg"))
    assert code == 0, out
    report = json.loads(out[out.index("{") :])
    assert report["seats_by_list"] == {"SR": 3, "B": 1}
    assert report["seats_by_group"] == {"Right SR": 2, "B": 1, "Left SR": 1}
    assert report["members"] == {"North": {"SR": ["r1", "r2", "r3"], "B": ["x1"]}}
    assert (report["opened_on"], report["present_at_opening"], report["recall"]) == (
        "1917-11-29",
        3,
        False,
    )
    assert report["term_ends"] == "1917-12-12" and report["vacant"] == 0
    assert "<svg" in (tmp_path / "h.svg").read_text()


def test_lists_are_frozen_and_bad_tokens_name_the_option(db: str) -> None:
    late = ["--party", "Left SR", "--district", "North", "--candidate", "k1"]
    code, out = soviet(db, "assembly", "register-list", "CA", *late, "--date", "1917-11-01")
    assert code == 2
    assert "closed (1917-09-20): lists are frozen" in out
    code, out = soviet(db, "assembly", "create", "X", "--district", "North", "--closing",
                       "1917-09-20", "--date", "1917-08-01")  # fmt: skip
    assert code == 2 and "--district: expected DISTRICT=N, got 'North'" in out
    code, out = soviet(db, "assembly", "votes", "CA", "--district", "North", "--votes",
                       "SR=many", "--date", "1917-11-12")  # fmt: skip
    assert code == 2 and "--votes: 'many' for 'SR' is not a whole number" in out


def test_lag_json_csv_and_plot(db: str, tmp_path: Path) -> None:
    args = ["lag", "CA", "--against", "Soviet", "--from", "1917-11-12", "--to", "1917-11-15"]
    code, out = soviet(db, *args, "--json")
    assert code == 0, out
    report = json.loads(out)
    # day 0: council SR 2, B 2 (50/50) against the assembly's 75/25 -> LH = Gallagher = 25
    assert [r["councils"] for r in report["rows"][:3]] == [
        {"B": 2, "SR": 2},
        {"B": 2, "SR": 2},
        {"B": 4, "SR": 2},
    ]
    assert report["rows"][0]["gallagher"] == 25.0
    # day 2: council 2/3 B: LH = 75 - 33.33 = 41.67; the majorities disagree every day
    assert report["rows"][2]["loosemore_hanby"] == pytest.approx(41.6667, abs=1e-4)
    assert report["rows"][2]["council_majority"] == "B"
    assert report["days"] == 4 and report["days_majorities_disagree"] == 4
    code, out = soviet(db, *args, "--csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4 * 2  # one per day and group
    assert rows[4] == {
        "date": "1917-11-14",
        "group": "SR",
        "assembly_seats": "3",
        "council_seats": "2",
        "seat_difference": f"{3 - 4 * 2 / 6:.2f}",
        "gallagher": f"{report['rows'][2]['gallagher']:.4f}",
        "loosemore_hanby": "41.6667",
        "majorities_disagree": "yes",
    }
    plot = tmp_path / "lag.png"
    code, out = soviet(db, *args, "--plot", str(plot))
    assert code == 0, out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "majorities disagree on 4 of 4 days" in out
    code, out = soviet(db, "lag", "CA", "--against", "Nowhere")
    assert code == 2 and "Nowhere" in out
