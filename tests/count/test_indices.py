"""Disproportionality indices: hand-computed values and a check against votelib."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from votelib.crit import proportionality as vp

from soviet.count.apportion import DivisorMethod, PerUnit
from soviet.count.indices import (
    all_indices,
    effective_number_of_parties,
    gallagher,
    loosemore_hanby,
    max_weight_ratio,
    sainte_lague_index,
)

V = {"A": 50, "B": 30, "C": 20}
S = {"A": 6, "B": 3, "C": 1}


def test_known_values_by_hand() -> None:
    # shares in points: votes 50/30/20, seats 60/30/10 -> differences +10, 0, -10
    assert gallagher(V, S) == pytest.approx(10.0)  # sqrt(1/2 (100 + 0 + 100))
    assert loosemore_hanby(V, S) == pytest.approx(10.0)  # 1/2 (10 + 0 + 10)
    assert sainte_lague_index(V, S) == pytest.approx(7.0)  # 100/50 + 0 + 100/20
    assert effective_number_of_parties(V) == pytest.approx(1 / 0.38)
    assert effective_number_of_parties(S) == pytest.approx(1 / 0.46)
    assert max_weight_ratio(V, S) == pytest.approx(0.12 / 0.05)
    assert all_indices(V, S) == pytest.approx(
        {
            "gallagher": 10.0,
            "loosemore_hanby": 10.0,
            "sainte_lague": 7.0,
            "enp_votes": 1 / 0.38,
            "enp_seats": 1 / 0.46,
            "max_weight_ratio": 2.4,
        }
    )


def test_perfect_proportionality_and_edges() -> None:
    assert gallagher({"A": 2, "B": 2}, {"A": 1, "B": 1}) == 0.0
    assert effective_number_of_parties({"A": 1, "B": 1, "C": 1, "D": 1}) == 4.0
    assert effective_number_of_parties({}) == 0.0
    assert max_weight_ratio({"A": 10}, {"A": 1}) == 1.0
    assert sainte_lague_index({"A": 0, "B": 5}, {"A": 1, "B": 1}) == math.inf
    # a unit only in seats counts with 0 votes
    assert loosemore_hanby({"A": 1}, {"A": 1, "B": 1}) == pytest.approx(50.0)


def test_petrograd_distortion() -> None:
    """004:170: big factories (one per 1000) against small workshops (one each)."""
    w = {"big": 120_000, **{f"shop{i}": 150 for i in range(122)}}
    seats = PerUnit(1000).allocate(w).seats
    assert seats["big"] == 120 and sum(seats.values()) == 242
    # a workshop of 150 has 1 seat, the factory 1 per 1000: weight ratio 1000/150
    assert max_weight_ratio(w, seats) == pytest.approx(1000 / 150)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=2, max_size=8), st.integers(1, 40))
def test_agree_with_votelib(vals: list[int], n: int) -> None:
    assume(sum(vals) > 0)
    votes = {f"P{i}": v for i, v in enumerate(vals)}
    seats = DivisorMethod("sainte-lague").allocate(votes, n).seats
    assert gallagher(votes, seats) == pytest.approx(100 * vp.gallagher(votes, seats), abs=1e-9)
    assert loosemore_hanby(votes, seats) == pytest.approx(
        100 * vp.loosemore_hanby(votes, seats), abs=1e-9
    )
    if all(v > 0 for v in vals):
        assert sainte_lague_index(votes, seats) == pytest.approx(
            100 * vp.sainte_lague(votes, seats), rel=1e-9, abs=1e-9
        )
