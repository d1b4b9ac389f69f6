"""Randomised cross-checks of STV and IRV against independent implementations.

Peers: pref_voting (``stv_scottish``, ``stv_meek``, IRV for truncated ballots),
votelib (``TransferableVoteSelector`` with Gregory transfers and the Droop quota:
exact fractions, no truncation; it raises on some inputs: those cases are skipped)
and pyrankvote (IRV only: its STV "Droop" quota is votes/(seats+1) without the +1,
so it is not the statutory quota; see decision 0005).

Elections are generated without near-ties: a case is skipped when our count broke
any tie (by earlier rounds or by lot) or when, at some round, two continuing
candidates' votes or a candidate's votes and the quota lie within ``EPS`` of each
other, because there the peers' floating-point arithmetic, five-decimal
truncation (Scottish) and convergence tolerances (Meek) may legitimately decide
differently. Everything else must agree exactly on the set of winners.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from soviet.count.ballots import RankedBallots
from soviet.count.irv import irv
from soviet.count.result import ElectionResult
from soviet.count.stv import stv_meek, stv_scottish

pv_profiles = pytest.importorskip("pref_voting.profiles_with_ties")
pv_prop = pytest.importorskip("pref_voting.proportional_methods")
pv_iter = pytest.importorskip("pref_voting.iterative_methods")

EPS = 0.05

Case = tuple[list[tuple[int, ...]], list[int], int, int]


@st.composite
def elections(draw: st.DrawFn, max_seats: int = 3) -> Case:
    n_cand = draw(st.integers(3, 7))
    seats = draw(st.integers(1, min(max_seats, n_cand - 1)))
    n_rows = draw(st.integers(3, 20))
    rows = []
    for _ in range(n_rows):
        perm = draw(st.permutations(range(n_cand)))
        rows.append(tuple(perm[: draw(st.integers(1, n_cand))]))
    weights = draw(st.lists(st.integers(1, 99), min_size=n_rows, max_size=n_rows))
    return rows, weights, n_cand, seats


def grouped(case: Case) -> dict[tuple[int, ...], int]:
    rows, weights, _, _ = case
    out: dict[tuple[int, ...], int] = {}
    for r, w in zip(rows, weights, strict=True):
        out[r] = out.get(r, 0) + w
    return out


def ours(case: Case) -> RankedBallots:
    _, _, n_cand, _ = case
    g = grouped(case)
    names = [str(i) for i in range(n_cand)]
    return RankedBallots.from_rankings(names, [[names[c] for c in r] for r in g], list(g.values()))


def profile(case: Case) -> Any:
    g = grouped(case)
    return pv_profiles.ProfileWithTies(
        [{c: i + 1 for i, c in enumerate(r)} for r in g],
        rcounts=list(g.values()),
        candidates=list(range(case[2])),
    )


def near_tie(result: ElectionResult, eps: float = EPS) -> bool:
    """True when our count broke a tie or came within ``eps`` of one."""
    if result.tie_breaks or result.details.get("ties_by_earlier_rounds"):
        return True
    gone: set[str] = set()
    for r in result.rounds:
        cont = {k: float(v) for k, v in r["votes"].items() if k not in gone}
        vals = sorted(cont.values())
        if any(b - a < eps for a, b in pairwise(vals)):
            return True
        quota = r.get("quota", r.get("threshold"))
        if quota is not None and any(abs(v - float(quota)) < eps for v in vals):
            return True
        gone |= set(r.get("elected", [])) | set(r.get("excluded", []))
    return False


def winners(result: ElectionResult) -> list[int]:
    return sorted(int(x) for x in result.elected)


SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@SETTINGS
@given(elections())
def test_scottish_matches_pref_voting(case: Case) -> None:
    r = stv_scottish(ours(case), case[3])
    assume(not near_tie(r))
    theirs = pv_prop.stv_scottish(profile(case), num_seats=case[3])
    assert winners(r) == sorted(theirs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(elections())
def test_meek_matches_pref_voting(case: Case) -> None:
    r = stv_meek(ours(case), case[3])
    assume(not near_tie(r))
    theirs = pv_prop.stv_meek(profile(case), num_seats=case[3])
    assert winners(r) == sorted(theirs)


@SETTINGS
@given(elections(max_seats=1))
def test_irv_matches_pref_voting_and_pyrankvote(case: Case) -> None:
    r = irv(ours(case))
    assume(not near_tie(r))
    assert winners(r) == pv_iter.instant_runoff_for_truncated_linear_orders(profile(case))
    pyrankvote = pytest.importorskip("pyrankvote")
    cands = [pyrankvote.Candidate(str(i)) for i in range(case[2])]
    ballots = [
        pyrankvote.Ballot(ranked_candidates=[cands[c] for c in row])
        for row, w in grouped(case).items()
        for _ in range(w)
    ]
    theirs = pyrankvote.instant_runoff_voting(cands, ballots).get_winners()
    assert winners(r) == [int(c.name) for c in theirs]


@SETTINGS
@given(elections())
def test_scottish_matches_votelib_gregory(case: Case) -> None:
    sequential = pytest.importorskip("votelib.evaluate.sequential")
    r = stv_scottish(ours(case), case[3])
    assume(not near_tie(r))
    selector = sequential.TransferableVoteSelector(transferer="Gregory", quota_function="droop")
    try:
        theirs = selector.evaluate(grouped(case), case[3])
        assume(not votelib_excludes_together(selector, grouped(case), case[3]))
    except Exception:  # votelib is unmaintained and raises on some inputs: skip those
        assume(False)
        raise
    assert winners(r) == sorted(theirs)


def votelib_excludes_together(selector: Any, votes: dict[Any, int], seats: int) -> bool:
    """True when votelib drops two or more candidates in one count without electing
    them, which the Scottish rules never do (one exclusion per stage, rule 50)."""
    previous: set[Any] | None = None
    for count in range(1, len({c for r in votes for c in r}) + 2):
        allocation, elected = selector.nth_count(votes, seats, count)
        standing = {c for c in allocation if c is not None} - set(elected)
        if previous is not None and len(previous - standing - set(elected)) >= 2:
            return True
        previous = standing
    return False


def test_votelib_bulk_exclusion_is_a_rule_difference_pinned() -> None:
    # Found by the cross-check. Quota 111 for one seat; after three exclusions 0, 1 and 5
    # hold 56, 55 and 54. The Scottish rules exclude 5 alone; its 54 ballots (5, 1) go to
    # 1, who then leads 109 to 56; 0 is excluded next and 1, the only candidate left, is
    # elected (rule 52). votelib excludes 1 and 5 in one count, so those ballots are
    # exhausted and 0 wins: a difference of rules, not a bug of ours.
    case: Case = (
        [
            (0,),
            (1,),
            (3,),
            (0,),
            (2,),
            (5, 1),
            (0,),
            (0,),
            (0,),
            (0,),
            (0,),
            (0,),
            (3,),
            (4,),
            (0,),
        ],
        [1, 55, 1, 1, 53, 54, 1, 1, 1, 1, 1, 1, 1, 1, 48],
        7,
        1,
    )
    r = stv_scottish(ours(case), 1)
    assert winners(r) == [1]
    assert [x["excluded"] for x in r.rounds[1:]] == [["6"], ["4"], ["3"], ["2"], ["5"], ["0"]]
    sequential = pytest.importorskip("votelib.evaluate.sequential")
    selector = sequential.TransferableVoteSelector(transferer="Gregory", quota_function="droop")
    assert selector.evaluate(grouped(case), 1) == [0]
    assert votelib_excludes_together(selector, grouped(case), 1)


def test_near_tie_detector_catches_history_tie() -> None:
    # A 613-613 final round decided by the earlier round (found by the cross-check):
    # pref_voting's IRV reports a tie there, so such cases are skipped, not compared.
    b = RankedBallots.from_rankings(
        ["a", "b", "c"], [["a"], ["b"], ["c", "a"], ["c", "b"]], [10, 10, 2, 2]
    )
    r = irv(b)
    assert near_tie(r)
