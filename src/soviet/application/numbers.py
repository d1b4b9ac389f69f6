"""Ranges of numbers as people write them (``1-600``, ``3,7-9``): parsed in one place for
the CLI, scenario files and, later, the HTTP API. ASCII digits only (``str.isdigit``
would take ``²``)."""

from __future__ import annotations

import re

_RANGE = re.compile(r"\s*([0-9]+)\s*-\s*([0-9]+)\s*", re.ASCII)
_PART = re.compile(r"\s*([0-9]+)\s*(?:-\s*([0-9]+)\s*)?", re.ASCII)


def parse_range(text: str) -> range:
    """``FIRST-LAST`` (1 <= FIRST <= LAST) as the numbers it covers."""
    found = _RANGE.fullmatch(text)
    if found is None or not 1 <= int(found[1]) <= int(found[2]):
        raise ValueError(f"a range must look like 1-600, got {text!r}")
    return range(int(found[1]), int(found[2]) + 1)


def parse_numbers(text: str) -> list[int]:
    """Ranges and single numbers separated by commas: ``'1-3,7'`` is ``[1, 2, 3, 7]``."""
    out: list[int] = []
    for part in text.split(","):
        found = _PART.fullmatch(part)
        if found is None:
            raise ValueError(f"numbers must look like 1-650 or 3,7-9, got {text!r}")
        lo = int(found[1])
        hi = int(found[2]) if found[2] is not None else lo
        if hi < lo:
            raise ValueError(f"range {part.strip()!r} runs backwards in {text!r}")
        out.extend(range(lo, hi + 1))
    return out
