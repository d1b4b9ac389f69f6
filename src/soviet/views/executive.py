"""Reading the council of commissioners: its department heads and its decrees with their
state and history (``soviet decrees``)."""

from __future__ import annotations

from typing import Any

from soviet.domain import executive_rules as xr
from soviet.domain.executive import missing_signatures
from soviet.domain.model import Organisation


def executive_decrees(org: Organisation) -> list[dict[str, Any]]:
    """Every decree of a council of commissioners, by registry number: its state, the
    lapse deadline of one in force pending ratification, and its history."""
    out = []
    for registry in sorted(org.executive_decrees):
        d = org.executive_decrees[registry]
        deadline = xr.deadline_of(org, d)
        out.append(
            {
                "registry": d.registry,
                "council": d.council,
                "title": d.title,
                "department": d.department,
                "urgent": d.urgent,
                "signed_on": d.signed_on.isoformat(),
                "state": d.status,
                "deadline": deadline.isoformat() if deadline else None,
                "history": [{"date": h[0], "state": h[1], "by": h[2]} for h in d.history],
                "signatories": list(d.signatories),
                "signatures": [
                    {"signer": s["signer"], "public_key": s["public_key"], "date": s["date"]}
                    for s in d.signatures
                ],
                "missing_signatures": missing_signatures(d),
                "adopted_by": d.adopted_by or d.council,
                "tally": dict(d.tally) or None,
                "congress_decree": d.congress_decree,
            }
        )
    return out


def department_heads(org: Organisation) -> list[dict[str, Any]]:
    """Every appointment of a department head, by number: who, by whom, when, by which vote."""
    return [
        {
            "number": h.number,
            "council": h.council,
            "department": h.department,
            "member": h.member,
            "appointed_by": h.appointed_by,
            "appointed_on": h.appointed_on.isoformat(),
            "vote": h.vote,
            "dismissed_on": h.dismissed_on.isoformat() if h.dismissed_on else None,
            "dismissed_by": h.dismissed_by,
        }
        for h in (org.department_heads[n] for n in sorted(org.department_heads))
    ]


def commissioners_councils(org: Organisation) -> list[dict[str, Any]]:
    """Every council of commissioners, by name: formed when and by which congress,
    answerable to whom, urgent powers, and resignation after a lost vote of confidence."""
    out = []
    for name in sorted(org.commissioners_councils):
        k = org.commissioners_councils[name]
        out.append(
            {
                "name": k.name,
                "congress": k.congress,
                "ratifier": k.ratifier,
                "formed_on": k.formed_on.isoformat(),
                "urgent_granted_by": k.urgent_granted_by,
                "urgent_granted_on": k.urgent_granted_on.isoformat()
                if k.urgent_granted_on
                else None,
                "urgent_days": k.urgent_days,
                "resigned_on": k.resigned_on.isoformat() if k.resigned_on else None,
                "resigned_after": k.resigned_after,
            }
        )
    return out
