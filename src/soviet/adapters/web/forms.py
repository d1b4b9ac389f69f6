"""The pages' forms: log in, enrol, and every action a member takes from a page (sign,
withdraw, open a petition, cast a vote, the chair's business), and the chair's page.

Each action is an HTML form posted to ``POST /act/{command}`` (the command's kebab
name, as ``/api/commands/{command}``). It is the API's write path, not a second one:
the same authentication (the session cookie) and CSRF check (the ``csrf_token`` field),
the same command built by ``build_command`` from the form's fields, the same
``authorize`` and ``decide`` (a cast through the app's one ``CastBatcher``). The answer
is a ``303`` back to the page the form was on (POST/redirect/GET) with a one-line flash
of the result or of the rule's refusal. Nothing is decided here.

The fields name the command's fields; ``a.b`` fills the mapping ``a`` (``counts.for``),
a field the command takes as a list may be repeated (checkboxes), an empty field is
left out (the command's default). ``date`` is filled in when the form leaves it out:
today, or on a record whose last date is long past (the 1917 demo) that last date,
since the rules refuse a date more than ten years outside the dates on record.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from soviet.adapters.http.auth import CSRF_FIELD, check_csrf
from soviet.adapters.http.commands import build_command, cast_batcher, decide, kebab
from soviet.adapters.http.common import NAME, Service
from soviet.adapters.web import session
from soviet.adapters.web.pages import error_page, render
from soviet.application.authorization import Forbidden
from soviet.application.commands import (
    CastVote,
    Command,
    OpenRecall,
    command_class,
    command_names,
)
from soviet.application.ports import Busy
from soviet.application.service import CouncilService
from soviet.domain.dates import check_in_span
from soviet.domain.errors import DomainError
from soviet.domain.model import Organisation
from soviet.views import congress as congress_views

router = APIRouter(include_in_schema=False)

#: A form's body: a few fields (a chair's attendance form lists credentials).
FORM_MAX = 256 * 1024
#: The modes a chair may open a vote in, as the rules name them.
VOTE_MODES = ("show-of-hands", "division", "roll-call", "secret")
#: The modes in which each delegate casts their own vote (the others are counted).
CAST_MODES = ("roll-call", "secret")

_BY_PATH: dict[str, type[Command]] = {kebab(n): command_class(n) for n in command_names()}
_ARRAYS: dict[type[Command], frozenset[str]] = {}


def _arrays(cls: type[Command]) -> frozenset[str]:
    """The fields of ``cls`` that take a list (read from its JSON schema)."""
    found = _ARRAYS.get(cls)
    if found is None:

        def is_array(prop: dict[str, Any]) -> bool:
            return prop.get("type") == "array" or any(is_array(p) for p in prop.get("anyOf", ()))

        props = TypeAdapter(cls).json_schema().get("properties", {})
        found = _ARRAYS[cls] = frozenset(n for n, p in props.items() if is_array(p))
    return found


def local(target: str | None) -> str:
    """``target`` when it is a path of this site, else ``/`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def action_date(service: CouncilService) -> dt.date:
    """The date of an action posted without one: today, unless the rules would refuse
    today on this record (more than ten years past its last date): then its last date."""
    today = dt.date.today()
    span = service.date_span()
    try:
        check_in_span("date", today, span)
    except DomainError:
        assert span is not None
        return span.last
    return today


def command_data(cls: type[Command], pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """A form's fields as the command's fields (see the module's docstring)."""
    arrays = _arrays(cls)
    data: dict[str, Any] = {}
    for name, value in pairs:
        if name in (CSRF_FIELD, "back") or value == "":
            continue
        head, dot, key = name.partition(".")
        if dot:
            data.setdefault(head, {})[key] = value
        elif name in arrays:
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


def _problem(exc: ValidationError) -> str:
    """A validation error in one line, naming the fields."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)
    )


def _done(command: Command, entry: dict[str, Any]) -> str:
    """The one line that says what was done."""
    payload = entry.get("payload", {})
    match command:
        case CastVote():
            if entry.get("type") == "BallotCast" and "choice" not in payload:
                return "Your vote is recorded. It is secret: this page does not say how you voted."
            return f"Your vote is recorded: {command.choice}."
    name = type(command).__name__
    messages = {
        "SignRecall": "Your signature is recorded.",
        "WithdrawSignature": "Your signature is withdrawn.",
        "OpenRecall": f"Recall petition {payload.get('petition', '')} is open.",
        "OpenVote": f"Vote {payload.get('vote', '')} is open.",
        "CloseVote": f"Vote {payload.get('vote', '')} is closed.",
        "RegisterAttendance": "Attendance recorded.",
    }
    return messages.get(name, f"Done: {entry.get('type', name)} (ledger event {entry['seq']}).")


def _back(target: str, kind: session.FlashKind, message: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    session.set_flash(response, kind, message)
    return response


async def _pairs(request: Request) -> list[tuple[str, str]]:
    raw = await request.body()
    if len(raw) > FORM_MAX:
        raise HTTPException(413, f"the form is larger than {FORM_MAX} bytes")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(415, "post an HTML form here (the API takes JSON at /api/commands)")
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise HTTPException(422, "the form is not UTF-8") from None


@router.post("/act/{command}")
async def act(request: Request, command: str) -> Response:
    """One action from a page's form: the API's write path, answered by a redirect back
    to the page with the result or the refusal in the flash."""
    cls = _BY_PATH.get(command)
    if cls is None:
        return error_page(request, 404, f"there is no action {command!r}")
    pairs = await _pairs(request)
    fields = dict(pairs)
    back = local(fields.get("back"))
    who = await run_in_threadpool(session.viewer, request)
    if who is None:
        target = "/login?" + urlencode({"next": back})
        return _back(target, "refused", "Log in first: your session has ended or never began.")
    try:
        check_csrf(request, who.auth, fields)
    except HTTPException as exc:  # a forged or stale form: refused, not redirected
        return error_page(request, 403, str(exc.detail))
    service: CouncilService = request.app.state.service
    data = command_data(cls, pairs)
    if "date" not in data and "date" in _fields(cls):
        data["date"] = (await run_in_threadpool(action_date, service)).isoformat()
    try:
        built = build_command(cls, data, who.principal)
        batcher = cast_batcher(request.app) if isinstance(built, CastVote) else None
        entry = await run_in_threadpool(decide, service, built, who.principal, batcher)
    except ValidationError as exc:
        return _back(back, "refused", f"Not understood: {_problem(exc)}")
    except HTTPException as exc:
        return _back(back, "refused", str(exc.detail))
    except Forbidden as exc:
        return _back(back, "refused", f"Not allowed: {exc}")
    except Busy:
        return _back(back, "refused", "The database is busy: nothing was recorded, try again.")
    except DomainError as exc:  # the rules' refusal (an unknown name among them)
        return _back(back, "refused", f"Refused: {exc}")
    changes = getattr(request.app.state, "changes", None)
    if changes is not None:  # live pages hear of it now, not at the next poll
        changes.notify()
    if isinstance(built, OpenRecall) and "petition" in entry.get("payload", {}):
        back = f"/petitions/{entry['payload']['petition']}"  # the page it made
    return _back(back, "ok", _done(built, entry))


def _fields(cls: type[Command]) -> frozenset[str]:
    return frozenset(TypeAdapter(cls).json_schema().get("properties", {}))


# --- logging in --------------------------------------------------------------------------
Next = Annotated[str | None, Query(max_length=1000)]
Problem = Annotated[str | None, Query(max_length=1000)]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Next = None, error: Problem = None) -> HTMLResponse:
    """The login form (posted to ``/api/login``), and where to go after it."""
    return render(request, "login.html", title="Log in", next=local(next), error=error)


@router.get("/enrol", response_class=HTMLResponse)
def enrol_page(request: Request, error: Problem = None) -> HTMLResponse:
    """The enrolment form: a one-time code and a password, or a login link to keep."""
    return render(request, "enrol.html", title="Enrol", error=error)


# --- the chair ---------------------------------------------------------------------------
@router.get("/congresses/{name:path}/chair", response_class=HTMLResponse)
def chair_page(
    request: Request, service: Service, name: Annotated[str, PathParam(**NAME)]
) -> HTMLResponse:
    """The chair's page: attendance, opening and closing votes (the chair's only)."""
    who = session.viewer(request)
    if who is None:
        return error_page(request, 401, f"log in as the chair of {name} to run its session")

    def view(org: Organisation) -> tuple[dict[str, Any], list[dict[str, Any]], list[Any]]:
        report = congress_views.congress_report(org, name)  # an unknown name: 404 first
        opened = [
            (m, congress_views.vote(org, name, v["vote"]))
            for m in report["motions"]
            for v in m["votes"]
            if v["status"] == "open"
        ]
        return report, congress_views.credentials(org.congresses[name]), opened

    exists, credentials, open_votes = service.query(view)
    if not who.holds("chair", name):
        return error_page(request, 403, f"this page is for the chair of {name}")
    votes = [(m, v) for m in exists["motions"] for v in m["votes"]]
    return render(
        request,
        "chair.html",
        title=f"Chair, {name}",
        c=exists,
        credentials=credentials,
        open_votes=open_votes,
        closed_votes=[(m, v) for m, v in votes if v["status"] != "open"],
        # What may be put to the vote (the rules decide when it is posted).
        ballot_motions=[m for m in exists["motions"] if m["status"] in ("tabled", "basis")],
        modes=VOTE_MODES,
        cast_modes=CAST_MODES,
    )
