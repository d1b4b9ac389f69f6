"""What every router shares: the service, ``?as_of=``, JSON like the CLI's, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from soviet.adapters.http import schemas
from soviet.application.service import CouncilService
from soviet.domain.limits import INT64_MAX, NAME_MAX
from soviet.domain.model import Organisation

T = TypeVar("T")


class SovietJSON(JSONResponse):
    """JSON as ``--json`` prints it: sorted keys, UTF-8 (compact, not indented)."""

    def render(self, content: Any) -> bytes:
        """The body: sorted keys, non-ASCII kept, NaN refused (it is not JSON)."""
        text = json.dumps(
            content, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        return text.encode("utf-8")


def get_service(request: Request) -> CouncilService:
    """The app's one service (``create_app`` opened it)."""
    service: CouncilService = request.app.state.service
    return service


Service = Annotated[CouncilService, Depends(get_service)]
AsOf = Annotated[
    int | None,
    Query(
        ge=0,
        le=INT64_MAX,
        description="The state after ledger event SEQ, replayed (the CLI's --as-of).",
    ),
]

#: What any name the engine stores satisfies (no name is longer; no column holds NUL,
#: which PostgreSQL refuses in text): others are a 422, not a query that cannot match.
NAME: dict[str, Any] = {"max_length": NAME_MAX, "pattern": r"^[^\x00]*$"}
#: Numbers fit the BIGINT columns they are compared with.
NUMBER: dict[str, Any] = {"le": INT64_MAX}

#: The errors an endpoint documents besides its 200: a 503 when storage fails; a 422 for
#: a malformed parameter (FastAPI's list) or a value the rules refuse (one line, e.g. a
#: section the council does not have); and for endpoints that look a name up, a 404.
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": schemas.Problem, "description": "The database is busy or unreachable."}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": schemas.Invalid, "description": "A bad query value, named."},
    **UNAVAILABLE,
}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Problem, "description": "Unknown council, congress, petition..."},
    **INVALID,
}


def invalid(name: str, value: object, message: str) -> RequestValidationError:
    """A bad query value, reported as FastAPI reports its own (422, ``detail`` a list)."""
    error = {"type": "value_error", "loc": ("query", name), "msg": message, "input": value}
    return RequestValidationError([error])


def slash_was_sent(request: Request, suffix: str) -> bool:
    """Whether the path ends in ``/suffix`` as the client sent it. A name is one path
    parameter, so a client sends its ``/`` as ``%2F``; the router sees the decoded path,
    where ``NAME%2Freport`` (the council ``NAME/report``) and ``NAME/report`` (the report
    of ``NAME``) are the same. The raw path tells them apart (without one, the route
    stands)."""
    raw = request.scope.get("raw_path")
    if not isinstance(raw, bytes):
        return True
    return raw.partition(b"?")[0].endswith(b"/" + suffix.encode())


def run_view(service: CouncilService, view: Callable[[Organisation], T], as_of: int | None) -> T:
    """A view on the live state, or on the state after event ``as_of`` (which must be on
    the ledger, as the CLI's ``--as-of`` must)."""
    if as_of is not None:
        last = service.last_seq()
        if as_of > last:
            raise invalid("as_of", as_of, f"no ledger event {as_of} (the ledger holds 1..{last})")
    return service.query(view, as_of)
