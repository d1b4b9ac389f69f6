"""Councils, constituencies, recall petitions and mandates (GET only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request

from soviet.adapters.http import schemas
from soviet.adapters.http.common import (
    ERRORS,
    INVALID,
    NAME,
    NUMBER,
    AsOf,
    Service,
    SovietJSON,
    invalid,
    run_view,
    slash_was_sent,
)
from soviet.domain.calendar import Calendar, parse_date
from soviet.views import council as council_views
from soviet.views import structure

router = APIRouter(tags=["councils"])

# ``:path`` so that a name holding "/" still reaches the view; routes with a suffix are
# declared before the bare name, which would otherwise swallow them.
CouncilName = Annotated[str, Path(description="The council's name.", **NAME)]
CouncilFilter = Annotated[str | None, Query(description="Only this council's.", **NAME)]
ConstituencyFilter = Annotated[str | None, Query(description="Only this constituency's.", **NAME)]


@router.get("/api/councils", summary="Councils", response_model=schemas.Councils, responses=INVALID)
def councils(service: Service, as_of: AsOf = None) -> SovietJSON:
    """Every council: seat rule, recall rule, seats and how many are filled
    (``soviet council list --json``)."""
    return SovietJSON({"councils": run_view(service, structure.councils, as_of)})


@router.get(
    "/api/councils/{name:path}/report",
    summary="Representation report",
    response_model=schemas.Report,
    responses=ERRORS,
)
def council_report(
    request: Request,
    service: Service,
    name: CouncilName,
    section: Annotated[str | None, Query(description="Only this section.", **NAME)] = None,
    as_of: AsOf = None,
) -> SovietJSON:
    """Representation report: seats against electors, weights, disproportionality indices
    (``soviet council report NAME --json``)."""
    if not slash_was_sent(request, "report"):  # the council named "NAME/report"
        return council_show(service, f"{name}/report", as_of)
    data = run_view(
        service, lambda org: council_views.representation_report(org, name, section), as_of
    )
    return SovietJSON(data)


@router.get(
    "/api/councils/{name:path}/stale",
    summary="Delegates past their term",
    response_model=schemas.Stale,
    responses=ERRORS,
)
def council_stale(
    request: Request,
    service: Service,
    name: CouncilName,
    on: Annotated[
        str | None, Query(description="Reference date, YYYY-MM-DD (default: today).")
    ] = None,
    calendar: Annotated[
        Literal["gregorian", "julian"], Query(description="The calendar of ``on``.")
    ] = "gregorian",
    as_of: AsOf = None,
) -> SovietJSON:
    """Delegates elected longer ago than their term or the council's maximum term
    (``soviet council stale NAME --on DATE --json``)."""
    if not slash_was_sent(request, "stale"):  # the council named "NAME/stale"
        return council_show(service, f"{name}/stale", as_of)
    when = dt.date.today()
    if on is not None:
        cal: Calendar = calendar
        try:
            when = parse_date(on, cal)
        except ValueError as exc:
            raise invalid("on", on, str(exc)) from None
    data = run_view(service, lambda org: council_views.stale(org, name, when), as_of)
    return SovietJSON(data)


@router.get(
    "/api/councils/{name:path}",
    summary="Composition of a council",
    response_model=schemas.Composition,
    responses=ERRORS,
)
def council_show(service: Service, name: CouncilName, as_of: AsOf = None) -> SovietJSON:
    """Composition: seats, delegates, groups (``soviet council show NAME --json``)."""
    return SovietJSON(run_view(service, lambda org: council_views.composition(org, name), as_of))


@router.get(
    "/api/constituencies",
    summary="Constituencies",
    response_model=schemas.Constituencies,
    responses=ERRORS,
)
def constituencies(
    service: Service, council: CouncilFilter = None, as_of: AsOf = None
) -> SovietJSON:
    """Constituencies with their roll, seats, sitting delegates and open petitions
    (``soviet constituency list --json``)."""
    rows = run_view(service, lambda org: structure.constituencies(org, council), as_of)
    return SovietJSON({"constituencies": rows})


@router.get(
    "/api/petitions",
    summary="Recall petitions",
    response_model=schemas.Petitions,
    responses=ERRORS,
)
def petitions(
    service: Service,
    council: CouncilFilter = None,
    constituency: ConstituencyFilter = None,
    status: Annotated[
        Literal["open", "succeeded", "lapsed"] | None, Query(description="Only these.")
    ] = None,
    as_of: AsOf = None,
) -> SovietJSON:
    """Recall petitions with their signatures against the number needed
    (``soviet petition list --json``)."""
    rows = run_view(
        service,
        lambda org: structure.petitions(
            org, council=council, constituency=constituency, status=status
        ),
        as_of,
    )
    return SovietJSON({"petitions": rows})


@router.get(
    "/api/petitions/{number}",
    summary="One recall petition",
    response_model=schemas.Petitions,
    responses=ERRORS,
)
def petition(
    service: Service,
    number: Annotated[int, Path(ge=1, description="The petition's number.", **NUMBER)],
    as_of: AsOf = None,
) -> SovietJSON:
    """One recall petition (``soviet recall status N --json``)."""
    rows = run_view(service, lambda org: council_views.petitions(org, number), as_of)
    return SovietJSON({"petitions": rows})


@router.get("/api/mandates", summary="Mandates", response_model=schemas.Mandates, responses=ERRORS)
def mandates(
    service: Service,
    council: CouncilFilter = None,
    constituency: ConstituencyFilter = None,
    seat: Annotated[
        int | None, Query(ge=1, description="Only this seat (with ``constituency``).", **NUMBER)
    ] = None,
    as_of: AsOf = None,
) -> SovietJSON:
    """Mandates by seat, each seat's history across the delegates who held it
    (``soviet mandate list --json``)."""
    if seat is not None and constituency is None:
        raise invalid("seat", seat, f"seat {seat} needs constituency")
    rows = run_view(
        service,
        lambda org: structure.mandates(org, council=council, constituency=constituency, seat=seat),
        as_of,
    )
    return SovietJSON({"mandates": rows})
