"""Julian and Gregorian dates.

Russia kept the Julian calendar until February 1918 (SYSTEM.md, "Dates"); the engine
stores every date as a proleptic Gregorian ``datetime.date`` and converts for display
and input.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from convertdate import julian

Calendar = Literal["gregorian", "julian"]
_DATE = re.compile(r"([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})")


def julian_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Julian (Old Style) date."""
    y, m, d = julian.to_gregorian(year, month, day)
    return dt.date(y, m, d)


def gregorian_to_julian(date: dt.date) -> tuple[int, int, int]:
    """The Julian (Old Style) year, month and day of a Gregorian date."""
    y, m, d = julian.from_gregorian(date.year, date.month, date.day)
    return int(y), int(m), int(d)


def parse_date(text: str, calendar: Calendar = "gregorian") -> dt.date:
    """Parse ``YYYY-MM-DD`` given in ``calendar``; raises ValueError naming the text."""
    found = _DATE.fullmatch(text)
    try:
        if found is None:  # ASCII digits only: int() would take "٢٠٢٠"
            raise ValueError
        y, m, d = (int(part) for part in found.groups())
        if calendar == "julian":
            if not julian.legal_date(y, m, d):
                raise ValueError
            return julian_to_gregorian(y, m, d)
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise ValueError(f"not a {calendar} date (YYYY-MM-DD): {shown!r}") from None


# Russia's first Gregorian day: 14 February 1918 followed 31 January (Old Style).
GREGORIAN_IN_RUSSIA = dt.date(1918, 2, 14)


def format_dual(date: dt.date) -> str:
    """``7 Nov 1917 (25 Oct 1917 O.S.)``: Gregorian first, and the Julian date in brackets
    while Russia still used it (before 14 Feb 1918); later dates plain."""
    if date >= GREGORIAN_IN_RUSSIA:
        return f"{date.day} {date.strftime('%b %Y')}"
    y, m, d = gregorian_to_julian(date)
    old = dt.date(y, m, d) if (m, d) != (2, 29) else None
    old_text = f"{d} {old.strftime('%b') if old else 'Feb'} {y}"
    return f"{date.day} {date.strftime('%b %Y')} ({old_text} O.S.)"
