"""Disproportionality indices: how far seat shares stray from vote (or headcount) shares.

Units: Gallagher, Loosemore-Hanby and the Sainte-Laguë index are computed on shares in
**percentage points** (0-100), as in the literature (a Gallagher index of 5 means 5 points);
divide by 100 (Sainte-Laguë index: also by 100) for votelib's fraction scale. The effective
number of parties and the weight ratio are plain numbers.

A unit present in only one mapping counts as 0 in the other. Empty totals give 0.0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

__all__ = [
    "all_indices",
    "effective_number_of_parties",
    "gallagher",
    "loosemore_hanby",
    "max_weight_ratio",
    "sainte_lague_index",
]


def _shares(votes: Mapping[str, int], seats: Mapping[str, int]) -> list[tuple[Fraction, Fraction]]:
    """(vote share, seat share) per unit in percent, exact."""
    tv = sum(votes.values())
    ts = sum(seats.values())
    names = list(votes) + [u for u in seats if u not in votes]
    return [
        (
            Fraction(100 * votes.get(u, 0), tv) if tv else Fraction(0),
            Fraction(100 * seats.get(u, 0), ts) if ts else Fraction(0),
        )
        for u in names
    ]


def gallagher(votes: Mapping[str, int], seats: Mapping[str, int]) -> float:
    """Least-squares index sqrt(½ Σ (v% − s%)²), in percentage points."""
    return math.sqrt(float(sum((v - s) ** 2 for v, s in _shares(votes, seats)) / 2))


def loosemore_hanby(votes: Mapping[str, int], seats: Mapping[str, int]) -> float:
    """½ Σ |v% − s%|, in percentage points (the share of seats "in the wrong place")."""
    return float(sum(abs(v - s) for v, s in _shares(votes, seats)) / 2)


def sainte_lague_index(votes: Mapping[str, int], seats: Mapping[str, int]) -> float:
    """Σ (s% − v%)² / v% over units with votes, on percentages (100 x the fraction form).

    A unit with seats but no votes makes the index infinite.
    """
    total = Fraction(0)
    for v, s in _shares(votes, seats):
        if v == 0:
            if s > 0:
                return math.inf
            continue
        total += (s - v) ** 2 / v
    return float(total)


def effective_number_of_parties(counts: Mapping[str, int]) -> float:
    """Laakso-Taagepera effective number 1 / Σ p², p the fractional shares (0 if no counts)."""
    t = sum(counts.values())
    if t == 0:
        return 0.0
    return float(Fraction(t * t, sum(c * c for c in counts.values())))


def max_weight_ratio(electors: Mapping[str, int], seats: Mapping[str, int]) -> float:
    """Largest ratio of representation weight (seats per elector) between two units.

    Only units with seats > 0 and electors > 0 count; 1.0 if fewer than two such units.
    Petrograd's rule (004:170) gives small workshops many times the weight of big factories.
    """
    weights = [Fraction(seats[u], e) for u, e in electors.items() if e > 0 and seats.get(u, 0) > 0]
    if len(weights) < 2:
        return 1.0
    return float(max(weights) / min(weights))


def all_indices(votes: Mapping[str, int], seats: Mapping[str, int]) -> dict[str, float]:
    """Every index at once (keys: gallagher, loosemore_hanby, sainte_lague, enp_votes,
    enp_seats, max_weight_ratio; the weight ratio uses the votes as electors)."""
    return {
        "gallagher": gallagher(votes, seats),
        "loosemore_hanby": loosemore_hanby(votes, seats),
        "sainte_lague": sainte_lague_index(votes, seats),
        "enp_votes": effective_number_of_parties(votes),
        "enp_seats": effective_number_of_parties(seats),
        "max_weight_ratio": max_weight_ratio(votes, seats),
    }
