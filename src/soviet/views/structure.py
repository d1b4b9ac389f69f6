"""Lists of what an organisation is made of: councils, constituencies, congresses,
petitions, mandates (the ``list`` commands and their ``--json`` shapes, docs/cli.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from soviet.domain.model import Delegate, Mandate, Organisation
from soviet.domain.records import count, where
from soviet.domain.rules import apportion, get_constituency, get_council
from soviet.views.council import petitions as petition_rows


def councils(org: Organisation) -> list[dict[str, Any]]:
    """Every council with its rules, seats and how many are filled, by name."""
    rows = []
    for c in sorted(org.councils.values(), key=lambda x: x.name):
        seats = sum(apportion(org, c.name).seats.values())
        constituencies = org.constituencies_of(c.name)
        filled = sum(
            count(org.delegates, constituency=x.name, status="sitting") for x in constituencies
        )
        rows.append(
            {
                "name": c.name,
                "seat_rule": c.seat_rule,
                "sections": c.sections,
                "recall_threshold": c.recall_threshold,
                "recall_mode": c.recall_mode,
                "max_term_days": c.max_term_days,
                "calendar": c.calendar,
                "may_convene": c.may_convene,
                "description": c.description,
                "constituencies": len(constituencies),
                "seats": seats,
                "filled": filled,
            }
        )
    return rows


def constituencies(org: Organisation, council: str | None = None) -> list[dict[str, Any]]:
    """Every constituency (of one council, or of all), with its roll, seats and sitting
    delegates, by council then name."""
    names = [council] if council is not None else sorted(org.councils)
    rows = []
    for name in names:
        get_council(org, name)
        seats = apportion(org, name).seats
        for x in org.constituencies_of(name):
            rows.append(
                {
                    "name": x.name,
                    "council": x.council,
                    "section": x.section,
                    "kind": x.kind,
                    "roll": x.roll,
                    "headcount": x.headcount,
                    "seats": seats.get(x.name, 0),
                    "sitting": count(org.delegates, constituency=x.name, status="sitting"),
                    "open_petitions": count(org.petitions, constituency=x.name, status="open"),
                }
            )
    return rows


def assemblies(org: Organisation) -> list[dict[str, Any]]:
    """Every list assembly: its seats, when it was elected and until when it sits."""
    return [
        {
            "name": a.name,
            "seats": a.total_seats,
            "allocated_on": a.allocated_on.isoformat() if a.allocated_on else None,
            "term_ends": a.term_ends.isoformat() if a.term_ends else None,
            "dissolved": a.dissolved_on is not None,
        }
        for a in sorted(org.assemblies.values(), key=lambda x: x.name)
    ]


def congresses(org: Organisation) -> list[dict[str, Any]]:
    """Every congress: who convened it, when, its state, credentials and decrees."""
    rows = []
    for c in sorted(org.congresses.values(), key=lambda x: (x.opens_on, x.name)):
        rows.append(
            {
                "name": c.name,
                "convened_by": c.convened_by,
                "called_on": c.called_on.isoformat(),
                "opens_on": c.opens_on.isoformat(),
                "status": c.status,
                "previous": c.previous,
                "credentials": len(c.credentials),
                "seated": count(c.credentials, status="accepted"),
                "motions": len(c.motions),
                "decrees": count(org.decrees, body=c.name),
            }
        )
    return rows


def petitions(
    org: Organisation,
    *,
    council: str | None = None,
    constituency: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Recall petitions, filtered by council, constituency or status (``petition list``)."""
    if constituency is not None:
        get_constituency(org, constituency)
        places = {constituency}
    elif council is not None:
        places = {x.name for x in org.constituencies_of(get_council(org, council).name)}
    else:
        places = None
    rows = petition_rows(org)
    return [
        r
        for r in rows
        if (places is None or r["constituency"] in places)
        and (status is None or r["status"] == status)
    ]


def _delegate(org: Organisation, mandate: Mandate) -> Delegate | None:
    return org.delegates.get(mandate.delegate_id)


def mandate_row(org: Organisation, m: Mandate) -> dict[str, Any]:
    """One mandate with the delegate it was adopted for."""
    d = _delegate(org, m)
    return {
        "number": m.number,
        "constituency": m.constituency,
        "seat": m.seat,
        "delegate_id": m.delegate_id,
        "delegate": d.name if d else None,
        "delegate_status": d.status if d else None,
        "text": m.text,
        "adopted_on": m.adopted_on.isoformat(),
    }


def mandates(
    org: Organisation,
    *,
    council: str | None = None,
    constituency: str | None = None,
    seat: int | None = None,
) -> list[dict[str, Any]]:
    """Mandates by constituency, seat and number: each seat's history across the
    delegates who held it (``mandate list``)."""
    chosen: Iterable[Mandate]
    if constituency is not None:
        get_constituency(org, constituency)
        chosen = where(org.mandates, constituency=constituency)
    elif council is not None:
        places = {x.name for x in org.constituencies_of(get_council(org, council).name)}
        chosen = [m for m in org.mandates.values() if m.constituency in places]
    else:
        chosen = list(org.mandates.values())
    ordered = sorted(chosen, key=lambda m: (m.constituency, m.seat, m.number))
    return [mandate_row(org, m) for m in ordered if seat is None or m.seat == seat]


def constituency(org: Organisation, name: str) -> dict[str, Any]:
    """One constituency for its page: its row of ``constituency list``, the delegates
    sitting for it, its mandates and its recall petitions (open ones first)."""
    place = get_constituency(org, name)
    row = next(r for r in constituencies(org, place.council) if r["name"] == name)
    sitting = sorted(
        where(org.delegates, constituency=name, status="sitting"), key=lambda d: d.seat
    )
    rows = petitions(org, constituency=name)
    return {
        **row,
        "vacant": max(0, row["seats"] - row["sitting"]),
        "delegates": [
            {
                "id": d.id,
                "seat": d.seat,
                "name": d.name,
                "group": d.group,
                "rights": d.rights,
                "elected_on": d.elected_on.isoformat(),
            }
            for d in sitting
        ],
        "mandates": mandates(org, constituency=name),
        "petitions": sorted(rows, key=lambda r: (r["status"] != "open", r["petition"])),
    }
