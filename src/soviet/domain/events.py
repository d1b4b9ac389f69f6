"""Domain events: the facts the ledger records.

Payloads hold only JSON values without floats (strings, integers, booleans, null,
lists, objects), so their canonical form is unambiguous (see docs/decisions/0002).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    """One fact: its type name and its payload."""

    type: str
    payload: dict[str, Any]
