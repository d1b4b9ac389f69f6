"""The hemicycle's and the bar charts' geometry (pure functions)."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from soviet.adapters.web.charts import Seat, bars, hemicycle, stacked


def _gap(a: Seat, b: Seat) -> float:
    return math.hypot(a.x - b.x, a.y - b.y) - a.r - b.r


@pytest.mark.parametrize("n", [1, 2, 3, 7, 25, 101, 306, 695, 1000])
def test_every_seat_is_placed_inside_the_half_ring_without_overlap(n: int) -> None:
    seats = hemicycle(n)
    assert len(seats) == n
    for s in seats:
        assert s.y <= 0
        assert 0.4 - 1e-9 <= math.hypot(s.x, s.y) <= 1 + 1e-9
        assert s.x - s.r >= -1 and s.x + s.r <= 1
    gaps = (_gap(a, b) for i, a in enumerate(seats) for b in seats[i + 1 :])
    assert min(gaps, default=1.0) > 0


def test_seats_run_left_to_right_so_groups_make_wedges() -> None:
    seats = hemicycle(306)
    angles = [math.atan2(-s.y, s.x) for s in seats]
    assert all(a >= b - 1e-3 for a, b in pairwise(angles))  # coordinates are rounded
    assert seats[0].x < 0 < seats[-1].x


def test_no_seats_draws_nothing_and_one_seat_sits_in_the_middle() -> None:
    assert hemicycle(0) == []
    (only,) = hemicycle(1)
    assert only.x == 0 and only.y < 0


def test_more_seats_need_more_rings() -> None:
    def rings(n: int) -> int:
        return len({round(math.hypot(s.x, s.y), 3) for s in hemicycle(n)})

    assert rings(10) < rings(306) < rings(1000)


def test_bars_are_scaled_to_the_longest() -> None:
    shown = bars([("a", 2.0), ("b", 0.5), ("c", None)])
    assert [(b.label, b.value, b.length) for b in shown] == [
        ("a", 2.0, 1.0),
        ("b", 0.5, 0.25),
        ("c", 0.0, 0.0),
    ]
    assert bars([("z", 0.0)])[0].length == 0.0


def test_stacked_bars_keep_the_order_and_share_one_scale() -> None:
    rows = [{"B": 2}, {"B": 2, "A": 1, "Z": 0}, {"C": 1, "A": 3, "B": 4}]
    first, second, third = stacked(rows, ["A", "B"])
    assert [(s.key, s.value, s.start, s.length) for s in first] == [("B", 2, 0.0, 0.25)]
    assert [s.key for s in second] == ["A", "B"]  # the empty Z is left out
    assert [(s.key, s.start) for s in third] == [("A", 0.0), ("B", 0.375), ("C", 0.875)]
    assert third[-1].start + third[-1].length == 1.0
    assert stacked([], ["A"]) == []
