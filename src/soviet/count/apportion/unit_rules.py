"""Rules by unit: one seat per N (``PerUnit``, the Petrograd rule, 004:170), fixed seats
(``Fixed``), and parity between sections (``Parity``, 22 and 22, 003:38761).

See the package docstring for the rules stated once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from soviet.count.apportion.base import (
    Allocation,
    ApportionmentError,
    SeatRule,
    _check_limits,
    _check_weights,
    check_house_size,
)
from soviet.count.apportion.divisor import (
    _TABLE_UNITS,
)
from soviet.count.ties import Lot


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
        check_house_size(total, f"seats (derived, per={self.per})")
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
        check_house_size(sum(self.seats.values()), "seats (fixed total)")

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
        check_house_size(s, "seats_per_section")

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
