"""Shared CLI plumbing: application state, JSON output, one-line errors with exit code 2."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from soviet.application.ports import Busy

DEFAULT_DB = "soviet.db"
FORCE_DATE = "--force-date"
EXIT_USAGE = 2

console = Console()
err_console = Console(stderr=True)


@dataclass
class AppState:
    """Options shared by every sub-command."""

    db: str
    actor: str
    force_date: bool = False


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line naming the problem on stderr and exit (2 = bad input, nothing written)."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


class SovietGroup(TyperGroup):
    """The top-level command group: a database kept busy by other writers through every
    retry ends any command, reading or writing, with one line and exit 2."""

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
        except Busy as exc:
            fail(str(exc))


def print_json(data: Any) -> None:
    """Print a JSON document (sorted keys, UTF-8) on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
