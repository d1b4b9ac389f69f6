"""Largest remainder methods: Hare, Droop, Hagenbach-Bischoff and Imperiali quotas.

See the package docstring for the rules stated once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from soviet.count.apportion.base import (
    Allocation,
    ApportionmentError,
    IntArray,
    _check_limits,
    _check_seats,
    _check_threshold,
    _check_weights,
    _exact_sum,
    _frac_json,
    _gc_paused,
    _qualifying,
)
from soviet.count.apportion.divisor import (
    _TABLE_UNITS,
)
from soviet.count.names import QUOTAS
from soviet.count.ties import Lot


def _quota(name: str, votes: int, seats: int) -> Fraction:
    if name == "hare":
        return Fraction(votes, seats)
    if name == "droop":
        return Fraction(votes // (seats + 1) + 1)
    if name == "hagenbach-bischoff":
        return Fraction(votes, seats + 1)
    return Fraction(votes, seats + 2)  # imperiali


@dataclass(frozen=True)
class LargestRemainder:
    """Quota methods: integer parts of weight/quota, remaining seats by largest remainder."""

    name: str
    threshold: Fraction | None = None
    threshold_votes: int | None = None
    minimum: int = 0
    maximum: int | None = None

    def __init__(
        self,
        quota: str,
        *,
        threshold: Fraction | str | float | None = None,
        threshold_votes: int | None = None,
        minimum: int = 0,
        maximum: int | None = None,
    ) -> None:
        if quota not in QUOTAS:
            raise ApportionmentError(f"quota: {quota!r} is not one of {', '.join(QUOTAS)}")
        _check_limits(minimum, maximum)
        if minimum > 0 and maximum is not None:
            # Fixing units at a cap and others at a floor, pass after pass, can leave the
            # rest with no feasible share; with one bound it cannot. Divisor methods take both.
            raise ApportionmentError(
                f"minimum and maximum: a largest-remainder method takes one bound, not both "
                f"(got minimum {minimum}, maximum {maximum}); use a divisor method for both"
            )
        t = _check_threshold(threshold, threshold_votes)  # type: ignore[arg-type]
        object.__setattr__(self, "name", quota)
        object.__setattr__(self, "threshold", t)
        object.__setattr__(self, "threshold_votes", threshold_votes)
        object.__setattr__(self, "minimum", minimum)
        object.__setattr__(self, "maximum", maximum)

    def allocate(
        self, weights: Mapping[str, int], seats: int | None = None, *, lot: Lot | None = None
    ) -> Allocation:
        """Seats for ``weights`` in a house of ``seats`` (ties for the last seat by ``lot``)."""
        with _gc_paused():
            return self._allocate(weights, seats, lot)

    def _allocate(
        self, weights: Mapping[str, int], seats: int | None, lot: Lot | None
    ) -> Allocation:
        w = _check_weights(weights)
        house = _check_seats(seats, self.name)
        keep, excluded, at = _qualifying(w, self.threshold, self.threshold_votes)
        lo, hi = self.minimum, self.maximum
        if lo * len(keep) > house:
            raise ApportionmentError(
                f"seats: {house} is less than the sum of minimums ({lo} x {len(keep)} units)"
            )
        if hi is not None and hi * len(keep) < house:
            raise ApportionmentError(
                f"seats: {house} is more than the sum of maximums ({hi} x {len(keep)} units)"
            )
        lot = lot if lot is not None else Lot()
        draws_before = len(lot.draws)
        fixed: dict[str, int] = {}
        active = keep
        rounds: list[dict[str, Any]] = []
        vals, arr = w.subset(at)
        counts: npt.NDArray[Any] = np.zeros(0, dtype=np.int64)
        while active:
            left = house - sum(fixed.values())
            counts, info = _lr_once(self.name, active, vals, arr, left, lot)
            rounds.append(info)
            if hi is not None and counts.max() > hi:
                out, bound = counts > hi, hi
            elif counts.min() < lo:
                out, bound = counts < lo, lo
            else:
                break
            fixed.update((active[i], bound) for i in np.flatnonzero(out).tolist())
            stay = np.flatnonzero(~out).tolist()
            active = [active[i] for i in stay]
            vals = [vals[i] for i in stay]
            arr = None if arr is None else arr[stay]
            counts = counts[:0]
        if fixed:
            result = dict.fromkeys(w.by_name, 0)
            result.update(zip(active, counts.tolist(), strict=True))
            result.update(fixed)
        else:
            result = w.seats_dict(at, counts)
        steps: dict[str, Any] = {"kind": "largest-remainder", **rounds[-1]}
        if len(rounds) > 1:
            steps["fixed_by_limits"] = fixed
            steps["passes"] = len(rounds)
        if excluded:
            steps["excluded"] = excluded
        steps["minimum"], steps["maximum"] = lo, hi
        if self.threshold is not None:
            steps["threshold"] = _frac_json(self.threshold)
        if self.threshold_votes is not None:
            steps["threshold_votes"] = self.threshold_votes
        return Allocation(
            method=self.name,
            seats=result,
            steps=steps,
            seed=lot.seed,
            tie_breaks=list(lot.draws[draws_before:]),
        )


def _lr_once(
    quota_name: str,
    units: Sequence[str],
    vals: Sequence[int],
    array: IntArray | None,
    seats: int,
    lot: Lot,
) -> tuple[npt.NDArray[Any], dict[str, Any]]:
    """One largest-remainder pass over ``units``; exact integer arithmetic throughout.

    Seats come back as an array aligned with ``units`` (int64, or object for big weights).
    """
    if seats == 0:
        return np.zeros(len(units), dtype=np.int64), {"quota": None, "seats": 0}
    votes = _exact_sum(vals, array)
    if votes == 0:
        raise ApportionmentError("weights: every qualifying unit has weight 0")
    q = _quota(quota_name, votes, seats)
    num, den = q.numerator, q.denominator
    # w/q = w*den/num: integer part ip and remainder r (in units of 1/den; r/num is the
    # fractional part), exact. int64 when it cannot overflow, Python ints otherwise.
    small = array is not None and int(array.max()) * den < 2**62 and num < 2**62
    w: npt.NDArray[Any] = (
        array if small and array is not None else np.asarray(list(vals), dtype=object)
    )
    ip: npt.NDArray[Any] = (w * den) // num
    rem: npt.NDArray[Any] = w * den - ip * num
    got: npt.NDArray[Any] = ip.copy()
    left = seats - int(ip.sum())
    table = len(units) <= _TABLE_UNITS
    info: dict[str, Any] = {
        "quota": _frac_json(q),
        "quota_float": float(q),
        "integer_parts": dict(zip(units, ip.tolist(), strict=True)) if table else None,
        "remainders": (
            {u: _frac_json(Fraction(int(r), den)) for u, r in zip(units, rem.tolist(), strict=True)}
            if table
            else None
        ),
        "seats_by_quota": int(ip.sum()),
        "remainder_seats": [],
    }
    if left >= 0:
        # One round through the units by descending remainder (more rounds only with
        # degenerate quotas); ties at the cut go by lot.
        while left > 0:
            take = min(left, len(units))
            chosen = _top_k(rem, None, take, units, lot, largest=True)
            got[chosen] += 1
            if table:
                info["remainder_seats"] += [units[i] for i in chosen.tolist()]
            left -= take
    else:
        # Integer parts exceed the house (Imperiali, rarely Droop): take back from the
        # smallest remainders among units holding a seat.
        info["taken_back"] = []
        while left < 0:
            holders = got > 0
            take = min(-left, int(holders.sum()))
            if take == 0:  # nothing left to take back: the house itself is impossible
                raise ApportionmentError(f"seats: cannot fill a house of {seats} seats")
            chosen = _top_k(rem, holders, take, units, lot, largest=False)
            got[chosen] -= 1
            info["taken_back"] += [units[i] for i in chosen.tolist()]
            left += take
    if not table:
        info["remainder_seats"] = None
    return got, info


def _top_k(
    score: npt.NDArray[Any],
    mask: npt.NDArray[np.bool_] | None,
    k: int,
    units: Sequence[str],
    lot: Lot,
    *,
    largest: bool,
) -> IntArray:
    """Indices (within mask, or all) of the k largest (or smallest) exact scores; ties at
    the cut by lot."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.arange(len(score)) if mask is None else np.flatnonzero(mask)
    sc = score if mask is None else score[idx]
    if sc.dtype == object:
        cut = sorted(sc.tolist(), reverse=largest)[k - 1]
    else:
        part = np.partition(sc, len(sc) - k if largest else k - 1)
        cut = part[len(sc) - k] if largest else part[k - 1]
    firm = idx[sc > cut] if largest else idx[sc < cut]
    tied = idx[sc == cut]
    need = k - len(firm)
    if need < len(tied):
        names = {units[i]: i for i in tied.tolist()}
        what = "largest remainder" if largest else "seat taken back"
        order = lot.order(list(names), f"{what}: {need} of {len(tied)} tied")
        tied = np.asarray([names[u] for u in order[:need]], dtype=np.int64)
    chosen: IntArray = np.concatenate([firm, tied]).astype(np.int64, copy=False)
    return chosen
