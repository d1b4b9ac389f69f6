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
import re
import threading
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from soviet.adapters.http import schemas
from soviet.adapters.http.auth import check_csrf, require
from soviet.adapters.http.common import SovietJSON
from soviet.application.authorization import (
    PERMISSIONS,
    Principal,
    actor,
    authorize,
    self_values,
)
from soviet.application.batcher import CastBatcher
from soviet.application.commands import CastVote, Command, command_class, command_names
from soviet.application.ledger import LedgerEntry
from soviet.application.service import CouncilService

#: Bodies larger than this are refused (an ImportRoll of a large register is the CLI's).
COMMAND_BODY_MAX = 4 * 1024 * 1024


def kebab(name: str) -> str:
    """``SignRecall`` -> ``sign-recall``: the command's path segment."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


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

    The role is read from a snapshot before the command's transaction: a role lost in
    the moment between is honoured once, as a door checked on entry would."""
    role = service.query(lambda org: authorize(command, principal, org))
    if batcher is not None and isinstance(command, CastVote):
        return batcher.submit(command, actor(principal, role)).data()
    return service.handle(command, actor(principal, role)).data()


def _queue_cast(
    service: CouncilService, command: CastVote, principal: Principal, batcher: CastBatcher
) -> Future[LedgerEntry]:
    """Queue a cast; its answer to come. The cast is authorized in its batch's own
    transaction (one read of the congress and the batch's credentials for all its
    casts, against the state it is decided on), not in a snapshot per request, which
    cost more than the cast (benchmarks/serve.py). Only a delegate of the vote's
    congress can cast: anyone else is refused here at once, from a snapshot."""
    held = principal.credential
    if held is None or held[0] != command.congress:
        role = service.query(lambda org: authorize(command, principal, org))  # Forbidden
        return batcher.submit_future(command, actor(principal, role))
    return batcher.submit_future(
        command, lambda org: actor(principal, authorize(command, principal, org))
    )


async def _bounded_body(request: Request) -> bytes:
    """The body, read up to COMMAND_BODY_MAX (413 past it: never held whole in memory)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > COMMAND_BODY_MAX:
            raise HTTPException(413, f"the body is larger than {COMMAND_BODY_MAX} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _authenticated_command(
    request: Request, adapter: TypeAdapter[Any], filled: Mapping[str, str], raw: bytes
) -> tuple[Command, Principal]:
    """Authenticate (401), check the CSRF token (403) and build the command from the body
    (422): in one worker thread, where the session is read."""
    auth = require(request)
    check_csrf(request, auth)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise HTTPException(422, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(422, "the body must be a JSON object (the command's fields)")
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
    return command, principal


def _endpoint(cls: type[Command]) -> Callable[[Request], Awaitable[Response]]:
    adapter: TypeAdapter[Any] = TypeAdapter(cls)
    filled = PERMISSIONS[cls].self_fields

    def run(request: Request, raw: bytes) -> dict[str, Any] | Future[LedgerEntry]:
        # One worker thread per request for everything that reads the database.
        command, principal = _authenticated_command(request, adapter, filled, raw)
        service: CouncilService = request.app.state.service
        if isinstance(command, CastVote):
            return _queue_cast(service, command, principal, cast_batcher(request.app))
        return decide(service, command, principal)

    async def endpoint(request: Request) -> Response:
        raw = await _bounded_body(request)
        answer = await run_in_threadpool(run, request, raw)
        if isinstance(answer, Future):
            # A cast: the wait for its batch's commit is awaited here, holding no worker
            # thread (nor a database connection), so that many voters waiting on one
            # batch do not exhaust the pool of threads the other requests need.
            answer = (await asyncio.wrap_future(answer)).data()
        return SovietJSON(answer)

    endpoint.__name__ = f"command_{kebab(cls.__name__).replace('-', '_')}"
    return endpoint


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
