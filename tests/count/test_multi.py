"""Block vote over ranked and approval ballots: examples, ties, votelib cross-check."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from votelib.convert import ApprovalToSimpleVotes, RankedToFirstNPreferences
    from votelib.evaluate.core import Plurality as VlPlurality
    from votelib.evaluate.core import Tie

from soviet.count.ballots import ApprovalBallots, RankedBallots
from soviet.count.multi import block_vote
from soviet.count.ties import Lot


def ranked(
    candidates: str, groups: list[tuple[int, str]], withdrawn: tuple[str, ...] = ()
) -> RankedBallots:
    return RankedBallots.from_rankings(
        list(candidates),
        [list(r) for _, r in groups],
        [w for w, _ in groups],
        withdrawn=withdrawn,
    )


def test_ranked_block_vote_counts_first_seats_preferences() -> None:
    # 2 seats: each ballot counts for its first two candidates.
    b = ranked("ABCDE", [(10, "ABC"), (8, "CDA"), (7, "DEA"), (3, "E")])
    r = block_vote(b, 2)
    assert r.method == "block-vote"
    assert r.seats == 2
    assert r.rounds[0]["votes"] == {"A": 10, "B": 10, "C": 8, "D": 15, "E": 10}
    # D 15 is first; A, B and E tie on 10 for the second seat: drawn by lot.
    assert r.elected[0] == "D"
    assert r.elected[1] in {"A", "B", "E"}
    assert len(r.tie_breaks) == 1
    assert r.tie_breaks[0]["tied"] == ["A", "B", "E"]


def test_ranked_block_vote_without_ties() -> None:
    b = ranked("ABCD", [(5, "ABD"), (4, "BCA"), (2, "CD"), (1, "D")])
    r = block_vote(b, 2)
    # A 5, B 9, C 6, D 3
    assert r.rounds[0]["votes"] == {"A": 5, "B": 9, "C": 6, "D": 3}
    assert r.elected == ["B", "C"]
    assert r.tie_breaks == []


def test_withdrawn_candidates_move_later_preferences_up() -> None:
    b = ranked("ABCD", [(5, "ABD"), (4, "BCA")], withdrawn=("B",))
    r = block_vote(b, 2)
    # Ballots read A D and C A.
    assert r.rounds[0]["votes"] == {"A": 9, "C": 4, "D": 5}
    assert r.elected == ["A", "D"]


def test_approval_block_vote() -> None:
    a = ApprovalBallots(
        ("A", "B", "C"),
        np.array([[1, 1, 0], [0, 1, 1], [0, 0, 0]], dtype=bool),
        np.array([3, 2, 4], dtype=np.int64),
    )
    r = block_vote(a, 2)
    assert r.rounds[0]["votes"] == {"A": 3, "B": 5, "C": 2}
    assert r.rounds[0]["blank"] == 4
    assert r.elected == ["B", "A"]
    assert r.details["ballots"] == "approval"


def test_block_vote_rejects_bad_seat_counts() -> None:
    b = ranked("AB", [(1, "AB")])
    with pytest.raises(ValueError):
        block_vote(b, 0)
    with pytest.raises(ValueError):
        block_vote(b, 3)
    with pytest.raises(ValueError):
        block_vote(ranked("ABC", [(1, "AB")], withdrawn=("A", "B")), 2)


def test_block_vote_ties_are_reproducible() -> None:
    b = ranked("ABCD", [(1, "AB"), (1, "CD")])
    results = {tuple(block_vote(b, 3, lot=Lot(seed=s)).elected) for s in range(30)}
    assert len(results) > 1
    assert all(len(set(r)) == 3 for r in results)
    first = block_vote(b, 3, lot=Lot(seed=99))
    assert first.to_json() == block_vote(b, 3, lot=Lot(seed=99)).to_json()
    assert first.seed == 99


NAMES = "ABCDEF"


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda m: st.tuples(
            st.just(m),
            st.lists(
                st.tuples(
                    st.integers(1, 20),
                    st.permutations(NAMES[:m]).flatmap(
                        lambda p: st.integers(1, len(p)).map(lambda k: "".join(p[:k]))
                    ),
                ),
                min_size=1,
                max_size=10,
            ),
            st.integers(1, m),
        )
    ),
    st.integers(0, 10**6),
)
def test_ranked_block_vote_matches_votelib(
    case: tuple[int, list[tuple[int, str]], int], seed: int
) -> None:
    m, groups, seats = case
    result = block_vote(ranked(NAMES[:m], groups), seats, lot=Lot(seed))
    votes: dict[tuple[str, ...], int] = {}
    for w, r in groups:
        votes[tuple(r)] = votes.get(tuple(r), 0) + w
    simple = ApprovalToSimpleVotes().convert(RankedToFirstNPreferences(seats).convert(votes))
    for c in NAMES[:m]:
        simple.setdefault(c, 0)
    assert result.rounds[0]["votes"] == simple
    peer = VlPlurality().evaluate(simple, seats)
    sure = {c for c in peer if not isinstance(c, Tie)}
    tied: set[str] = set().union(*[c for c in peer if isinstance(c, Tie)])
    assert len(result.elected) == len(set(result.elected)) == seats
    assert sure <= set(result.elected)
    assert set(result.elected) - sure <= tied
