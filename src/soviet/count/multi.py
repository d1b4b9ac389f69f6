"""Block vote (plurality-at-large) over ranked or approval ballots.

Ranked ballots: each ballot gives one vote to each of its first ``seats``
continuing candidates (withdrawn candidates are struck out first, so later
preferences move up). Approval ballots: each approved candidate gets one vote.
The ``seats`` candidates with the most votes win, best first; a tie across the
last seat is broken by lot (decision 0006).
"""

from __future__ import annotations

import numpy as np

from soviet.count.ballots import ApprovalBallots, RankedBallots
from soviet.count.result import ElectionResult
from soviet.count.single import (
    _lot,
    _names,
    _require_active,
    _votes,
    _wsum,
    approval_tally,
    continuing_rankings,
    select_top,
)
from soviet.count.ties import Lot

__all__ = ["block_vote"]


def block_vote(
    ballots: RankedBallots | ApprovalBallots, seats: int, *, lot: Lot | None = None
) -> ElectionResult:
    """Block vote: top ``seats`` candidates by votes; ties for the last seat by lot."""
    lot = _lot(lot)
    first_draw = len(lot.draws)
    if seats < 1:
        raise ValueError(f"seats must be >= 1, got {seats}")
    names = ballots.candidates
    if isinstance(ballots, RankedBallots):
        active = _require_active(ballots)
        r = continuing_rankings(ballots)[:, :seats]
        w = np.asarray(ballots.weights, dtype=np.int64)
        tally = _wsum(r, w, len(names))
        blank = int(w[r[:, 0] < 0].sum()) if r.shape[1] else int(w.sum())
        kind = "ranked"
    else:
        active = list(range(len(names)))
        tally = approval_tally(ballots)
        blank = int(np.asarray(ballots.weights)[~np.asarray(ballots.approvals).any(axis=1)].sum())
        kind = "approval"
    if seats > len(active):
        raise ValueError(f"cannot fill {seats} seats from {len(active)} candidate(s)")
    elected = select_top(tally, active, seats, names, lot, "block vote: tie for the last seat")
    rounds = [
        {
            "round": 1,
            "votes": _votes(names, tally, active),
            "blank": blank,
            "elected": _names(names, elected),
        }
    ]
    return ElectionResult(
        method="block-vote",
        elected=_names(names, elected),
        rounds=rounds,
        seats=seats,
        seed=lot.seed,
        tie_breaks=[dict(d) for d in lot.draws[first_draw:]],
        details={"ballots": kind},
    )
