"""The dates on record, and the check that a command's date is not far outside them.

The organisation's range is the earliest and the latest date any recorded event carries
(an election's day, a congress's opening, a credential's election date...). A command
dated more than ``DATE_SPAN_YEARS`` years before the first or after the last of them is
refused unless it says ``force_date``: a typed 1197 for 1917 would otherwise sit on the
ledger for good. An empty organisation has no range, and any date is accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.limits import DATE_SPAN_YEARS


@dataclass(frozen=True)
class DateSpan:
    """The first and the last date on record."""

    first: dt.date
    last: dt.date

    def including(self, dates: list[dt.date]) -> DateSpan:
        """This span widened to take in ``dates``."""
        if not dates:
            return self
        return DateSpan(min(self.first, *dates), max(self.last, *dates))

    @classmethod
    def of(cls, dates: list[dt.date]) -> DateSpan | None:
        """The span of ``dates`` (None when there are none)."""
        return cls(min(dates), max(dates)) if dates else None


def event_dates(event: Event) -> list[dt.date]:
    """The dates an event carries in its own fields (not in nested records)."""
    return [value for value in vars(event).values() if isinstance(value, dt.date)]


def widen(span: DateSpan | None, event: Event) -> DateSpan | None:
    """The span after ``event`` is recorded."""
    dates = event_dates(event)
    return DateSpan.of(dates) if span is None else span.including(dates)


def _years_from(date: dt.date, years: int) -> dt.date:
    """``date`` moved by ``years`` (28 February for 29 February; clamped to the calendar)."""
    year = date.year + years
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    try:
        return date.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return date.replace(year=year, day=28)


def check_in_span(field: str, date: dt.date, span: DateSpan | None) -> None:
    """Refuse ``date`` (the command's ``field``) when it lies more than DATE_SPAN_YEARS
    before the first or after the last date on record."""
    if span is None:
        return
    earliest = _years_from(span.first, -DATE_SPAN_YEARS)
    latest = _years_from(span.last, DATE_SPAN_YEARS)
    if earliest <= date <= latest:
        return
    where = (
        f"before the first date on record ({span.first})"
        if date < earliest
        else f"after the last date on record ({span.last})"
    )
    raise DomainError(
        f"{field} {date} is more than {DATE_SPAN_YEARS} years {where}: "
        "give force_date (--force-date) if it is right",
        field=field,
        value=date.isoformat(),
    )
