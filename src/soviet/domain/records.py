"""Keyed collections of state records, and the few questions the rules ask of them.

The state (``Organisation``, ``Congress`` ...) holds its records in mutable mappings,
sets and append-only sequences. In memory they are plain dicts, sets and lists, and the
questions below scan them. A storage adapter may instead hand the rules collections that
load rows on demand (``Indexed``): those answer the same questions from an index, so a
command reads only the rows it needs, whatever the size of the organisation.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection, Iterable, Mapping, MutableMapping
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Indexed(MutableMapping[K, V]):
    """A mapping of records that can answer questions by field value without a scan."""

    @abstractmethod
    def where(self, **equal: object) -> list[V]:
        """The records whose fields equal the values given, in key order."""

    @abstractmethod
    def count(self, **equal: object) -> int:
        """How many records have fields equal to the values given."""

    @abstractmethod
    def keys_where(self, **equal: object) -> list[K]:
        """The keys of the records whose fields equal the values given, in key order
        (no record read whole)."""

    @abstractmethod
    def tally(self, name: str, **equal: object) -> dict[Any, int]:
        """How many of the records whose fields equal the values given have each value
        of field ``name`` (values no record has are left out)."""

    @abstractmethod
    def last_key(self) -> K | None:
        """The greatest key, None when empty."""

    def prefetch(self, keys: Iterable[K]) -> None:
        """Load these keys now, in one go, ahead of lookups one by one."""


def _matches(record: Any, equal: Mapping[str, object]) -> bool:
    return all(getattr(record, name) == value for name, value in equal.items())


def where(records: Mapping[K, V], **equal: object) -> list[V]:
    """The records whose fields equal the values given, in key order."""
    if isinstance(records, Indexed):
        return records.where(**equal)
    return [records[k] for k in sorted(records) if _matches(records[k], equal)]  # type: ignore[type-var]


def count(records: Mapping[K, Any], **equal: object) -> int:
    """How many records have fields equal to the values given."""
    if isinstance(records, Indexed):
        return records.count(**equal)
    return sum(1 for v in records.values() if _matches(v, equal))


def keys_where(records: Mapping[K, Any], **equal: object) -> list[K]:
    """The keys, in order, of the records whose fields equal the values given."""
    if isinstance(records, Indexed):
        return records.keys_where(**equal)
    return [k for k in sorted(records) if _matches(records[k], equal)]  # type: ignore[type-var]


def tally(records: Mapping[K, Any], name: str, **equal: object) -> dict[Any, int]:
    """How many of the records whose fields equal the values given have each value of
    field ``name``."""
    if isinstance(records, Indexed):
        return records.tally(name, **equal)
    out: dict[Any, int] = {}
    for record in records.values():
        if _matches(record, equal):
            value = getattr(record, name)
            out[value] = out.get(value, 0) + 1
    return out


def first(records: Mapping[K, V], **equal: object) -> V | None:
    """The first record (in key order) whose fields equal the values given."""
    found = where(records, **equal)
    return found[0] if found else None


def next_number(records: Mapping[int, Any]) -> int:
    """The next free number of a table of numbered records (1 for an empty one)."""
    if isinstance(records, Indexed):
        last = records.last_key()
        return 1 if last is None else last + 1
    return max(records, default=0) + 1


def prefetch(records: Collection[K], keys: Iterable[K]) -> None:
    """Tell an on-demand collection (a mapping, or a set such as who has voted) which
    keys are about to be read (no-op in memory)."""
    ahead = getattr(records, "prefetch", None)  # Indexed, and storage's value tables
    if ahead is not None:
        ahead(keys)


def keys_with(values: Mapping[K, V], value: V) -> list[K]:
    """The keys of a mapping of plain values that hold ``value``, in key order (every
    elector of one roll); asked of an index when storage offers one."""
    ask = getattr(values, "keys_with", None)
    if ask is not None:
        return list(ask(value))
    return sorted(k for k, v in values.items() if v == value)  # type: ignore[type-var]
