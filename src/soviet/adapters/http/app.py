"""The HTTP API's application factory: one service per app, routers by area.

An adapter like the CLI: endpoints call the views of ``soviet.views`` through
``CouncilService.query`` and return their data unchanged, so each answer equals the
matching ``--json`` output. Writes are one endpoint per command, open to the roles the
state gives a logged-in account (``commands``, ``auth``). docs/decisions/0013-http-api.md
and 0016-accounts-and-roles.md.
"""

from __future__ import annotations

import threading
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import OperationalError

from soviet.adapters.http import auth, congresses, councils, ledger
from soviet.adapters.http.commands import add_command_routes
from soviet.adapters.http.common import SovietJSON
from soviet.adapters.storage import StorageError, open_service
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url as url_of
from soviet.application.authorization import Forbidden
from soviet.application.ports import Busy
from soviet.domain.errors import DomainError, UnknownEntity

#: Where the documentation pages' scripts and styles are served from (the app's own
#: copies, shipped in the ``fastapi-offline`` package: no CDN).
DOCS_ASSETS = "/static/docs"

DESCRIPTION = """\
JSON over a soviet database: councils, constituencies, recall petitions, mandates,
congresses, decrees, the ledger and its verification, open to anyone; and writes, one
`POST /api/commands/...` per command, for the roles the state gives a logged-in account
(an elector signs a recall, a delegate casts their vote, a secretary keeps the rolls;
docs/http.md). Every answer has the
shape of the matching `soviet ... --json` command (docs/cli.md); `?as_of=SEQ` reads the
state after ledger event SEQ, like `--as-of`.

Errors: `404 {"detail": "unknown council 'X'"}` for a name or number that does not
exist; `422` for a bad query value (`detail` a list, FastAPI's) or one the rules refuse
(`detail` one line); `503` when the database is busy or unreachable (try again).
"""


def _version() -> str:
    try:
        return version("soviet")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "0"


def _problem(status: int, exc: Exception, headers: dict[str, str] | None = None) -> Response:
    return SovietJSON({"detail": str(exc)}, status_code=status, headers=headers)


def create_app(database_url: str) -> FastAPI:
    """The API over ``database_url`` (a SQLite path or a SQLAlchemy URL), with the one
    ``CouncilService`` the CLI would open on it (``open_service``); raises StorageError
    for a database that is missing (a SQLite file is not created), unreachable or not at
    the current schema."""
    service = open_service(database_url)
    app = FastAPIOffline(
        title="soviet",
        version=_version(),
        description=DESCRIPTION,
        static_url=DOCS_ASSETS,
        default_response_class=SovietJSON,
        # Swagger UI would otherwise send the document to an external validator.
        swagger_ui_parameters={"validatorUrl": None},
        openapi_tags=[
            {"name": "councils", "description": "Councils, constituencies, recall, mandates."},
            {"name": "congresses", "description": "Congresses, credentials, decrees."},
            {"name": "ledger", "description": "Health, the ledger, verification."},
            {"name": "accounts", "description": "Enrolment, login, sessions (docs/http.md)."},
            {"name": "commands", "description": "Writes: one per command, by role."},
        ],
    )
    app.state.service = service
    app.state.verifying = threading.Lock()
    app.state.accounts = AccountStore(url_of(database_url))
    app.state.login_limiter = auth.LoginLimiter()

    @app.exception_handler(Forbidden)
    def forbidden(_request: Request, exc: Exception) -> Response:
        return _problem(403, exc)

    @app.exception_handler(UnknownEntity)
    def unknown(_request: Request, exc: Exception) -> Response:
        return _problem(404, exc)

    @app.exception_handler(DomainError)
    def refused(_request: Request, exc: Exception) -> Response:
        return _problem(422, exc)

    @app.exception_handler(Busy)
    def busy(_request: Request, exc: Exception) -> Response:
        return _problem(503, exc, {"Retry-After": "1"})

    @app.exception_handler(StorageError)
    def unavailable(_request: Request, exc: Exception) -> Response:
        return _problem(503, exc)

    @app.exception_handler(OperationalError)
    def unreachable(_request: Request, _exc: Exception) -> Response:
        # The driver's text names hosts and users: not for anonymous readers.
        problem = "the database cannot be reached: try again later"
        return SovietJSON({"detail": problem}, status_code=503, headers={"Retry-After": "5"})

    @app.get("/", include_in_schema=False)
    def index() -> RedirectResponse:
        return RedirectResponse("/docs")

    app.include_router(councils.router)
    app.include_router(congresses.router)
    app.include_router(ledger.router)
    app.include_router(auth.router)
    add_command_routes(app)
    return app
