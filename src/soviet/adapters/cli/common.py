"""Shared CLI plumbing: application state, JSON output, one-line errors with exit code 2.

Start-up rule (docs/decisions/0012-lazy-imports.md): CLI modules import only typer, the
standard library and this module at their top; everything else is imported inside the
command that needs it, or through :func:`lazy_module`.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, cast

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from soviet.domain.limits import ECHO_MAX, ERROR_LINE_MAX, shorten

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_DB = "soviet.db"
FORCE_DATE = "--force-date"
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


def _defer_typer_coercion() -> None:
    """Let typer build a parameter's pydantic adapter only for a value that needs one.

    Typer 0.29 converts every parameter's value through a pydantic ``TypeAdapter`` made
    on the parameter's first use, even for an option not given (whose value is then
    None and converted to nothing) or a ``str`` already a ``str`` (typer's own adapter
    for ``str`` returns it as it is): ``soviet --db x verify`` paid for importing pydantic
    for no conversion at all. Here those two cases skip the adapter, and any other value
    builds it and is converted exactly as typer would. A typer without this internal
    hook keeps its own behaviour (only the start-up cost differs).
    """
    from dataclasses import dataclass

    try:
        from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:
        return
    if not callable(getattr(_TyperParameter, "get_runtime_param", None)):
        return

    @dataclass(frozen=True)
    class Deferred(RuntimeParam):
        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            d = self.descriptor
            plain_str = d.annotation is str and d.file_annotation is None
            if plain_str and d.parameter_info.parser is None and isinstance(value, str):
                return value
            real = build_runtime_param(d)
            param._runtime_param = real
            return real._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: _TyperParameter) -> RuntimeParam:
        if self._runtime_param is None:
            d = self.type_descriptor
            self._runtime_param = Deferred(d.parameter_info, d.annotation, d)
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]


_defer_typer_coercion()

console = cast("Console", _LazyConsole())
err_console = cast("Console", _LazyConsole(stderr=True))


def os_actor() -> str:
    """The actor the CLI records by default: the operating-system user running it."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        import os

        user = str(os.getuid())
    return shorten(f"os:{user}", 200)


@dataclass
class AppState:
    """Options shared by every sub-command. ``actor`` is ``--actor`` as given (None: not
    given); :meth:`recorder` is what a command records."""

    db: str
    actor: str | None = None
    force_date: bool = False

    def operator(self) -> str:
        """Who runs this command, as shown (``--actor`` unchecked, else the OS user)."""
        return self.actor if self.actor is not None else os_actor()

    def recorder(self) -> str:
        """The actor recorded on the ledger: ``os:<login user>``, or with ``--actor NAME``
        the admin account NAME (``soviet account admin NAME``) as ``account:<id>/admin``;
        any other ``--actor`` is one line and exit 2 (docs/decisions/0016)."""
        if self.actor is None:
            return os_actor()
        from soviet.domain.errors import DomainError
        from soviet.domain.limits import check_string

        try:
            check_string("actor", self.actor)
        except DomainError as exc:
            fail(str(exc))
        from sqlalchemy.exc import SQLAlchemyError

        from soviet.adapters.storage import StorageError
        from soviet.adapters.storage.accounts import AccountStore
        from soviet.adapters.storage.sql import database_url

        try:
            account = AccountStore(database_url(self.db)).by_subject(f"admin:{self.actor}")
        except (StorageError, SQLAlchemyError):
            account = None
        if account is None or not account.admin:
            fail(
                f"--actor: {self.actor!r} is not an admin account of this database "
                "(soviet account admin NAME makes one; without --actor the OS user is recorded)"
            )
        return f"account:{account.id}/admin"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def error_line(message: str) -> str:
    """``error: MESSAGE`` as one line of at most ``ERROR_LINE_MAX`` characters: line
    breaks become spaces, other control characters (a NUL, a terminal escape) ``\\xNN``."""
    one = " ".join(message.splitlines()) if "\n" in message or "\r" in message else message
    one = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", one)
    return shorten(f"error: {one}", ERROR_LINE_MAX)


def print_error(message: str) -> None:
    """Print one error line on stderr, plain: no markup, no highlighting (a 100,000-
    character value through rich's highlighter takes most of a minute), no wrapping."""
    # typer.echo, not rich: an error line needs no markup, and none of rich's import time.
    typer.echo(error_line(message), err=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line naming the problem on stderr and exit (2 = bad input, nothing written)."""
    print_error(message)
    raise typer.Exit(code)


class SovietGroup(TyperGroup):
    """The top-level command group.

    - a database kept busy by other writers through every retry ends any command,
      reading or writing, with one line and exit 2;
    - Click's usage errors (a missing argument, an unknown option, a value of the wrong
      type) are one line and exit 2, instead of a panel that echoes the value;
    - anything else unexpected is one line and exit 1, never a traceback.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """``--force-date`` may follow the sub-command too: it is moved to the front,
        where the group's option reads it (up to a ``--`` that ends the options)."""
        end = args.index("--") if "--" in args else len(args)
        if FORCE_DATE in args[:end]:
            args = [FORCE_DATE, *(a for a in args[:end] if a != FORCE_DATE), *args[end:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        """Run the sub-command, turning :class:`Busy` into :func:`fail`."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            from soviet.application.ports import Busy

            if isinstance(exc, Busy):
                fail(str(exc))
            raise

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; in standalone mode every outcome is an exit code."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as exc:  # a group called bare: its help, as Click does
            exc.show()
            sys.exit(EXIT_USAGE)
        except ClickException as exc:
            print_error(_usage_message(exc))
            sys.exit(EXIT_USAGE)
        except typer.Abort:
            print_error("aborted")
            sys.exit(1)
        except Exception as exc:
            print_error(f"internal error: {type(exc).__name__}: {shorten(str(exc))}")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _usage_message(exc: ClickException) -> str:
    """Click's message, shortened, with the command it came from and where to get help."""
    message = shorten(exc.format_message(), ECHO_MAX)
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, UsageError) and ctx is not None:
        return f"{ctx.command_path}: {message} (see {ctx.command_path} --help)"
    return message


def print_json(data: Any) -> None:
    """Print a JSON document (sorted keys, UTF-8) on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
