"""Units and their logs (GET only): orders valid, pending and returned, actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from soviet.adapters.http import schemas
from soviet.adapters.http.common import ERRORS, NAME, AsOf, Service, SovietJSON, run_view
from soviet.views import orders as order_views

router = APIRouter(tags=["units"])

UnitName = Annotated[str, Path(description="The unit's name.", **NAME)]


@router.get(
    "/api/units/{name:path}/log",
    summary="Unit log",
    response_model=schemas.UnitLog,
    responses=ERRORS,
)
def unit_log(service: Service, name: UnitName, as_of: AsOf = None) -> SovietJSON:
    """The unit's committee, commissioners, orders with their state, countersignatures
    and reasons, and actions (``soviet unit show NAME --json``)."""
    return SovietJSON(run_view(service, order_views.unit_log(name), as_of))
