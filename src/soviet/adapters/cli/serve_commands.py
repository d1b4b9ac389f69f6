"""CLI: ``soviet serve``, the read-only HTTP API (docs/http.md)."""

from __future__ import annotations

import typer

from soviet.adapters.cli.common import AppState, console, fail


def serve(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", help="SQLite file path or SQLAlchemy URL (default: the global --db)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the read-only HTTP API (JSON, OpenAPI at /openapi.json, docs at /docs)
    until interrupted (Ctrl-C)."""
    # The server's packages are imported only for this command (start-up of the others).
    from soviet.adapters.http.app import create_app
    from soviet.adapters.http.live import serve as serve_app
    from soviet.adapters.storage import StorageError

    state: AppState = ctx.obj
    target = db if db is not None else state.db
    if not 1 <= port <= 65535:
        fail(f"--port: expected 1..65535, got {port}")
    try:
        app = create_app(target)
    except StorageError as exc:
        fail(str(exc))
    where = f"http://{host}:{port}"
    console.print(
        f"serving {target} at {where} (API docs: {where}/docs); Ctrl-C stops",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    serve_app(app, host, port)  # uvicorn, ending live streams when it stops


def register(app: typer.Typer) -> None:
    """Attach ``soviet serve`` to the main application."""
    app.command("serve")(serve)
