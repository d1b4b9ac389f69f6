"""Single transferable vote, Droop quota, in two rule sets: Scottish 2007 and Meek.

Both count over grouped ballots (:class:`RankedBallots`): every distinct ranking
is one row with a weight, and identical rankings always travel together, so
the state of a count is a few arrays over rows (current candidate, position in
the ranking, value per paper) and each stage touches only the rows that move.

Scottish STV (SSI 2007/42, Schedule 1, rules 45-52)
---------------------------------------------------
Checked against the text as made (legislation.gov.uk/ssi/2007/42/schedule/1/made;
rule 48 at .../paragraph/48/made; rules 45-52 as copied at
opavote.com/methods/scottish-stv-rules). A "stage" is the first count, one
surplus transfer, or one exclusion (article 2).

* First stage and quota (rules 45-46): ``floor(valid / (seats + 1)) + 1``;
  valid = ballots with a first preference for a candidate who has not withdrawn.
* Rule 47: a candidate whose votes equal or exceed the quota at a stage is
  deemed elected. The rule does not order several elected at one stage; we
  list them by votes (ties by earlier stages, then lot).
* Rule 48: while a vacancy remains (subject to rules 49 and 52), every paper
  held by a candidate whose votes exceed the quota is sorted by next available
  preference (weighted inclusive Gregory); each transferable paper passes at
  ``surplus x value-when-received / total votes of the candidate``, truncated
  to five decimals (48(3)); first-preference papers have value one (48(4)).
  Each credit is papers x that truncated value, so totals stay exact in
  units of 10^-5. Non-transferable papers' share is recorded as ``exhausted``,
  the truncation remainder as ``loss``; the candidate keeps the quota.
* Rule 49: with two or more surpluses, the highest is transferred first; one
  surplus per stage, and the choice is made again after each stage, so a
  surplus arising later can go before an older, smaller one. Equal surpluses:
  the candidate with the most votes at the end of the most recent preceding
  stage at which they were unequal goes first; equal at all stages: lot.
  Surpluses are never deferred.
* Rule 50: only when no surplus remains to be transferred, the one continuing
  candidate with the fewest votes is excluded (one per stage, no bulk
  exclusion); all of their papers pass in that stage to the next available
  preference, first preferences at value one and received papers at the
  transfer value they arrived with.
* Rule 51: a tie for exclusion goes to the candidate with the fewest votes at
  the end of the most recent preceding stage at which the tied candidates had
  unequal votes; equal at all stages: lot. (With three or more tied, those
  still level at that stage are compared further back: our reading.)
* Rule 52: when the continuing candidates equal the vacancies, they are all
  deemed elected and no further transfer is made, even of a pending surplus.
  The rule has no "one vacancy, unbeatable leader" clause (that is the Irish
  Electoral Act 1992, s. 124(2)), so the count goes on until it applies or
  the quota is reached. If fewer candidates stood than there are seats, all
  are elected and the rest stay empty (not covered by the rule).

All values are integers in units of 0.00001 vote (``SCALE``), so the arithmetic
is exact and every truncation is explicit.

Meek (Hill, Wichmann & Woodall 1987, Algorithm 123, in the form of the
"reference" Meek rule)
---------------------------------------------------------------------
The Proportional Representation Foundation's reference Meek rule, step by step
(A, B.1-B.4, C; the same as Droop's ``meek-prf``, whose published reports pin it
in tests/count/test_stv_reference.py):

* A: keep factors 1 for hopeful, 0 for withdrawn candidates; omega 10^-6
  (``tolerance``).
* B.2.a: each ballot gives each candidate in order ``w x kf`` rounded up to 9
  decimals and keeps the rest, until nothing is left.
* B.2.b: quota = the votes credited / (seats + 1), truncated to 9 decimals, plus
  10^-9.
* B.2.c: every hopeful candidate with at least the quota is elected (a new round).
* B.2.d: the total surplus is the sum of (votes - quota) over the elected, and not
  less than 0: only the total is clamped, not each candidate's part.
* B.2.e: the iteration ends when the total surplus is below omega, or is not below
  the previous iteration's.
* B.2.f: ``kf <- (kf x quota, rounded up) / votes, rounded up``: two roundings, each
  to 9 decimals.
* B.3: the hopeful candidate with the fewest votes is defeated; every hopeful
  candidate whose votes are at most the lowest plus the total surplus is tied with
  it, and procedure T chooses among them (earlier rounds, then lot; or a declared
  tie order).
* C: the remaining seats go to the remaining hopeful candidates.

All values are integers in units of 10^-9 vote (``MEEK_SCALE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from soviet.count.ballots import NO_CANDIDATE, RankedBallots
from soviet.count.result import ElectionResult
from soviet.count.ties import Lot

SCALE = 100_000
MEEK_SCALE = 1_000_000_000

CONTINUING = 0
ELECTED = 1
EXCLUDED = 2

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


# --------------------------------------------------------------------- shared helpers


def compact_rankings(rankings: npt.NDArray[np.int32]) -> npt.NDArray[np.signedinteger[Any]]:
    """The rankings as int8 when every candidate index fits (fewer than 128 candidates).

    Each round gathers rows of the rankings; a quarter of the bytes makes that gather,
    the dominant cost of a count, markedly faster. Padding (-1) survives the cast.
    """
    if rankings.size and int(rankings.max()) < 127:
        return rankings.astype(np.int8)
    return rankings


def first_positions(
    rankings: npt.NDArray[np.signedinteger[Any]],
    rows: npt.NDArray[np.intp],
    after: IntArray,
    ok: BoolArray,
) -> tuple[IntArray, IntArray]:
    """For ``rows``, the first position > ``after`` whose candidate has ``ok`` set.

    ``ok`` has one entry per candidate plus a trailing ``False`` (for padding, so
    index ``-1`` reads it). Returns (positions, candidates); exhausted rows get
    position ``depth`` and candidate ``NO_CANDIDATE``.
    """
    depth = rankings.shape[1]
    if rows.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lo = int(after.min()) + 1
    if lo >= depth:
        return np.full(rows.size, depth, np.int64), np.full(rows.size, NO_CANDIDATE, np.int64)
    # np.take gathers several times faster than fancy indexing on these shapes; the
    # padding index -1 reads ok's trailing False in both.
    sub = np.take(rankings, rows, axis=0)
    if lo > 0:
        sub = sub[:, lo:]
    good = np.take(ok, sub)
    if lo <= int(after.max()):
        good &= np.arange(lo, depth)[None, :] > after[:, None]
    pos = good.argmax(axis=1)
    index = np.arange(rows.size)
    has = good[index, pos]  # argmax is 0 on an all-False row, where this reads False
    cand = sub[index, pos].astype(np.int64)
    cand[~has] = NO_CANDIDATE
    pos = (pos + lo).astype(np.int64)
    pos[~has] = depth
    return pos, cand


def _ok_mask(status: npt.NDArray[np.int8], wanted: int) -> BoolArray:
    ok = np.zeros(status.size + 1, dtype=bool)
    ok[:-1] = status == wanted
    return ok


def break_tie(
    tied: Sequence[int],
    history: Sequence[IntArray],
    candidates: Sequence[str],
    lot: Lot,
    *,
    prefer: str,
    purpose: str,
    log: list[dict[str, Any]] | None = None,
) -> int:
    """Pick one of ``tied`` by earlier rounds, then by lot.

    Walks back through ``history`` (vote totals after each earlier round), keeping
    the candidates with the highest (``prefer="highest"``) or lowest votes, until
    one is left; if they were equal throughout, the lot decides.
    """
    left = list(tied)
    for totals in reversed(history):
        if len(left) == 1:
            break
        vals = [int(totals[c]) for c in left]
        best = max(vals) if prefer == "highest" else min(vals)
        left = [c for c, v in zip(left, vals, strict=True) if v == best]
    if len(left) == 1:
        if len(tied) > 1 and log is not None:
            log.append(
                {
                    "purpose": purpose,
                    "tied": sorted(candidates[c] for c in tied),
                    "chosen": candidates[left[0]],
                    "by": "earlier rounds",
                }
            )
        return left[0]
    names = {candidates[c]: c for c in left}
    return names[lot.choose(list(names), purpose)]


def order_by_votes(
    group: Sequence[int],
    totals: IntArray,
    history: Sequence[IntArray],
    candidates: Sequence[str],
    lot: Lot,
    purpose: str,
    log: list[dict[str, Any]] | None = None,
) -> list[int]:
    """Order ``group`` by votes, highest first; ties by earlier rounds, then lot."""
    left = list(group)
    out: list[int] = []
    while left:
        top = max(int(totals[c]) for c in left)
        tied = [c for c in left if int(totals[c]) == top]
        pick = break_tie(tied, history, candidates, lot, prefer="highest", purpose=purpose, log=log)
        out.append(pick)
        left.remove(pick)
    return out


def _fmt(units: int | np.integer[Any], scale: int) -> float:
    return round(int(units) / scale, 9)


def _check_seats(ballots: RankedBallots, seats: int) -> None:
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")


# --------------------------------------------------------------------- Scottish STV


def stv_scottish(ballots: RankedBallots, seats: int, *, lot: Lot | None = None) -> ElectionResult:
    """Count by the Scottish local-government STV rules (SSI 2007/42, rules 45-52)."""
    _check_seats(ballots, seats)
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

    all_rows = np.arange(n_rows)
    pos, cand = first_positions(
        rankings, all_rows, np.full(n_rows, -1, np.int64), _ok_mask(status, CONTINUING)
    )
    val = np.full(n_rows, SCALE, dtype=np.int64)
    valid_mask = cand != NO_CANDIDATE
    valid = int(weights[valid_mask].sum())
    invalid = int(weights.sum()) - valid
    quota_votes = valid // (seats + 1) + 1
    quota = quota_votes * SCALE
    totals = _bincount(cand[valid_mask], weights[valid_mask] * SCALE, n_cand)

    history: list[IntArray] = []
    ties: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    elected: list[int] = []
    elected_by: dict[str, str] = {}
    exhausted = 0
    loss = 0
    shown = [c for c in range(n_cand) if c not in withdrawn]

    def record(action: str, before: IntArray, newly: list[int], out: list[int]) -> None:
        rounds.append(
            {
                "round": len(rounds) + 1,
                "action": action,
                "quota": quota_votes,
                "votes": {names[c]: _fmt(totals[c], SCALE) for c in shown},
                "transfers": {
                    names[c]: _fmt(totals[c] - before[c], SCALE)
                    for c in shown
                    if totals[c] != before[c]
                },
                "exhausted": _fmt(exhausted, SCALE),
                "loss": _fmt(loss, SCALE),
                "elected": [names[c] for c in newly],
                "excluded": [names[c] for c in out],
            }
        )
        history.append(totals.copy())

    def elect_reaching_quota() -> list[int]:
        reached = [c for c in range(n_cand) if status[c] == CONTINUING and totals[c] >= quota]
        ordered = order_by_votes(reached, totals, history, names, lot, "order of election", ties)
        ordered = ordered[: seats - len(elected)]
        for c in ordered:
            status[c] = ELECTED
            elected.append(c)
            elected_by[names[c]] = "quota"
        return ordered

    record("first preferences", totals.copy(), elect_reaching_quota(), [])

    while len(elected) < seats:
        vacancies = seats - len(elected)
        cont = [c for c in range(n_cand) if status[c] == CONTINUING]
        surplus_of = [c for c in elected if totals[c] > quota]
        # Rule 52: continuing candidates = vacancies -> all elected, no further transfer
        # (fewer only when fewer stood than there are seats). Nothing else ends the count
        # early: SSI 2007/42 has no "unbeatable leader" clause.
        if len(cont) <= vacancies:
            last = order_by_votes(cont, totals, history, names, lot, "order of election", ties)
            for c in last:
                status[c] = ELECTED
                elected.append(c)
                elected_by[names[c]] = "last vacancies"
            if last:
                rounds[-1]["elected"] = rounds[-1]["elected"] + [names[c] for c in last]
                rounds[-1]["last_vacancies"] = [names[c] for c in last]
            break

        before = totals.copy()
        ok = _ok_mask(status, CONTINUING)
        if surplus_of:
            # Rules 48-49: the largest surplus first; equal ones by the most recent
            # preceding stage where they differed, then lot.
            top = max(int(totals[c]) for c in surplus_of)
            tied = [c for c in surplus_of if int(totals[c]) == top]
            src = break_tie(
                tied, history, names, lot, prefer="highest", purpose="order of surpluses", log=ties
            )
            total_src = int(totals[src])
            surplus = total_src - quota
            rows = np.flatnonzero(cand == src)
            tv = (surplus * val[rows]) // total_src
            new_pos, new_cand = first_positions(rankings, rows, pos[rows], ok)
            moved = new_cand != NO_CANDIDATE
            amounts = weights[rows] * tv
            totals += _bincount(new_cand[moved], amounts[moved], n_cand)
            non_transferable = int(amounts[~moved].sum())
            transferred = int(amounts[moved].sum())
            exhausted += non_transferable
            loss += surplus - transferred - non_transferable
            totals[src] = quota
            pos[rows] = new_pos
            cand[rows] = new_cand
            val[rows] = np.where(moved, tv, 0)
            action = f"surplus of {names[src]}"
            out: list[int] = []
        else:
            # Rules 50-51: exclude the one lowest continuing candidate (ties: most recent
            # preceding stage where they differed, then lot); every paper moves on in this
            # stage at the value it holds (one, or the transfer value it arrived with).
            low = min(int(totals[c]) for c in cont)
            tied = [c for c in cont if int(totals[c]) == low]
            src = break_tie(
                tied, history, names, lot, prefer="lowest", purpose="exclusion", log=ties
            )
            status[src] = EXCLUDED
            ok[src] = False
            rows = np.flatnonzero(cand == src)
            new_pos, new_cand = first_positions(rankings, rows, pos[rows], ok)
            moved = new_cand != NO_CANDIDATE
            amounts = weights[rows] * val[rows]
            totals += _bincount(new_cand[moved], amounts[moved], n_cand)
            exhausted += int(amounts[~moved].sum())
            totals[src] = 0
            pos[rows] = new_pos
            cand[rows] = new_cand
            val[rows] = np.where(moved, val[rows], 0)
            action = f"exclusion of {names[src]}"
            out = [src]
        newly = elect_reaching_quota()
        record(action, before, newly, out)

    kept = int(sum(int(totals[c]) for c in range(n_cand)))
    details: dict[str, Any] = {
        "rules": "Scottish Local Government Elections Order 2007 (SSI 2007/42), Sch. 1 r. 45-52",
        "quota": quota_votes,
        "valid": valid,
        "invalid": invalid,
        "exhausted": _fmt(exhausted, SCALE),
        "loss": _fmt(loss, SCALE),
        "decimals": 5,
        "conservation": {
            "credited": _fmt(kept, SCALE),
            "exhausted": _fmt(exhausted, SCALE),
            "loss": _fmt(loss, SCALE),
            "valid": valid,
            "balanced": kept + exhausted + loss == valid * SCALE,
        },
        "elected_by": elected_by,
        "withdrawn": sorted(names[c] for c in withdrawn),
        "ties_by_earlier_rounds": ties,
    }
    return ElectionResult(
        method="stv-scottish",
        elected=[names[c] for c in elected],
        rounds=rounds,
        seats=seats,
        seed=lot.seed,
        tie_breaks=list(lot.draws),
        details=details,
    )


def _bincount(idx: npt.NDArray[Any], amounts: IntArray, n: int) -> IntArray:
    """Exact integer sums of ``amounts`` per index (float64 path while exact)."""
    if idx.size == 0:
        return np.zeros(n, np.int64)
    if float(np.abs(amounts).sum()) < 2.0**52:
        return np.rint(np.bincount(idx, weights=amounts, minlength=n)).astype(np.int64)
    out = np.zeros(n, np.int64)
    np.add.at(out, idx, amounts)
    return out


# --------------------------------------------------------------------- Meek STV


class _MeekChains:
    """Rows reduced to what Meek's method can see.

    A ballot's votes go only to the non-excluded candidates up to and including its
    first hopeful one: a chain of elected candidates (the prefix) then that hopeful
    candidate (the front). Rows sharing prefix and front are pooled into one group,
    so an iteration costs the number of distinct (prefix, front) pairs, not rows.
    """

    def __init__(self, ballots: RankedBallots, status: npt.NDArray[np.int8]) -> None:
        self.rankings = compact_rankings(ballots.rankings)
        self.weights = ballots.weights
        self.n_cand = len(ballots.candidates)
        n_rows = self.rankings.shape[0]
        self.prefixes: list[tuple[int, ...]] = [()]
        self.prefix_ids: dict[tuple[int, ...], int] = {(): 0}
        self.prefix = np.zeros(n_rows, np.int64)
        self.pos, self.front = first_positions(
            self.rankings,
            np.arange(n_rows),
            np.full(n_rows, -1, np.int64),
            _ok_mask(status, CONTINUING),
        )
        self.groups: dict[tuple[int, int], int] = {}
        self._add(self.prefix, self.front, self.weights, +1)

    def _add(self, prefix: IntArray, front: IntArray, w: IntArray, sign: int) -> None:
        base = self.n_cand + 1
        key = prefix * base + (front + 1)
        sums = _bincount(key, w, int(key.max()) + 1 if key.size else 0)
        for k in np.flatnonzero(sums).tolist():
            g = (k // base, k % base - 1)
            new = self.groups.get(g, 0) + sign * int(sums[k])
            if new:
                self.groups[g] = new
            else:
                self.groups.pop(g, None)

    def move_on(self, c: int, status: npt.NDArray[np.int8]) -> None:
        """Candidate ``c`` stopped being hopeful: re-chain the rows whose front it was."""
        rows = np.flatnonzero(self.front == c)
        if rows.size == 0:
            return
        w = self.weights[rows]
        old_prefix = self.prefix[rows]
        self._add(old_prefix, self.front[rows], w, -1)
        start = self.pos[rows]
        new_pos, new_front = first_positions(
            self.rankings, rows, start, _ok_mask(status, CONTINUING)
        )
        # Elected candidates passed on the way (c itself included if elected) join the prefix.
        depth = self.rankings.shape[1]
        span = np.arange(depth)[None, :]
        sub = self.rankings[rows]
        elected_ok = _ok_mask(status, ELECTED)
        inside = (span >= start[:, None]) & (span < new_pos[:, None]) & elected_ok[sub]
        width = max(int(inside.sum(axis=1).max()), 1)
        appended = np.full((rows.size, width), NO_CANDIDATE, np.int64)
        filled = np.zeros(rows.size, np.int64)
        for j in np.flatnonzero(inside.any(axis=0)).tolist():
            hit = np.flatnonzero(inside[:, j])
            appended[hit, filled[hit]] = sub[hit, j]
            filled[hit] += 1
        base = self.n_cand + 1
        if (len(self.prefixes) + 1) * base**width < 2**62:
            code = old_prefix.copy()
            for j in range(width):
                code = code * base + (appended[:, j] + 1)
            _, first, inv = np.unique(code, return_index=True, return_inverse=True)
            uniq = np.column_stack([old_prefix[first], appended[first]])
        else:  # pragma: no cover - very many seats: exact row grouping
            combo = np.column_stack([old_prefix, appended])
            uniq, inv = np.unique(combo, axis=0, return_inverse=True)
        ids = np.empty(uniq.shape[0], np.int64)
        for i, row in enumerate(uniq.tolist()):
            chain = self.prefixes[row[0]] + tuple(x for x in row[1:] if x != NO_CANDIDATE)
            pid = self.prefix_ids.get(chain)
            if pid is None:
                pid = len(self.prefixes)
                self.prefixes.append(chain)
                self.prefix_ids[chain] = pid
            ids[i] = pid
        new_prefix = ids[inv.reshape(-1)]
        self.prefix[rows] = new_prefix
        self.pos[rows] = new_pos
        self.front[rows] = new_front
        self._add(new_prefix, new_front, w, +1)

    def arrays(self) -> tuple[npt.NDArray[np.int64], IntArray, IntArray]:
        """(chains padded with -1: prefix then front, group weights, front)."""
        keys = list(self.groups)
        width = max((len(self.prefixes[p]) for p, _ in keys), default=0) + 1
        chains = np.full((len(keys), width), NO_CANDIDATE, np.int64)
        for i, (p, f) in enumerate(keys):
            chain = self.prefixes[p]
            chains[i, : len(chain)] = chain
            chains[i, width - 1] = f
        w = np.array([self.groups[k] for k in keys], dtype=np.int64)
        return chains, w, chains[:, width - 1]


def _meek_distribute(
    chains: npt.NDArray[np.int64], w: IntArray, keep: IntArray, n_cand: int
) -> tuple[IntArray, int]:
    """Votes per candidate and excess (units of 10^-9) for the given keep factors."""
    keep_ext = np.append(keep, 0)
    rem = np.full(chains.shape[0], MEEK_SCALE, dtype=np.int64)
    votes = np.zeros(n_cand + 1, np.int64)
    for j in range(chains.shape[1]):
        col = chains[:, j]
        k = keep_ext[col]
        share = -((-rem * k) // MEEK_SCALE)  # rounded up to 10^-9
        np.add.at(votes, col, share * w)
        rem -= share
    excess = int((rem * w).sum()) + int(votes[-1])
    return votes[:-1], excess


def _tie_rank(order: Sequence[str] | None, names: Sequence[str]) -> list[int] | None:
    """Each candidate's place in a declared tie-breaking order (every candidate once)."""
    if order is None:
        return None
    if sorted(order) != sorted(names):
        missing = sorted(set(names) - set(order))
        extra = sorted(set(order) - set(names))
        raise ValueError(
            "tie_order must list every candidate exactly once"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not candidates: {', '.join(extra)}" if extra else "")
        )
    place = {name: i for i, name in enumerate(order)}
    return [place[name] for name in names]


def stv_meek(
    ballots: RankedBallots,
    seats: int,
    *,
    tolerance: Fraction | float = Fraction(1, 10**6),
    lot: Lot | None = None,
    tie_order: Sequence[str] | None = None,
) -> ElectionResult:
    """Count by the reference Meek rule (HWW 1987), 9-decimal fixed point.

    A tie for defeat (rule B.3) is broken by earlier rounds, then by lot; or, when
    ``tie_order`` lists every candidate, by that order alone (the first listed of the
    tied is defeated), as a tie-breaking order drawn before the count (procedure T)."""
    _check_seats(ballots, seats)
    lot = lot if lot is not None else Lot()
    names = ballots.candidates
    n_cand = len(names)
    tie_rank = _tie_rank(tie_order, names)
    omega = max(int(Fraction(tolerance) * MEEK_SCALE), 1)
    status = np.full(n_cand, CONTINUING, dtype=np.int8)
    keep = np.full(n_cand, MEEK_SCALE, dtype=np.int64)
    for c in ballots.withdrawn:
        status[c] = EXCLUDED
        keep[c] = 0
    withdrawn = set(ballots.withdrawn)
    shown = [c for c in range(n_cand) if c not in withdrawn]

    chains = _MeekChains(ballots, status)
    # Ballots with no non-withdrawn preference are invalid and take no part.
    valid = int(sum(w for (p, f), w in chains.groups.items() if not (p == 0 and f < 0)))
    invalid = ballots.total - valid
    elected: list[int] = []
    elected_by: dict[str, str] = {}
    rounds: list[dict[str, Any]] = []
    history: list[IntArray] = []
    ties: list[dict[str, Any]] = []
    total_iterations = 0

    votes = np.zeros(n_cand, np.int64)
    excess = 0
    quota = 0

    def record(action: str, iterations: int, newly: list[int], out: list[int]) -> None:
        rounds.append(
            {
                "round": len(rounds) + 1,
                "action": action,
                "quota": _fmt(quota, MEEK_SCALE),
                "votes": {names[c]: _fmt(votes[c], MEEK_SCALE) for c in shown},
                "keep_factors": {
                    names[c]: _fmt(keep[c], MEEK_SCALE) for c in shown if status[c] == ELECTED
                },
                "exhausted": _fmt(excess - invalid * MEEK_SCALE, MEEK_SCALE),
                "iterations": iterations,
                "elected": [names[c] for c in newly],
                "excluded": [names[c] for c in out],
            }
        )
        history.append(votes.copy())

    while True:
        hopeful = [c for c in range(n_cand) if status[c] == CONTINUING]
        if len(elected) >= seats or len(elected) + len(hopeful) <= seats:
            break
        arr, w, _ = chains.arrays()
        prev_surplus: int | None = None
        surplus = 0
        iterations = 0
        newly: list[int] = []
        while True:
            iterations += 1
            votes, excess = _meek_distribute(arr, w, keep, n_cand)
            quota = (int(votes.sum())) // (seats + 1) + 1
            reached = [c for c in hopeful if votes[c] >= quota]
            if reached:
                newly = order_by_votes(
                    reached, votes, history, names, lot, "order of election", ties
                )
                newly = newly[: seats - len(elected)]
                break
            # B.2.d: the total surplus, not less than 0 (a candidate below the quota by
            # rounding offsets another's surplus; only the total is clamped).
            surplus = max(sum(int(votes[c]) - quota for c in elected), 0)
            if surplus < omega or (prev_surplus is not None and surplus >= prev_surplus):
                break
            prev_surplus = surplus
            for c in elected:
                # B.2.f: kf x q rounded up to 9 decimals, then / v rounded up again.
                kept = -((-int(keep[c]) * quota) // MEEK_SCALE)
                keep[c] = -((-kept * MEEK_SCALE) // int(votes[c]))
        total_iterations += iterations
        if newly:
            for c in newly:
                status[c] = ELECTED
                elected.append(c)
                elected_by[names[c]] = "quota"
            record("election", iterations, newly, [])
            for c in newly:
                chains.move_on(c, status)
            continue
        # B.3: every hopeful candidate within the total surplus of the lowest is tied
        # with it (the surplus not yet transferred could reorder them).
        low = min(int(votes[c]) for c in hopeful)
        tied = [c for c in hopeful if int(votes[c]) <= low + surplus]
        if tie_rank is not None and len(tied) > 1:
            out = min(tied, key=lambda c: tie_rank[c])
            ties.append(
                {
                    "purpose": "exclusion",
                    "tied": sorted(names[c] for c in tied),
                    "chosen": names[out],
                    "by": "tie order",
                }
            )
        else:
            out = break_tie(
                tied, history, names, lot, prefer="lowest", purpose="exclusion", log=ties
            )
        status[out] = EXCLUDED
        keep[out] = 0
        record("exclusion", iterations, [], [out])
        chains.move_on(out, status)

    rest = [c for c in range(n_cand) if status[c] == CONTINUING]
    if len(elected) < seats and rest:
        arr, w, _ = chains.arrays()
        votes, excess = _meek_distribute(arr, w, keep, n_cand)
        quota = int(votes.sum()) // (seats + 1) + 1
        last = order_by_votes(rest, votes, history, names, lot, "order of election", ties)
        last = last[: seats - len(elected)]
        for c in last:
            status[c] = ELECTED
            elected.append(c)
            elected_by[names[c]] = "last vacancies"
        record("last vacancies", 1, last, [])

    details: dict[str, Any] = {
        "rules": "Meek's method: the reference Meek rule (Proportional Representation "
        "Foundation; Hill, Wichmann & Woodall 1987, Algorithm 123)",
        "tolerance": str(Fraction(omega, MEEK_SCALE)),
        "decimals": 9,
        "quota": _fmt(quota, MEEK_SCALE),
        "valid": valid,
        "invalid": invalid,
        "iterations": total_iterations,
        "elected_by": elected_by,
        "keep_factors": {names[c]: _fmt(keep[c], MEEK_SCALE) for c in elected},
        "withdrawn": sorted(names[c] for c in withdrawn),
        "ties_by_earlier_rounds": ties,
    }
    return ElectionResult(
        method="stv-meek",
        elected=[names[c] for c in elected],
        rounds=rounds,
        seats=seats,
        seed=lot.seed,
        tie_breaks=list(lot.draws),
        details=details,
    )
