"""Who is looking at a page, and the one-line flash a form's answer leaves for the next
page (POST/redirect/GET).

The viewer is the API's own authentication (``adapters/http/auth.py``: the session
cookie) and the roles ``soviet.application.authorization`` derives from the state; a
page uses them to show the account and to choose which forms to offer. Every write is
still authorized on its own when it is posted.

The flash is a short-lived cookie (HttpOnly, SameSite=Lax, one minute) that the next
page shows once and deletes: the message never rides in an address, so it is in no
access log, no history and no bookmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, unquote

from fastapi import HTTPException, Request
from fastapi.responses import Response

from soviet.adapters.http.auth import Authenticated, authenticate
from soviet.application.authorization import Principal, Role, roles
from soviet.application.service import CouncilService

FLASH = "soviet_flash"
FLASH_SECONDS = 60
FLASH_MAX = 600  # characters of a message (a cookie holds about 4 kB)

FlashKind = Literal["ok", "refused"]


@dataclass(frozen=True)
class Viewer:
    """The logged-in account a page is shown to, with the roles it holds now."""

    auth: Authenticated
    roles: tuple[Role, ...]

    @property
    def principal(self) -> Principal:
        """The principal the authorization module judges."""
        return self.auth.principal

    @property
    def name(self) -> str:
        """The account's display name."""
        return self.auth.account.display_name

    @property
    def login(self) -> str:
        """What the account logs in as."""
        return self.auth.account.login

    @property
    def csrf(self) -> str:
        """The session's CSRF token, for the forms' hidden field ("" with a bearer token,
        which needs none)."""
        return self.auth.csrf or ""

    def holds(self, kind: str, scope: str) -> bool:
        """Whether the viewer holds the role ``kind`` of ``scope``."""
        return any(r.kind == kind and r.scope == scope for r in self.roles)

    def role(self, kind: str, scope: str) -> Role | None:
        """The viewer's role ``kind`` of ``scope``, if held."""
        return next((r for r in self.roles if r.kind == kind and r.scope == scope), None)

    @property
    def shown_roles(self) -> list[Role]:
        """The roles worth naming (everyone is an observer)."""
        return [r for r in self.roles if r.kind != "observer"]


def viewer(request: Request) -> Viewer | None:
    """The page's viewer (None: not logged in), read once per request."""
    if hasattr(request.state, "viewer"):
        found: Viewer | None = request.state.viewer
        return found
    try:
        auth = authenticate(request)
    except HTTPException:  # a bad bearer token: the page is shown as to anyone
        auth = None
    seen: Viewer | None = None
    if auth is not None:
        service: CouncilService = request.app.state.service
        principal = auth.principal
        held = service.query(lambda org: roles(principal, org))
        seen = Viewer(auth, tuple(sorted(held)))
    request.state.viewer = seen
    return seen


def set_flash(response: Response, kind: FlashKind, message: str) -> None:
    """Leave ``message`` for the next page."""
    text = " ".join(message.split())
    if len(text) > FLASH_MAX:
        text = text[: FLASH_MAX - 1] + "…"
    response.set_cookie(
        FLASH,
        quote(f"{kind}:{text}", safe=""),
        max_age=FLASH_SECONDS,
        httponly=True,
        samesite="lax",
        path="/",
    )


def take_flash(request: Request) -> tuple[FlashKind, str] | None:
    """The message a form's answer left (the page deletes the cookie: ``clear_flash``)."""
    raw = request.cookies.get(FLASH)
    if not raw:
        return None
    kind, _, text = unquote(raw).partition(":")
    if kind not in ("ok", "refused") or not text:
        return None
    return ("ok" if kind == "ok" else "refused"), text


def clear_flash(request: Request, response: Response) -> None:
    """Delete the flash once a page has shown it."""
    if FLASH in request.cookies:
        response.delete_cookie(FLASH, path="/")
