"""Randomised cross-checks of the single-winner methods against pref_voting and votelib.

The peers return every tied winner; we elect one (ties by lot). So: our winner must
be in the peer's winner set, and equal to it when that set is a singleton.

Known rule differences, pinned here:

* pref_voting's Beat Path measures link strength by margin. With complete rankings
  winning votes and margins are equivalent (d[i,j] + d[j,i] is the same for every
  pair); with truncated rankings we pass ``strength_function=profile.support``
  (winning votes) and extended strict preference (unranked below ranked).
* votelib's Schulze elects the candidates beating the most others by strongest
  path, a subset of the Schulze winners when the Schulze order is not total:
  we check subset, not equality. When nobody beats anybody it returns an empty
  list; then every candidate is a Schulze winner for us.
* votelib's ranked pairs breaks equal margins by raw support then dict order; we
  compare with it only when all margins are distinct and non-zero.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pref_voting.grade_methods import approval as pv_approval
    from pref_voting.grade_profiles import GradeProfile
    from pref_voting.iterative_methods import plurality_with_runoff_put
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.margin_based_methods import ranked_pairs as pv_ranked_pairs
    from pref_voting.profiles import Profile
    from pref_voting.profiles_with_ties import ProfileWithTies
    from pref_voting.scoring_methods import borda as pv_borda
    from pref_voting.scoring_methods import plurality as pv_plurality
    from votelib.convert import ApprovalToSimpleVotes, RankedToCondorcetVotes
    from votelib.evaluate.condorcet import RankedPairs as VlRankedPairs
    from votelib.evaluate.condorcet import Schulze as VlSchulze
    from votelib.evaluate.core import Plurality as VlPlurality
    from votelib.evaluate.core import Tie

from soviet.count.ballots import ApprovalBallots, RankedBallots
from soviet.count.single import (
    approval,
    borda,
    pairwise_matrix,
    plurality,
    ranked_pairs,
    schulze,
    two_round,
)
from soviet.count.ties import Lot

NAMES = "ABCDEFG"
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Group = tuple[int, tuple[int, ...]]


@st.composite
def complete_profiles(draw: st.DrawFn, max_m: int = 6) -> tuple[int, list[Group]]:
    m = draw(st.integers(2, max_m))
    groups = draw(
        st.lists(
            st.tuples(st.integers(1, 20), st.permutations(range(m)).map(tuple)),
            min_size=1,
            max_size=10,
        )
    )
    return m, groups


@st.composite
def truncated_profiles(draw: st.DrawFn, max_m: int = 5) -> tuple[int, list[Group]]:
    m = draw(st.integers(2, max_m))
    groups = draw(
        st.lists(
            st.tuples(
                st.integers(1, 20),
                st.permutations(range(m)).flatmap(
                    lambda p: st.integers(1, len(p)).map(lambda k: tuple(p[:k]))
                ),
            ),
            min_size=1,
            max_size=10,
        )
    )
    return m, groups


def ours(m: int, groups: list[Group], withdrawn: frozenset[int] = frozenset()) -> RankedBallots:
    grouped: dict[tuple[int, ...], int] = {}
    for w, r in groups:
        grouped[r] = grouped.get(r, 0) + w
    return RankedBallots.from_grouped(tuple(NAMES[:m]), grouped, withdrawn=withdrawn)


def pv_profile(groups: list[Group]) -> Profile:
    return Profile([list(r) for _, r in groups], rcounts=[w for w, _ in groups])


def pv_truncated(m: int, groups: list[Group]) -> ProfileWithTies:
    prof = ProfileWithTies(
        [{c: k + 1 for k, c in enumerate(r)} for _, r in groups],
        rcounts=[w for w, _ in groups],
        candidates=list(range(m)),
    )
    prof.use_extended_strict_preference()
    return prof


def names(winners: object) -> set[str]:
    return {NAMES[int(c)] for c in winners}  # type: ignore[attr-defined]


def check(winner: list[str], peer: set[str], label: str) -> None:
    assert len(winner) == 1
    assert winner[0] in peer, (label, winner, peer)
    if len(peer) == 1:
        assert winner == sorted(peer), label


def withdrawn_of(data: st.DataObject, m: int) -> frozenset[int]:
    return frozenset(data.draw(st.sets(st.integers(0, m - 1), max_size=m - 2)))


# --------------------------------------------------------------------------- pref_voting


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complete_profiles(), st.data())
def test_scoring_and_runoff_match_pref_voting(
    profile: tuple[int, list[Group]], data: st.DataObject
) -> None:
    m, groups = profile
    withdrawn = withdrawn_of(data, m)
    b = ours(m, groups, withdrawn)
    prof = pv_profile(groups)
    cands = [c for c in range(m) if c not in withdrawn]
    seed = data.draw(st.integers(0, 10**6))
    check(plurality(b, lot=Lot(seed)).elected, names(pv_plurality(prof, curr_cands=cands)), "pl")
    check(borda(b, lot=Lot(seed)).elected, names(pv_borda(prof, curr_cands=cands)), "borda")
    check(
        two_round(b, lot=Lot(seed)).elected,
        names(plurality_with_runoff_put(prof, curr_cands=cands)),
        "two-round",
    )


@SETTINGS
@given(complete_profiles(), st.data())
def test_schulze_matches_pref_voting_beat_path(
    profile: tuple[int, list[Group]], data: st.DataObject
) -> None:
    m, groups = profile
    withdrawn = withdrawn_of(data, m)
    b = ours(m, groups, withdrawn)
    cands = [c for c in range(m) if c not in withdrawn]
    peer = names(beat_path(pv_profile(groups), curr_cands=cands))
    result = schulze(b, lot=Lot(data.draw(st.integers(0, 10**6))))
    assert set(result.details["winners"]) == peer
    check(result.elected, peer, "schulze")


@SETTINGS
@given(truncated_profiles())
def test_schulze_truncated_matches_pref_voting_winning_votes(
    profile: tuple[int, list[Group]],
) -> None:
    m, groups = profile
    prof = pv_truncated(m, groups)
    b = ours(m, groups)
    # Same pairwise counts under "unranked below ranked, tied among themselves".
    d = pairwise_matrix(b)
    assert all(d[i, j] == prof.support(i, j) for i in range(m) for j in range(m) if i != j)
    peer = names(beat_path(prof, strength_function=prof.support))
    result = schulze(b)
    assert set(result.details["winners"]) == peer
    check(result.elected, peer, "schulze-truncated")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(complete_profiles(max_m=5), truncated_profiles(max_m=5)), st.data())
def test_ranked_pairs_matches_pref_voting(
    profile: tuple[int, list[Group]], data: st.DataObject
) -> None:
    m, groups = profile
    prof = pv_truncated(m, groups)
    peer = names(pv_ranked_pairs(prof, algorithm="from_stacks"))
    b = ours(m, groups)
    for seed in data.draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=3)):
        check(ranked_pairs(b, lot=Lot(seed)).elected, peer, "ranked-pairs")


@SETTINGS
@given(
    st.integers(2, 6).flatmap(
        lambda m: st.lists(
            st.tuples(st.integers(1, 20), st.lists(st.booleans(), min_size=m, max_size=m)),
            min_size=1,
            max_size=10,
        )
    ),
    st.data(),
)
def test_approval_matches_pref_voting_and_votelib(
    rows: list[tuple[int, list[bool]]], data: st.DataObject
) -> None:
    m = len(rows[0][1])
    a = ApprovalBallots(
        tuple(NAMES[:m]),
        np.array([r for _, r in rows], dtype=bool),
        np.array([w for w, _ in rows], dtype=np.int64),
    )
    gprof = GradeProfile(
        [{c: int(r[c]) for c in range(m)} for _, r in rows],
        [0, 1],
        gcounts=[w for w, _ in rows],
        candidates=list(range(m)),
    )
    check(approval(a).elected, names(pv_approval(gprof)), "approval")
    seats = data.draw(st.integers(1, m))
    result = approval(a, seats=seats, lot=Lot(data.draw(st.integers(0, 10**6))))
    simple = ApprovalToSimpleVotes().convert(
        {frozenset(NAMES[c] for c in range(m) if r[c]): w for w, r in _merge(rows)}
    )
    for c in NAMES[:m]:
        simple.setdefault(c, 0)
    peer = VlPlurality().evaluate(simple, seats)
    sure = [c for c in peer if not isinstance(c, Tie)]
    tied = set().union(*[c for c in peer if isinstance(c, Tie)])
    assert len(result.elected) == seats
    assert set(sure) <= set(result.elected)
    assert set(result.elected) - set(sure) <= tied


def _merge(rows: list[tuple[int, list[bool]]]) -> list[tuple[int, list[bool]]]:
    merged: dict[tuple[bool, ...], int] = {}
    for w, r in rows:
        merged[tuple(r)] = merged.get(tuple(r), 0) + w
    return [(w, list(r)) for r, w in merged.items()]


# --------------------------------------------------------------------------- votelib


def vl_condorcet(groups: list[Group]) -> dict[tuple[str, str], int]:
    votes: dict[tuple[str, ...], int] = {}
    for w, r in groups:
        key = tuple(NAMES[c] for c in r)
        votes[key] = votes.get(key, 0) + w
    converted: dict[tuple[str, str], int] = RankedToCondorcetVotes(unranked_at_bottom=True).convert(
        votes
    )
    return converted


@SETTINGS
@given(st.one_of(complete_profiles(), truncated_profiles()))
def test_schulze_and_ranked_pairs_match_votelib(profile: tuple[int, list[Group]]) -> None:
    m, groups = profile
    b = ours(m, groups)
    cvotes = vl_condorcet(groups)
    # votelib only knows candidates that someone ranked.
    assume(len({c for pair in cvotes for c in pair}) == m)
    d = pairwise_matrix(b)
    for (x, y), count in cvotes.items():
        assert d[NAMES.index(x), NAMES.index(y)] == count
    # votelib Schulze: top by number of strongest-path wins, a subset of the winners.
    # With no strongest-path win at all it returns nothing (every candidate is a
    # Schulze winner then).
    result = schulze(b)
    picked = VlSchulze().evaluate(cvotes, 1)
    if not picked:
        assert result.details["winners"] == list(NAMES[:m])
        return
    top = picked[0]
    vl_set = set(top) if isinstance(top, Tie) else {top}
    assert vl_set <= set(result.details["winners"])
    if len(result.details["winners"]) == 1:
        assert result.elected == sorted(vl_set)
    # Ranked pairs by margins: compare only when the locking order is unique.
    margins = [abs(int(d[i, j] - d[j, i])) for i in range(m) for j in range(i + 1, m)]
    if 0 not in margins and len(set(margins)) == len(margins):
        assert ranked_pairs(b).elected == VlRankedPairs("margins").evaluate(cvotes, 1)
