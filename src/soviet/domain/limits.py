"""The engine's bounds: sizes refused up front, with the limit named.

One place for every limit, so the counting engine, the council rules, the input
parsers and the storage columns agree. A value past a bound is refused before any
work is done on it (a 10^12-seat rule must not allocate 6 GB first).
"""

from __future__ import annotations

import re

from soviet.count.limits import FILE_BYTES_MAX, SEATS_MAX, VOTES_MAX
from soviet.domain.errors import _SHOWN_MAX, DomainError

#: Names of councils, constituencies, delegates, groups, congresses (VARCHAR(200) columns).
NAME_MAX = 200
#: Free text: motion texts, reasons, descriptions (kept well below what a page can show).
TEXT_MAX = 100_000
#: Seats in any one council, congress, committee or apportionment (the counting engine's bound).
MAX_SEATS = SEATS_MAX
#: Electors of one constituency, votes for one candidate, members of one roll.
MAX_ELECTORS = VOTES_MAX
#: Short codes stored in VARCHAR(40) columns: recall thresholds, quora, majorities.
CODE_MAX = 40
#: Integers stored in BIGINT columns.
INT64_MAX = 2**63 - 1


def check_at_most(field: str, value: int, limit: int) -> int:
    """``value`` if it is at most ``limit``; otherwise a DomainError naming both."""
    if value > limit:
        message = f"{field} {value} is above the limit of {limit:,}"
        raise DomainError(message, field=field, value=value)
    return value


#: Bytes of any file read whole: scenario, ballot and checkpoint files (``/dev/zero`` or a
#: multi-GB file is refused, not read to the end).
FILE_MAX = FILE_BYTES_MAX
#: Nodes that the aliases (``*name``) of one YAML file may add when expanded: plenty for
#: shared settings, far too few for an alias bomb.
YAML_ALIAS_EXPANSION_MAX = 100_000
#: Characters of a user-supplied value shown in an error line (the rest becomes "…").
ECHO_MAX = _SHOWN_MAX
#: Characters of one error line in all.
ERROR_LINE_MAX = 1_000

# Characters refused in any name or text: NUL (PostgreSQL cannot store it) and the other C0
# controls and DEL; texts may hold tabs and line breaks, names may not.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shorten(text: str, limit: int = ECHO_MAX) -> str:
    """``text`` cut to ``limit`` characters, with "…" when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_string(field: str, value: str, limit: int = NAME_MAX, *, text: bool = False) -> str:
    """``value`` if it has at most ``limit`` characters and no control character (a
    ``text`` may hold tabs and line breaks); otherwise a DomainError naming the field."""
    if len(value) > limit:
        message = f"{field}: {len(value):,} characters is above the limit of {limit:,}"
        raise DomainError(message, field=field, value=shorten(value, 40))
    found = (_TEXT_CONTROL if text else _CONTROL).search(value)
    if found is not None:
        message = (
            f"{field}: control character U+{ord(found[0]):04X} at position {found.start()} "
            f"in {shorten(value, 60)!r}"
        )
        raise DomainError(message, field=field, value=shorten(value, 60))
    return value


def check_int64(field: str, value: int) -> int:
    """``value`` if it fits a signed 64-bit integer; otherwise a DomainError naming it."""
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        shown = shorten(str(value), 40)
        message = f"{field} {shown} does not fit a 64-bit integer (at most {INT64_MAX:,})"
        raise DomainError(message, field=field, value=shown)
    return value


#: A command dated more than this many years before the first, or after the last, date on
#: record (any date an event carries) is refused as a likely typo (1197 for 1917) unless
#: the command says ``force_date``.
DATE_SPAN_YEARS = 10
