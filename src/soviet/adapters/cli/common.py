"""Shared CLI plumbing: application state, JSON output, one-line errors with exit code 2.

Start-up rule (docs/decisions/0012-lazy-imports.md): CLI modules import only typer, the
standard library and this module at their top; everything else is imported inside the
command that needs it, or through :func:`lazy_module`.
"""

from __future__ import annotations

import importlib
import json
import sys
import types
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, cast

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_DB = "soviet.db"
EXIT_USAGE = 2


class _LazyModule(types.ModuleType):
    """A stand-in for a module that is imported on first attribute access."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attr)


def lazy_module(name: str) -> types.ModuleType:
    """Module ``name``, imported when an attribute is first read from it.

    For module aliases used across many commands (``cmd.Elect...``); pair it with the
    real import under ``TYPE_CHECKING`` so that the type checker sees the module::

        if TYPE_CHECKING:
            from soviet.application import commands as cmd
        else:
            cmd = lazy_module("soviet.application.commands")
    """
    return sys.modules.get(name) or _LazyModule(name)


def is_instance(exc: BaseException, *classes: str) -> bool:
    """Whether ``exc`` is an instance of one of ``classes``, each ``"module:Class"``.

    Nothing is imported: a class whose module is not loaded yet cannot have been raised,
    so an ``except`` clause can name errors of heavy modules (storage, scenarios)
    without importing them on every command.
    """
    for spec in classes:
        module, _, name = spec.partition(":")
        loaded = sys.modules.get(module)
        if loaded is not None and isinstance(exc, getattr(loaded, name)):
            return True
    return False


class _LazyConsole:
    """A rich ``Console`` made on first use: importing rich is for the commands that print
    with it, not for ``--help`` or an error line."""

    def __init__(self, **options: Any) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_console", None)
        object.__setattr__(self, "_saved", {})

    def _get(self) -> Console:
        made: Console | None = object.__getattribute__(self, "_console")
        if made is None:
            from rich.console import Console

            made = Console(**object.__getattribute__(self, "_options"))
            object.__setattr__(self, "_console", made)
        return made

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        made = self._get()
        saved: dict[str, Any] = object.__getattribute__(self, "_saved")
        saved.setdefault(name, getattr(made, name))
        setattr(made, name, value)

    def __delattr__(self, name: str) -> None:
        # Undoes a setattr through the proxy (pytest's monkeypatch.setattr undoes so).
        saved: dict[str, Any] = object.__getattribute__(self, "_saved")
        if name not in saved:
            raise AttributeError(name)
        setattr(self._get(), name, saved.pop(name))


console = cast("Console", _LazyConsole())
err_console = cast("Console", _LazyConsole(stderr=True))


@dataclass
class AppState:
    """Options shared by every sub-command."""

    db: str
    actor: str


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line naming the problem on stderr and exit (2 = bad input, nothing written)."""
    # Plain text, not rich: an error line needs no markup, and none of rich's import time.
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class SovietGroup(TyperGroup):
    """The top-level command group: a database kept busy by other writers through every
    retry ends any command, reading or writing, with one line and exit 2."""

    def invoke(self, ctx: Any) -> Any:
        """Run the sub-command, turning :class:`Busy` into :func:`fail`."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            from soviet.application.ports import Busy

            if isinstance(exc, Busy):
                fail(str(exc))
            raise


def print_json(data: Any) -> None:
    """Print a JSON document (sorted keys, UTF-8) on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
