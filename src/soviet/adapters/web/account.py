"""The account on the pages: who is logged in (the header of every page), the login and
enrolment pages, and what the pages' forms need (the CSRF token, the caller's roles).

The forms post to the API itself (``/api/login``, ``/api/enrol``, ``/api/logout``,
``/api/commands/...``) as HTML forms; those send a browser back to a page with
``?error=`` or ``?done=``, which the page shows. docs/decisions/0016.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from soviet.adapters.http.auth import authenticate
from soviet.adapters.web import pages
from soviet.application.authorization import roles

router = APIRouter(include_in_schema=False)

#: Shown beside a name in the header, in this order.
_ROLE_WORDS = {
    "admin": "admin",
    "secretary": "secretary of {scope}",
    "chair": "chair of {scope}",
    "credentials-committee": "credentials committee of {scope}",
    "elector": "elector of {scope}",
    "delegate": "delegate {credential} of {scope}",
}


_UNREAD = object()


def current(request: Request) -> dict[str, Any] | None:
    """The logged-in account for a page (once per request): name, login, CSRF token, the
    roles it holds now (as words, and as (kind, scope, credential) for the forms)."""
    cached = getattr(request.state, "soviet_account", _UNREAD)
    if cached is not _UNREAD:
        return cast("dict[str, Any] | None", cached)
    try:
        auth = authenticate(request)
    except Exception:  # a bad bearer token on a page: shown as logged out
        auth = None
    me: dict[str, Any] | None = None
    if auth is not None:
        principal = auth.principal
        held = sorted(request.app.state.service.query(lambda org: roles(principal, org)))
        me = {
            "display_name": auth.account.display_name,
            "login": auth.account.login,
            "csrf": auth.csrf or "",
            "roles": [r for r in held if r.kind != "observer"],
            "words": [
                _ROLE_WORDS[r.kind].format(scope=r.scope, credential=r.credential)
                for r in held
                if r.kind in _ROLE_WORDS
            ],
        }
    request.state.soviet_account = me
    return me


def holds(me: dict[str, Any] | None, kind: str, scope: str) -> Any:
    """The caller's role of ``kind`` in ``scope`` (None when they hold none)."""
    if me is None:
        return None
    return next((r for r in me["roles"] if r.kind == kind and r.scope == scope), None)


pages.templates.env.globals["account"] = current
pages.templates.env.globals["holds"] = holds

Message = Annotated[str | None, Query(max_length=500)]
Next = Annotated[str | None, Query(max_length=500)]


def _local(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, error: Message = None, next: Next = None) -> HTMLResponse:
    """Log in with a login name and password."""
    return pages.render(request, "login.html", title="Log in", error=error, next=_local(next))


@router.get("/enrol", response_class=HTMLResponse)
def enrol_page(request: Request, error: Message = None) -> HTMLResponse:
    """Use a one-time enrolment code to set a password."""
    return pages.render(request, "enrol.html", title="Enrol", error=error)
