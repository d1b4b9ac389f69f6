"""Instant-runoff: simple worked examples and properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.count.ballots import RankedBallots
from soviet.count.irv import irv
from soviet.count.ties import Lot


def ballots(spec: list[tuple[int, str]], candidates: str = "ABCD", **kw: object) -> RankedBallots:
    return RankedBallots.from_rankings(
        list(candidates),
        [list(r) for _, r in spec],
        [n for n, _ in spec],
        **kw,  # type: ignore[arg-type]
    )


def test_majority_in_first_round() -> None:
    r = irv(ballots([(6, "AB"), (4, "BA")], "AB"))
    assert r.elected == ["A"]
    assert len(r.rounds) == 1
    assert r.rounds[0]["threshold"] == 6


def test_classic_transfer_changes_winner() -> None:
    # Tennessee capital example (Wikipedia, "Instant-runoff voting"):
    # 42 M>N>C>K, 26 N>C>K>M, 15 C>K>N>M, 17 K>C>N>M -> Knoxville is the IRV winner.
    b = ballots([(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")], "MNCK")
    r = irv(b)
    # Round 1: M 42, N 26, C 15, K 17 -> C out, to K: K 32.
    # Round 2: M 42, N 26, K 32 -> N out, to K (N>C>K): K 58 > 50.
    assert r.elected == ["K"]
    assert [x["excluded"] for x in r.rounds] == [["C"], ["N"], []]
    assert r.rounds[1]["votes"] == {"M": 42, "N": 26, "C": 0, "K": 32}
    assert r.rounds[2]["votes"]["K"] == 58


def test_exhausted_ballots_lower_the_majority() -> None:
    # 4 A, 3 B, 2 C (C voters rank nobody else): C out, 2 exhausted; A 4 of 7 in play wins.
    r = irv(ballots([(4, "A"), (3, "B"), (2, "C")], "ABC"))
    assert r.elected == ["A"]
    assert r.rounds[1]["exhausted"] == 2
    assert r.rounds[1]["threshold"] == 4


def test_exclusion_tie_uses_earlier_round_then_lot() -> None:
    # Round 1: A 5, B 3, C 2, D 2 -> C/D tie at every round -> lot, logged.
    b = ballots([(5, "A"), (3, "BA"), (2, "CB"), (2, "DB")])
    r = irv(b, lot=Lot(11))
    assert r.tie_breaks[0]["purpose"] == "exclusion"
    assert sorted(r.tie_breaks[0]["tied"]) == ["C", "D"]
    assert r.seed == 11
    # After one of C/D goes, B 5 vs A 5 ... the other goes, B 7 > A 5.
    assert r.elected == ["B"]
    # Tie resolved by the earlier round: B and C tie at 4 in round 2, B had fewer in round 1.
    b2 = ballots([(6, "A"), (3, "B"), (4, "C"), (1, "DB"), (1, "E")], "ABCDE")
    r2 = irv(b2)
    assert r2.rounds[0]["excluded"] in (["D"], ["E"])


def test_withdrawn_and_empty_ballots() -> None:
    b = ballots([(3, "AB"), (2, "B"), (1, "C")], "ABC", withdrawn=["A"])
    r = irv(b)
    assert r.elected == ["B"]
    assert r.details["withdrawn"] == ["A"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 30), st.permutations("ABCDE"), st.integers(0, 5)),
        min_size=1,
        max_size=30,
    ),
    st.integers(0, 3),
)
def test_irv_properties(rows: list[tuple[int, list[str], int]], seed: int) -> None:
    b = RankedBallots.from_rankings(
        list("ABCDE"), [p[:k] for _, p, k in rows], [w for w, _, _ in rows]
    )
    r = irv(b, lot=Lot(seed))
    valid = r.details["valid"]
    if valid == 0:
        assert r.elected == []
        return
    assert len(r.elected) == 1
    last = r.rounds[-1]
    winner = r.elected[0]
    others = [v for k, v in last["votes"].items() if k != winner]
    assert last["votes"][winner] >= last["threshold"] or all(v == 0 for v in others)
    for x in r.rounds:
        assert sum(x["votes"].values()) + x["exhausted"] == valid
    assert irv(b, lot=Lot(seed)).to_json() == r.to_json()
