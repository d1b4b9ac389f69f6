"""The lag of a list assembly behind councils, hand-worked (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.domain.factories import run

from soviet.domain import assembly_rules as ar
from soviet.domain import rules
from soviet.domain.errors import DomainError
from soviet.domain.model import Organisation
from soviet.views.assembly import council_strength, lag

D = dt.date(1917, 11, 12)  # illustrative


def world() -> Organisation:
    """An assembly of 4 seats (SR 3, B 1) and a council of 4 seats (SR 2, B 2)."""
    org = Organisation()
    run(org, lambda o: rules.create_council(o, "Soviet", {"method": "per-unit", "per": 1000}))
    run(org, lambda o: rules.create_constituency(o, "Mill", "Soviet", headcount=4000))
    c = rules.Candidate
    run(
        org,
        lambda o: rules.elect(
            o,
            "Mill",
            [c("s1", "SR", 900), c("s2", "SR", 800), c("b1", "B", 700), c("b2", "B", 600)],
            D,
            method="block",
        ),
    )
    run(
        org,
        lambda o: ar.create_assembly(
            o, "CA", {"North": 4}, {"method": "dhondt"}, "district", "closed", D, 30, D
        ),
    )
    run(org, lambda o: ar.register_list(o, "CA", "SR", "North", ["r1", "r2", "r3", "r4"], D))
    run(org, lambda o: ar.register_list(o, "CA", "B", "North", ["x1", "x2", "x3", "x4"], D))
    run(org, lambda o: ar.record_list_votes(o, "CA", "North", {"SR": 700, "B": 300}, None, D))
    run(org, lambda o: ar.allocate_seats(o, "CA", D))
    return org


def test_assembly_composition_is_dhondt() -> None:
    org = world()
    # D'Hondt 700/300 for 4: 700, 350, 300, 233 -> SR 3, B 1
    assert org.assemblies["CA"].seats == {"SR": 3, "B": 1}
    assert org.assemblies["CA"].members == {"North": {"SR": ["r1", "r2", "r3"], "B": ["x1"]}}


def test_lag_hand_worked_and_shift() -> None:
    org = world()
    # council 2-2 against assembly 3-1: shares 50/50 vs 75/25
    # LH = (25 + 25) / 2 = 25; Gallagher = sqrt((625 + 625) / 2) = 25
    # the two SR delegates leave on D+2 (recalled; replacements are Bolsheviks on D+2)
    for d in org.delegates.values():
        if d.group == "SR":
            d.status, d.left_on = "recalled", D + dt.timedelta(days=2)
    c = rules.Candidate
    run(org, lambda o: rules.elect(o, "Mill", [c("b3", "B", 5), c("b4", "B", 4)],
                                   D + dt.timedelta(days=2), method="block"))  # fmt: skip
    report = lag(org, "CA", ["Soviet"], D, D + dt.timedelta(days=3))
    assert report["days"] == 4
    day0 = report["rows"][0]
    assert day0["councils"] == {"B": 2, "SR": 2}
    assert day0["gallagher"] == 25.0 and day0["loosemore_hanby"] == 25.0
    assert day0["seat_difference"] == {"SR": 1.0, "B": -1.0}
    assert day0["council_majority"] is None and day0["assembly_majority"] == "SR"
    assert day0["majorities_disagree"] is True
    day2 = report["rows"][2]
    # council all B (100/0) vs assembly 75/25: LH = 75, Gallagher = 75
    assert day2["councils"] == {"B": 4}
    assert day2["loosemore_hanby"] == 75.0 and day2["gallagher"] == 75.0
    assert day2["seat_difference"] == {"SR": 3.0, "B": -3.0}
    assert report["days_majorities_disagree"] == 4


def test_lag_after_split_by_positions() -> None:
    org = world()
    # the SR list split after closing: positions 1 and 3 Left SR, 2 and 4 Right SR
    run(
        org,
        lambda o: ar.attribute_split(
            o, "CA", "SR", "positions", ["LSR", "RSR"], D + dt.timedelta(days=1),
            positions={"LSR": [1, 3], "RSR": [2, 4]},
        ),
    )  # fmt: skip
    assert org.assemblies["CA"].group_seats() == {"LSR": 2, "B": 1, "RSR": 1}
    report = lag(org, "CA", ["Soviet"], D + dt.timedelta(days=1), D + dt.timedelta(days=1))
    # from the day of the split: council SR 2, B 2 vs LSR 2, B 1, RSR 1:
    # shares SR 50/0, B 50/25, LSR 0/50, RSR 0/25
    # LH = (50 + 25 + 50 + 25) / 2 = 75
    assert report["rows"][0]["loosemore_hanby"] == 75.0


def test_strength_counts_only_sitting_on_the_day() -> None:
    org = world()
    assert council_strength(org, ["Soviet"], D - dt.timedelta(days=1)) == {}
    assert council_strength(org, ["Soviet"], D) == {"B": 2, "SR": 2}


def test_lag_refuses_reversed_range_and_unknown_council() -> None:
    org = world()
    with pytest.raises(DomainError, match="before from") as e:
        lag(org, "CA", ["Soviet"], D, D - dt.timedelta(days=1))
    assert e.value.field == "to"
    with pytest.raises(DomainError, match="unknown council 'Nowhere'"):
        lag(org, "CA", ["Nowhere"])


def test_the_house_each_day_follows_recalls_and_the_split() -> None:
    """Recall on D+1 (r3), split attributed on D+2 (r1 Right SR, r2 Left SR): by groups,
    the house is SR 3, B 1 on D; SR 2, B 1 on D+1; Right SR 1, Left SR 1, B 1 on D+2."""
    org = world()
    run(org, lambda o: ar.empower_recall(o, "CA", "Soviet", ["Soviet"], D))
    run(org, lambda o: ar.recall_member(o, "CA", "r3", "Soviet", D + dt.timedelta(days=1)))
    run(
        org,
        lambda o: ar.attribute_split(
            o, "CA", "SR", "affiliation", ["Right SR", "Left SR"], D + dt.timedelta(days=2),
            affiliation={"r1": "Right SR", "r2": "Left SR", "r3": "Right SR"},
        ),
    )  # fmt: skip
    report = lag(org, "CA", ["Soviet"], D, D + dt.timedelta(days=2))
    assert [r["assembly"] for r in report["rows"]] == [
        {"SR": 3, "B": 1},
        {"SR": 2, "B": 1},
        {"B": 1, "Left SR": 1, "Right SR": 1},
    ]
    # D+1: council 2-2 (50/50) against SR 2/3, B 1/3: LH = 16.67; the assembly SR majority
    assert report["rows"][1]["loosemore_hanby"] == pytest.approx(16.6667, abs=1e-4)
    assert report["rows"][1]["assembly_majority"] == "SR"
    # D+2: no group holds a majority of the assembly, nor of the council: they agree
    assert report["rows"][2]["assembly_majority"] is None
    assert report["rows"][2]["majorities_disagree"] is False
    by_list = lag(org, "CA", ["Soviet"], D, D + dt.timedelta(days=2), by="lists")
    assert by_list["rows"][2]["assembly"] == {"SR": 2, "B": 1}
    assert by_list["assembly_seats"] == {"SR": 2, "B": 1}
    with pytest.raises(DomainError, match="by 'parties' is not one of groups, lists"):
        lag(org, "CA", ["Soviet"], D, D, by="parties")
