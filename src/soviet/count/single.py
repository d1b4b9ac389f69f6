"""Single-winner methods over grouped ballots: plurality, two-round, Schulze,
ranked pairs, Borda and approval.

Every function counts over the grouped rows of the ballots with NumPy, so the
cost grows with the number of distinct rankings, not with raw ballots. The
conventions (decision 0006):

* Withdrawn candidates are struck from every ranking before counting; later
  preferences move up.
* Pairwise comparisons: a ranked candidate is preferred to every unranked one;
  candidates a ballot leaves unranked are tied among themselves on that ballot.
* Borda: with ``m`` continuing candidates, the k-th ranked candidate (k = 0, 1,
  ...) scores ``m - 1 - k`` points; unranked candidates score 0.
* Ties: earlier rounds first where the method has rounds (two-round: the
  first-round votes decide a tied runoff), then by lot. Every draw is logged on
  the result together with the lot's seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from soviet.count.ballots import NO_CANDIDATE, ApprovalBallots, RankedBallots
from soviet.count.result import ElectionResult
from soviet.count.ties import Lot

IntArray = npt.NDArray[np.int64]

__all__ = [
    "approval",
    "borda",
    "pairwise_matrix",
    "plurality",
    "ranked_pairs",
    "schulze",
    "two_round",
]


# --------------------------------------------------------------------------- helpers


def _lot(lot: Lot | None) -> Lot:
    return lot if lot is not None else Lot()


def active_candidates(ballots: RankedBallots) -> list[int]:
    """Indices of the candidates still standing (not withdrawn), in ballot order."""
    return [i for i in range(len(ballots.candidates)) if i not in ballots.withdrawn]


def continuing_rankings(ballots: RankedBallots) -> npt.NDArray[np.int32]:
    """The rankings with withdrawn candidates struck out and later preferences moved up.

    The shape is kept (rows are not regrouped); every row stays padded with ``-1``
    at the end. Only rows that contain a withdrawn candidate (or a gap) are touched.
    """
    r = np.asarray(ballots.rankings, dtype=np.int32)
    if r.ndim != 2:
        raise ValueError("rankings must be a 2-D array")
    n = len(ballots.candidates)
    if r.size == 0:
        return r
    if int(r.max()) >= n or int(r.min()) < NO_CANDIDATE:
        raise ValueError("rankings refer to a candidate index out of range")
    depth = r.shape[1]
    gaps = depth > 1 and bool(((r[:, :-1] < 0) & (r[:, 1:] >= 0)).any())
    if not gaps and len(ballots.withdrawn) <= 4:
        # Few withdrawn: shift each affected row left over each struck candidate.
        out = r
        for c in sorted(ballots.withdrawn):
            hit = out == c
            rows = np.flatnonzero(hit.any(axis=1))
            if rows.size == 0:
                continue
            if out is r:
                out = r.copy()
            sub = out[rows]
            at = hit[rows].argmax(axis=1)
            shifted = np.empty_like(sub)
            shifted[:, :-1] = sub[:, 1:]
            shifted[:, -1] = NO_CANDIDATE
            out[rows] = np.where(np.arange(depth)[None, :] < at[:, None], sub, shifted)
        return out
    struck_table = np.zeros(n + 1, dtype=bool)  # slot 0 is the padding
    struck_table[[c + 1 for c in ballots.withdrawn]] = True
    keep = (r >= 0) & ~struck_table[r + 1]
    rank = np.cumsum(keep, axis=1) - 1
    at_row = np.broadcast_to(np.arange(r.shape[0])[:, None], r.shape)
    packed = np.full(r.shape, NO_CANDIDATE, dtype=np.int32)
    packed[at_row[keep], rank[keep]] = r[keep]
    return packed


def position_of(rankings: npt.NDArray[np.int32], c: int) -> IntArray:
    """Rank of candidate ``c`` on each row (0 = first); unranked = the row depth.

    Unranked is thus below every ranked candidate and equal to other unranked ones.
    """
    hit = rankings == c
    depth = rankings.shape[1]
    return np.where(hit.any(axis=1), hit.argmax(axis=1), depth).astype(np.int64)


_EXACT = 2**53  # float64 sums of integers are exact below this


def _hist(idx: npt.NDArray[np.int32], weights: IntArray, size: int) -> IntArray:
    """Exact weighted histogram of non-negative ``idx`` (1-D, one weight each).

    ``np.bincount`` sums in float64, which is exact while every partial sum is an
    integer below 2**53; beyond that the slower integer ``np.add.at`` is used.
    """
    if int(weights.sum()) < _EXACT:
        sums = np.bincount(idx, weights=weights.astype(np.float64), minlength=size)
        return np.rint(sums).astype(np.int64)
    counts = np.zeros(size, dtype=np.int64)
    np.add.at(counts, idx, weights)
    return counts


def _wsum(indices: npt.NDArray[np.int32], weights: IntArray, n: int) -> IntArray:
    """Exact integer sum of ``weights`` per candidate index; ``-1`` entries are skipped.

    ``indices`` is 1-D or 2-D (one weight per row, counted for every entry).
    """
    if indices.ndim == 1:
        mask = indices >= 0
        return _hist(indices[mask], weights[mask], n)
    total = np.zeros(n, dtype=np.int64)
    for k in range(indices.shape[1]):
        total += _wsum(indices[:, k], weights, n)
    return total


def _names(candidates: Sequence[str], idx: Sequence[int]) -> list[str]:
    return [candidates[i] for i in idx]


def _votes(candidates: Sequence[str], tally: IntArray, idx: Sequence[int]) -> dict[str, int]:
    return {candidates[i]: int(tally[i]) for i in idx}


def select_top(
    scores: IntArray,
    active: Sequence[int],
    seats: int,
    candidates: Sequence[str],
    lot: Lot,
    purpose: str,
    *,
    secondary: IntArray | None = None,
) -> list[int]:
    """The ``seats`` active candidates with the highest scores, best first.

    Equal scores are broken first by ``secondary`` (e.g. an earlier round; higher is
    better), then by lot. A lot is drawn only when a tie crosses the seat boundary;
    candidates tied with each other but all elected are listed in ballot order.
    """
    if seats < 0 or seats > len(active):
        raise ValueError(f"cannot fill {seats} seat(s) from {len(active)} candidate(s)")
    sec = secondary if secondary is not None else np.zeros_like(scores)
    ordered = sorted(active, key=lambda i: (-int(scores[i]), -int(sec[i]), i))
    if seats == 0:
        return []
    if seats == len(ordered):
        return ordered
    key = (int(scores[ordered[seats - 1]]), int(sec[ordered[seats - 1]]))
    tied = [i for i in ordered if (int(scores[i]), int(sec[i])) == key]
    sure = [i for i in ordered[:seats] if i not in tied]
    need = seats - len(sure)
    if len(tied) == need:
        return ordered[:seats]
    by_name = {candidates[i]: i for i in tied}
    if need == 1:
        picked = [by_name[lot.choose(list(by_name), purpose)]]
    else:
        picked = [by_name[name] for name in lot.order(list(by_name), purpose)[:need]]
    return sure + picked


def _result(
    method: str,
    elected: list[int],
    candidates: Sequence[str],
    lot: Lot,
    first_draw: int,
    *,
    rounds: list[dict[str, Any]],
    seats: int = 1,
    details: dict[str, Any] | None = None,
) -> ElectionResult:
    return ElectionResult(
        method=method,
        elected=_names(candidates, elected),
        rounds=rounds,
        seats=seats,
        seed=lot.seed,
        tie_breaks=[dict(d) for d in lot.draws[first_draw:]],
        details=details or {},
    )


def _require_active(ballots: RankedBallots) -> list[int]:
    active = active_candidates(ballots)
    if not active:
        raise ValueError("no continuing candidates: all are withdrawn")
    return active


def _matrix_json(m: IntArray, idx: Sequence[int]) -> list[list[int]]:
    return [[int(m[i, j]) for j in idx] for i in idx]


# --------------------------------------------------------------------------- pairwise


def pairwise_matrix(ballots: RankedBallots) -> IntArray:
    """``d[i, j]`` = total weight of ballots preferring candidate ``i`` to ``j``.

    Ranked candidates beat unranked ones; unranked ones are tied among themselves.
    Withdrawn candidates are struck from the rankings first, and their rows and
    columns are zero. The matrix covers all candidates (shape ``(n, n)``).
    """
    n = len(ballots.candidates)
    r = continuing_rankings(ballots)
    w = np.asarray(ballots.weights, dtype=np.int64)
    if n == 0 or r.size == 0:
        return np.zeros((n, n), dtype=np.int64)
    # Sort rows by length (longest first): the rows ranking someone at rank l are then
    # a prefix, so each (k, l) rank pair is one contiguous weighted histogram of codes
    # i*n + j for "i at rank k above j at rank l". Cost ~ rows x depth^2 / 2.
    lengths = (r >= 0).sum(axis=1)
    order = np.argsort(-lengths, kind="stable")
    depth = int(lengths.max())
    cols = np.ascontiguousarray(r[order, :depth].T)
    ws = w[order]
    at_least = np.bincount(lengths, minlength=depth + 1)[::-1].cumsum()[::-1]
    pair = np.zeros(n * n, dtype=np.int64)
    f = np.zeros(n, dtype=np.int64)  # f[i]: weight of ballots ranking i
    for lo in range(depth):
        rows = int(at_least[lo + 1])
        lower, wl = cols[lo, :rows], ws[:rows]
        f += _hist(lower, wl, n)
        for hi in range(lo):
            pair += _hist(cols[hi, :rows] * n + lower, wl, n * n)
    # pair[i, j]: ballots ranking both, i above j. On a ballot, i beats j iff i is
    # ranked and j is not ranked above i, so d[i, j] = f[i] - pair[j, i].
    d = f[:, None] - pair.reshape(n, n).T
    np.fill_diagonal(d, 0)
    for c in ballots.withdrawn:
        d[c, :] = 0
        d[:, c] = 0
    return d


# --------------------------------------------------------------------------- methods


def plurality(ballots: RankedBallots, *, lot: Lot | None = None) -> ElectionResult:
    """First preferences decide; a tie for first place is broken by lot."""
    lot = _lot(lot)
    first_draw = len(lot.draws)
    active = _require_active(ballots)
    names = ballots.candidates
    r = continuing_rankings(ballots)
    w = np.asarray(ballots.weights, dtype=np.int64)
    tally = _wsum(r[:, 0], w, len(names))
    exhausted = int(w[r[:, 0] < 0].sum())
    winner = select_top(tally, active, 1, names, lot, "plurality: tie for first place")
    rounds = [
        {
            "round": 1,
            "votes": _votes(names, tally, active),
            "exhausted": exhausted,
            "elected": _names(names, winner),
        }
    ]
    return _result("plurality", winner, names, lot, first_draw, rounds=rounds)


def two_round(ballots: RankedBallots, *, lot: Lot | None = None) -> ElectionResult:
    """Two-round (runoff) system, the second round read from the rankings.

    Round 1 counts first preferences; a candidate with more than half of the
    ballots expressing a first preference is elected. Otherwise the top two go to
    round 2 (a tie for a finalist place is broken by lot). In round 2 each ballot
    counts for whichever finalist it ranks higher; a ballot ranking neither
    abstains. A round-2 tie goes to the finalist with more round-1 votes, then by lot.
    """
    lot = _lot(lot)
    first_draw = len(lot.draws)
    active = _require_active(ballots)
    names = ballots.candidates
    n = len(names)
    r = continuing_rankings(ballots)
    w = np.asarray(ballots.weights, dtype=np.int64)
    first = _wsum(r[:, 0], w, n)
    valid = int(w[r[:, 0] >= 0].sum())
    exhausted = int(w[r[:, 0] < 0].sum())
    leader = max(active, key=lambda i: int(first[i]))
    round1: dict[str, Any] = {
        "round": 1,
        "votes": _votes(names, first, active),
        "exhausted": exhausted,
        "valid": valid,
        "majority": valid // 2 + 1,
    }
    if len(active) == 1 or 2 * int(first[leader]) > valid:
        winner = [leader] if len(active) > 1 else active
        round1["elected"] = _names(names, winner)
        round1["note"] = "absolute majority" if len(active) > 1 else "sole candidate"
        return _result("two-round", winner, names, lot, first_draw, rounds=[round1])
    finalists = select_top(first, active, 2, names, lot, "two-round: tie for a runoff place")
    round1["finalists"] = _names(names, finalists)
    a, b = finalists
    pos_a, pos_b = position_of(r, a), position_of(r, b)
    to_a = pos_a < pos_b
    to_b = pos_b < pos_a
    second = np.zeros(n, dtype=np.int64)
    second[a] = int(w[to_a].sum())
    second[b] = int(w[to_b].sum())
    abstained = int(w[~(to_a | to_b)].sum())
    winner = select_top(
        second,
        finalists,
        1,
        names,
        lot,
        "two-round: tie in the runoff and in round 1",
        secondary=first,
    )
    round2 = {
        "round": 2,
        "votes": _votes(names, second, finalists),
        "abstained": abstained,
        "elected": _names(names, winner),
    }
    return _result("two-round", winner, names, lot, first_draw, rounds=[round1, round2])


def schulze(ballots: RankedBallots, *, lot: Lot | None = None) -> ElectionResult:
    """Schulze method (beat path), link strength measured by winning votes.

    ``details`` holds the pairwise matrix ``d``, the strongest-path matrix ``p``
    (both over the continuing candidates, in ``details["candidates"]`` order) and
    the Schulze winners; if there are several, one is elected by lot.
    """
    lot = _lot(lot)
    first_draw = len(lot.draws)
    active = _require_active(ballots)
    names = ballots.candidates
    d = pairwise_matrix(ballots)
    sub = d[np.ix_(active, active)]
    p = np.where(sub > sub.T, sub, 0).astype(np.int64)
    for k in range(len(active)):  # Floyd-Warshall, widest path, vectorised over (i, j)
        p = np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]))
    np.fill_diagonal(p, 0)
    beats = p > p.T
    local_winners = [k for k in range(len(active)) if not beats[:, k].any()]
    winners = [active[k] for k in local_winners]
    scores = np.zeros(len(names), dtype=np.int64)
    for k, c in enumerate(active):
        scores[c] = int(beats[k].sum())
    elected = select_top(
        np.where(np.isin(np.arange(len(names)), winners), 1, 0).astype(np.int64),
        active,
        1,
        names,
        lot,
        "schulze: tie among Schulze winners",
    )
    ordered = _names(names, active)
    rounds = [
        {
            "round": 1,
            "beats": {
                names[c]: [ordered[j] for j in np.flatnonzero(beats[k])]
                for k, c in enumerate(active)
            },
            "winners": _names(names, winners),
            "elected": _names(names, elected),
        }
    ]
    details = {
        "candidates": ordered,
        "pairwise": _matrix_json(sub, range(len(active))),
        "strongest_paths": _matrix_json(p, range(len(active))),
        "winners": _names(names, winners),
        "path_wins": _votes(names, scores, active),
    }
    return _result("schulze", elected, names, lot, first_draw, rounds=rounds, details=details)


def _reach_after(reach: npt.NDArray[np.bool_], i: int, j: int) -> npt.NDArray[np.bool_]:
    """Transitive closure after adding the edge ``i -> j`` (reach is reflexive)."""
    return reach | np.outer(reach[:, i], reach[j, :])


def ranked_pairs(ballots: RankedBallots, *, lot: Lot | None = None) -> ElectionResult:
    """Ranked pairs (Tideman), pairs ordered by margin.

    Pairs with a positive margin are taken from the largest margin down and locked
    unless they would close a cycle with pairs already locked. Within a group of
    equal margins the order is drawn by lot, but only when it matters (when locking
    the whole group in some order would reject one of its pairs). The winner is
    the candidate no locked pair points to; if zero margins leave several such
    candidates, one is chosen by lot. ``rounds`` lists every pair considered, in
    order, with whether it was locked.
    """
    lot = _lot(lot)
    first_draw = len(lot.draws)
    active = _require_active(ballots)
    names = ballots.candidates
    m = len(active)
    d = pairwise_matrix(ballots)
    sub = d[np.ix_(active, active)]
    margin = sub - sub.T
    groups: dict[int, list[tuple[int, int]]] = {}
    for i, j in zip(*np.nonzero(margin > 0), strict=True):
        groups.setdefault(int(margin[i, j]), []).append((int(i), int(j)))
    reach = np.eye(m, dtype=bool)
    locked = np.zeros((m, m), dtype=bool)
    rounds: list[dict[str, Any]] = []
    step = 0

    def label(pair: tuple[int, int]) -> str:
        return f"{names[active[pair[0]]]}>{names[active[pair[1]]]}"

    for value in sorted(groups, reverse=True):
        group = sorted(groups[value])
        # Does the order inside the group matter? Only if some pair is rejected
        # when the others are locked first but not on its own.
        trial = reach
        clash = False
        for i, j in group:
            if reach[j, i]:
                continue  # rejected in every order
            if trial[j, i]:
                clash = True
                break
            trial = _reach_after(trial, i, j)
        if clash:
            by_label = {label(p): p for p in group}
            drawn = lot.order(list(by_label), f"ranked pairs: order of pairs with margin {value}")
            group = [by_label[x] for x in drawn]
        for i, j in group:
            step += 1
            ok = not reach[j, i]
            if ok:
                reach = _reach_after(reach, i, j)
                locked[i, j] = True
            rounds.append(
                {
                    "round": step,
                    "pair": [names[active[i]], names[active[j]]],
                    "margin": value,
                    "for": int(sub[i, j]),
                    "against": int(sub[j, i]),
                    "locked": ok,
                }
            )
    sources = [active[k] for k in range(m) if not locked[:, k].any()]
    indicator = np.zeros(len(names), dtype=np.int64)
    indicator[sources] = 1
    elected = select_top(
        indicator, active, 1, names, lot, "ranked pairs: several candidates unbeaten"
    )
    details = {
        "candidates": _names(names, active),
        "pairwise": _matrix_json(sub, range(m)),
        "locked": [
            [names[active[i]], names[active[j]]] for i, j in zip(*np.nonzero(locked), strict=True)
        ],
        "unbeaten": _names(names, sources),
    }
    return _result("ranked-pairs", elected, names, lot, first_draw, rounds=rounds, details=details)


def borda_scores(ballots: RankedBallots) -> IntArray:
    """Borda points per candidate: ``m - 1 - k`` for rank ``k``, 0 if unranked."""
    active = active_candidates(ballots)
    n = len(ballots.candidates)
    r = continuing_rankings(ballots)
    w = np.asarray(ballots.weights, dtype=np.int64)
    points = np.maximum(len(active) - 1 - np.arange(r.shape[1], dtype=np.int64), 0)
    scores = np.zeros(n, dtype=np.int64)
    for k in range(r.shape[1]):  # one weighted tally per rank
        if points[k]:
            scores += points[k] * _wsum(r[:, k], w, n)
    return scores


def borda(ballots: RankedBallots, *, lot: Lot | None = None) -> ElectionResult:
    """Borda count: ``m-1, m-2, ..., 0`` points; unranked candidates get 0 (decision 0006)."""
    lot = _lot(lot)
    first_draw = len(lot.draws)
    active = _require_active(ballots)
    names = ballots.candidates
    scores = borda_scores(ballots)
    winner = select_top(scores, active, 1, names, lot, "borda: tie for first place")
    rounds = [
        {
            "round": 1,
            "points": _votes(names, scores, active),
            "elected": _names(names, winner),
        }
    ]
    details = {"scale": list(range(len(active) - 1, -1, -1)), "unranked_points": 0}
    return _result("borda", winner, names, lot, first_draw, rounds=rounds, details=details)


def approval(ballots: ApprovalBallots, *, seats: int = 1, lot: Lot | None = None) -> ElectionResult:
    """Approval voting: the ``seats`` most-approved candidates win; boundary ties by lot."""
    lot = _lot(lot)
    first_draw = len(lot.draws)
    names = ballots.candidates
    tally = approval_tally(ballots)
    active = list(range(len(names)))
    elected = select_top(tally, active, seats, names, lot, "approval: tie for the last seat")
    rounds = [
        {
            "round": 1,
            "votes": _votes(names, tally, active),
            "elected": _names(names, elected),
        }
    ]
    return _result("approval", elected, names, lot, first_draw, rounds=rounds, seats=seats)


def approval_tally(ballots: ApprovalBallots) -> IntArray:
    """Approvals per candidate (weighted), exact in integers."""
    a = np.asarray(ballots.approvals, dtype=bool)
    w = np.asarray(ballots.weights, dtype=np.int64)
    if a.size == 0:
        return np.zeros(len(ballots.candidates), dtype=np.int64)
    return np.asarray(w @ a.astype(np.int64), dtype=np.int64)
