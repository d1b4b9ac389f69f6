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
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from soviet.adapters.http import (
    assemblies,
    auth,
    congresses,
    councils,
    executive,
    ledger,
    live,
    units,
)
from soviet.adapters.http.commands import add_command_routes
from soviet.adapters.http.common import SovietJSON
from soviet.adapters.storage import StorageError, open_service
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url as url_of
from soviet.adapters.web import account as account_pages
from soviet.adapters.web import chair as chair_pages
from soviet.adapters.web import pages
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


def _problem(
    request: Request, status: int, exc: Exception, headers: dict[str, str] | None = None
) -> Response:
    """The API's ``{"detail": ...}``, or for a web page the error page with that line."""
    if pages.is_page(request):
        return pages.error_page(request, status, str(exc))
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
            {"name": "live", "description": "Live updates (Server-Sent Events)."},
            {"name": "accounts", "description": "Enrolment, login, sessions (docs/http.md)."},
            {"name": "commands", "description": "Writes: one per command, by role."},
        ],
    )
    app.state.service = service
    app.state.verifying = threading.Lock()
    app.state.accounts = AccountStore(url_of(database_url))
    app.state.login_limiter = auth.LoginLimiter()
    app.state.code_limiter = auth.LoginLimiter(failures=50)

    @app.exception_handler(Forbidden)
    def forbidden(request: Request, exc: Exception) -> Response:
        return _problem(request, 403, exc)

    @app.exception_handler(UnknownEntity)
    def unknown(request: Request, exc: Exception) -> Response:
        return _problem(request, 404, exc)

    @app.exception_handler(DomainError)
    def refused(request: Request, exc: Exception) -> Response:
        return _problem(request, 422, exc)

    @app.exception_handler(Busy)
    def busy(request: Request, exc: Exception) -> Response:
        return _problem(request, 503, exc, {"Retry-After": "1"})

    @app.exception_handler(StorageError)
    def unavailable(request: Request, exc: Exception) -> Response:
        return _problem(request, 503, exc)

    @app.exception_handler(OperationalError)
    def unreachable(request: Request, _exc: Exception) -> Response:
        # The driver's text names hosts and users: not for anonymous readers.
        problem = "the database cannot be reached: try again later"
        return _problem(request, 503, Exception(problem), {"Retry-After": "5"})

    # The web pages' own errors (no such page, a malformed number in the address) as
    # pages; the API keeps FastAPI's JSON for them.
    @app.exception_handler(HTTPException)
    async def no_page(request: Request, exc: HTTPException) -> Response:
        if pages.is_page(request) and exc.status_code == 404:
            return pages.error_page(request, 404, f"there is no page at {request.url.path}")
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, exc: RequestValidationError) -> Response:
        if pages.is_page(request):
            problems = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors())
            return pages.error_page(request, 422, f"{request.url.path}: {problems}")
        return await request_validation_exception_handler(request, exc)

    app.mount(pages.STATIC_URL, StaticFiles(directory=pages.STATIC_DIR), name="web-static")
    app.include_router(account_pages.router)
    # The chair's page first: /congresses/{name:path} would take .../chair.
    app.include_router(chair_pages.router)
    app.include_router(pages.router)
    # Live streams before the API's: /api/congresses/{name:path} would take .../live.
    live.install(app, service)
    app.include_router(councils.router)
    app.include_router(congresses.router)
    app.include_router(ledger.router)
    # --- unitpages ---
    app.include_router(units.router)
    app.include_router(assemblies.router)
    app.include_router(executive.router)
    app.include_router(auth.router)
    add_command_routes(app)
    return app
