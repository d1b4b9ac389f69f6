"""The base of every command, and the registry of commands by name.

A command is what someone asks the organisation to do, as plain data: one frozen,
keyword-only dataclass per kind. The CLI, scenario files and the HTTP API all build
commands and hand them to ``CouncilService.handle``; each kind has one handler
(``soviet.application.handlers``) that decides it in one transaction.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from soviet.domain.limits import NAME_MAX, TEXT_MAX, check_int64, check_string

_REGISTRY: dict[str, type[Command]] = {}

#: Fields (of a command, a nested record, or a ``changes`` mapping) holding free text,
#: up to ``TEXT_MAX`` characters with line breaks; every other string is a name.
TEXT_FIELDS = frozenset(
    {"text", "title", "reason", "description", "replaces", "item", "items", "seat_rule"}
)


@dataclass(frozen=True, kw_only=True)
class Command:
    """A request to change the organisation. Subclasses are frozen, keyword-only dataclasses.

    ``force_date`` is a permission, not a fact: it lets a command dated far outside the
    organisation's dates on record through (``soviet.domain.dates``) and is never recorded.
    """

    command_type: ClassVar[str] = "Command"
    force_date: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__ in _REGISTRY:
            raise TypeError(f"two command classes are named {cls.__name__}")
        cls.command_type = cls.__name__
        _REGISTRY[cls.__name__] = cls


def command_class(name: str) -> type[Command]:
    """The command class called ``name`` (KeyError when there is none)."""
    return _REGISTRY[name]


def kebab(name: str) -> str:
    """``SignRecall`` -> ``sign-recall``: the command's name in paths and scenario steps."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def command_by_kebab(name: str) -> type[Command]:
    """The command class whose kebab name is ``name`` (KeyError when there is none)."""
    for cls in _REGISTRY.values():
        if kebab(cls.__name__) == name:
            return cls
    raise KeyError(name)


def command_field_names(cls: type[Command]) -> frozenset[str]:
    """The fields a command of ``cls`` is built from."""
    return frozenset(f.name for f in dataclasses.fields(cls))


def command_names() -> frozenset[str]:
    """Every registered command name."""
    return frozenset(_REGISTRY)


def check_fields(command: Command) -> None:
    """Refuse a command whose strings or integers no storage could hold, before any rule
    or database sees them: names longer than ``NAME_MAX``, texts longer than
    ``TEXT_MAX``, control characters (NUL above all), integers beyond 64 bits.

    One check for every way in (CLI, scenario files, the HTTP API); the DomainError
    names the field (``candidates[2].name``) and a shortened value.
    """
    for f in dataclasses.fields(command):
        _check(f.name, f.name, getattr(command, f.name))


def _check(field: str, path: str, value: object) -> None:
    if value is None or isinstance(value, (bool, float)):
        return
    if isinstance(value, str):
        text = field in TEXT_FIELDS
        check_string(path, value, TEXT_MAX if text else NAME_MAX, text=text)
    elif isinstance(value, int):
        check_int64(path, value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                check_string(f"{path} key", key)
            # Keys of ``changes`` are field names; other mappings inherit their field.
            inner = key if field == "changes" and isinstance(key, str) else field
            _check(inner, f"{path}.{key}", item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _check(f.name, f"{path}.{f.name}", getattr(value, f.name))
    elif isinstance(value, (list, tuple, frozenset, set)):
        for i, item in enumerate(value):
            _check(field, f"{path}[{i}]", item)
