"""Every command's --help shows the help text its source gives, brackets included.

Help is plain text (``rich_markup_mode=None``): under rich markup ``[@GROUP]`` was a tag
and silently vanished (``congress credentials elect`` once said ``NAME=VOTES`` for
``NAME[@GROUP]=VOTES``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from soviet.adapters.cli.main import app

runner = CliRunner()


def _commands(command: Any, argv: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group under ``command`` (Typer's click objects) with its argv."""
    yield argv, command
    if hasattr(command, "commands"):
        # A group taking an argument (``congress credentials NAME elect``) needs a value.
        holes = tuple("X" for p in command.params if p.param_type_name == "argument")
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*argv, *holes, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _shown(text: str) -> str:
    """The help as a reader sees it, whitespace made one space."""
    return " ".join(text.split())


def _rendered(text: str) -> str:
    """What plain help shows of a help text: the text as written (no markup), its line
    breaks reflowed."""
    return " ".join(text.split())


def test_every_command_is_walked() -> None:
    names = {" ".join(a for a in argv if a != "X") for argv, _ in COMMANDS}
    assert {"congress credentials elect", "council stale", "elect", "recall open"} <= names


@pytest.mark.parametrize(
    ("argv", "command"),
    [pytest.param(argv, c, id=" ".join(argv) or "soviet") for argv, c in COMMANDS],
)
def test_help_shows_every_option_help_in_full(argv: tuple[str, ...], command: Any) -> None:
    result = runner.invoke(app, [*argv, "--help"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    shown = _shown(result.stdout)
    texts = {param.name: getattr(param, "help", None) for param in command.params}
    # The command's own help: its first paragraph, which rich shows as written.
    texts["(command)"] = (command.help or "").split("\n\n")[0]
    for name, text in texts.items():
        if text and "[" in text:
            assert _rendered(text) in shown, f"{name}: {text!r} not shown"


def test_candidates_help_shows_the_group_form() -> None:
    result = runner.invoke(
        app, ["congress", "credentials", "X", "elect", "--help"], env={"COLUMNS": "400"}
    )
    assert "Candidates as NAME[@GROUP]=VOTES." in _shown(result.stdout)
