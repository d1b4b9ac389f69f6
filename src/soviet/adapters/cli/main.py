"""The ``soviet`` command line: one Typer application, sub-commands registered by module."""

from __future__ import annotations

import typer

from soviet.adapters.cli import (
    account_commands,
    apportion_commands,
    assembly_commands,  # list assemblies and the lag (issue 12)
    checkpoint_commands,
    congress_commands,
    consent_commands,  # workers' control (Decree No. 1)
    council_commands,
    count_commands,
    demo_commands,
    executive_commands,  # council of commissioners, decrees and their signatures
    export_commands,
    order_commands,  # orders
    roll_commands,
    serve_commands,
    structure_commands,
    weighting_commands,  # weighted votes, proxies, mandates against votes (issue 11)
)
from soviet.adapters.cli.common import DEFAULT_DB, FORCE_DATE, AppState, SovietGroup

app = typer.Typer(
    name="soviet",
    help="A council-democracy engine: councils of recallable delegates on a verifiable ledger.",
    no_args_is_help=True,
    cls=SovietGroup,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rich and markdown-it are not imported for --help
)


@app.callback()
def main(
    ctx: typer.Context,
    db: str = typer.Option(
        DEFAULT_DB,
        "--db",
        envvar="SOVIET_DB",
        help="SQLite file path or SQLAlchemy URL (postgresql+psycopg://...).",
        show_default=True,
    ),
    actor: str | None = typer.Option(
        None,
        "--actor",
        envvar="SOVIET_ACTOR",
        help="An admin account to record as the actor (default: the OS user, os:NAME).",
    ),
    force_date: bool = typer.Option(
        False,
        FORCE_DATE,
        help="Record a command dated more than 10 years outside the dates on record "
        "(may also follow the sub-command).",
    ),
) -> None:
    """soviet: councils, delegates, recall, congresses, counts and a verifiable ledger."""
    ctx.obj = AppState(db=db, actor=actor, force_date=force_date)


council_commands.register(app)
checkpoint_commands.register(app)
congress_commands.register(app)
demo_commands.register(app)
apportion_commands.register(app)
count_commands.register(app)
structure_commands.register(app)
roll_commands.register(app)
serve_commands.register(app)
account_commands.register(app)
export_commands.register(app)
order_commands.register(app)  # orders
# weighted votes, proxies, mandates against votes (issue 11)
weighting_commands.register(app)
assembly_commands.register(app)
executive_commands.register(app)
consent_commands.register(app)


def run() -> None:
    """Console-script entry point."""
    app()


# --- minutes ---
congress_commands.register_minutes(app)
