"""The council of commissioners and consent workflows (GET only, issue 11): the same JSON
as ``soviet executive show --json``, ``soviet decree keys`` and ``soviet consent show
[RULE] --json``. The steps themselves are ``POST /api/commands/...``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from soviet.adapters.http import schemas
from soviet.adapters.http.common import ERRORS, NAME, AsOf, Service, SovietJSON, run_view
from soviet.views import consent as consent_views
from soviet.views import executive as executive_views

router = APIRouter(tags=["executive"])

RuleName = Annotated[str, Path(description="The consent rule's name.", **NAME)]


@router.get(
    "/api/executive",
    summary="Councils of commissioners",
    response_model=schemas.Executive,
    responses=ERRORS,
)
def executive(service: Service, as_of: AsOf = None) -> SovietJSON:
    """Each council of commissioners and every appointment of a department head
    (``soviet executive show --json``)."""

    def view(org: object) -> dict[str, object]:
        return {
            "councils": executive_views.commissioners_councils(org),  # type: ignore[arg-type]
            "department_heads": executive_views.department_heads(org),  # type: ignore[arg-type]
        }

    return SovietJSON(run_view(service, view, as_of))


@router.get(
    "/api/decree-keys",
    summary="Signing keys",
    response_model=schemas.SigningKeys,
    responses=ERRORS,
)
def decree_keys(service: Service, as_of: AsOf = None) -> SovietJSON:
    """The registered public keys as a keys file for ``soviet decree check --keys``
    (``soviet decree keys``); fetch it from a source you trust."""
    from soviet.application.decree_documents import keys_file

    return SovietJSON(run_view(service, keys_file, as_of))


@router.get(
    "/api/consent",
    summary="Consent rules and workplace actions",
    response_model=schemas.Consent,
    responses=ERRORS,
)
def consent(service: Service, as_of: AsOf = None) -> SovietJSON:
    """Every consent rule and every proposed action with its state, whether it is in
    effect and who decided (``soviet consent show --json``)."""
    return SovietJSON(run_view(service, consent_views.consent, as_of))


@router.get(
    "/api/consent/{name:path}",
    summary="One consent rule",
    response_model=schemas.ConsentRuleWithActions,
    responses=ERRORS,
)
def consent_rule(service: Service, name: RuleName, as_of: AsOf = None) -> SovietJSON:
    """One rule with the actions proposed under it (``soviet consent show RULE --json``)."""
    return SovietJSON(run_view(service, lambda org: consent_views.consent_rule(org, name), as_of))
