"""The shared parts of every seat rule: the result (``Allocation``), the rule protocol
(``SeatRule``), and the checks and conversions of weights, seats, limits and thresholds.

See the package docstring for the rules stated once.
"""

from __future__ import annotations

import gc
import itertools
import operator
from array import array as CArray
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol, overload

import numpy as np
import numpy.typing as npt

from soviet.count.limits import SEATS_MAX
from soviet.count.ties import Lot

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
    return check_house_size(int(seats), "seats")


def check_house_size(seats: int, field_name: str) -> int:
    """``seats`` if at most ``SEATS_MAX``; otherwise an ApportionmentError naming the limit,
    raised before anything is allocated (10^12 seats would otherwise fill the memory)."""
    if seats > SEATS_MAX:
        raise ApportionmentError(f"{field_name}: {seats} is above the limit of {SEATS_MAX:,} seats")
    return seats


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
    check_house_size(minimum, "minimum")
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
