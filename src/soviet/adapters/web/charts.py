"""Geometry for the pages' inline SVG: hemicycle seats and horizontal bars.

Pure functions of numbers (no state, no rules): the views decide how many seats each
group holds; these only decide where to draw them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Inner radius of the hemicycle, as a share of the outer (the well in the middle).
INNER = 0.4
#: Seat circles' radius as a share of the spacing between rows (the rest is the gap).
SEAT_FILL = 0.42


@dataclass(frozen=True)
class Seat:
    """One seat's centre and radius in SVG units: the hemicycle spans x in [-1, 1] and
    y in [-1, 0] (y grows downwards, so the arc is above the baseline)."""

    x: float
    y: float
    r: float


def _capacities(rows: int) -> tuple[float, list[int]]:
    spacing = (1 - INNER) / rows
    radii = [INNER + spacing * (i + 0.5) for i in range(rows)]
    # Seats whose centres are one spacing apart along each row's half circle.
    return spacing, [max(1, math.floor(math.pi * r / spacing)) + 1 for r in radii]


def _share(total: int, capacities: Sequence[int]) -> list[int]:
    """``total`` seats over rows in proportion to their capacities (largest remainder)."""
    room = sum(capacities)
    quotas = [total * c / room for c in capacities]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], -i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def hemicycle(seats: int) -> list[Seat]:
    """Centres of ``seats`` circles in concentric half rings, ordered left to right (by
    angle, then from the inner ring out), so consecutive seats form a wedge: colour
    them group after group. As few rings as hold them all; an empty list for 0."""
    if seats <= 0:
        return []
    rows = 1
    spacing, capacities = _capacities(rows)
    while sum(capacities) < seats:
        rows += 1
        spacing, capacities = _capacities(rows)
    placed: list[tuple[float, float, Seat]] = []
    for i, k in enumerate(_share(seats, capacities)):
        radius = INNER + spacing * (i + 0.5)
        for j in range(k):
            angle = math.pi / 2 if k == 1 else math.pi * (1 - j / (k - 1))
            seat = Seat(
                round(radius * math.cos(angle), 4),
                round(-radius * math.sin(angle), 4),
                round(spacing * SEAT_FILL, 4),
            )
            placed.append((-angle, radius, seat))
    placed.sort(key=lambda p: (round(p[0], 9), p[1]))
    return [p[2] for p in placed]


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label, the value it shows, and its length as a share of
    the longest (0..1)."""

    label: str
    value: float
    length: float


def bars(values: Sequence[tuple[str, float | None]]) -> list[Bar]:
    """Bars scaled to the largest value (a missing value is a bar of length 0)."""
    top = max((v for _, v in values if v is not None and v > 0), default=0.0)
    return [
        Bar(label, v or 0.0, (v / top) if v is not None and v > 0 and top else 0.0)
        for label, v in values
    ]


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: its key, value, start and length as shares of the
    longest bar (0..1)."""

    key: str
    value: int
    start: float
    length: float


def stacked(rows: Sequence[Mapping[str, int]], order: Sequence[str]) -> list[list[Segment]]:
    """Each row of sizes as a stacked bar, parts in ``order`` (keys not in it after, by
    name), all scaled to the largest row's total; empty parts are left out."""
    top = max((sum(r.values()) for r in rows), default=0)
    bars: list[list[Segment]] = []
    for row in rows:
        keys = [k for k in order if k in row] + sorted(k for k in row if k not in order)
        at = 0
        parts = []
        for key in keys:
            if row[key] > 0:
                parts.append(Segment(key, row[key], at / top, row[key] / top))
                at += row[key]
        bars.append(parts)
    return bars
