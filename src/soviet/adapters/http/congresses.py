"""Congresses, their credentials, and decrees (GET only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from soviet.adapters.http import schemas
from soviet.adapters.http.common import (
    ERRORS,
    INVALID,
    NAME,
    NUMBER,
    AsOf,
    Service,
    SovietJSON,
    run_view,
    slash_was_sent,
)
from soviet.domain import congress_rules
from soviet.views import congress as congress_views
from soviet.views import structure
from soviet.views import weighting as weighting_views

router = APIRouter(tags=["congresses"])

CongressName = Annotated[str, Path(description="The congress's name.", **NAME)]


@router.get(
    "/api/congresses", summary="Congresses", response_model=schemas.Congresses, responses=INVALID
)
def congresses(service: Service, as_of: AsOf = None) -> SovietJSON:
    """Every congress: convened by, opening date, state, credentials, decrees
    (``soviet congress list --json``)."""
    return SovietJSON({"congresses": run_view(service, structure.congresses, as_of)})


@router.get(
    "/api/congresses/{name:path}/credentials",
    summary="Credentials of a congress",
    response_model=schemas.Credentials,
    responses=ERRORS,
)
def credentials(
    request: Request, service: Service, name: CongressName, as_of: AsOf = None
) -> SovietJSON:
    """Every credential: who, from where, rights, ruling, checks, presence
    (``soviet congress credentials NAME list --json``)."""
    if not slash_was_sent(request, "credentials"):  # the congress named "NAME/credentials"
        return congress_show(service, f"{name}/credentials", as_of)
    rows = run_view(
        service,
        lambda org: congress_views.credentials(congress_rules.get_congress(org, name)),
        as_of,
    )
    return SovietJSON({"congress": name, "credentials": rows})


@router.get(
    "/api/congresses/{name:path}/votes/{number}/mandates",
    summary="Mandate report of a vote",
    response_model=schemas.MandateReport,
    responses=ERRORS,
)
def mandates(
    service: Service,
    name: CongressName,
    number: Annotated[int, Path(ge=1, **NUMBER)],
    as_of: AsOf = None,
) -> SovietJSON:
    """Each mandate binding the vote's motion, kept or broken, and who voted against
    their mandate (``soviet congress NAME mandate report N --json``)."""
    data = run_view(service, lambda org: weighting_views.mandate_report(org, name, number), as_of)
    return SovietJSON(data)


@router.get(
    "/api/congresses/{name:path}/proxies",
    summary="Proxies of a congress",
    response_model=schemas.Proxies,
    responses=ERRORS,
)
def proxies(
    request: Request, service: Service, name: CongressName, as_of: AsOf = None
) -> SovietJSON:
    """Proxies, standing and revoked (``soviet congress NAME proxy list --json``)."""
    if not slash_was_sent(request, "proxies"):  # the congress named "NAME/proxies"
        return congress_show(service, f"{name}/proxies", as_of)
    return SovietJSON(run_view(service, lambda org: weighting_views.proxies(org, name), as_of))


@router.get(
    "/api/congresses/{name:path}",
    summary="Congress report",
    response_model=schemas.CongressReport,
    responses=ERRORS,
)
def congress_show(service: Service, name: CongressName, as_of: AsOf = None) -> SovietJSON:
    """The call, attendance, groups and their history, walk-outs, committees, motions and
    votes (``soviet congress show NAME --json``)."""
    data = run_view(service, lambda org: congress_views.congress_report(org, name), as_of)
    return SovietJSON(data)


@router.get("/api/decrees", summary="Decrees", response_model=schemas.Decrees, responses=INVALID)
def decrees(service: Service, as_of: AsOf = None) -> SovietJSON:
    """Decrees adopted by congresses: number, title, date, body, tally
    (``soviet decrees --json``)."""
    from soviet.views.executive import executive_decrees

    return SovietJSON(
        {
            "decrees": run_view(service, congress_views.decrees, as_of),
            "executive": run_view(service, executive_decrees, as_of),
        }
    )
