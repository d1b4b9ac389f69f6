"""Writes: one POST endpoint per command class, generated from the command registry.

``POST /api/commands/{kebab-name}`` takes the command dataclass as its JSON body (read
by Pydantic, which also documents it in the OpenAPI document). The endpoint
authenticates (401), builds the command (422), authorizes it against the state (403,
nothing written: ``soviet.application.authorization``) and hands it to
``CouncilService.handle`` under the actor ``account:<id>/<role>``; the answer is the
ledger entry, as ``soviet history --json`` prints it. Domain refusals are a 422 with
their one line, unknown names a 404, a busy database a 503. A ``CastVote`` goes through
the app's one ``CastBatcher`` (docs/secret-ballots.md): committed with the casts that
arrive with it, answered once committed.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from soviet.adapters.http import schemas
from soviet.adapters.http.auth import CSRF_FIELD, Authenticated, check_csrf, require_async
from soviet.adapters.http.common import SovietJSON
from soviet.application.authorization import (
    PERMISSIONS,
    Forbidden,
    Principal,
    actor,
    authorize,
    self_values,
)
from soviet.application.batcher import Actor, CastBatcher
from soviet.application.commands import CastVote, Command, command_class, command_names
from soviet.application.commands.base import check_fields, kebab
from soviet.application.ledger import LedgerEntry
from soviet.application.service import CouncilService, Transaction
from soviet.domain.congress import CHOICES
from soviet.domain.errors import DomainError

#: Bodies larger than this are refused (an ImportRoll of a large register is the CLI's).
COMMAND_BODY_MAX = 4 * 1024 * 1024


def command_path(name: str) -> str:
    """The endpoint of a command class."""
    return f"/api/commands/{kebab(name)}"


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.Problem, "description": "Not logged in."},
    403: {"model": schemas.Problem, "description": "The role needed, named; nothing written."},
    404: {"model": schemas.Problem, "description": "Unknown council, congress, petition..."},
    422: {"model": schemas.Invalid, "description": "A malformed body, or the rules' refusal."},
    503: {"model": schemas.Problem, "description": "The database is busy or unreachable."},
}


_BATCHER_MADE = threading.Lock()


def cast_batcher(app: FastAPI) -> CastBatcher:
    """The app's batcher of casts, started with the first cast (its worker is a daemon
    thread: at shutdown, uvicorn lets the requests waiting on it finish first)."""
    with _BATCHER_MADE:
        batcher: CastBatcher | None = getattr(app.state, "cast_batcher", None)
        if batcher is None:
            batcher = app.state.cast_batcher = CastBatcher(app.state.service)
        return batcher


def decide(
    service: CouncilService,
    command: Command,
    principal: Principal,
    batcher: CastBatcher | None = None,
) -> dict[str, Any]:
    """Authorize ``command`` against a snapshot of the state, then run it; the entry.
    A cast goes through ``batcher`` when given (one transaction for many voters).

    The role is found on a snapshot (it names the actor the transaction records), then
    checked again inside the command's own transaction, so a role lost in between (a
    secretary dismissed that moment) refuses the command and nothing is written. A
    batched cast is checked in its batch's transaction only (:func:`cast_actor`)."""
    # The storage bounds first (a 20-digit petition number is a 422, not a query that
    # overflows a BIGINT while the scope of the role is looked up).
    check_fields(command)
    if batcher is not None and isinstance(command, CastVote):
        return batcher.submit(command, cast_actor(service, command, principal)).data()
    role = service.query(lambda org: authorize(command, principal, org))
    recorded = actor(principal, role)

    def work(tx: Transaction) -> LedgerEntry:
        if authorize(command, principal, tx.org) != role:
            raise Forbidden(f"{type(command).__name__}: the role {role} was lost meanwhile")
        return tx.handle(command)

    return service.execute(work, recorded).data()


def cast_actor(service: CouncilService, command: CastVote, principal: Principal) -> Actor:
    """Who a batched cast records, as the batch will find it: the authorization is made
    in the batch's own transaction (one read of the congress, and of the batch's
    credentials in its one prefetch query, against the very state the cast is decided
    on), not on a snapshot per request, which cost more server CPU than the cast
    (benchmarks/serve.py; decision 0015). Only a delegate of the vote's congress can
    cast: anyone else is refused here at once (Forbidden), from a snapshot."""
    if not own_congress(command, principal):
        role = service.query(lambda org: authorize(command, principal, org))
        return actor(principal, role)  # not reached for a cast: no grant fits
    return lambda org: actor(principal, authorize(command, principal, org))


def own_congress(command: CastVote, principal: Principal) -> bool:
    """Whether the caller holds a credential of the vote's congress (then
    :func:`cast_actor` reads nothing before the batch)."""
    held = principal.credential
    return held is not None and held[0] == command.congress


def queue_cast(
    service: CouncilService, command: CastVote, principal: Principal, batcher: CastBatcher
) -> Future[LedgerEntry]:
    """Queue a cast with the batcher and return its answer to come (as :func:`decide`
    would, without waiting for the batch)."""
    check_fields(command)
    return batcher.submit_future(command, cast_actor(service, command, principal))


FORM = "application/x-www-form-urlencoded"


def _back(page: str, **query: str) -> RedirectResponse:
    """Back to the form's page, saying what happened (``?done=`` or ``?error=``)."""
    path = page.split("?", 1)[0]
    return RedirectResponse(f"{path}?{urlencode(query)}", status_code=303)


def _one_line(exc: Exception) -> str:
    """What a refused form shows: the detail's one line, or the first malformed field."""
    if isinstance(exc, HTTPException):
        return str(exc.detail)
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:])
        return f"{where}: {first.get('msg', 'not understood')}"
    return str(exc)


def _without_choice(message: str, fields: dict[str, Any]) -> str:
    """A refusal goes back to the page in its address (``?error=``), which the access log
    records: a ballot's choice must not be in it, so a rule's words that name the
    choice are replaced by words that do not."""
    choice = fields.get("choice")
    if not isinstance(choice, str) or not choice or choice not in message:
        return message
    if "must be one of" in message:
        return f"the ballot was refused: a choice is one of {', '.join(CHOICES)}"
    return "the ballot was refused"


def _is_array(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "array" or any(_is_array(p) for p in prop.get("anyOf", ()))


def _endpoint(cls: type[Command]) -> Callable[[Request], Awaitable[Response]]:
    adapter: TypeAdapter[Any] = TypeAdapter(cls)
    properties: dict[str, Any] = adapter.json_schema().get("properties", {})
    arrays = frozenset(n for n, p in properties.items() if _is_array(p))
    filled = PERMISSIONS[cls].self_fields

    async def endpoint(request: Request) -> Response:
        auth = await require_async(request)
        raw = await request.body()
        if len(raw) > COMMAND_BODY_MAX:
            raise HTTPException(413, f"the body is larger than {COMMAND_BODY_MAX} bytes")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == FORM:
            return await _from_form(request, auth, raw)
        check_csrf(request, auth)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise HTTPException(422, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise HTTPException(422, "the body must be a JSON object (the command's fields)")
        return SovietJSON(await _run(request, auth, data))

    async def _run(request: Request, auth: Authenticated, data: dict[str, Any]) -> Any:
        if data.get("force_date"):
            raise HTTPException(422, "force_date is for the CLI (local administration)")
        principal = auth.principal
        own = self_values(principal)
        for name, what in filled.items():
            if name not in data and what in own:
                data[name] = own[what]
        try:
            command = adapter.validate_python(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            for e in errors:
                e["loc"] = ("body", *e["loc"])
            raise RequestValidationError(errors) from None
        service: CouncilService = request.app.state.service
        if isinstance(command, CastVote):
            batcher = cast_batcher(request.app)
            if own_congress(command, principal):
                # No query before the batch (cast_actor): queued from the event loop.
                queued = queue_cast(service, command, principal, batcher)
            else:
                queued = await run_in_threadpool(queue_cast, service, command, principal, batcher)
            # The wait for the batch's commit is awaited here, holding no worker thread
            # (nor a database connection): many voters waiting on one batch must not
            # exhaust the pool of threads the other requests need.
            entry = (await asyncio.wrap_future(queued)).data()
        else:
            entry = await run_in_threadpool(decide, service, command, principal)
        request.app.state.changes.notify()  # live streams show the commit now, not at a poll
        return entry

    async def _from_form(request: Request, auth: Authenticated, raw: bytes) -> Response:
        """An HTML form of a page (a sign button, a ballot): flat fields, the CSRF token
        as a field, and ``next`` the page to go back to, with ``?error=`` when refused.
        A field the command takes as a list may be repeated (checkboxes), and ``a.b``
        fills the mapping ``a`` (``counts.for`` of a show of hands)."""
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=False)
        except UnicodeDecodeError:
            raise HTTPException(422, "the form is not UTF-8") from None
        fields: dict[str, Any] = {}
        for name, value in pairs:
            head, dot, key = name.partition(".")
            if dot and head in properties:
                fields.setdefault(head, {})[key] = value
            elif name in arrays:
                fields.setdefault(name, []).append(value)
            else:
                fields[name] = value
        back = fields.pop("next", "/")
        if not back.startswith("/") or back.startswith("//"):
            back = "/"
        check_csrf(request, auth, fields)
        fields.pop(CSRF_FIELD, None)
        try:
            await _run(request, auth, dict(fields))
        except (HTTPException, RequestValidationError, Forbidden, DomainError) as exc:
            return _back(back, error=_without_choice(_one_line(exc), fields))
        return _back(back, done=cls.__name__)

    endpoint.__name__ = f"command_{kebab(cls.__name__).replace('-', '_')}"
    return endpoint


def _who(cls: type[Command]) -> str:
    """Who may ask for a command, in words (the docs table and the OpenAPI description)."""
    parts = []
    for g in PERMISSIONS[cls].grants:
        text = g.kind + (f" of the {g.scope_text}" if g.scope_text else "")
        parts.append(text + (f" ({g.note})" if g.note else ""))
    return "; ".join(parts)


def permission_table() -> str:
    """The permission table of docs/http.md, generated from ``PERMISSIONS`` (a test checks
    that the document holds exactly this)."""
    lines = [
        "| command | endpoint | who may (any one of) | left out, filled with the caller's own |",
        "|---|---|---|---|",
    ]
    for name in sorted(command_names()):
        cls = command_class(name)
        own = ", ".join(f"`{f}`" for f in PERMISSIONS[cls].self_fields) or "–"
        lines.append(f"| `{name}` | `{command_path(name)}` | {_who(cls)} | {own} |")
    return "\n".join(lines) + "\n"


def add_command_routes(app: FastAPI) -> None:
    """One POST route per command class, and their bodies' schemas in the document."""
    extra: dict[str, Any] = {}
    for name in sorted(command_names()):
        cls = command_class(name)
        schema = TypeAdapter(cls).json_schema(ref_template="#/components/schemas/{model}")
        extra.update(schema.pop("$defs", {}))
        extra[name] = schema
        permission = PERMISSIONS[cls]
        who = "; ".join(
            f"{g.kind}"
            + (f" of the {g.scope_text}" if g.scope_text else "")
            + (f" ({g.note})" if g.note else "")
            for g in permission.grants
        )
        own = (
            " Left out, "
            + ", ".join(f"`{f}`" for f in permission.self_fields)
            + " are the caller's own."
            if permission.self_fields
            else ""
        )
        app.add_api_route(
            command_path(name),
            _endpoint(cls),
            methods=["POST"],
            summary=name,
            description=f"{(cls.__doc__ or '').strip()}\n\nWho may: {who}.{own}",
            tags=["commands"],
            response_model=schemas.Entry,
            responses=ERRORS,
            openapi_extra={
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                }
            },
        )
    app.state.command_schemas = extra
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = original()
            document.setdefault("components", {}).setdefault("schemas", {}).update(extra)
        return app.openapi_schema or original()

    app.openapi = openapi  # type: ignore[method-assign]
