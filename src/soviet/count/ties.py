"""Tie-breaking shared by every counting method.

The documented rule: a tie is first broken by earlier rounds (the method decides
what that means, e.g. the candidate with fewer votes at the most recent round
where the tied candidates differed), then by lot. The lot is drawn from a
seeded generator whose seed the result records, so any count can be replayed
exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from soviet.count.names import DEFAULT_SEED

__all__ = ["DEFAULT_SEED", "Lot"]


@dataclass
class Lot:
    """A reproducible drawing of lots; every draw is logged on the result."""

    seed: int = DEFAULT_SEED
    draws: list[dict[str, object]] = field(default_factory=list)
    _rng: np.random.Generator = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)

    def choose(self, tied: Sequence[str], purpose: str) -> str:
        """Pick one of ``tied`` (given in a stable order) by lot and log the draw."""
        ordered = sorted(tied)
        if len(ordered) == 1:
            return ordered[0]
        pick = ordered[int(self._rng.integers(len(ordered)))]
        self.draws.append({"purpose": purpose, "tied": ordered, "chosen": pick})
        return pick

    def order(self, tied: Sequence[str], purpose: str) -> list[str]:
        """A random order of ``tied`` (first = favoured), logged as one draw."""
        ordered = sorted(tied)
        if len(ordered) <= 1:
            return ordered
        perm = [ordered[i] for i in self._rng.permutation(len(ordered))]
        self.draws.append({"purpose": purpose, "tied": ordered, "order": perm})
        return perm
