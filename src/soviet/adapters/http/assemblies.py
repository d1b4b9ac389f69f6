"""List assemblies and their lag behind the councils (GET only, issue 12): the same JSON
as ``soviet assembly show NAME --json`` and ``soviet lag NAME --against ... --json``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from soviet.adapters.http import schemas
from soviet.adapters.http.common import ERRORS, NAME, AsOf, Service, SovietJSON, run_view
from soviet.views import assembly as assembly_views

router = APIRouter(tags=["assemblies"])

AssemblyName = Annotated[str, Path(description="The assembly's name.", **NAME)]


@router.get(
    "/api/assemblies/{name:path}/lag",
    summary="Lag behind the councils",
    response_model=schemas.Lag,
    responses=ERRORS,
)
def assembly_lag(
    service: Service,
    name: AssemblyName,
    against: Annotated[
        list[str], Query(description="A council to compare with (repeat the parameter).")
    ],
    start: Annotated[
        dt.date | None, Query(alias="from", description="First day (default: the allocation).")
    ] = None,
    end: Annotated[
        dt.date | None, Query(alias="to", description="Last day (default: the term's end).")
    ] = None,
    by: Annotated[
        Literal["groups", "lists"],
        Query(description="The assembly by groups (a split's successors) or by lists."),
    ] = "groups",
    as_of: AsOf = None,
) -> SovietJSON:
    """Day by day: the councils' strength, the assembly's house, Gallagher and
    Loosemore-Hanby between them, the seat difference per group and whether the
    majorities disagree (``soviet lag NAME --against C --json``)."""
    return SovietJSON(
        run_view(
            service,
            lambda org: assembly_views.lag(org, name, against, start, end, by),
            as_of,
        )
    )


@router.get(
    "/api/assemblies/{name:path}",
    summary="List assembly",
    response_model=schemas.Assembly,
    responses=ERRORS,
)
def assembly(service: Service, name: AssemblyName, as_of: AsOf = None) -> SovietJSON:
    """The assembly's rule, frozen lists, votes, members, seats by list and by group,
    recalls and dissolution (``soviet assembly show NAME --json``)."""
    return SovietJSON(
        run_view(service, lambda org: assembly_views.assembly_report(org, name), as_of)
    )
