"""The reading pages: each runs views of ``soviet.views`` through ``service.query`` and
renders them with a Jinja2 template; nothing here decides a rule or counts anything.

Errors are the app's: an unknown name is a 404 page, a busy or unreachable database a
503 page (``error_page``, called by the handlers in ``adapters/http/app.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from soviet.adapters.http.common import NAME, NUMBER, Service
from soviet.adapters.web import charts
from soviet.application.service import CouncilService
from soviet.domain.dates import check_in_span
from soviet.domain.errors import DomainError
from soviet.domain.model import Organisation
from soviet.views import assembly as assembly_views
from soviet.views import congress as congress_views
from soviet.views import council as council_views
from soviet.views import orders as order_views
from soviet.views import structure
from soviet.views.history import narrate
from soviet.views.personal import petition_standing, vote_standing

HERE = Path(__file__).parent
#: Where the pages' stylesheet and script are served from (this package's static/).
STATIC_URL = "/static/web"
STATIC_DIR = HERE / "static"
#: Ledger entries on one page of /ledger.
LEDGER_PAGE = 50
#: The pages' own rules: scripts, styles and images only from the app itself.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)

#: Seat colours, in order of group size: each has a contrast of at least 3:1 on white
#: (graphics) and white text on it at least 4.5:1; vacant seats are drawn hollow.
PALETTE = (
    "#b2182b",
    "#2166ac",
    "#1b7837",
    "#762a83",
    "#8c510a",
    "#01665e",
    "#c51b7d",
    "#4d4d4d",
    "#5e3c99",
    "#7f3b08",
)
VACANT = "vacant"

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["static"] = STATIC_URL
templates.env.filters["num"] = lambda v, digits=2: "—" if v is None else f"{v:,.{digits}f}"
templates.env.filters["int"] = lambda v: "—" if v is None else f"{v:,}"

router = APIRouter(include_in_schema=False)

CouncilName = Annotated[str, PathParam(**NAME)]
Number = Annotated[int, PathParam(ge=1, **NUMBER)]


def render(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
    """A page: ``template`` with ``context``, and the pages' security headers."""
    response = templates.TemplateResponse(request, template, context, status_code=code)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The page for an error: its status and the one-line message."""
    titles = {
        401: "Not logged in",
        403: "Not allowed",
        404: "Not found",
        422: "Not understood",
        503: "Unavailable",
    }
    title = titles.get(status, "Error")
    page = render(request, "error.html", status, title=title, status=status, message=message)
    if status == 503:
        page.headers["Retry-After"] = "5"
    return page


def is_page(request: Request) -> bool:
    """Whether an error on this request is answered with a page (not the API's JSON)."""
    path = request.url.path
    return not path.startswith(("/api/", "/healthz", "/openapi.json", "/docs", "/redoc"))


def action_date(service: CouncilService) -> dt.date:
    """The date a form proposes for an action: today, unless the rules would refuse it
    on this record (more than ten years past its last date, as on the 1917 demo): then
    the last date on record. The member may change it; the rules judge it."""
    today = dt.date.today()
    span = service.date_span()
    try:
        check_in_span("date", today, span)
    except DomainError:
        assert span is not None  # no span: every date is accepted
        return span.last
    return today


# --- pages --------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def overview(request: Request, service: Service) -> HTMLResponse:
    """The organisation: councils, congresses, recall petitions, the ledger's head."""

    def view(org: Organisation) -> dict[str, Any]:
        return {
            "councils": structure.councils(org),
            "congresses": structure.congresses(org),
            "petitions": structure.petitions(org),
            "assemblies": structure.assemblies(org),
        }

    data = service.query(view)
    seq, head = service.head()
    return render(request, "overview.html", title="Overview", seq=seq, head=head, **data)


def _seats(composition: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The hemicycle's circles (group, colour, position) and its legend, groups in the
    view's order (largest first) and the vacant seats last."""
    groups: list[tuple[str, int]] = list(composition["groups"].items())
    legend: list[dict[str, Any]] = [
        {"group": g, "seats": n, "colour": PALETTE[i % len(PALETTE)], "vacant": False}
        for i, (g, n) in enumerate(groups)
    ]
    if composition["vacant"]:
        legend.append(
            {"group": VACANT, "seats": composition["vacant"], "colour": "none", "vacant": True}
        )
    owners = [item for item in legend for _ in range(item["seats"])]
    positions = charts.hemicycle(composition["seats"])
    circles = [{"seat": s, **owner} for s, owner in zip(positions, owners, strict=True)]
    return circles, legend


@router.get("/councils/{name:path}", response_class=HTMLResponse)
def council(request: Request, service: Service, name: CouncilName) -> HTMLResponse:
    """A council: its composition as a hemicycle, its representation report as charts."""

    def view(org: Organisation) -> dict[str, Any]:
        return {
            "composition": council_views.composition(org, name),
            "report": council_views.representation_report(org, name),
        }

    data = service.query(view)
    circles, legend = _seats(data["composition"])
    report = data["report"]
    indices = report["indices"]
    index_bars = charts.bars(
        [
            ("Loosemore–Hanby", indices["loosemore_hanby"]),
            ("Gallagher", indices["gallagher"]),
            ("Loosemore–Hanby by kind", indices["loosemore_hanby_by_kind"]),
            ("Gallagher by kind", indices["gallagher_by_kind"]),
        ]
    )
    kind_bars = charts.bars([(k["name"], k["weight"]) for k in report["kinds"]])
    unit_bars = charts.bars([(u["name"], u["weight"]) for u in report["constituencies"]])
    return render(
        request,
        "council.html",
        title=name,
        composition=data["composition"],
        report=report,
        circles=circles,
        legend=legend,
        index_bars=index_bars,
        kinds=list(zip(report["kinds"], kind_bars, strict=True)),
        units=list(zip(report["constituencies"], unit_bars, strict=True)),
    )


@router.get("/constituencies/{name:path}", response_class=HTMLResponse)
def constituency(request: Request, service: Service, name: CouncilName) -> HTMLResponse:
    """A constituency: its delegates, mandates and recall petitions."""
    data = service.query(lambda org: structure.constituency(org, name))
    return render(request, "constituency.html", title=name, place=data, today=action_date(service))


@router.get("/petitions/{number}", response_class=HTMLResponse)
def petition(request: Request, service: Service, number: Number) -> HTMLResponse:
    """A recall petition: its signatures against the number needed."""
    from soviet.adapters.web.account import current  # it imports this module

    me = current(request)
    member = me["member"] if me else None

    def view(org: Organisation) -> tuple[dict[str, Any], dict[str, Any]]:
        (row,) = council_views.petitions(org, number)
        return row, petition_standing(org, number, member)

    row, standing = service.query(view)
    return render(
        request,
        "petition.html",
        title=f"Recall petition {number}",
        petition=row,
        standing=standing,
    )


@router.get("/congresses/{name:path}/votes/{number}", response_class=HTMLResponse)
def vote(request: Request, service: Service, name: CouncilName, number: Number) -> HTMLResponse:
    """A vote: its mode, how many of the entitled have voted, the result when closed."""
    from soviet.adapters.web.account import current, holds  # they import this module

    delegate = holds(current(request), "delegate", name)
    credential: int | None = delegate.credential if delegate else None

    def view(org: Organisation) -> tuple[dict[str, Any], dict[str, Any] | None]:
        data = congress_views.vote(org, name, number)
        mine = None if credential is None else vote_standing(org, name, number, credential)
        return data, mine

    data, standing = service.query(view)
    return render(
        request, "vote.html", title=f"Vote {number}, {name}", vote=data, standing=standing
    )


@router.get("/congresses/{name:path}", response_class=HTMLResponse)
def congress(request: Request, service: Service, name: CouncilName) -> HTMLResponse:
    """A congress: attendance and quorum, groups, agenda, motions and their votes."""
    data = service.query(lambda org: congress_views.congress_report(org, name))
    # Groups coloured as in a hemicycle: the largest seated group first.
    seated = sorted(data["groups"]["seated"].items(), key=lambda kv: (-kv[1], kv[0]))
    order = [g for g, _ in seated]
    for step in data["group_history"]:  # groups that have since emptied, after them
        order += [g for g in step["sizes"] if g not in order]
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(order)}
    history = charts.stacked([step["sizes"] for step in data["group_history"]], order)
    return render(
        request,
        "congress.html",
        title=name,
        c=data,
        colours=colours,
        history=list(zip(data["group_history"], history, strict=True)),
    )


@router.get("/decrees", response_class=HTMLResponse)
def decrees(request: Request, service: Service) -> HTMLResponse:
    """Decrees adopted by congresses, and the council of commissioners' decrees with
    their state, signatures and history."""
    from soviet.views.executive import executive_decrees

    rows = service.query(congress_views.decrees)
    executive = service.query(executive_decrees)
    return render(request, "decrees.html", title="Decrees", decrees=rows, executive=executive)


@router.get("/consent", response_class=HTMLResponse)
def consent(request: Request, service: Service) -> HTMLResponse:
    """Consent rules and each case: its state, whether it is in effect, who decided."""
    from soviet.views.consent import consent as consent_view

    data = service.query(consent_view)
    return render(request, "consent.html", title="Consent workflows", data=data)


@router.get("/ledger", response_class=HTMLResponse)
def ledger(
    request: Request,
    service: Service,
    upto: Annotated[int | None, Query(ge=1, **NUMBER)] = None,
    verify: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """The latest ledger entries as sentences (newest first, ``upto`` for older pages),
    the head, the checkpoint to publish for it, and ``verify`` for the verdict without
    the page's script."""
    seq, head = service.head()
    last = seq if upto is None else min(upto, seq)
    first = max(1, last - LEDGER_PAGE + 1)
    entries = narrate(service.history(last), first) if last else []
    entries.reverse()
    report = None
    if verify:
        with request.app.state.verifying:
            report = service.verify().data()
    checkpoint = service.checkpoint().data() if seq else None
    return render(
        request,
        "ledger.html",
        title="Ledger",
        seq=seq,
        head=head,
        entries=entries,
        first=first,
        last=last,
        older=first - 1 if first > 1 else None,
        newer=min(last + LEDGER_PAGE, seq) if last < seq else None,
        report=report,
        checkpoint=checkpoint,
    )


# --- unitpages ---
@router.get("/units/{name:path}", response_class=HTMLResponse)
def unit(request: Request, service: Service, name: CouncilName) -> HTMLResponse:
    """A unit's log: its orders with their state, countersignatures and reasons, actions."""
    log = service.query(order_views.unit_log(name))
    return render(request, "unit.html", title=name, log=log)


# --- list assemblies (issue 12) ---
@router.get("/assemblies/{name:path}", response_class=HTMLResponse)
def assembly(
    request: Request,
    service: Service,
    name: CouncilName,
    against: Annotated[list[str] | None, Query(description="Councils to compare with.")] = None,
    by: Annotated[str, Query(description="groups or lists")] = "groups",
) -> HTMLResponse:
    """A list assembly: its hemicycle by group, its frozen lists and members; with
    ``against``, its lag behind those councils as a table and a figure."""

    def view(org: Organisation) -> dict[str, Any]:
        report = assembly_views.assembly_report(org, name)
        lag = assembly_views.lag(org, name, against, None, None, by) if against else None
        return {"report": report, "lag": lag}

    data = service.query(view)
    report, lag = data["report"], data["lag"]
    circles, legend = _seats(
        {
            "groups": report["seats_by_group"],
            "vacant": report["vacant"] or 0,
            "seats": report["seats"] if report["allocated_on"] else 0,
        }
    )
    figure = None
    changes: list[dict[str, Any]] = []
    if lag is not None:
        from soviet.adapters import figures

        figure = figures.to_svg(
            figures.lag(lag),
            "lag",
            f"Gallagher and Loosemore-Hanby between {name} and {', '.join(lag['against'])} by day",
        )
        previous: tuple[Any, ...] | None = None
        for row in lag["rows"]:
            key = (tuple(row["councils"].items()), tuple(row["assembly"].items()))
            if key != previous:
                changes.append(row)
            previous = key
    return render(
        request,
        "assembly.html",
        title=name,
        report=report,
        circles=circles,
        legend=legend,
        lag=lag,
        changes=changes,
        figure=figure,
    )
