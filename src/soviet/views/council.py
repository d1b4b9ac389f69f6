"""Views of councils: composition, representation, petitions, stale delegates.

Each view reads the state and returns plain data (the ``--json`` shapes of docs/cli.md),
for the CLI and the HTTP API alike; none changes anything.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from soviet.count.indices import gallagher, loosemore_hanby
from soviet.domain.errors import DomainError
from soviet.domain.model import Delegate, Organisation
from soviet.domain.rules import (
    apportion,
    get_council,
    get_petition,
    signatures_needed,
    stale_delegates,
)


@dataclass(frozen=True)
class UnitRepresentation:
    """One constituency (or one kind of constituency) in the representation report."""

    name: str
    electors: int
    seats: int
    electors_per_seat: float | None
    weight: float | None  # seats per elector, relative to the council average (1.0 = fair)
    elector_share: float
    seat_share: float


def _units(rows: list[tuple[str, int, int]]) -> list[UnitRepresentation]:
    total_e = sum(e for _, e, _ in rows)
    total_s = sum(s for _, _, s in rows)
    average = total_s / total_e if total_e and total_s else None
    units = []
    for name, electors, seats in rows:
        per_seat = electors / seats if seats else None
        weight = (seats / electors) / average if electors and average else None
        units.append(
            UnitRepresentation(
                name=name,
                electors=electors,
                seats=seats,
                electors_per_seat=per_seat,
                weight=weight,
                elector_share=electors / total_e if total_e else 0.0,
                seat_share=seats / total_s if total_s else 0.0,
            )
        )
    return units


def representation_report(
    org: Organisation, council: str, section: str | None = None
) -> dict[str, Any]:
    """Seats per constituency against electors, with disproportionality indices.

    Weights compare each unit's seats per elector with the average; the Loosemore-Hanby
    and Gallagher indices (percentage points) compare seat shares with elector shares,
    over constituencies and over kinds of constituency. With ``section``, only that
    section's constituencies and seats are compared.
    """
    body = get_council(org, council)
    if section is not None and section not in body.sections:
        raise DomainError(
            f"council {council!r} has no section {section!r} (sections: {body.sections})",
            field="section",
            value=section,
        )
    allocation = apportion(org, council)
    constituencies = [
        k for k in org.constituencies_of(council) if section is None or k.section == section
    ]
    rows = [(c.name, c.headcount, allocation.seats.get(c.name, 0)) for c in constituencies]
    electors = {name: e for name, e, _ in rows}
    seats = {name: s for name, _, s in rows}
    by_kind_e: Counter[str] = Counter()
    by_kind_s: Counter[str] = Counter()
    for c in constituencies:
        kind = c.kind or "(no kind)"
        by_kind_e[kind] += c.headcount
        by_kind_s[kind] += seats[c.name]
    kinds = sorted(by_kind_e)
    kind_rows = [(k, by_kind_e[k], by_kind_s[k]) for k in kinds]
    weights = [u.weight for u in _units(rows) if u.weight is not None]
    has_votes = sum(electors.values()) > 0 and sum(seats.values()) > 0
    return {
        "council": council,
        "section": section,
        "seat_rule": org.councils[council].seat_rule,
        "seats": sum(seats.values()),
        "electors": sum(electors.values()),
        "constituencies": [u.__dict__ for u in _units(rows)],
        "kinds": [u.__dict__ for u in _units(kind_rows)],
        "indices": {
            "loosemore_hanby": loosemore_hanby(electors, seats) if has_votes else 0.0,
            "gallagher": gallagher(electors, seats) if has_votes else 0.0,
            "loosemore_hanby_by_kind": loosemore_hanby(dict(by_kind_e), dict(by_kind_s))
            if has_votes
            else 0.0,
            "gallagher_by_kind": gallagher(dict(by_kind_e), dict(by_kind_s)) if has_votes else 0.0,
            "max_weight_ratio": max(weights) / min(weights) if weights else None,
        },
        "allocation": allocation.to_json(),
    }


def composition(org: Organisation, council: str) -> dict[str, Any]:
    """Who sits: delegates per constituency, seats per group (by section when apart)."""
    c = get_council(org, council)
    allocation = apportion(org, council)
    constituencies = org.constituencies_of(council)
    section_of = {x.name: x.section for x in constituencies}
    delegates = [d for d in org.sitting_delegates() if d.constituency in section_of]
    by_constituency: dict[str, list[Delegate]] = {}
    for d in delegates:  # sitting_delegates() is in (constituency, seat) order
        by_constituency.setdefault(d.constituency, []).append(d)
    groups: Counter[str] = Counter(d.group or "(no group)" for d in delegates)
    mandates: dict[int, list[dict[str, Any]]] = {}
    for m in sorted(org.mandates.values(), key=lambda m: m.number):  # few, read at once
        mandates.setdefault(m.delegate_id, []).append(
            {"number": m.number, "text": m.text, "adopted_on": m.adopted_on.isoformat()}
        )
    by_section: dict[str, dict[str, int]] = {}
    if c.sections and not c.sections_merged:
        for section in c.sections:
            counter = Counter(
                d.group or "(no group)" for d in delegates if section_of[d.constituency] == section
            )
            by_section[section] = dict(sorted(counter.items()))
    total_seats = sum(allocation.seats.values())
    voting = sum(1 for d in delegates if d.rights == "voice-and-vote")
    majority_group, majority_seats = (groups.most_common(1) or [("", 0)])[0]
    return {
        "council": council,
        "sections": c.sections,
        "sections_merged": c.sections_merged,
        "seats": total_seats,
        "filled": len(delegates),
        "vacant": total_seats - len(delegates),
        "voting": voting,
        "groups": dict(sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))),
        "groups_by_section": by_section,
        "largest_group": majority_group or None,
        "largest_group_has_majority": majority_seats * 2 > total_seats,
        "constituencies": [
            {
                "name": x.name,
                "section": x.section,
                "kind": x.kind,
                "roll": x.roll,
                "headcount": x.headcount,
                "seats": allocation.seats.get(x.name, 0),
                "delegates": [
                    {
                        "id": d.id,
                        "seat": d.seat,
                        "name": d.name,
                        "group": d.group,
                        "rights": d.rights,
                        "elected_on": d.elected_on.isoformat(),
                        "mandates": mandates.get(d.id, []),
                    }
                    for d in by_constituency.get(x.name, [])
                ],
            }
            for x in constituencies
        ],
    }


def petitions(org: Organisation, number: int | None = None) -> list[dict[str, Any]]:
    """Recall petitions (one, or all by number) with their signatures against the number
    needed (``recall status --json``)."""
    chosen = (
        [get_petition(org, number)]
        if number
        else sorted(org.petitions.values(), key=lambda p: p.id)
    )
    return [
        {
            "petition": p.id,
            "constituency": p.constituency,
            "delegate_ids": p.delegate_ids,
            "delegates": [org.delegates[i].name for i in p.delegate_ids],
            "status": p.status,
            "signatures": len(p.signatures),
            "needed": signatures_needed(org, p),
            "headcount": org.constituencies[p.constituency].headcount,
            "opened_on": p.opened_on.isoformat(),
            "closed_on": p.closed_on.isoformat() if p.closed_on else None,
            "replacements": [r.name for r in p.replacements],
        }
        for p in chosen
    ]


def stale(org: Organisation, council: str, on: dt.date) -> dict[str, Any]:
    """Delegates past their term or the council's maximum on ``on`` (``council stale``)."""
    rows: list[dict[str, Any]] = [
        {
            "id": s.delegate.id,
            "name": s.delegate.name,
            "constituency": s.delegate.constituency,
            "seat": s.delegate.seat,
            "group": s.delegate.group,
            "elected_on": s.delegate.elected_on.isoformat(),
            "days": s.days,
            "limit_days": s.limit,
        }
        for s in stale_delegates(org, council, on)
    ]
    return {"council": council, "on": on.isoformat(), "stale": rows}
