"""Party-list proportional representation (the Constituent Assembly's system, 000:2988-3013).

Seats are apportioned among the lists by any :class:`~soviet.count.apportion.SeatRule`, then
filled from each list: closed lists in list order; open lists by the candidates' personal
votes (ties kept in list order). A list with more seats than candidates leaves the extra seats
vacant; they are recorded in ``details["vacant"]`` and not reallocated, as the rules of the
1917 lists had no provision for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from soviet.count.apportion import ApportionmentError, SeatRule
from soviet.count.result import ElectionResult
from soviet.count.ties import Lot

__all__ = ["list_election"]


def list_election(
    votes: Mapping[str, int],
    lists: Mapping[str, Sequence[str]],
    seats: int,
    rule: SeatRule,
    *,
    open_votes: Mapping[str, int] | None = None,
    lot: Lot | None = None,
) -> ElectionResult:
    """Elect ``seats`` candidates from party lists; ``elected`` is in list-by-list order."""
    missing = [p for p in votes if p not in lists]
    if missing:
        raise ApportionmentError(f"lists: no list for party {missing[0]!r}")
    seen: dict[str, str] = {}
    for party, cands in lists.items():
        for c in cands:
            if c in seen:
                raise ApportionmentError(
                    f"lists: candidate {c!r} stands on both {seen[c]!r} and {party!r}"
                )
            seen[c] = party
    if open_votes is not None:
        bad = [c for c, v in open_votes.items() if c not in seen or v < 0]
        if bad:
            raise ApportionmentError(
                f"open_votes[{bad[0]!r}]: {open_votes[bad[0]]} is not a non-negative "
                "vote for a listed candidate"
            )
    lot = lot if lot is not None else Lot()
    alloc = rule.allocate(votes, seats, lot=lot)
    elected: list[str] = []
    per_party: dict[str, list[str]] = {}
    vacant: dict[str, int] = {}
    for party in votes:
        cands = list(lists[party])
        if open_votes is not None:
            # stable sort: equal personal votes keep list order
            cands.sort(key=lambda c: -open_votes.get(c, 0))
        won = alloc.seats[party]
        per_party[party] = cands[:won]
        elected += cands[:won]
        if won > len(cands):
            vacant[party] = won - len(cands)
    details = {
        "allocation": alloc.to_json(),
        "open_lists": open_votes is not None,
        "elected_by_party": per_party,
        "vacant": vacant,
    }
    rounds = [{"step": "apportion lists", "seats": dict(alloc.seats)}]
    if open_votes is not None:
        rounds.append(
            {
                "step": "order by personal votes",
                "order": {p: [[c, open_votes.get(c, 0)] for c in per_party[p]] for p in per_party},
            }
        )
    return ElectionResult(
        method=f"list-{alloc.method}",
        elected=elected,
        rounds=rounds,
        seats=seats,
        seed=lot.seed,
        tie_breaks=list(alloc.tie_breaks),
        details=details,
    )
