"""Reading the council of commissioners: its department heads and its decrees with their
state and history (``soviet decrees``)."""

from __future__ import annotations

from typing import Any

from soviet.domain import executive_rules as xr
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
