"""Logging in: enrolment codes, passwords, login links, sessions, API tokens, CSRF.

A request is authenticated by a bearer API token (``Authorization: Bearer ...``, for
scripts: no CSRF token needed) or by the session cookie (``soviet_session``: a random
token stored hashed, HttpOnly, SameSite=Lax, Secure over https). Every write made with
the cookie must carry the session's CSRF token: the ``X-CSRF-Token`` header for JSON,
a ``csrf_token`` field for an HTML form. Failed logins are limited per client address
and login name, in this process's memory (the server is one process).
docs/decisions/0016-accounts-and-roles.md.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from soviet.adapters.http import schemas
from soviet.adapters.http.common import UNAVAILABLE, SovietJSON
from soviet.adapters.storage.accounts import (
    SESSION_SECONDS,
    Account,
    AccountError,
    AccountStore,
    same_secret,
)
from soviet.application.authorization import Principal, roles
from soviet.application.service import CouncilService

router = APIRouter(tags=["accounts"])

COOKIE = "soviet_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
BODY_MAX = 64 * 1024  # a login or enrolment body is a few fields


@dataclass(frozen=True)
class Authenticated:
    """An authenticated request: the account, how it was authenticated, its CSRF token."""

    account: Account
    via: str  # "cookie" or "token"
    csrf: str | None = None

    @property
    def principal(self) -> Principal:
        """The principal the authorization module judges."""
        return Principal(self.account.id, self.account.subject, self.account.admin)


class LoginLimiter:
    """At most ``failures`` failed logins per (client address, login name) in ``window``
    seconds; more get 429 with Retry-After. Memory of this process only."""

    def __init__(self, failures: int = 5, window: float = 300.0) -> None:
        self.failures = failures
        self.window = window
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: tuple[str, str], now: float | None = None) -> int | None:
        """Seconds to wait before trying again, None when a try is allowed."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.get(key)
            if times is None:
                return None
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                del self._seen[key]
                return None
            if len(times) < self.failures:
                return None
            return max(1, int(times[0] + self.window - now) + 1)

    def failed(self, key: tuple[str, str], now: float | None = None) -> None:
        """Count a failed try."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._seen) > 100_000:  # bounded memory under a flood of names
                self._seen.clear()
            self._seen.setdefault(key, deque()).append(now)

    def succeeded(self, key: tuple[str, str]) -> None:
        """Forget the failures of a key that logged in."""
        with self._lock:
            self._seen.pop(key, None)


def _store(request: Request) -> AccountStore:
    store: AccountStore = request.app.state.accounts
    return store


def authenticate(request: Request) -> Authenticated | None:
    """The request's account (a bearer token first, else the session cookie), or None.
    A bearer token that is not valid is a 401 at once (never a fall-back to the cookie)."""
    store = _store(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        account = store.account_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if account is None:
            raise HTTPException(
                401, "the API token is not valid", headers={"WWW-Authenticate": "Bearer"}
            )
        return Authenticated(account, "token")
    cookie = request.cookies.get(COOKIE)
    if cookie:
        found = store.session(cookie)
        if found is not None:
            return Authenticated(found[0], "cookie", found[1])
    return None


def authenticated_from_cache(request: Request) -> Authenticated | None:
    """The request's account when the process's cache already trusts its token: no
    query, so an async endpoint calls it on the event loop; None means "call
    :func:`require` in a worker thread" (which also answers 401)."""
    store = _store(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        account = store.cached_token(token.strip())
        return None if account is None else Authenticated(account, "token")
    cookie = request.cookies.get(COOKIE)
    found = store.cached_session(cookie) if cookie else None
    return None if found is None else Authenticated(found[0], "cookie", found[1])


async def require_async(request: Request) -> Authenticated:
    """:func:`require` for an async endpoint: from the cache on the event loop when it
    can, else in a worker thread."""
    cached = authenticated_from_cache(request)
    return cached if cached is not None else await run_in_threadpool(require, request)


def require(request: Request) -> Authenticated:
    """The request's account, or 401."""
    auth = authenticate(request)
    if auth is None:
        raise HTTPException(
            401,
            "log in first (POST /api/login, or an API token as a bearer token)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return auth


def check_csrf(request: Request, auth: Authenticated, form: dict[str, Any] | None = None) -> None:
    """A cookie-authenticated write must carry the session's CSRF token (403 if not)."""
    if auth.via != "cookie":
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and form is not None:
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or auth.csrf is None or not same_secret(given, auth.csrf):
        raise HTTPException(403, f"missing or wrong CSRF token ({CSRF_HEADER} header)")


async def read_fields(request: Request) -> tuple[dict[str, Any], bool]:
    """A small body as fields: JSON (an object) or an HTML form; and whether it was a form."""
    raw = await request.body()
    if len(raw) > BODY_MAX:
        raise HTTPException(413, f"the body is larger than {BODY_MAX} bytes")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(422, "the form is not UTF-8") from None
        return dict(parse_qsl(text, keep_blank_values=True)), True
    try:
        data = json.loads(raw) if raw else {}
    except (ValueError, RecursionError):
        raise HTTPException(422, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(422, "the body must be a JSON object")
    return data, False


def _text(data: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or "\x00" in value or len(value) > 1024:
        raise HTTPException(422, f"{name}: expected text (1 to 1024 characters, no NUL)")
    return value


def _refuse(
    form: bool, status: int, message: str, *, page: str, headers: dict[str, str] | None = None
) -> Response:
    """A refused login or enrolment: the API's error, or for an HTML form a redirect back
    to its page with the message (``?error=``), which the page shows."""
    if not form:
        raise HTTPException(status, message, headers=headers)
    return RedirectResponse(f"{page}?{urlencode({'error': message})}", status_code=303)


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _me(service: CouncilService, auth: Authenticated) -> dict[str, Any]:
    principal = auth.principal
    held = service.query(lambda org: roles(principal, org))
    return {
        "account": auth.account.data(),
        "subject": auth.account.subject,
        "roles": [r.data() for r in sorted(held)],
        "authenticated_by": auth.via,
        "csrf_token": auth.csrf,
    }


def _logged_in(request: Request, account: Account, *, form: bool, next_url: str | None) -> Response:
    """Open a session for ``account`` and answer with its cookie set."""
    token, csrf = _store(request).create_session(account.id, account)
    auth = Authenticated(account, "cookie", csrf)
    response: Response
    if form:
        target = next_url if next_url and next_url.startswith("/") and "//" not in next_url else "/"
        response = RedirectResponse(target, status_code=303)
    else:
        response = SovietJSON(_me(request.app.state.service, auth))
    response.set_cookie(
        COOKIE,
        token,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


# --- bodies, for the OpenAPI document ---------------------------------------------------
class LoginBody(BaseModel):
    """Log in with a login name (member id, CONGRESS:N or admin name) and password."""

    login: str = Field(max_length=1024)
    password: str = Field(max_length=1024)
    next: str | None = Field(default=None, description="Form posts: where to go after.")


class EnrolBody(BaseModel):
    """Use a one-time enrolment code: set a password, or leave it out for a login link."""

    code: str = Field(max_length=1024)
    password: str | None = Field(default=None, min_length=10, max_length=1024)


class Me(schemas.Shape):
    """Who is logged in and the roles they hold now (derived from the state)."""

    account: dict[str, Any]
    subject: str
    roles: list[dict[str, Any]]
    authenticated_by: str
    csrf_token: str | None


class Enrolled(schemas.Shape):
    """An enrolment: logged in with the new password, or the login link to keep."""

    login_link: str | None = None


def _body(model: type[BaseModel]) -> dict[str, Any]:
    schema = {"schema": model.model_json_schema()}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": schema, "application/x-www-form-urlencoded": schema},
        }
    }


#: A form post is sent on (303) to a page: a client that follows it gets the page's HTML.
_FORM_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}}}},
    303: {"description": "A form post: sent on to a page (``next``, or back with ?error=)."},
}

_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.Problem, "description": "Not logged in, or the token is not valid."},
    422: {"model": schemas.Problem, "description": "A malformed body, named."},
    **UNAVAILABLE,
}


@router.post(
    "/api/login",
    summary="Log in",
    response_model=Me,
    openapi_extra=_body(LoginBody),
    responses={
        **_AUTH_ERRORS,
        **_FORM_ANSWERS,
        429: {"model": schemas.Problem, "description": "Too many failed logins: wait."},
    },
)
async def login(request: Request) -> Response:
    """Log in with a password; the answer sets the session cookie (and, to a JSON
    request, says who is logged in and gives the CSRF token)."""
    data, form = await read_fields(request)
    name = _text(data, "login")
    password = _text(data, "password")
    assert name is not None and password is not None
    key = (_client(request), name)
    limiter: LoginLimiter = request.app.state.login_limiter
    wait = limiter.retry_after(key)
    if wait is not None:
        problem = f"too many failed logins: try again in {wait} s"
        return _refuse(form, 429, problem, page="/login", headers={"Retry-After": str(wait)})
    account = await run_in_threadpool(_store(request).check_login, name, password)
    if account is None:
        limiter.failed(key)
        return _refuse(form, 401, "wrong login name or password", page="/login")
    limiter.succeeded(key)
    next_url = data.get("next") if isinstance(data.get("next"), str) else None
    return await run_in_threadpool(_logged_in, request, account, form=form, next_url=next_url)


@router.post(
    "/api/enrol",
    summary="Enrol with a one-time code",
    response_model=Me | Enrolled,
    openapi_extra=_body(EnrolBody),
    responses={
        **_AUTH_ERRORS,
        **_FORM_ANSWERS,
        429: {"model": schemas.Problem, "description": "Wait."},
    },
)
async def enrol(request: Request) -> Response:
    """Use a one-time enrolment code: with ``password``, set it and log in; without, get
    a login link to keep (``GET`` it to log in). A used or unknown code is a 401."""
    data, form = await read_fields(request)
    code = _text(data, "code")
    password = _text(data, "password", required=False)
    assert code is not None
    # Codes are 128-bit random: guessing is hopeless, so the limit only stops a flood
    # (and is looser than the password limit: a meeting hall may share one address).
    key = (_client(request), "enrolment code")
    limiter: LoginLimiter = request.app.state.code_limiter
    wait = limiter.retry_after(key)
    if wait is not None:
        problem = f"too many wrong codes: try again in {wait} s"
        return _refuse(form, 429, problem, page="/enrol", headers={"Retry-After": str(wait)})
    store = _store(request)
    try:
        account = await run_in_threadpool(lambda: store.redeem(code, password=password))
    except AccountError as exc:
        if "unknown or already used" in str(exc):
            limiter.failed(key)
            return _refuse(form, 401, str(exc), page="/enrol")
        return _refuse(form, 422, str(exc), page="/enrol")
    if password is not None:
        return await run_in_threadpool(_logged_in, request, account, form=form, next_url=None)
    token = await run_in_threadpool(store.create_link, account.id)
    link = f"/login/link/{token}"
    if form:  # the enrolment page's form: the link shown once, on a page of its own
        from soviet.adapters.web.pages import render

        page = await run_in_threadpool(
            lambda: render(request, "enrolled.html", title="Your login link", link=link)
        )
        page.headers["Cache-Control"] = "no-store"
        return page
    return SovietJSON({"login_link": link})


_LINK_PATH = re.compile(r"/login/link/[^/?#\s]+")


class LoginLinkRedaction(logging.Filter):
    """Keeps login links out of the access log: a link is a password, and a log line is
    read by whoever runs the server (the path is logged as ``/login/link/...``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's path argument (uvicorn's access lines carry it there)."""
        if isinstance(record.args, tuple):
            record.args = tuple(
                _LINK_PATH.sub("/login/link/...", a) if isinstance(a, str) else a
                for a in record.args
            )
        return True


@router.get(
    "/login/link/{token}",
    summary="Log in with a login link",
    response_class=RedirectResponse,
    status_code=303,
    responses={401: {"model": schemas.Problem, "description": "Unknown or expired link."}},
)
def login_link(request: Request, token: str) -> Response:
    """The link a member kept at enrolment: opens a session and goes to the front page."""
    if len(token) > 200:
        raise HTTPException(401, "this login link is unknown or has expired")
    account = _store(request).account_for_link(token)
    if account is None:
        raise HTTPException(401, "this login link is unknown or has expired")
    return _logged_in(request, account, form=True, next_url="/")


@router.post(
    "/api/logout",
    summary="Log out",
    responses={
        **_AUTH_ERRORS,
        **_FORM_ANSWERS,
        403: {"model": schemas.Problem, "description": "No CSRF token."},
    },
)
async def logout(request: Request) -> Response:
    """End the session (the cookie's token stops working); needs the CSRF token."""
    data, form = await read_fields(request)
    auth = await run_in_threadpool(require, request)
    check_csrf(request, auth, data)
    cookie = request.cookies.get(COOKIE)
    if auth.via == "cookie" and cookie:
        await run_in_threadpool(_store(request).end_session, cookie)
    response: Response = (
        RedirectResponse("/", status_code=303) if form else SovietJSON({"logged_out": True})
    )
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/api/me", summary="Who is logged in", response_model=Me, responses=_AUTH_ERRORS)
def me(request: Request) -> SovietJSON:
    """The account, its subject, and the roles it holds now (derived from the state on
    each request); the session's CSRF token for the writes."""
    auth = require(request)
    return SovietJSON(_me(request.app.state.service, auth))
