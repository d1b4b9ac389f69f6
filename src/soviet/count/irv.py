"""Instant-runoff voting (the alternative vote), over grouped ballots.

Each round counts every ballot for its highest-ranked continuing candidate. A
candidate with more than half of the votes still in play (ballots not yet
exhausted) wins; otherwise the candidate with fewest votes is excluded and their
ballots pass to the next continuing preference. Ties for exclusion are broken
by the most recent earlier round in which the tied candidates differed (fewest
goes), then by lot. When only one candidate remains they win; with no valid
ballot at all nobody is elected. Withdrawn
candidates are skipped on every ballot; ballots ranking nobody else are invalid.

Cost: one pass over the rows to find first preferences, then each round touches
only the rows of the excluded candidate.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from soviet.count.ballots import NO_CANDIDATE, RankedBallots
from soviet.count.result import ElectionResult
from soviet.count.stv import (
    CONTINUING,
    EXCLUDED,
    IntArray,
    _bincount,
    _ok_mask,
    break_tie,
    compact_rankings,
    first_positions,
)
from soviet.count.ties import Lot


def irv(ballots: RankedBallots, *, lot: Lot | None = None) -> ElectionResult:
    """Count a single-winner election by instant runoff."""
    lot = lot if lot is not None else Lot()
    names = ballots.candidates
    n_cand = len(names)
    rankings = compact_rankings(ballots.rankings)
    weights = ballots.weights
    n_rows = rankings.shape[0]
    status = np.full(n_cand, CONTINUING, dtype=np.int8)
    for c in ballots.withdrawn:
        status[c] = EXCLUDED
    withdrawn = set(ballots.withdrawn)
    shown = [c for c in range(n_cand) if c not in withdrawn]

    pos, cand = first_positions(
        rankings, np.arange(n_rows), np.full(n_rows, -1, np.int64), _ok_mask(status, CONTINUING)
    )
    valid_mask = cand != NO_CANDIDATE
    valid = int(weights[valid_mask].sum())
    totals = _bincount(cand[valid_mask], weights[valid_mask], n_cand)
    exhausted = 0
    history: list[IntArray] = []
    ties: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    winner: int | None = None
    before = np.zeros(n_cand, np.int64)
    excluded_last: list[int] = []

    while True:
        cont = [c for c in range(n_cand) if status[c] == CONTINUING]
        in_play = valid - exhausted
        threshold = in_play // 2 + 1
        entry: dict[str, Any] = {
            "round": len(rounds) + 1,
            "votes": {names[c]: int(totals[c]) for c in shown},
            "transfers": {
                names[c]: int(totals[c] - before[c]) for c in shown if totals[c] != before[c]
            }
            if rounds
            else {},
            "exhausted": exhausted,
            "threshold": threshold,
            "elected": [],
            "excluded": [],
        }
        if rounds:
            entry["after_excluding"] = [names[c] for c in excluded_last]
        rounds.append(entry)
        if not cont or valid == 0:
            break
        top = max(int(totals[c]) for c in cont)
        if len(cont) == 1 or top >= threshold:
            leaders = [c for c in cont if int(totals[c]) == top]
            winner = leaders[0]
            entry["elected"] = [names[winner]]
            break
        low = min(int(totals[c]) for c in cont)
        tied = [c for c in cont if int(totals[c]) == low]
        out = break_tie(tied, history, names, lot, prefer="lowest", purpose="exclusion", log=ties)
        history.append(totals.copy())
        entry["excluded"] = [names[out]]
        before = totals.copy()
        status[out] = EXCLUDED
        rows = np.flatnonzero(cand == out)
        new_pos, new_cand = first_positions(rankings, rows, pos[rows], _ok_mask(status, CONTINUING))
        moved = new_cand != NO_CANDIDATE
        totals += _bincount(new_cand[moved], weights[rows][moved], n_cand)
        exhausted += int(weights[rows][~moved].sum())
        totals[out] = 0
        pos[rows] = new_pos
        cand[rows] = new_cand
        excluded_last = [out]

    details: dict[str, Any] = {
        "valid": valid,
        "invalid": ballots.total - valid,
        "exhausted": exhausted,
        "majority_of": "votes in play (exhausted ballots excluded)",
        "withdrawn": sorted(names[c] for c in withdrawn),
        "ties_by_earlier_rounds": ties,
    }
    return ElectionResult(
        method="irv",
        elected=[] if winner is None else [names[winner]],
        rounds=rounds,
        seats=1,
        seed=lot.seed,
        tie_breaks=list(lot.draws),
        details=details,
    )
