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

from soviet.count.apportion.base import (
    Allocation,
    ApportionmentError,
    SeatRule,
)
from soviet.count.apportion.config import (
    rule_from_config,
)
from soviet.count.apportion.divisor import (
    DivisorMethod,
)
from soviet.count.apportion.largest_remainder import (
    LargestRemainder,
)
from soviet.count.apportion.unit_rules import (
    Fixed,
    Parity,
    PerUnit,
)
from soviet.count.names import DIVISOR_METHODS, QUOTAS

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
