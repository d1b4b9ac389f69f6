"""Divisor (highest averages) methods: D'Hondt, Sainte-Laguë, modified Sainte-Laguë,
Huntington-Hill, Adams, Danish; exact, with a NumPy pass for large inputs.

See the package docstring for the rules stated once.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from soviet.count.apportion.base import (
    _BAND,
    _FAST_MIN_UNITS,
    _FLOAT_SAFE,
    Allocation,
    ApportionmentError,
    FloatArray,
    IntArray,
    _check_limits,
    _check_seats,
    _check_threshold,
    _check_weights,
    _frac_json,
    _gc_paused,
    _qualifying,
    _to_dict,
)
from soviet.count.names import DIVISOR_METHODS
from soviet.count.ties import Lot

# Divisors as exact rationals d(n) = (a*n + b) / c for the seat n+1 (n = seats held), with a
# special first divisor for modified Sainte-Laguë. Huntington-Hill is handled separately
# (d(n)^2 = n(n+1)). A zero divisor means infinite priority.
_LINEAR: dict[str, tuple[int, int]] = {
    "dhondt": (1, 1),
    "sainte-lague": (2, 1),
    "modified-sainte-lague": (2, 1),
    "adams": (1, 0),
    "danish": (3, 1),
}
_MSL_FIRST = Fraction(7, 5)  # 1.4 on the 2n+1 scale

# A priority key: (tier, value); tier 1 = infinite quotient ordered by weight, tier 0 = finite
# quotient (Fraction; the squared quotient for Huntington-Hill, which orders the same way).
Key = tuple[int, Fraction]


def _divisor_key(method: str) -> Callable[[int, int], Key]:
    if method == "huntington-hill":

        def hh(v: int, n: int) -> Key:
            if n == 0:
                return (1, Fraction(v)) if v > 0 else (0, Fraction(0))
            return (0, Fraction(v * v, n * (n + 1)))

        return hh
    a, b = _LINEAR[method]
    msl = method == "modified-sainte-lague"

    def lin(v: int, n: int) -> Key:
        if msl and n == 0:
            return (0, v / _MSL_FIRST)
        d = a * n + b
        if d == 0:
            return (1, Fraction(v)) if v > 0 else (0, Fraction(0))
        return (0, Fraction(v, d))

    return lin


def _key_json(k: Key, method: str) -> str:
    if k[0] == 1:
        return "inf"
    if method == "huntington-hill":
        # the squared quotient is what we compare; report the quotient itself (rounded)
        return f"{math.sqrt(k[1]):.6f}"
    return _frac_json(k[1])


def _key_float(k: Key, method: str) -> float:
    if k[0] == 1:
        return math.inf
    return math.sqrt(k[1]) if method == "huntington-hill" else float(k[1])


@dataclass(frozen=True)
class DivisorMethod:
    """A highest-averages method with optional threshold, minimum and cap per unit."""

    name: str
    threshold: Fraction | None = None
    threshold_votes: int | None = None
    minimum: int = 0
    maximum: int | None = None

    def __init__(
        self,
        name: str,
        *,
        threshold: Fraction | str | float | None = None,
        threshold_votes: int | None = None,
        minimum: int = 0,
        maximum: int | None = None,
    ) -> None:
        if name not in DIVISOR_METHODS:
            raise ApportionmentError(
                f"method: {name!r} is not a divisor method ({', '.join(DIVISOR_METHODS)})"
            )
        _check_limits(minimum, maximum)
        t = _check_threshold(threshold, threshold_votes)  # type: ignore[arg-type]
        object.__setattr__(self, "name", name)
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
        lo = self.minimum
        hi = self.maximum
        if lo * len(keep) > house:
            raise ApportionmentError(
                f"seats: {house} is less than the sum of minimums ({lo} x {len(keep)} units)"
            )
        if hi is not None and hi * len(keep) < house:
            raise ApportionmentError(
                f"seats: {house} is more than the sum of maximums ({hi} x {len(keep)} units)"
            )
        vals, arr = w.subset(at)
        top = max(vals) if arr is None else int(arr.max())
        if house > lo * len(keep) and top == 0:
            raise ApportionmentError("weights: every qualifying unit has weight 0")
        lot = lot if lot is not None else Lot()
        draws_before = len(lot.draws)
        use_fast = len(keep) >= _FAST_MIN_UNITS and arr is not None and top < _FLOAT_SAFE
        if arr is not None and use_fast and lo == 0 and self.name in ("adams", "huntington-hill"):
            # fewer seats than units with votes: only infinite first quotients compete
            use_fast = int(np.count_nonzero(arr)) <= house
        if use_fast:
            got, boundary = _divisor_fast(
                self.name,
                keep,
                vals,
                house,
                lo,
                hi,
                lot,
                array=arr,
                to_dict=lambda n: w.seats_dict(at, n),
            )
        else:
            got, boundary = _divisor_exact(self.name, keep, vals, house, lo, hi, lot)
        result = got
        if len(got) < len(w.names):  # units excluded by a threshold get no seat
            result = dict.fromkeys(w.by_name, 0)
            result.update(got)
        shown = dict(zip(keep, vals, strict=True)) if len(keep) <= _TABLE_UNITS else {}
        steps = _divisor_steps(self.name, keep, shown, result, boundary, lo)
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


@dataclass
class _Boundary:
    """The last winning quotient and the best losing one (exact), for the explanation."""

    last: Key | None
    next: Key | None


def _check_not_zero_boundary(last: Key | None) -> None:
    # A boundary at quotient 0 means seats are left that only zero-weight units could take.
    if last is not None and last == (0, Fraction(0)):
        raise ApportionmentError(
            "seats: cannot be filled by units with votes (caps leave seats to zero-weight units)"
        )


def _divisor_exact(
    method: str,
    units: Sequence[str],
    vals: Sequence[int],
    house: int,
    lo: int,
    hi: int | None,
    lot: Lot,
) -> tuple[dict[str, int], _Boundary]:
    """Reference implementation: the highest-averages sequence with a heap, exact keys."""
    key = _divisor_key(method)
    n = dict.fromkeys(units, lo)
    left = house - lo * len(units)
    heap: list[tuple[Key, str]] = []
    neg: Callable[[Key], Key] = lambda k: (-k[0], -k[1])  # noqa: E731 - heapq is a min-heap
    for u, v in zip(units, vals, strict=True):
        if hi is None or lo < hi:
            heapq.heappush(heap, (neg(key(v, lo)), u))
    weight = dict(zip(units, vals, strict=True))
    won: list[tuple[Key, str]] = []
    while left > 0:
        nk, u = heapq.heappop(heap)
        won.append((neg(nk), u))
        n[u] += 1
        left -= 1
        if hi is None or n[u] < hi:
            heapq.heappush(heap, (neg(key(weight[u], n[u])), u))
    if not won:
        best = neg(heap[0][0]) if heap else None
        return n, _Boundary(None, best)
    last = won[-1][0]
    _check_not_zero_boundary(last)
    # Ties at the last quotient: every unit that won or could win a seat at exactly `last`.
    tied_in = [u for k, u in won if k == last]
    tied_out: list[str] = []
    while heap and neg(heap[0][0]) == last:
        tied_out.append(heapq.heappop(heap)[1])
    nxt = neg(heap[0][0]) if heap else None
    if tied_out:
        for u in tied_in:
            n[u] -= 1
        order = lot.order(tied_in + tied_out, f"{method}: last {len(tied_in)} seat(s)")
        for u in order[: len(tied_in)]:
            n[u] += 1
        nxt = last
    return n, _Boundary(last, nxt)


# ---- the NumPy path


class _FloatCounter:
    """Seats per unit at a trial divisor, in floats: the number of quotients v/d(n) >= 1/x
    (x = 1/lambda), clipped to [lo, hi]. One scratch buffer serves every trial, because the
    search calls it several times over arrays of 100,000 units."""

    def __init__(self, method: str, v: FloatArray, lo: int, hi: int | None) -> None:
        self.method = method
        self.v = v
        self.lo, self.hi = float(lo), (math.inf if hi is None else float(hi))
        self.clip = lo > 0 or hi is not None
        self.buf = np.empty_like(v)
        zero_first = method in ("adams", "huntington-hill")
        self.has_votes = (v > 0).astype(np.float64) if zero_first else None
        self.at: float | None = None  # the x whose seats the buffer holds

    def seats(self, x: float) -> FloatArray:
        """Seats per unit at x (the scratch buffer itself, valid until the next call)."""
        m, v, buf = self.method, self.v, self.buf
        if x == self.at:
            return buf
        self.at = x
        if m == "huntington-hill":
            # 1 + #{n >= 1: n(n+1) <= t^2} = 1 + floor((sqrt(1 + 4t^2) - 1) / 2) for v > 0;
            # the floor term is 0 when v = 0, so adding the 0/1 "has votes" flag finishes it
            np.multiply(v, x, out=buf)
            np.square(buf, out=buf)
            buf *= 4.0
            buf += 1.0
            np.sqrt(buf, out=buf)
            buf -= 1.0
            buf *= 0.5
            np.floor(buf, out=buf)
            assert self.has_votes is not None
            buf += self.has_votes
        elif m == "modified-sainte-lague":
            # first seat at t >= 1.4, then floor((t - 1)/2) + 1 as for Sainte-Laguë
            np.multiply(v, x, out=buf)
            reached = buf >= 1.4
            buf -= 1.0
            buf *= 0.5
            np.floor(buf, out=buf)
            buf += 1.0
            np.maximum(buf, 1.0, out=buf)
            buf *= reached
        else:
            # d(n) = a*n + b: seats = floor((t - b)/a) + 1 = floor(t/a + (a - b)/a), never
            # negative; Adams (b = 0) gives a first seat to every unit with votes only.
            a, b = _LINEAR[m]
            np.multiply(v, x / a, out=buf)
            if self.has_votes is None:
                buf += (a - b) / a
                np.floor(buf, out=buf)
            else:
                np.floor(buf, out=buf)
                buf += self.has_votes
        if self.clip:
            np.clip(buf, self.lo, self.hi, out=buf)
        return buf

    def total(self, x: float) -> float:
        """The house size at x."""
        return float(self.seats(x).sum())

    def first_guess(self, house: int, total: float) -> float:
        """An x whose house size is close to ``house`` (each unit's fractional seat
        averages 1/2), so the search usually needs two or three trials."""
        if total <= 0:
            return 1.0
        units = float(np.count_nonzero(self.v))
        if self.method in _LINEAR and self.method != "modified-sainte-lague":
            a, b = _LINEAR[self.method]
            guess = a * (house - units * (0.5 - b / a)) / total
        else:  # both round near the arithmetic mean of their divisors: seats ~ v*x/step
            step = 2.0 if self.method == "modified-sainte-lague" else 1.0
            guess = step * house / total
        return guess if guess > 0 else house / total


def _search_divisor(
    count: Callable[[float], float], x0: float, c0: float, house: int, tol: int
) -> float | None:
    """An x with ``|count(x) - house| <= tol``; ``count`` is non-decreasing in x and
    nearly linear. Secant steps (each at most a factor of 4) until a trial lands within
    ``tol`` or two trials bracket ``house``, then false position, bisecting whenever one
    end of the bracket stalls. None if nothing is found (the caller stays exact)."""
    x, c = x0, c0
    px, pc = x0, c0
    xa = xb = math.nan
    ca = cb = math.nan
    for _ in range(64):
        if abs(c - house) <= tol:
            return x
        if c < house and not xa >= x:
            xa, ca = x, c
        if c > house and not xb <= x:
            xb, cb = x, c
        if xa < xb:  # bracketed (comparisons with nan are False)
            break
        if pc != c:
            nx = x + (house - c) * (x - px) / (c - pc)
        else:
            nx = x * house / c if c > 0 else 4.0 * x
        nx = min(max(nx, x / 4.0), 4.0 * x)
        if (nx > x) != (c < house):  # a step must go toward `house`
            nx = 2.0 * x if c < house else x / 2.0
        px, pc = x, c
        x, c = nx, count(nx)
    else:
        return None
    side = 0
    for _ in range(100):
        xm = xa + (xb - xa) * (house - ca) / (cb - ca)
        if abs(side) >= 2 or not xa < xm < xb:
            xm = (xa + xb) / 2
        if not xa < xm < xb:  # the bracket is as narrow as floats allow
            return xa
        cm = count(xm)
        if abs(cm - house) <= tol:
            return xm
        if cm < house:
            xa, ca = xm, cm
            side = side + 1 if side > 0 else 1
        else:
            xb, cb = xm, cm
            side = side - 1 if side < 0 else -1
    return xa


def _float_quot(method: str, v: FloatArray, n: FloatArray, buf: FloatArray) -> FloatArray:
    """Float quotient for seat n+1 (the comparable value; inf for zero divisors), written
    into and returned as ``buf``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "huntington-hill":
            np.add(n, 1.0, out=buf)
            buf *= n
            np.sqrt(buf, out=buf)
        elif method == "modified-sainte-lague":
            np.multiply(n, 2.0, out=buf)
            buf += 1.0
            np.putmask(buf, n == 0, 1.4)
        else:
            a, b = _LINEAR[method]
            np.multiply(n, float(a), out=buf)
            buf += b
        np.divide(v, buf, out=buf)
    # zero divisor (Adams and Huntington-Hill at n = 0, any method one seat below 0):
    # infinite for positive weight, and 0 rather than nan for zero weight
    buf[np.isnan(buf)] = 0.0
    return buf


def _divisor_fast(
    method: str,
    units: Sequence[str],
    vals: Sequence[int],
    house: int,
    lo: int,
    hi: int | None,
    lot: Lot,
    *,
    array: IntArray | None = None,
    to_dict: Callable[[IntArray], dict[str, int]] | None = None,
) -> tuple[dict[str, int], _Boundary]:
    """Float pass to find the divisor, then exact settling and an exact certificate.

    The float pass only proposes an allocation; correctness comes from the certificate: an
    allocation with the right total is the highest-averages result iff the smallest exact
    winning quotient is >= the largest exact losing one. Floats pick the few candidates for
    that min and max (within a relative band far wider than float error), exact keys decide.
    ``array`` is ``vals`` as int64 when the caller has it; ``to_dict`` turns the seats array
    into the result (default: a dict over ``units``).
    """
    v = np.asarray(vals, dtype=np.float64) if array is None else array.astype(np.float64)
    counter = _FloatCounter(method, v, lo, hi)
    scratch = np.empty_like(v)
    finish = to_dict if to_dict is not None else (lambda n: _to_dict(units, n))
    # Equal weights make the house size jump by several seats at once, so the search
    # stops within `tol` of `house`; the float fix-up and the exact certificate below
    # settle the rest.
    tol = max(1, len(units) // 2048)
    x = counter.first_guess(house, float(v.sum()))
    c = counter.total(x)
    if abs(c - house) > tol:
        found = _search_divisor(counter.total, x, c, house, tol)
        if found is None:
            return _divisor_exact(method, units, vals, house, lo, hi, lot)
        x = found
    n = counter.seats(x).astype(np.int64)

    # Fix the total with float priorities (cheap; the certificate below makes it exact).
    # Every pass writes into `nf` and `scratch`: a fresh 800 kB array per step would cost
    # more in page faults than the arithmetic.
    nf = np.empty_like(v)
    for _ in range(64):
        diff = house - int(n.sum())
        if diff == 0:
            break
        np.copyto(nf, n)
        if diff > 0:
            q = _float_quot(method, v, nf, scratch)
            # never more seats than units below their cap: a masked unit must not be picked
            k = min(diff, len(units) if hi is None else int(np.count_nonzero(n < hi)))
            if k == 0:
                break
            if hi is not None:
                np.putmask(q, n >= hi, -np.inf)
            np.negative(q, out=q)
            n[np.argpartition(q, k - 1)[:k]] += 1
        else:
            nf -= 1.0
            q = _float_quot(method, v, nf, scratch)
            k = min(-diff, int(np.count_nonzero(n > lo)))
            if k == 0:
                break
            np.putmask(q, n <= lo, np.inf)
            n[np.argpartition(q, k - 1)[:k]] -= 1
    # cannot happen for valid input; the certificate below assumes both, so stay exact
    if int(n.sum()) != house or int(n.min()) < lo or (hi is not None and int(n.max()) > hi):
        return _divisor_exact(method, units, vals, house, lo, hi, lot)

    key = _divisor_key(method)
    for _ in range(10 * len(units) + 10):
        np.copyto(nf, n)
        below_cap = None if hi is None else n < hi
        out_c = _near(_float_quot(method, v, nf, scratch), below_cap, max_side=True)
        nf -= 1.0
        in_c = _near(_float_quot(method, v, nf, scratch), n > lo, max_side=False)
        best_out = max(((key(vals[i], int(n[i])), i) for i in out_c), default=None)
        worst_in = min(((key(vals[i], int(n[i]) - 1), i) for i in in_c), default=None)
        if best_out is None or worst_in is None or best_out[0] < worst_in[0]:
            last = worst_in[0] if worst_in else None
            _check_not_zero_boundary(last)
            return finish(n), _Boundary(last, best_out[0] if best_out else None)
        if best_out[0] > worst_in[0]:  # the float pass misplaced a seat: move it, recheck
            n[worst_in[1]] -= 1
            n[best_out[1]] += 1
            continue
        # Exact tie at the boundary: every unit whose last or next quotient equals it.
        tie = best_out[0]
        _check_not_zero_boundary(tie)
        tied_in = [i for i in in_c if key(vals[i], int(n[i]) - 1) == tie]
        tied_out = [i for i in out_c if key(vals[i], int(n[i])) == tie]
        for i in tied_in:
            n[i] -= 1
        name_of = {units[i]: i for i in tied_in + tied_out}
        order = lot.order(list(name_of), f"{method}: last {len(tied_in)} seat(s)")
        for u in order[: len(tied_in)]:
            n[name_of[u]] += 1
        return finish(n), _Boundary(tie, tie)
    return _divisor_exact(method, units, vals, house, lo, hi, lot)  # pragma: no cover


def _near(q: FloatArray, mask: npt.NDArray[np.bool_] | None, *, max_side: bool) -> list[int]:
    """Indices (within mask; None: all) whose float value could be the exact max (or min).
    ``q`` is a scratch array and is overwritten outside the mask."""
    sentinel = -np.inf if max_side else np.inf
    if mask is not None:
        if not mask.any():
            return []
        np.putmask(q, ~mask, sentinel)
    target = float(q.max()) if max_side else float(q.min())
    if math.isinf(target):
        sel = q == target
        if mask is not None:
            sel &= mask
    else:
        margin = abs(target) * _BAND + 1e-300
        sel = q >= target - margin if max_side else q <= target + margin
    return [int(i) for i in np.flatnonzero(sel)]


_TABLE_UNITS = 50  # explanation tables are shown in full up to this many units


def _divisor_steps(
    method: str,
    keep: Sequence[str],
    w: dict[str, int],
    result: dict[str, int],
    boundary: _Boundary,
    lo: int,
) -> dict[str, Any]:
    key = _divisor_key(method)
    steps: dict[str, Any] = {"kind": "divisor"}
    if method == "huntington-hill":
        steps["divisors"] = "sqrt(n(n+1)) for seat n+1; n=0 -> infinite priority"
    elif method == "modified-sainte-lague":
        steps["divisors"] = "1.4, 3, 5, 7, ..."
    elif method == "adams":
        steps["divisors"] = "0, 1, 2, 3, ...; 0 -> infinite priority"
    else:
        a, b = _LINEAR[method]
        steps["divisors"] = ", ".join(str(a * i + b) for i in range(4)) + ", ..."
    if boundary.last is not None:
        steps["last_quotient"] = _key_json(boundary.last, method)
        steps["divisor"] = None if boundary.last[0] == 1 else w_total_div(boundary.last, method)
    if boundary.next is not None:
        steps["next_quotient"] = _key_json(boundary.next, method)
    if len(keep) <= _TABLE_UNITS:
        # Quotient rows per unit (seats n = lo .. won+1, at most 12), marking the winners.
        table: dict[str, list[dict[str, Any]]] = {}
        for u in keep:
            rows = []
            for n in range(lo, min(result[u] + 1, lo + 12)):
                rows.append(
                    {
                        "seat": n + 1,
                        "quotient": _key_json(key(w[u], n), method),
                        "won": n < result[u],
                    }
                )
            table[u] = rows
        steps["quotients"] = table
        house = sum(result.values())
        if house - lo * len(keep) <= 200:
            order: list[tuple[Key, str]] = []
            for u in keep:
                order += [(key(w[u], n), u) for n in range(lo, result[u])]
            order.sort(key=lambda t: (-t[0][0], -t[0][1], t[1]))
            steps["order"] = [{"unit": u, "quotient": _key_json(k, method)} for k, u in order]
    else:
        steps["quotients"] = None
        steps["table_omitted"] = f"{len(keep)} units (> {_TABLE_UNITS})"
    return steps


def w_total_div(last: Key, method: str) -> float:
    """The divisor (votes per seat at the boundary) implied by the last winning quotient."""
    q = _key_float(last, method)
    return q
