"""The engine's bounds: sizes refused up front, with the limit named.

One place for every limit, so the counting engine, the council rules, the input
parsers and the storage columns agree. A value past a bound is refused before any
work is done on it (a 10^12-seat rule must not allocate 6 GB first).
"""

from __future__ import annotations

from soviet.count.limits import SEATS_MAX, VOTES_MAX
from soviet.domain.errors import DomainError

#: Names of councils, constituencies, delegates, groups, congresses (VARCHAR(200) columns).
NAME_MAX = 200
#: Free text: motion texts, reasons, descriptions (kept well below what a page can show).
TEXT_MAX = 100_000
#: Seats in any one council, congress, committee or apportionment (the counting engine's bound).
MAX_SEATS = SEATS_MAX
#: Electors of one constituency, votes for one candidate, members of one roll.
MAX_ELECTORS = VOTES_MAX
#: Integers stored in BIGINT columns.
INT64_MAX = 2**63 - 1


def check_at_most(field: str, value: int, limit: int) -> int:
    """``value`` if it is at most ``limit``; otherwise a DomainError naming both."""
    if value > limit:
        message = f"{field} {value} is above the limit of {limit:,}"
        raise DomainError(message, field=field, value=value)
    return value


#: A command dated more than this many years before the first, or after the last, date on
#: record (any date an event carries) is refused as a likely typo (1197 for 1917) unless
#: the command says ``force_date``.
DATE_SPAN_YEARS = 10
