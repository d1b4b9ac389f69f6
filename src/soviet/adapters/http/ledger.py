"""The ledger: health, paged history, verification (GET only)."""

from __future__ import annotations

import itertools
from contextlib import closing
from typing import Annotated

from fastapi import APIRouter, Query, Request

from soviet.adapters.http import schemas
from soviet.adapters.http.common import (
    INVALID,
    NAME,
    NUMBER,
    UNAVAILABLE,
    Service,
    SovietJSON,
    invalid,
)
from soviet.application.checkpoints import CheckpointError, parse_pair
from soviet.domain.limits import INT64_MAX

router = APIRouter(tags=["ledger"])

#: Most entries one page of ``/api/ledger`` returns.
PAGE_MAX = 1000


@router.get("/healthz", summary="Health", response_model=schemas.Health, responses=UNAVAILABLE)
def healthz(service: Service) -> SovietJSON:
    """The database answers: the ledger head's sequence number and hash."""
    seq, head_hash = service.head()
    return SovietJSON({"ok": True, "seq": seq, "hash": head_hash})


@router.get(
    "/api/ledger",
    summary="Ledger entries, a page",
    response_model=schemas.Ledger,
    responses=INVALID,
)
def ledger(
    service: Service,
    after: Annotated[int, Query(ge=0, description="Entries after event SEQ.", **NUMBER)] = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX, description="At most this many.")] = 100,
    type: Annotated[str | None, Query(description="Only events of this type.", **NAME)] = None,
    as_of: Annotated[
        int | None, Query(ge=0, description="Only events up to SEQ.", **NUMBER)
    ] = None,
) -> SovietJSON:
    """One page of ledger entries in order (``soviet history --json``); follow
    ``next_after`` for the next page."""
    up_to = as_of
    if type is None:
        # Sequence numbers are consecutive: the page and one more tell if there is a next.
        bound = min(after + limit + 1, INT64_MAX)
        up_to = bound if up_to is None else min(up_to, bound)
    entries = service.history(up_to, start=after + 1)
    with closing(entries):  # stop reading (and free the cursor) once the page is full
        chosen = itertools.islice((e for e in entries if type in (None, e.type)), limit + 1)
        page = [e.data() for e in chosen]
    more = len(page) > limit
    page = page[:limit]
    return SovietJSON({"events": page, "next_after": page[-1]["seq"] if more else None})


@router.get(
    "/api/verify",
    summary="Verify the ledger",
    response_model=schemas.VerifyReport,
    responses=INVALID,
)
def verify(
    request: Request,
    service: Service,
    chain_only: Annotated[
        bool, Query(description="Skip the state proof (the live tables against the ledger).")
    ] = False,
    checkpoint: Annotated[
        list[str] | None,
        Query(description="A published checkpoint SEQ:HASH that must still hold (repeat)."),
    ] = None,
) -> SovietJSON:
    """Recompute the hash chain, prove that the live tables equal the state rebuilt from
    the ledger, check checkpoints (``soviet verify --json``; ``ok`` false is still a 200:
    the report is the answer). One verification runs at a time; others wait for it."""
    try:
        found = [parse_pair(pair) for pair in checkpoint or []]
    except CheckpointError as exc:
        raise invalid("checkpoint", checkpoint, str(exc)) from None
    with request.app.state.verifying:
        report = service.verify(state=not chain_only, checkpoints=found)
    return SovietJSON(report.data())
