"""The base of every command, and the registry of commands by name.

A command is what someone asks the organisation to do, as plain data: one frozen,
keyword-only dataclass per kind. The CLI, scenario files and the HTTP API all build
commands and hand them to ``CouncilService.handle``; each kind has one handler
(``soviet.application.handlers``) that decides it in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

_REGISTRY: dict[str, type[Command]] = {}


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


def command_names() -> frozenset[str]:
    """Every registered command name."""
    return frozenset(_REGISTRY)
