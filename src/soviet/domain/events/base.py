"""The base of every domain event, and the registry that reads events back from the ledger.

One frozen dataclass per kind of fact. An event's ledger ``type`` is its class name; its
payload is its fields by name, dates as ISO 8601 text, nested records as plain JSON
objects (typed with ``TypedDict``). The canonical JSON of that payload is what the ledger
hashes (docs/decisions/0002), so renaming a class or a field changes the ledger format:
add a new kind of event instead, or raise ``LEDGER_FORMAT`` and migrate.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Self

LEDGER_FORMAT = 1
"""The version of the event payload format described above."""


class LedgerFormatError(ValueError):
    """A ledger entry that this version of soviet cannot read as an event."""


@dataclasses.dataclass(frozen=True)
class _Field:
    attribute: str
    key: str
    is_date: bool
    omit_if_none: bool


def key(name: str) -> dict[str, Any]:
    """Field metadata: the payload key when it cannot be the attribute name (``from``)."""
    return {"key": name}


OMIT_IF_NONE: dict[str, Any] = {"omit_if_none": True}
"""Field metadata: leave the key out of the payload when the value is None."""

_REGISTRY: dict[str, type[Event]] = {}


class Event:
    """A fact recorded on the ledger. Subclasses are frozen, keyword-only dataclasses."""

    type: ClassVar[str] = "Event"
    _fields: ClassVar[tuple[_Field, ...] | None] = None
    _reader: ClassVar[tuple[frozenset[str], tuple[str, ...], bool] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__ in _REGISTRY:
            raise TypeError(f"two event classes are named {cls.__name__}")
        cls.type = cls.__name__
        cls._fields = None
        cls._reader = None
        _REGISTRY[cls.__name__] = cls

    @classmethod
    def _codec(cls) -> tuple[_Field, ...]:
        if cls._fields is None:
            hints = typing.get_type_hints(cls)
            cls._fields = tuple(
                _Field(
                    f.name,
                    f.metadata.get("key", f.name),
                    _is_date(hints[f.name]),
                    bool(f.metadata.get("omit_if_none")),
                )
                for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            )
        return cls._fields

    @property
    def payload(self) -> dict[str, Any]:
        """The payload as the ledger records it (plain JSON values, no floats)."""
        out: dict[str, Any] = {}
        for f in self._codec():
            value = getattr(self, f.attribute)
            if value is None:
                if f.omit_if_none:
                    continue
            elif f.is_date:
                value = value.isoformat()
            out[f.key] = value
        return out

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """The event a ledger payload records; keys missing from old ledgers take defaults."""
        codec = cls._codec()
        reader = cls._reader
        if reader is None:
            reader = cls._reader = (
                frozenset(f.key for f in codec),
                tuple(f.key for f in codec if f.is_date),
                not any(f.key != f.attribute for f in codec),
            )
        known, dates, same_names = reader
        if same_names and known.issuperset(payload):
            # The common case: keys are the attribute names; only dates need converting.
            kwargs = dict(payload)
            for key in dates:
                value = kwargs.get(key)
                if value is not None:
                    kwargs[key] = dt.date.fromisoformat(value)
            try:
                return cls(**kwargs)
            except TypeError as exc:
                raise LedgerFormatError(f"{cls.type} event cannot be read: {exc}") from None
        kwargs = {}
        for f in codec:
            if f.key in payload:
                value = payload[f.key]
                if f.is_date and value is not None:
                    value = dt.date.fromisoformat(value)
                kwargs[f.attribute] = value
        if len(kwargs) != len(payload):
            unknown = sorted(k for k in payload if k not in known)
            raise LedgerFormatError(
                f"{cls.type} event has unknown fields {unknown}: written by a newer soviet "
                f"(this one reads ledger format {LEDGER_FORMAT})"
            )
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise LedgerFormatError(f"{cls.type} event cannot be read: {exc}") from None


def _is_date(hint: Any) -> bool:
    if hint is dt.date:
        return True
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return dt.date in typing.get_args(hint)
    return False


def event_class(type_name: str) -> type[Event]:
    """The event class recorded under ``type_name`` on the ledger."""
    try:
        return _REGISTRY[type_name]
    except KeyError:
        raise LedgerFormatError(
            f"unknown event type {type_name!r} (this soviet reads ledger format {LEDGER_FORMAT})"
        ) from None


def event_from_record(type_name: str, payload: Mapping[str, Any]) -> Event:
    """Rebuild an event from its ledger type and parsed payload."""
    return event_class(type_name).from_payload(payload)


def event_types() -> frozenset[str]:
    """Every registered event type name."""
    return frozenset(_REGISTRY)
