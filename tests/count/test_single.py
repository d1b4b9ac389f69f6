"""Single-winner methods: published examples, conventions, ties and properties."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.count.ballots import ApprovalBallots, RankedBallots
from soviet.count.single import (
    approval,
    borda,
    continuing_rankings,
    pairwise_matrix,
    plurality,
    ranked_pairs,
    schulze,
    two_round,
)
from soviet.count.ties import Lot

RANKED_METHODS = [plurality, two_round, schulze, ranked_pairs, borda]


def ranked(
    candidates: str | list[str],
    groups: Sequence[tuple[int, str | list[str]]] | Sequence[tuple[int, str]],
    withdrawn: tuple[str, ...] = (),
) -> RankedBallots:
    """Ballots from ``(count, ranking)`` pairs; a ranking string lists one-letter names."""
    return RankedBallots.from_rankings(
        list(candidates),
        [list(r) for _, r in groups],
        [w for w, _ in groups],
        withdrawn=withdrawn,
    )


# --------------------------------------------------------------------------- published


# Wikipedia, "Schulze method", worked example: 45 voters, 5 candidates; winner E.
WIKI_SCHULZE = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]

# Wikipedia's Tennessee capital example (42/26/15/17 per cent).
TN = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
TENNESSEE = [
    (42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
    (26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
    (15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
    (17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
]


def test_wikipedia_schulze_pairwise_and_strongest_paths() -> None:
    result = schulze(ranked("ABCDE", WIKI_SCHULZE))
    assert result.elected == ["E"]
    assert result.method == "schulze"
    # The published matrices d[*,*] and p[*,*] (diagonal shown as 0).
    assert result.details["candidates"] == list("ABCDE")
    assert result.details["pairwise"] == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    assert result.details["strongest_paths"] == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    # The published Schulze order is E > A > C > B > D: path wins 4, 3, 2, 1, 0.
    assert result.details["path_wins"] == {"A": 3, "B": 1, "C": 2, "D": 0, "E": 4}
    assert result.details["winners"] == ["E"]
    assert result.tie_breaks == []


def test_wikipedia_schulze_example_by_ranked_pairs() -> None:
    # Margins worked by hand from the matrix above: B>D 21, E>D 17, A>D 15, C>B 13,
    # D>C 11 (closes C>B>D>C: skipped), E>B 9, A>C 7, B>A 5 (closes A>C>B>A:
    # skipped), C>E 3, E>A 1 (closes A>C>E>A: skipped). A is the only candidate no
    # locked pair points to: on this profile ranked pairs elects A where Schulze
    # elects E (pref_voting's ranked_pairs agrees: {A}).
    result = ranked_pairs(ranked("ABCDE", WIKI_SCHULZE))
    assert result.elected == ["A"]
    steps = [(r["pair"], r["margin"], r["locked"]) for r in result.rounds]
    assert steps == [
        (["B", "D"], 21, True),
        (["E", "D"], 17, True),
        (["A", "D"], 15, True),
        (["C", "B"], 13, True),
        (["D", "C"], 11, False),
        (["E", "B"], 9, True),
        (["A", "C"], 7, True),
        (["B", "A"], 5, False),
        (["C", "E"], 3, True),
        (["E", "A"], 1, False),
    ]
    assert result.details["unbeaten"] == ["A"]


def test_tennessee_all_methods() -> None:
    b = ranked(TN, TENNESSEE)
    assert plurality(b).elected == ["Memphis"]
    assert schulze(b).elected == ["Nashville"]
    assert ranked_pairs(b).elected == ["Nashville"]
    assert borda(b).elected == ["Nashville"]
    # Two-round: no majority (42 of 100), Memphis and Nashville go through; every
    # non-Memphis voter ranks Nashville above Memphis, so Nashville wins 58-42.
    tr = two_round(b)
    assert tr.elected == ["Nashville"]
    assert tr.rounds[0]["finalists"] == ["Memphis", "Nashville"]
    assert tr.rounds[1]["votes"] == {"Memphis": 42, "Nashville": 58}
    assert tr.rounds[1]["abstained"] == 0


def test_tennessee_borda_points_and_ranked_pairs_locks() -> None:
    b = ranked(TN, TENNESSEE)
    # Borda (3-2-1-0): Memphis 126, Nashville 194, Chattanooga 173, Knoxville 107.
    assert borda(b).rounds[0]["points"] == {
        "Memphis": 126,
        "Nashville": 194,
        "Chattanooga": 173,
        "Knoxville": 107,
    }
    rp = ranked_pairs(b)
    # Wikipedia: C>K 83-17 (66), N>C 68-32 and N>K 68-32 (36), then the three 58-42
    # wins over Memphis (16); nothing is skipped.
    assert [(r["pair"], r["margin"]) for r in rp.rounds[:1]] == [(["Chattanooga", "Knoxville"], 66)]
    assert sorted(tuple(r["pair"]) for r in rp.rounds[1:3]) == [
        ("Nashville", "Chattanooga"),
        ("Nashville", "Knoxville"),
    ]
    assert all(r["locked"] for r in rp.rounds)
    assert len(rp.rounds) == 6
    assert rp.tie_breaks == []  # equal margins whose order does not matter: no draw


def test_plurality_round_and_exhausted() -> None:
    b = ranked("ABC", [(4, "AB"), (3, "B"), (2, "CA"), (1, "")])
    r = plurality(b)
    assert r.elected == ["A"]
    assert r.rounds == [
        {"round": 1, "votes": {"A": 4, "B": 3, "C": 2}, "exhausted": 1, "elected": ["A"]}
    ]


def test_two_round_absolute_majority_ends_in_round_one() -> None:
    b = ranked("ABC", [(6, "AB"), (3, "BC"), (2, "CB")])
    r = two_round(b)
    assert r.elected == ["A"]
    assert len(r.rounds) == 1
    assert r.rounds[0]["note"] == "absolute majority"


def test_two_round_runoff_abstentions_and_majority_of_valid_votes() -> None:
    # 5 of 10 valid first preferences is not more than half: a runoff.
    b = ranked("ABCD", [(5, "A"), (3, "B"), (2, "CD"), (4, "")])
    r = two_round(b)
    assert r.rounds[0]["valid"] == 10
    assert r.rounds[0]["finalists"] == ["A", "B"]
    # C-D ballots rank neither finalist: they abstain.
    assert r.rounds[1]["votes"] == {"A": 5, "B": 3}
    assert r.rounds[1]["abstained"] == 6
    assert r.elected == ["A"]


def test_two_round_runoff_tie_goes_to_more_first_round_votes() -> None:
    # Round 1: A 4, B 3, C 2 (no majority of 9). Runoff A-B: the C>B ballot goes to
    # B and the C-only ballot abstains, so 4-4; A had more first-round votes.
    b = ranked("ABC", [(4, "A"), (3, "B"), (1, "CB"), (1, "C")])
    r = two_round(b)
    assert r.rounds[1]["votes"] == {"A": 4, "B": 4}
    assert r.elected == ["A"]  # more first-round votes: no lot needed
    assert r.tie_breaks == []


def test_approval_single_and_multi_seat() -> None:
    a = ApprovalBallots(
        ("A", "B", "C", "D"),
        np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]], dtype=bool),
        np.array([5, 4, 3, 2], dtype=np.int64),
    )
    r = approval(a)
    assert r.elected == ["B"]
    assert r.rounds[0]["votes"] == {"A": 5, "B": 9, "C": 4, "D": 3}
    assert approval(a, seats=3).elected == ["B", "A", "C"]
    with pytest.raises(ValueError):
        approval(a, seats=5)


# --------------------------------------------------------------------------- conventions


def test_truncated_pairwise_convention() -> None:
    # "A" alone: A over B and C; B and C unranked are tied on that ballot.
    b = ranked("ABC", [(2, "A"), (1, "BA")])
    d = pairwise_matrix(b)
    assert d.tolist() == [[0, 2, 3], [1, 0, 1], [0, 0, 0]]


def test_borda_truncated_variant() -> None:
    # 3 candidates: 2-1-0 points by rank, unranked 0.
    b = ranked("ABC", [(2, "A"), (1, "BC")])
    r = borda(b)
    assert r.rounds[0]["points"] == {"A": 4, "B": 2, "C": 1}
    assert r.details["unranked_points"] == 0


def test_withdrawn_struck_and_preferences_move_up() -> None:
    b = ranked(TN, TENNESSEE, withdrawn=("Memphis",))
    r = plurality(b)
    assert r.rounds[0]["votes"] == {"Nashville": 68, "Chattanooga": 15, "Knoxville": 17}
    assert r.elected == ["Nashville"]
    rows = continuing_rankings(b)
    memphis = TN.index("Memphis")
    assert not (rows == memphis).any()
    d = pairwise_matrix(b)
    assert not d[memphis].any() and not d[:, memphis].any()
    # Borda with 3 continuing candidates: scale 2-1-0.
    assert borda(b).details["scale"] == [2, 1, 0]


def test_all_withdrawn_is_an_error() -> None:
    b = ranked("AB", [(1, "AB")], withdrawn=("A", "B"))
    for method in RANKED_METHODS:
        with pytest.raises(ValueError):
            method(b)


# --------------------------------------------------------------------------- ties


def test_tie_by_lot_is_recorded_and_reproducible() -> None:
    b = ranked("AB", [(3, "AB"), (3, "BA")])
    for method in RANKED_METHODS:
        r1 = method(b, lot=Lot(seed=7))
        r2 = method(b, lot=Lot(seed=7))
        assert r1.elected == r2.elected
        assert r1.seed == 7
        assert r1.tie_breaks and r1.tie_breaks == r2.tie_breaks
        assert r1.tie_breaks[-1]["tied"] == ["A", "B"]
        winners = {method(b, lot=Lot(seed=s)).elected[0] for s in range(40)}
        assert winners == {"A", "B"}, method.__name__


def test_default_lot_records_default_seed() -> None:
    r = plurality(ranked("AB", [(1, "A"), (1, "B")]))
    assert r.seed == 1917
    assert len(r.tie_breaks) == 1


def test_ranked_pairs_draws_only_when_order_of_equal_margins_matters() -> None:
    # A 3-cycle with equal margins: A>B, B>C, C>A all by 1. The last pair locked
    # is skipped, so the order matters and is drawn.
    b = ranked("ABC", [(1, "ABC"), (1, "BCA"), (1, "CAB")])
    r = ranked_pairs(b, lot=Lot(seed=3))
    assert len(r.tie_breaks) == 1
    assert r.tie_breaks[0]["purpose"].startswith("ranked pairs")
    assert sum(not s["locked"] for s in r.rounds) == 1
    winners = {ranked_pairs(b, lot=Lot(seed=s)).elected[0] for s in range(30)}
    assert winners == {"A", "B", "C"}


def test_schulze_tie_among_winners_by_lot() -> None:
    b = ranked("ABC", [(1, "ABC"), (1, "BCA"), (1, "CAB")])
    r = schulze(b, lot=Lot(seed=11))
    assert r.details["winners"] == ["A", "B", "C"]
    assert r.elected[0] in {"A", "B", "C"}
    assert len(r.tie_breaks) == 1


def test_shared_lot_keeps_only_this_counts_draws() -> None:
    lot = Lot(seed=5)
    b = ranked("AB", [(1, "A"), (1, "B")])
    plurality(b, lot=lot)
    second = plurality(b, lot=lot)
    assert len(second.tie_breaks) == 1
    assert len(lot.draws) == 2


# --------------------------------------------------------------------------- properties

NAMES = "ABCDEF"


@st.composite
def profiles(draw: st.DrawFn) -> RankedBallots:
    m = draw(st.integers(2, 6))
    names = NAMES[:m]
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(1, 9),
                st.permutations(names).flatmap(
                    lambda p: st.integers(0, len(p)).map(lambda k: "".join(p[:k]))
                ),
            ),
            min_size=1,
            max_size=8,
        )
    )
    withdrawn = draw(st.sets(st.sampled_from(names), max_size=m - 1))
    return ranked(names, rows, tuple(sorted(withdrawn)))


def condorcet_winner(b: RankedBallots) -> str | None:
    d = pairwise_matrix(b)
    active = [i for i in range(len(b.candidates)) if i not in b.withdrawn]
    for i in active:
        if all(d[i, j] > d[j, i] for j in active if j != i):
            return b.candidates[i]
    return None


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_condorcet_winner_wins_schulze_and_ranked_pairs(b: RankedBallots) -> None:
    cw = condorcet_winner(b)
    if cw is not None:
        assert schulze(b).elected == [cw]
        assert ranked_pairs(b).elected == [cw]


@settings(max_examples=200, deadline=None)
@given(profiles(), st.integers(0, 2**32 - 1))
def test_winner_is_continuing_and_seed_reproduces(b: RankedBallots, seed: int) -> None:
    withdrawn = {b.candidates[i] for i in b.withdrawn}
    for method in RANKED_METHODS:
        r = method(b, lot=Lot(seed=seed))
        assert len(r.elected) == 1
        assert r.elected[0] in b.candidates and r.elected[0] not in withdrawn
        again = method(b, lot=Lot(seed=seed))
        assert again.to_json() == r.to_json()


def _reference_pairwise(b: RankedBallots) -> list[list[int]]:
    """Plain-Python pairwise count, one ballot group at a time."""
    n = len(b.candidates)
    d = [[0] * n for _ in range(n)]
    for row, w in zip(b.rankings.tolist(), b.weights.tolist(), strict=True):
        order = [c for c in row if c >= 0 and c not in b.withdrawn]
        rank = {c: k for k, c in enumerate(order)}
        for i in range(n):
            for j in range(n):
                if i == j or i in b.withdrawn or j in b.withdrawn:
                    continue
                if i in rank and rank[i] < rank.get(j, n + 1):
                    d[i][j] += int(w)
    return d


def _reference_borda(b: RankedBallots) -> dict[str, int]:
    active = [c for i, c in enumerate(b.candidates) if i not in b.withdrawn]
    pts = dict.fromkeys(active, 0)
    for row, w in zip(b.rankings.tolist(), b.weights.tolist(), strict=True):
        order = [c for c in row if c >= 0 and c not in b.withdrawn]
        for k, c in enumerate(order):
            pts[b.candidates[c]] += int(w) * (len(active) - 1 - k)
    return pts


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_vectorised_counts_match_plain_python(b: RankedBallots) -> None:
    assert pairwise_matrix(b).tolist() == _reference_pairwise(b)
    assert borda(b).rounds[0]["points"] == _reference_borda(b)


def test_large_weights_stay_exact() -> None:
    big = 2**53 + 1  # not representable in float64
    b = ranked("ABC", [(big, "ABC"), (1, "BCA")])
    d = pairwise_matrix(b)
    assert int(d[0, 1]) == big
    assert int(d[1, 2]) == big + 1
    assert plurality(b).rounds[0]["votes"]["A"] == big
    assert borda(b).rounds[0]["points"]["A"] == 2 * big


def test_rows_with_gaps_are_packed_and_many_withdrawn_use_general_path() -> None:
    rows = np.array([[0, -1, 1], [2, 1, 0]], dtype=np.int32)
    b = RankedBallots(("A", "B", "C"), rows, np.array([2, 1], dtype=np.int64))
    assert continuing_rankings(b).tolist() == [[0, 1, -1], [2, 1, 0]]
    assert pairwise_matrix(b).tolist() == [[0, 2, 2], [1, 0, 2], [1, 1, 0]]
    many = ranked("ABCDEFG", [(3, "GFEDCBA"), (1, "ABCDEFG")], withdrawn=tuple("ABCDE"))
    assert continuing_rankings(many)[:, :2].tolist() == [[6, 5], [5, 6]]
    assert plurality(many).elected == ["G"]
