"""Scottish STV and Meek: worked examples computed by hand, and properties."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.count.ballots import RankedBallots
from soviet.count.stv import SCALE, stv_meek, stv_scottish
from soviet.count.ties import Lot


def ballots(spec: list[tuple[int, str]], candidates: str = "ABCD") -> RankedBallots:
    """``[(count, "ABC"), ...]`` -> grouped ballots over single-letter candidates."""
    return RankedBallots.from_rankings(
        list(candidates), [list(r) for _, r in spec], [n for n, _ in spec]
    )


# Worked example 1 (by hand, SSI 2007/42 rules 46-52), 2 seats, 21 valid ballots.
#   8 A>B, 2 A>C, 1 A, 4 B, 3 C, 3 D>C
# Rule 46: quota = floor(21 / 3) + 1 = 8.
# Stage 1: A 11, B 4, C 3, D 3 -> A elected (11 >= 8), surplus 3.
# Stage 2 (rule 48): transfer value = 3 x 1 / 11 = 0.272727... -> 0.27272 (5 decimals,
#   remainder ignored). B +8 x 0.27272 = 2.18176 -> 6.18176; C +2 x 0.27272 = 0.54544
#   -> 3.54544; the paper "A" is non-transferable: 0.27272 exhausted; A keeps 8.
#   Loss from truncation: 3 - 2.18176 - 0.54544 - 0.27272 = 0.00008.
# Stage 3 (rule 50): no surplus; D (3) is lowest, 3 papers go to C at value 1 -> C 6.54544.
# Stage 4 (rule 50): one vacancy, two continuing: B (6.18176) is lowest and excluded; all
#   of B's papers are non-transferable (4 at value 1, 8 at 0.27272): exhausted 6.45448.
# Rule 52(1): one continuing candidate (C) for one vacancy -> C deemed elected.
EXAMPLE_1 = [(8, "AB"), (2, "AC"), (1, "A"), (4, "B"), (3, "C"), (3, "DC")]
# Worked example 2: the same but D's voters go on to B: stage 3 gives B 9.18176 >= 8.
EXAMPLE_2 = [(8, "AB"), (2, "AC"), (1, "A"), (4, "B"), (3, "C"), (3, "DB")]


def test_scottish_worked_example_surplus_truncation_and_last_vacancy() -> None:
    r = stv_scottish(ballots(EXAMPLE_1), 2)
    assert r.elected == ["A", "C"]
    assert r.details["quota"] == 8
    assert [x["action"] for x in r.rounds] == [
        "first preferences",
        "surplus of A",
        "exclusion of D",
        "exclusion of B",
    ]
    assert r.rounds[0]["votes"] == {"A": 11.0, "B": 4.0, "C": 3.0, "D": 3.0}
    assert r.rounds[1]["votes"] == {"A": 8.0, "B": 6.18176, "C": 3.54544, "D": 3.0}
    assert r.rounds[1]["transfers"] == {"A": -3.0, "B": 2.18176, "C": 0.54544}
    assert r.rounds[1]["exhausted"] == 0.27272
    assert r.rounds[1]["loss"] == 0.00008
    assert r.rounds[2]["votes"]["C"] == 6.54544
    assert r.rounds[2]["excluded"] == ["D"]
    assert r.rounds[3]["excluded"] == ["B"]
    assert r.rounds[3]["exhausted"] == 6.45448
    assert r.rounds[3]["votes"]["C"] == 6.54544
    assert r.rounds[3]["last_vacancies"] == ["C"]
    assert r.details["elected_by"] == {"A": "quota", "C": "last vacancies"}
    assert r.details["conservation"]["balanced"]


def test_scottish_worked_example_quota_after_exclusion() -> None:
    r = stv_scottish(ballots(EXAMPLE_2), 2)
    assert r.elected == ["A", "B"]
    assert r.rounds[2]["votes"]["B"] == 9.18176
    assert r.rounds[2]["elected"] == ["B"]
    assert r.details["elected_by"] == {"A": "quota", "B": "quota"}
    assert r.tie_breaks == []


def test_food_election_textbook_example() -> None:
    # The classic STV illustration (Wikipedia, "Single transferable vote"): 20 voters,
    # 3 seats, Droop quota 6; the published winners are Chocolate, Oranges, Strawberries.
    b = RankedBallots.from_rankings(
        ["Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"],
        [
            ["Oranges"],
            ["Pears", "Oranges"],
            ["Chocolate", "Strawberries"],
            ["Chocolate", "Hamburgers"],
            ["Strawberries"],
            ["Hamburgers"],
        ],
        [4, 2, 8, 4, 1, 1],
    )
    r = stv_scottish(b, 3)
    assert r.elected == ["Chocolate", "Oranges", "Strawberries"]
    # Chocolate's surplus of 6 splits 4 : 2 (transfer value 6/12 = 0.5 exactly).
    assert r.rounds[1]["transfers"] == {"Chocolate": -6.0, "Strawberries": 4.0, "Hamburgers": 2.0}
    m = stv_meek(b, 3)
    assert sorted(m.elected) == sorted(r.elected)


def test_surplus_value_when_received_is_used_for_second_transfer() -> None:
    # A's surplus reaches B at a fraction; B's own surplus then passes those papers at
    # surplus x value-when-received / total (rule 48(3)-(4)), not at surplus / total.
    # 3 seats, 46 ballots, quota floor(46/4)+1 = 12.
    # Stage 1: A 20 elected (surplus 8), B 9, C 6, D 6, E 5.
    # Stage 2: TV = 8 x 1 / 20 = 0.4: B +12 x 0.4 = 4.8 -> 13.8 (elected), C +8 x 0.4 -> 9.2.
    # Stage 3: B's surplus 1.8 of 13.8: B's first-preference papers at 1.8/13.8 = 0.130434..
    #   -> 0.13043; the 12 papers received from A at 1.8 x 0.4 / 13.8 = 0.0521739.. -> 0.05217.
    #   To D: 9 x 0.13043 + 12 x 0.05217 = 1.17387 + 0.62604 = 1.79991 -> D 7.79991;
    #   loss 0.00009.
    # Stage 4: E (5) excluded, non-transferable -> exhausted 5.
    # Stage 5: one vacancy, C 9.2 and D 7.79991 continuing: D excluded, all of D's papers
    #   non-transferable -> exhausted 12.79991. Rule 52(1): C alone for one vacancy.
    spec = [(12, "ABD"), (8, "AC"), (9, "BD"), (6, "C"), (6, "D"), (5, "E")]
    r = stv_scottish(ballots(spec, "ABCDE"), 3)
    assert r.rounds[1]["votes"]["B"] == 13.8
    assert r.rounds[2]["action"] == "surplus of B"
    assert r.rounds[2]["transfers"] == {"B": -1.8, "D": 1.79991}
    assert r.rounds[2]["loss"] == 0.00009
    assert r.rounds[3]["excluded"] == ["E"] and r.rounds[3]["exhausted"] == 5.0
    assert r.rounds[4]["excluded"] == ["D"] and r.rounds[4]["exhausted"] == 12.79991
    assert r.elected == ["A", "B", "C"]
    assert r.details["elected_by"]["C"] == "last vacancies"


def test_exclusion_tie_broken_by_earlier_stage_then_lot() -> None:
    # C and D tie at 3 after A's surplus? Construct: C and D equal now, unequal at stage 1.
    # Stage 1: A 9 (quota 6 for 2 seats of 17), B 2, C 4, D 2 ... then surplus 3 to D.
    spec = [(6, "AD"), (3, "A"), (2, "B"), (4, "C"), (2, "D")]
    # 17 ballots, quota floor(17/3)+1 = 6. A 9, surplus 3, TV 3/9 = 0.33333:
    # D gets 6 x 0.33333 = 1.99998 -> 3.99998; C 4; B 2 -> B excluded (no tie here).
    r = stv_scottish(ballots(spec), 2)
    assert r.rounds[2]["excluded"] == ["B"]
    # Pure tie at every stage -> lot, logged with the seed.
    spec2 = [(5, "A"), (2, "B"), (2, "C"), (1, "D"), (1, "E")]
    r2 = stv_scottish(ballots(spec2, "ABCDE"), 2, lot=Lot(7))
    assert r2.tie_breaks and r2.tie_breaks[0]["purpose"] == "exclusion"
    assert r2.seed == 7
    again = stv_scottish(ballots(spec2, "ABCDE"), 2, lot=Lot(7))
    assert again.elected == r2.elected and again.rounds == r2.rounds


def test_rule_52_has_no_unbeatable_leader_shortcut() -> None:
    # SSI 2007/42 r. 52 ends the count only when the continuing candidates equal the
    # vacancies (the "one vacancy, votes exceed all others plus surplus" clause is Irish,
    # Electoral Act 1992 s. 124(2)). 1 seat, 8 ballots, quota floor(8/2)+1 = 5.
    #   4 A, 3 B>A, 1 C>B. Stage 1: A 4, B 3, C 1 (A >= B + C, but below the quota).
    # Stage 2 (r. 50): C excluded, its paper to B -> A 4, B 4.
    # Stage 3 (r. 50-51): A and B tie at 4; at the most recent preceding stage where they
    #   differed (stage 1) B had fewer -> B excluded; 3 papers to A at value 1, 1 paper
    #   non-transferable -> A 7 >= 5, elected on the quota (r. 47).
    r = stv_scottish(ballots([(4, "A"), (3, "BA"), (1, "CB")], "ABC"), 1)
    assert r.elected == ["A"]
    assert [x["action"] for x in r.rounds] == [
        "first preferences",
        "exclusion of C",
        "exclusion of B",
    ]
    assert r.rounds[0]["elected"] == []
    assert r.rounds[2]["votes"] == {"A": 7.0, "B": 0.0, "C": 0.0}
    assert r.rounds[2]["exhausted"] == 1.0
    assert r.details["elected_by"] == {"A": "quota"}
    assert r.tie_breaks == []
    assert r.details["ties_by_earlier_rounds"] == [
        {"purpose": "exclusion", "tied": ["A", "B"], "chosen": "B", "by": "earlier rounds"}
    ]


def test_rule_52_elects_without_transferring_a_pending_surplus() -> None:
    # 2 seats, 20 ballots, quota floor(20/3)+1 = 7. 6 A, 6 B, 5 C>A, 3 D.
    # Stage 1: nobody reaches 7. Stage 2: D (3) excluded, papers non-transferable.
    # Stage 3: C (5) excluded, 5 papers to A -> A 11, elected with a surplus of 4.
    # Now one continuing candidate (B) for one vacancy: r. 52(1) elects B and r. 52(2)
    # forbids any further transfer, so A's surplus stays where it is.
    r = stv_scottish(ballots([(6, "A"), (6, "B"), (5, "CA"), (3, "D")]), 2)
    assert r.elected == ["A", "B"]
    assert [x["action"] for x in r.rounds] == [
        "first preferences",
        "exclusion of D",
        "exclusion of C",
    ]
    assert r.rounds[2]["votes"]["A"] == 11.0
    assert r.rounds[2]["elected"] == ["A", "B"]
    assert r.details["elected_by"] == {"A": "quota", "B": "last vacancies"}


# Worked example 3 (rules 49-51), 3 seats, 40 ballots, quota floor(40/4)+1 = 11.
#   10 A>D, 2 X>A>D, 9 B>E>D, 3 X>B>E>D, 8 D, 8 E>D
# Stage 1: A 10, B 9, D 8, E 8, X 5; nobody reaches 11.
# Stage 2 (r. 50): X excluded: 2 papers to A, 3 to B at value 1 -> A 12, B 12, both elected.
# Stage 3 (r. 49): the surpluses are equal (1 and 1); at the most recent preceding stage at
#   which A and B were unequal (stage 1) A had more, so A's surplus goes first:
#   TV = 1 x 1 / 12 = 0.08333 (r. 48(3)); 12 papers to D -> D 8.99996.
# Stage 4: B's surplus, same value: 12 papers to E -> E 8.99996. Loss 2 x 0.00004.
# Stage 5 (r. 50-51): D and E tie; at the most recent preceding stage where they differed
#   (stage 3, D 8.99996 v E 8; at stages 1-2 they were level) E had fewer -> E excluded.
#   Rule 50(4): E's 8 first preferences go to D at value one and the 12 papers received
#   from B at their transfer value 0.08333, all in this one stage -> D 17.99992, elected.
# Had B's surplus gone first, D would have been the one excluded and E elected.
EXAMPLE_3 = [(10, "AD"), (2, "XAD"), (9, "BED"), (3, "XBED"), (8, "D"), (8, "ED")]


def test_equal_surpluses_by_most_recent_unequal_stage_and_exclusion_values() -> None:
    r = stv_scottish(ballots(EXAMPLE_3, "ABDEX"), 3)
    assert r.details["quota"] == 11
    assert [x["action"] for x in r.rounds] == [
        "first preferences",
        "exclusion of X",
        "surplus of A",
        "surplus of B",
        "exclusion of E",
    ]
    assert r.rounds[1]["votes"] == {"A": 12.0, "B": 12.0, "D": 8.0, "E": 8.0, "X": 0.0}
    assert r.rounds[2]["transfers"] == {"A": -1.0, "D": 0.99996}
    assert r.rounds[3]["transfers"] == {"B": -1.0, "E": 0.99996}
    assert r.rounds[4]["transfers"] == {"D": 8.99996, "E": -8.99996}
    assert r.rounds[4]["votes"]["D"] == 17.99992
    assert r.rounds[4]["loss"] == 0.00008 and r.rounds[4]["exhausted"] == 0.0
    assert r.elected == ["A", "B", "D"]
    assert r.details["elected_by"] == {"A": "quota", "B": "quota", "D": "quota"}
    assert r.tie_breaks == []
    by_purpose = {t["purpose"]: t["chosen"] for t in r.details["ties_by_earlier_rounds"]}
    assert by_purpose == {"order of election": "A", "order of surpluses": "A", "exclusion": "E"}


def test_exclusion_tie_uses_most_recent_unequal_stage_not_the_first() -> None:
    # Rule 51(2)(a): the most recently preceding stage at which the tied candidates had
    # unequal votes decides. 1 seat, 21 ballots, quota floor(21/2)+1 = 11.
    #   7 L, 5 P>Q, 4 Q>L, 1 Y>P>Q, 2 Y, 2 Z>Q>L
    # Stage 1: L 7, P 5, Q 4, Y 3, Z 2.  Stage 2: Z excluded -> Q 6 (P 5).
    # Stage 3: Y excluded, 1 paper to P, 2 non-transferable -> P 6, Q 6.
    # Stage 4: P and Q tie for exclusion. At stage 2 P had fewer (5 v 6) -> P excluded
    #   (the first stage, where Q had fewer, is not the one that counts). P's 6 papers go
    #   to Q -> Q 12, elected. Looking at stage 1 instead would exclude Q and elect L.
    spec = [(7, "L"), (5, "PQ"), (4, "QL"), (1, "YPQ"), (2, "Y"), (2, "ZQL")]
    r = stv_scottish(ballots(spec, "LPQYZ"), 1)
    assert [x["excluded"] for x in r.rounds[1:]] == [["Z"], ["Y"], ["P"]]
    assert r.rounds[2]["votes"] == {"L": 7.0, "P": 6.0, "Q": 6.0, "Y": 0.0, "Z": 0.0}
    assert r.rounds[3]["votes"]["Q"] == 12.0
    assert r.elected == ["Q"]
    assert r.details["elected_by"] == {"Q": "quota"}
    assert r.tie_breaks == []


def test_equal_surpluses_equal_at_every_stage_go_by_lot() -> None:
    # Rule 49(3): 3 seats, 15 ballots, quota floor(15/4)+1 = 4. A and B both have 5 at the
    # only stage so far, so which surplus goes first is drawn by lot (and logged).
    spec = [(5, "AC"), (5, "BD"), (2, "C"), (2, "D"), (1, "E")]
    r = stv_scottish(ballots(spec, "ABCDE"), 3, lot=Lot(11))
    draws = [d for d in r.tie_breaks if d["purpose"] == "order of surpluses"]
    assert len(draws) == 1 and draws[0]["tied"] == ["A", "B"]
    first = draws[0]["chosen"]
    assert r.rounds[1]["action"] == f"surplus of {first}"
    again = stv_scottish(ballots(spec, "ABCDE"), 3, lot=Lot(11))
    assert again.to_json() == r.to_json()


def test_withdrawn_candidates_are_skipped() -> None:
    b = RankedBallots.from_rankings(
        list("ABC"), [["A", "B"], ["C", "B"], ["B"]], [3, 2, 1], withdrawn=["A"]
    )
    r = stv_scottish(b, 1)
    assert r.elected == ["B"]
    assert "A" not in r.rounds[0]["votes"]
    assert r.details["withdrawn"] == ["A"]


def test_fewer_candidates_than_seats_elects_all() -> None:
    r = stv_scottish(ballots([(3, "AB"), (1, "B")], "AB"), 3)
    assert sorted(r.elected) == ["A", "B"]


def test_meek_keeps_factors_and_states_tolerance() -> None:
    b = ballots(EXAMPLE_2)
    r = stv_meek(b, 2, tolerance=Fraction(1, 10**6))
    assert r.elected == ["A", "B"]
    assert r.details["tolerance"] == "1/1000000"
    assert 0 < r.details["keep_factors"]["A"] < 1
    assert all("quota" in x for x in r.rounds)


def test_meek_transfers_to_elected_candidates_surplus_onwards() -> None:
    # Meek differs from WIGM here: a vote passing through an already-elected candidate
    # keeps only part of its value there. 2 seats, 30 ballots, quota (Meek) ~ 10.
    # 11 A>B>C, 9 B>C, 5 C, 5 D: WIGM elects A, B; Meek too; check it runs and sums add up.
    b = ballots([(11, "ABC"), (9, "BC"), (5, "C"), (5, "D")])
    r = stv_meek(b, 2)
    assert r.elected == ["A", "B"]
    final = r.rounds[-1]
    total = sum(final["votes"].values()) + final["exhausted"]
    assert total == pytest.approx(30, abs=1e-6)


# --------------------------------------------------------------------- properties


@st.composite
def elections(draw: st.DrawFn) -> tuple[RankedBallots, int]:
    n_cand = draw(st.integers(2, 7))
    seats = draw(st.integers(1, n_cand))
    n_rows = draw(st.integers(1, 25))
    rows = []
    for _ in range(n_rows):
        perm = draw(st.permutations(range(n_cand)))
        rows.append(perm[: draw(st.integers(0, n_cand))])
    weights = draw(st.lists(st.integers(1, 40), min_size=n_rows, max_size=n_rows))
    names = [chr(65 + i) for i in range(n_cand)]
    withdrawn = draw(st.sets(st.sampled_from(names), max_size=1))
    b = RankedBallots.from_rankings(
        names, [[names[c] for c in r] for r in rows], weights, withdrawn=withdrawn
    )
    return b, seats


@settings(max_examples=300, deadline=None)
@given(elections(), st.integers(0, 5))
def test_scottish_properties(case: tuple[RankedBallots, int], seed: int) -> None:
    b, seats = case
    r = stv_scottish(b, seats, lot=Lot(seed))
    assert len(r.elected) <= seats
    assert len(set(r.elected)) == len(r.elected)
    assert not set(r.elected) & set(r.details["withdrawn"])
    quota = r.details["quota"]
    for name in r.elected:
        how = r.details["elected_by"][name]
        if how == "quota":
            assert any(x["votes"][name] >= quota and name in x["elected"] for x in r.rounds)
        else:
            assert how == "last vacancies"
    # Conservation, every round: credited + exhausted + loss == valid (exact in 10^-5).
    valid = r.details["valid"]
    for x in r.rounds:
        credited = sum(round(v * SCALE) for v in x["votes"].values())
        assert credited + round(x["exhausted"] * SCALE) + round(x["loss"] * SCALE) == valid * SCALE
    assert r.details["conservation"]["balanced"]
    # Truncation loses less than one unit of 10^-5 per paper and transfer.
    assert r.details["loss"] * SCALE <= len(r.rounds) * b.total
    # A seat is left empty only when too few candidates stood.
    standing = len(b.candidates) - len(b.withdrawn)
    assert len(r.elected) == min(seats, standing)
    # Replays exactly with the same seed.
    assert stv_scottish(b, seats, lot=Lot(seed)).to_json() == r.to_json()


@settings(max_examples=200, deadline=None)
@given(elections(), st.integers(0, 5))
def test_meek_properties(case: tuple[RankedBallots, int], seed: int) -> None:
    b, seats = case
    r = stv_meek(b, seats, lot=Lot(seed))
    standing = len(b.candidates) - len(b.withdrawn)
    assert len(r.elected) == min(seats, standing)
    assert len(set(r.elected)) == len(r.elected)
    for name in r.elected:
        how = r.details["elected_by"][name]
        if how == "quota":
            assert any(name in x["elected"] and x["votes"][name] >= x["quota"] for x in r.rounds)
    for x in r.rounds:
        assert sum(x["votes"].values()) + x["exhausted"] == pytest.approx(
            r.details["valid"], abs=1e-6 * (1 + len(b.weights))
        )


def test_grouping_does_not_change_the_result() -> None:
    rng = np.random.default_rng(3)
    raw = [list(rng.permutation(5)[: rng.integers(1, 6)]) for _ in range(300)]
    names = list("ABCDE")
    grouped = RankedBallots.from_rankings(names, [[names[c] for c in r] for r in raw])
    rows = np.full((300, 5), -1, np.int32)
    for i, r in enumerate(raw):
        rows[i, : len(r)] = r
    ungrouped = RankedBallots(tuple(names), rows, np.ones(300, np.int64))
    for seats in (1, 2, 3):
        a = stv_scottish(grouped, seats)
        c = stv_scottish(ungrouped, seats)
        assert a.elected == c.elected and a.rounds == c.rounds
        assert stv_meek(grouped, seats).elected == stv_meek(ungrouped, seats).elected


def test_scottish_three_way_tie_narrows_to_those_still_level_then_looks_further_back() -> None:
    """Rule 51 with three tied, as decision 0005 reads it. Stage 3: P, Q and R hold 23
    each. At stage 2 (the most recent where they were unequal) P and Q shared the
    lowest, 22 against R's 23: R is out of the tie, and P and Q are compared further
    back, at stage 1, where P had 21 and Q 22: P is excluded. (Droop's rules/scotland.py
    reads it otherwise: at each earlier stage it looks for one candidate lowest among
    all three, so it passes over stage 2, finds R lowest at stage 1 (20) and excludes
    R; counted with Droop 0.11 from the same ballots.)"""
    ballots = RankedBallots.from_rankings(
        ["P", "Q", "R", "W", "X1", "X2"],
        [
            ["R"],
            ["P"],
            ["Q"],
            ["X1", "P"],
            ["X1", "R"],
            ["X2", "P"],
            ["X2", "Q"],
            ["X2", "W"],
            ["W"],
        ],
        [20, 21, 22, 1, 3, 1, 1, 3, 30],
    )
    r = stv_scottish(ballots, 1)
    assert [x["votes"]["P"] for x in r.rounds[:3]] == [21.0, 22.0, 23.0]
    assert [x["votes"]["Q"] for x in r.rounds[:3]] == [22.0, 22.0, 23.0]
    assert [x["votes"]["R"] for x in r.rounds[:3]] == [20.0, 23.0, 23.0]
    assert r.rounds[3]["excluded"] == ["P"]
    assert r.details["ties_by_earlier_rounds"][0] == {
        "purpose": "exclusion",
        "tied": ["P", "Q", "R"],
        "chosen": "P",
        "by": "earlier rounds",
    }
    # The two left level (Q and R, 23 each) are then a two-way tie: at stage 2 Q had 22
    # and R 23, so Q goes; no lot is drawn in the whole count.
    assert r.rounds[4]["excluded"] == ["Q"]
    assert r.tie_breaks == []
