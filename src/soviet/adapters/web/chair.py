"""The chair's page of a congress (``/congresses/{name}/chair``): attendance, opening a
motion to the vote, closing votes, for the congress's chair only.

Its forms post to the API's own command endpoints (``/api/commands/...``) as HTML forms,
like the other pages' (the CSRF token a field, ``next`` the page to come back to, a
``303`` back with ``?done=`` or ``?error=``): the same command, the same authorization,
no second rule path. The page only chooses what to offer; the rules decide when posted.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from soviet.adapters.http.common import NAME, Service
from soviet.adapters.web.account import current, holds
from soviet.adapters.web.pages import action_date, error_page, render
from soviet.domain.model import Organisation
from soviet.views import congress as congress_views

router = APIRouter(include_in_schema=False)

#: The modes a chair may open a vote in, as the rules name them.
VOTE_MODES = ("show-of-hands", "division", "roll-call", "secret")
#: The modes in which each delegate casts their own vote (the others are counted).
CAST_MODES = ("roll-call", "secret")
#: What the page says after each of its forms.
DONE = {
    "OpenVote": "The vote is open.",
    "CloseVote": "The vote is closed.",
    "RegisterAttendance": "Attendance recorded.",
}


@router.get("/congresses/{name:path}/chair", response_class=HTMLResponse)
def chair_page(
    request: Request, service: Service, name: Annotated[str, PathParam(**NAME)]
) -> HTMLResponse:
    """The chair's page: attendance, opening and closing votes (the chair's only)."""
    me = current(request)
    if me is None:
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

    report, credentials, open_votes = service.query(view)
    if holds(me, "chair", name) is None:
        return error_page(request, 403, f"this page is for the chair of {name}")
    done = request.query_params.get("done")
    return render(
        request,
        "chair.html",
        title=f"Chair, {name}",
        c=report,
        me=me,
        credentials=credentials,
        open_votes=open_votes,
        closed_votes=[
            (m, v) for m in report["motions"] for v in m["votes"] if v["status"] != "open"
        ],
        # What may be put to the vote (the rules decide when it is posted).
        ballot_motions=[m for m in report["motions"] if m["status"] in ("tabled", "basis")],
        modes=VOTE_MODES,
        cast_modes=CAST_MODES,
        today=action_date(service),
        done=DONE.get(done or "", "Recorded on the ledger.") if done else None,
        error=request.query_params.get("error"),
    )
