"""Read models of weighted votes, proxies and mandates against votes (issue 11): what
``soviet congress mandate report``, ``soviet congress proxy list`` and their HTTP
endpoints and pages show."""

from __future__ import annotations

from typing import Any

from soviet.domain import congress_rules as rules
from soviet.domain.model import Organisation


def mandate_report(org: Organisation, congress: str, vote: int) -> dict[str, Any]:
    """Each mandate binding the vote's motion against the roll call: ``bindings`` (kept,
    broke, did-not-vote, free) and ``against_mandate`` (the delegates who voted against
    their mandate), with the names of those who cast a ballot by proxy."""
    report = rules.mandate_report(org, congress, vote)
    c = org.congresses[congress]
    for row in report["bindings"]:
        holder = row["cast_by"]
        row["cast_by_name"] = None if holder is None else c.credentials[holder].delegate
    report["motion_title"] = c.motions[report["motion"]].title
    v = c.votes[vote]
    report["counts"] = dict(v.counts)
    report["weighted_counts"] = dict(v.weighted_counts) if v.weighted else None
    report["carried"] = v.carried
    return report


def proxies(org: Organisation, congress: str) -> dict[str, Any]:
    """A congress's proxies, standing and revoked, with the delegates' names."""
    c = rules.get_congress(org, congress)

    def name(number: int) -> str:
        return c.credentials[number].delegate

    return {
        "congress": congress,
        "proxies_allowed": c.proxies_allowed,
        "proxies": [
            {
                "number": p.number,
                "giver": p.giver,
                "giver_name": name(p.giver),
                "holder": p.holder,
                "holder_name": name(p.holder),
                "granted_on": p.granted_on.isoformat(),
                "revoked_on": None if p.revoked_on is None else p.revoked_on.isoformat(),
                "standing": p.revoked_on is None,
            }
            for _, p in sorted(c.proxies.items())
        ],
    }
