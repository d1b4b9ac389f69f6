"""Apportionment: turning weights (votes, headcounts) into seats, exactly and explained.

Every rule is a :class:`SeatRule` with ``allocate(weights, seats, lot=...)`` returning an
:class:`Allocation`, so councils can swap rules freely:

* :class:`DivisorMethod` - highest averages (D'Hondt, Sainte-Laguë, modified Sainte-Laguë,
  Huntington-Hill, Adams, Danish);
* :class:`LargestRemainder` - Hare, Droop, Hagenbach-Bischoff, Imperiali quotas;
* :class:`PerUnit` - "one seat per N, at least one each" (the Petrograd rule, 004:170);
* :class:`Fixed` and :class:`Parity` (22 and 22, 003:38761).

Arithmetic is exact: quotients and remainders are compared as integers or fractions (for
Huntington-Hill the squared quotient v²/(n(n+1))), never as floats. For large inputs a NumPy
float pass locates the boundary and only the few quotients near it are settled exactly,
then the result is certified exactly (see ``_divisor_fast``).

Rules stated once here and in docs/decisions/0004-apportionment.md:

* Weights: unit names are non-empty strings; weights are integers >= 0 (an int or anything
  with ``__index__``, e.g. NumPy integers; never a bool). The seats come back as a dict with
  every unit, in input order, 0 allowed.

* Thresholds: a unit qualifies if its share of the total weight (all units) is ``>= threshold``
  (a :class:`~fractions.Fraction`, compared exactly) and its weight is ``>= threshold_votes``;
  when both are given, both must be met. Non-qualifying units get 0 seats and are listed in
  ``steps["excluded"]``; ``minimum`` applies to qualifying units only.
* Divisor methods with ``minimum``/``maximum``: every qualifying unit starts with its minimum and
  the highest-averages sequence continues from there (quotients for n = minimum, minimum+1, ...);
  a unit at its maximum receives no further quotients.
* Zero divisors (Adams, Huntington-Hill, n = 0): the quotient is infinite, so every unit with a
  nonzero weight gets a first seat before anyone gets a second. If there are fewer seats than
  such units, the first seats go by weight (the limit of v/ε), then by lot.
* Largest remainder with ``minimum``/``maximum``: units whose seats exceed their maximum (else:
  fall below their minimum) are fixed there and the rest is re-apportioned, until none does.
  If integer parts exceed the house size (Imperiali, rarely Droop), seats are taken back from
  the units with the smallest remainders.
* Ties for the last seat(s): broken by lot (:class:`~soviet.count.ties.Lot`), every draw recorded.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import math
import operator
from array import array as CArray
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, Protocol, overload

import numpy as np
import numpy.typing as npt

from soviet.count.ties import Lot

__all__ = [
    "DIVISOR_METHODS",
    "QUOTAS",
    "Allocation",
    "ApportionmentError",
    "DivisorMethod",
    "Fixed",
    "LargestRemainder",
    "Parity",
    "PerUnit",
    "SeatRule",
    "rule_from_config",
]

# Units above this count go through the NumPy path; below it the exact heap is faster.
_FAST_MIN_UNITS = 64
# Weights above this lose float precision badly enough that the float pass is pointless.
_FLOAT_SAFE = 2**52
# Relative tolerance for "this float is near the boundary, settle it exactly" (float error ~1e-15).
_BAND = 1e-9

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class ApportionmentError(ValueError):
    """Misuse of an apportionment rule; the message names the field and the value."""


@dataclass(frozen=True)
class Allocation:
    """Seats per unit (every input unit present, 0 allowed) and how they were found."""

    method: str
    seats: dict[str, int]
    steps: dict[str, Any]
    seed: int | None = None
    tie_breaks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The house size."""
        return sum(self.seats.values())

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (keys: method, seats, steps, seed, tie_breaks)."""
        return {
            "method": self.method,
            "seats": dict(self.seats),
            "steps": self.steps,
            "seed": self.seed,
            "tie_breaks": list(self.tie_breaks),
        }


class SeatRule(Protocol):
    """Anything that turns weights into seats (``name`` is read-only on the built-in rules)."""

    @property
    def name(self) -> str: ...

    def allocate(
        self, weights: Mapping[str, int], seats: int | None = None, *, lot: Lot | None = None
    ) -> Allocation: ...


# --------------------------------------------------------------------------- helpers


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: building 100,000-entry dicts of fresh ints otherwise triggers
    full collections that cost more than the apportionment itself (no cycles are made)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _IntView(Sequence[int]):
    """An int64 array read as a sequence of Python ints, converted on access: the exact
    steps touch a handful of units, so converting all 100,000 up front would be waste."""

    __slots__ = ("array",)

    def __init__(self, array: IntArray) -> None:
        self.array = array

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return self.array[i].tolist()  # type: ignore[no-any-return]
        return int(self.array[i])

    def __len__(self) -> int:
        return len(self.array)

    def __iter__(self) -> Iterator[int]:
        return iter(self.array.tolist())


@dataclass(frozen=True)
class _Weights:
    """Validated weights: the names and values in input order (values as plain ints), the
    values as int64 when every one fits (None when some weight needs a big integer), and a
    dict with the same keys in the same order (its values may be any integer type)."""

    by_name: dict[str, int]
    names: list[str]
    values: Sequence[int]
    array: IntArray | None

    def subset(self, at: IntArray | None) -> tuple[Sequence[int], IntArray | None]:
        """Values (sequence and array) at positions ``at`` (None: all of them)."""
        if at is None:
            return self.values, self.array
        if self.array is None:
            return [self.values[i] for i in at.tolist()], None
        part = self.array[at]
        return _IntView(part), part

    def seats_dict(self, at: IntArray | None, seats: npt.NDArray[Any]) -> dict[str, int]:
        """Seats by name for every unit: ``seats`` at positions ``at`` (None: all), 0 elsewhere."""
        if at is None:
            return _to_dict(self.names, seats, self.by_name)
        full = np.zeros(len(self.names), dtype=seats.dtype)
        full[at] = seats
        return _to_dict(self.names, full, self.by_name)


def _check_weights(weights: Mapping[str, int]) -> _Weights:
    if not weights:
        raise ApportionmentError("weights: no units given")
    # names and values from one dict, so that a Mapping iterating its keys in another
    # order than its values cannot pair a weight with the wrong unit
    as_dict = _as_dict(weights)
    names = list(as_dict)
    vals = list(as_dict.values())
    # The common case (str keys, ints that fit in int64) is checked by whole-list passes in
    # C, without per-unit Python code, which would dominate the cost at 100,000 units.
    # str.join accepts only strings; array("q") only integers (anything with __index__).
    try:
        keys_ok = "" not in as_dict and bool("".join(names))
    except TypeError:
        keys_ok = False
    if keys_ok:
        try:
            arr = _int64_or_none(vals)
        except TypeError:
            pass  # a value that is not an integer: the checks below name it
        else:
            if arr is None:  # big integers: exact Python ints, no int64 array
                if set(map(type, vals)) == {int} and min(vals) >= 0:
                    return _Weights(as_dict, names, vals, None)
            elif int(arr.min()) >= 0:
                # bool is an int subclass that array("q") accepts; it can only be a 0 or 1
                maybe_bool = np.flatnonzero(arr <= 1).tolist()
                if not any(type(vals[i]) is bool for i in maybe_bool):
                    return _Weights(as_dict, names, _IntView(arr), arr)
    out: dict[str, int] = {}
    for name, w in as_dict.items():
        if not isinstance(name, str) or not name:
            raise ApportionmentError(f"weights: unit name {name!r} must be a non-empty string")
        # an integer is an int or anything with __index__ (NumPy integers), but not a bool
        try:
            value = operator.index(w) if not isinstance(w, bool | np.bool_) else None
        except TypeError:
            value = None
        if type(value) is not int:
            raise ApportionmentError(f"weights[{name!r}]: {w!r} is not an integer")
        if value < 0:
            raise ApportionmentError(f"weights[{name!r}]: {w} is negative")
        out[name] = value
    vals = list(out.values())
    return _Weights(out, list(out), vals, _int64_or_none(vals))


def _as_dict(weights: Mapping[str, int]) -> dict[str, int]:
    # read-only from here on, so a plain dict needs no copy
    return weights if type(weights) is dict else dict(weights)


def _int64_or_none(vals: list[int]) -> IntArray | None:
    """The values as a read-only int64 array, or None if one needs a big integer; a value
    that is not an integer (no ``__index__``) raises TypeError.

    ``array.array`` (CArray) converts a list of ints in one C loop, faster than NumPy's own
    conversion from a list; NumPy then views its buffer without a copy.
    """
    try:
        return np.frombuffer(CArray("q", vals), dtype=np.int64)
    except OverflowError:
        return None


def _check_seats(seats: int | None, method: str) -> int:
    if seats is None:
        raise ApportionmentError(f"seats: {method} needs a house size")
    if isinstance(seats, bool) or not isinstance(seats, int | np.integer) or seats < 0:
        raise ApportionmentError(f"seats: {seats!r} must be a non-negative integer")
    return int(seats)


def _frac_json(x: Fraction) -> str:
    return str(x)


def _to_fraction(value: Any, field_name: str) -> Fraction:
    try:
        f = Fraction(str(value)) if not isinstance(value, Fraction) else value
    except (ValueError, ZeroDivisionError) as exc:
        raise ApportionmentError(f"{field_name}: {value!r} is not a number") from exc
    return f


def _qualifying(
    weights: _Weights, threshold: Fraction | None, threshold_votes: int | None
) -> tuple[Sequence[str], dict[str, str], IntArray | None]:
    """Units meeting every threshold, the excluded ones with the reason, and the positions
    of the qualifying units (None when every unit qualifies)."""
    if threshold is None and threshold_votes is None:
        return weights.names, {}, None
    names, vals, arr = weights.names, weights.values, weights.array
    total = _exact_sum(vals, arr)
    # v/total >= t  <=>  v >= ceil(t * total): one exact integer cut-off per threshold
    share_cut = -((-threshold.numerator * total) // threshold.denominator) if threshold else 0
    votes_cut = threshold_votes or 0
    cut = max(share_cut, votes_cut)
    if arr is not None and cut <= np.iinfo(np.int64).max:
        below = arr < cut
    else:
        below = np.fromiter((v < cut for v in vals), dtype=bool, count=len(vals))
    out = np.flatnonzero(below)
    if out.size == len(names) or (threshold is not None and total == 0):
        raise ApportionmentError(
            f"threshold: no unit reaches threshold={threshold} threshold_votes={threshold_votes}"
        )
    if out.size == 0:
        return names, {}, None
    by_share = f"share below threshold {threshold}"
    by_votes = f"weight below threshold_votes {threshold_votes}"
    out_names = itertools.compress(names, below.tolist())
    if threshold is None or share_cut <= 0:  # no unit is below the share cut-off
        excluded = dict.fromkeys(out_names, by_votes)
    elif threshold_votes is None or votes_cut <= share_cut:  # every excluded unit is
        excluded = dict.fromkeys(out_names, by_share)
    else:  # both cut: the share reason for units below the share cut-off, checked first
        reasons = [by_share if vals[i] < share_cut else by_votes for i in out.tolist()]
        excluded = dict(zip(out_names, reasons, strict=True))
    at = np.flatnonzero(~below)
    return _Picked(names, at), excluded, at


def _exact_sum(vals: Sequence[int], array: IntArray | None) -> int:
    """The sum of the weights: in int64 when it cannot overflow (every weight below
    2**62 / units), in Python ints otherwise."""
    if array is not None and int(array.max()) * len(vals) < 2**62:
        return int(array.sum())
    return sum(vals)


def _pick(names: list[str], at: IntArray) -> list[str]:
    """``names`` at positions ``at``, gathered in C rather than in a comprehension."""
    return list(map(names.__getitem__, at.tolist()))


class _Picked(Sequence[str]):
    """``names`` at positions ``at``, looked up on access: the qualifying units are read
    one at a time (ties, short tables), so a list of 100,000 names would be waste."""

    __slots__ = ("at", "names")

    def __init__(self, names: list[str], at: IntArray) -> None:
        self.names, self.at = names, at

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return _pick(self.names, self.at[i])
        return self.names[int(self.at[i])]

    def __len__(self) -> int:
        return len(self.at)

    def __iter__(self) -> Iterator[str]:
        return iter(_pick(self.names, self.at))


def _check_limits(minimum: int, maximum: int | None) -> None:
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
        raise ApportionmentError(f"minimum: {minimum!r} must be a non-negative integer")
    if maximum is not None and (
        isinstance(maximum, bool) or not isinstance(maximum, int) or maximum < minimum
    ):
        raise ApportionmentError(f"maximum: {maximum!r} must be an integer >= minimum {minimum}")


def _check_threshold(threshold: Fraction | None, threshold_votes: int | None) -> Fraction | None:
    t = None
    if threshold is not None:
        t = _to_fraction(threshold, "threshold")
        if not 0 <= t <= 1:
            raise ApportionmentError(f"threshold: {threshold} must be between 0 and 1")
    if threshold_votes is not None and (
        isinstance(threshold_votes, bool)
        or not isinstance(threshold_votes, int)
        or threshold_votes < 0
    ):
        raise ApportionmentError(
            f"threshold_votes: {threshold_votes!r} must be a non-negative integer"
        )
    return t


# --------------------------------------------------------------------------- divisor methods

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
DIVISOR_METHODS = (
    "dhondt",
    "sainte-lague",
    "modified-sainte-lague",
    "huntington-hill",
    "adams",
    "danish",
)
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


def _to_dict(
    units: Sequence[str], n: npt.NDArray[Any], like: dict[str, int] | None = None
) -> dict[str, int]:
    """Seats by unit name. ``like``, when given, is a dict whose keys are exactly ``units``
    in order: copying it and overwriting the values skips the resizes of a dict built
    one key at a time, which is most of the cost at 100,000 units."""
    if like is None or len(like) != len(units):
        return dict(zip(units, n.tolist(), strict=True))
    out = like.copy()
    out.update(zip(units, n.tolist(), strict=True))
    return out


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


# --------------------------------------------------------------------------- largest remainder

QUOTAS = ("hare", "droop", "hagenbach-bischoff", "imperiali")


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


# --------------------------------------------------------------------------- other rules


@dataclass(frozen=True)
class PerUnit:
    """One seat per ``per`` of weight, at least ``minimum`` per unit (Petrograd, 004:170).

    The house size is derived; a ``seats`` argument must be None or equal to it.
    """

    per: int
    minimum: int = 1
    rounding: Literal["floor", "round", "ceil"] = "floor"
    name: str = "per-unit"

    def __post_init__(self) -> None:
        if isinstance(self.per, bool) or not isinstance(self.per, int) or self.per <= 0:
            raise ApportionmentError(f"per: {self.per!r} must be a positive integer")
        _check_limits(self.minimum, None)
        if self.rounding not in ("floor", "round", "ceil"):
            raise ApportionmentError(f"rounding: {self.rounding!r} must be floor, round or ceil")

    def allocate(
        self, weights: Mapping[str, int], seats: int | None = None, *, lot: Lot | None = None
    ) -> Allocation:
        w = _check_weights(weights)
        per = self.per
        # exact integer division; int64 when 2*v + per cannot overflow, Python ints otherwise
        v: npt.NDArray[Any]
        if w.array is not None and int(w.array.max()) < 2**61 and per < 2**61:
            v = w.array
        else:
            v = np.asarray(list(w.values), dtype=object)
        if self.rounding == "floor":
            raw_arr = v // per
        elif self.rounding == "ceil":
            raw_arr = -(-v // per)
        else:  # round half up, exactly
            raw_arr = (2 * v + per) // (2 * per)
        short = np.flatnonzero(raw_arr < self.minimum)
        seat_arr = np.maximum(raw_arr, self.minimum) if short.size else raw_arr
        result = w.seats_dict(None, seat_arr)
        raw = w.seats_dict(None, raw_arr) if len(w.names) <= 10 * _TABLE_UNITS else None
        total = sum(result.values())
        if seats is not None and seats != total:
            raise ApportionmentError(
                f"seats: {seats} differs from the derived house size {total} (per={self.per})"
            )
        steps: dict[str, Any] = {
            "kind": "per-unit",
            "per": self.per,
            "minimum": self.minimum,
            "rounding": self.rounding,
            "raw_seats": raw,
            "raised_to_minimum": sorted(w.names[i] for i in short.tolist()),
            "house_size": total,
        }
        return Allocation(method=self.name, seats=result, steps=steps, seed=None)


@dataclass(frozen=True)
class Fixed:
    """Fixed seats per unit, whatever the weights (every weighted unit must be listed)."""

    seats: Mapping[str, int]
    name: str = "fixed"

    def __post_init__(self) -> None:
        for u, s in self.seats.items():
            if isinstance(s, bool) or not isinstance(s, int) or s < 0:
                raise ApportionmentError(f"seats[{u!r}]: {s!r} must be a non-negative integer")

    def allocate(
        self, weights: Mapping[str, int], seats: int | None = None, *, lot: Lot | None = None
    ) -> Allocation:
        w = _check_weights(weights).by_name
        missing = [u for u in w if u not in self.seats]
        if missing:
            raise ApportionmentError(f"seats: no fixed seats for unit(s) {', '.join(missing)}")
        result = {u: int(self.seats[u]) for u in w}
        total = sum(result.values())
        if seats is not None and seats != total:
            raise ApportionmentError(f"seats: {seats} differs from the fixed total {total}")
        return Allocation(
            method=self.name, seats=result, steps={"kind": "fixed", "house_size": total}
        )


@dataclass(frozen=True)
class Parity:
    """Each section gets ``seats_per_section``, split inside it by ``within`` (003:38761)."""

    section_of: Mapping[str, str]
    seats_per_section: int
    within: SeatRule
    name: str = "parity"

    def __post_init__(self) -> None:
        s = self.seats_per_section
        if isinstance(s, bool) or not isinstance(s, int) or s < 0:
            raise ApportionmentError(f"seats_per_section: {s!r} must be a non-negative integer")

    def allocate(
        self, weights: Mapping[str, int], seats: int | None = None, *, lot: Lot | None = None
    ) -> Allocation:
        w = _check_weights(weights).by_name
        missing = [u for u in w if u not in self.section_of]
        if missing:
            raise ApportionmentError(f"section_of: no section for unit(s) {', '.join(missing)}")
        sections: dict[str, dict[str, int]] = {}
        for u, v in w.items():
            sections.setdefault(self.section_of[u], {})[u] = v
        total = self.seats_per_section * len(sections)
        if seats is not None and seats != total:
            raise ApportionmentError(
                f"seats: {seats} differs from {self.seats_per_section} x {len(sections)} sections"
            )
        lot = lot if lot is not None else Lot()
        draws_before = len(lot.draws)
        result: dict[str, int] = {}
        per_section: dict[str, Any] = {}
        for sec in sorted(sections):
            a = self.within.allocate(sections[sec], self.seats_per_section, lot=lot)
            result.update(a.seats)
            per_section[sec] = {"method": a.method, "seats": a.seats, "steps": a.steps}
        result = {u: result[u] for u in w}
        return Allocation(
            method=self.name,
            seats=result,
            steps={
                "kind": "parity",
                "seats_per_section": self.seats_per_section,
                "sections": per_section,
            },
            seed=lot.seed,
            tie_breaks=list(lot.draws[draws_before:]),
        )


# --------------------------------------------------------------------------- configuration


def _int_field(config: Mapping[str, Any], key: str, default: int | None) -> int | None:
    if key not in config or config[key] is None:
        return default
    v = config[key]
    if isinstance(v, bool):
        raise ApportionmentError(f"{key}: {v!r} is not an integer")
    if isinstance(v, str):
        try:
            v = int(v)
        except ValueError as exc:
            raise ApportionmentError(f"{key}: {config[key]!r} is not an integer") from exc
    if not isinstance(v, int):
        raise ApportionmentError(f"{key}: {v!r} is not an integer")
    return v


def rule_from_config(config: Mapping[str, Any]) -> SeatRule:
    """Build a rule from a plain mapping, e.g. ``{"method": "dhondt", "threshold": "0.05"}``.

    Methods: the divisor methods, the quotas, ``per-unit`` (per, minimum, rounding),
    ``fixed`` (seats), ``parity`` (section_of, seats_per_section, within).
    """
    if not isinstance(config, Mapping):
        raise ApportionmentError(f"config: {config!r} is not a mapping")
    method = config.get("method")
    allowed_common = {"method", "threshold", "threshold_votes", "minimum", "maximum"}
    allowed = {
        "per-unit": {"method", "per", "minimum", "rounding"},
        "fixed": {"method", "seats"},
        "parity": {"method", "section_of", "seats_per_section", "within"},
    }.get(str(method), allowed_common)
    unknown = sorted(set(config) - allowed)
    if unknown:
        raise ApportionmentError(
            f"{unknown[0]}: unknown key for method {method!r} (value {config[unknown[0]]!r})"
        )
    if method in DIVISOR_METHODS or method in QUOTAS:
        kwargs: dict[str, Any] = {
            "threshold": (
                _to_fraction(config["threshold"], "threshold")
                if config.get("threshold") is not None
                else None
            ),
            "threshold_votes": _int_field(config, "threshold_votes", None),
            "minimum": _int_field(config, "minimum", 0),
            "maximum": _int_field(config, "maximum", None),
        }
        if method in DIVISOR_METHODS:
            return DivisorMethod(str(method), **kwargs)
        return LargestRemainder(str(method), **kwargs)
    if method == "per-unit":
        if "per" not in config:
            raise ApportionmentError("per: missing for method 'per-unit'")
        return PerUnit(
            per=_int_field(config, "per", None),  # type: ignore[arg-type]
            minimum=_int_field(config, "minimum", 1),  # type: ignore[arg-type]
            rounding=config.get("rounding", "floor"),
        )
    if method == "fixed":
        seats = config.get("seats")
        if not isinstance(seats, Mapping):
            raise ApportionmentError(f"seats: {seats!r} must map units to seat counts")
        return Fixed(dict(seats))
    if method == "parity":
        section_of = config.get("section_of")
        if not isinstance(section_of, Mapping):
            raise ApportionmentError(f"section_of: {section_of!r} must map units to sections")
        within = config.get("within")
        if not isinstance(within, Mapping):
            raise ApportionmentError(f"within: {within!r} must be a rule configuration")
        sps = _int_field(config, "seats_per_section", None)
        if sps is None:
            raise ApportionmentError("seats_per_section: missing for method 'parity'")
        return Parity(dict(section_of), sps, rule_from_config(within))
    raise ApportionmentError(
        f"method: {method!r} is not known (divisor: {', '.join(DIVISOR_METHODS)}; "
        f"quota: {', '.join(QUOTAS)}; per-unit, fixed, parity)"
    )
