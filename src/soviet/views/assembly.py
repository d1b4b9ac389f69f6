"""Views of list assemblies: composition and the lag behind the councils (issue 12).

Pure functions of the state. The lag compares, day by day, the councils' group strength
(their sitting delegates by group, from the ledger-derived delegate history: elected on,
left on) with the assembly's fixed composition (000:2988-3013: fixed lists "lagged"
opinion). Indices are the counting engine's (``soviet.count.indices``) with the councils'
seats as the "votes" and the assembly's seats as the seats.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from soviet.count.indices import gallagher, loosemore_hanby
from soviet.domain.assembly_rules import get_assembly
from soviet.domain.errors import DomainError
from soviet.domain.model import Organisation
from soviet.domain.rules import get_council

NO_GROUP = "(no group)"


def council_strength(org: Organisation, councils: Sequence[str], on: dt.date) -> dict[str, int]:
    """Delegates sitting on ``on`` in ``councils``, by group (elected on or before that
    day, not yet left)."""
    return _strength(_terms(org, councils), on)


def _terms(org: Organisation, councils: Sequence[str]) -> list[tuple[dt.date, dt.date | None, str]]:
    """Each delegate's (elected on, left on, group) in ``councils``, read once."""
    council_of = {name: c.council for name, c in org.constituencies.items()}
    wanted = set(councils)
    return [
        (d.elected_on, d.left_on, d.group or NO_GROUP)
        for d in org.delegates.values()
        if council_of.get(d.constituency) in wanted
    ]


def _strength(terms: list[tuple[dt.date, dt.date | None, str]], on: dt.date) -> dict[str, int]:
    counts: Counter[str] = Counter(
        g for elected, left, g in terms if elected <= on and (left is None or left > on)
    )
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def assembly_report(org: Organisation, name: str) -> dict[str, Any]:
    """An assembly as ``assembly show --json`` gives it: its rules, lists, votes, the
    members elected by district and list, seats by list and by group (after an attributed
    split), and seats left vacant by a list too short to fill them."""
    a = get_assembly(org, name)
    filled = len(a.sitting())
    return {
        "assembly": a.name,
        "districts": dict(a.districts),
        "seats": a.total_seats,
        "rule": dict(a.rule),
        "scope": a.scope,
        "lists": a.lists,
        "closing": a.closing.isoformat(),
        "term_days": a.term_days,
        "created_on": a.created_on.isoformat(),
        "allocated_on": a.allocated_on.isoformat() if a.allocated_on else None,
        "term_ends": a.term_ends.isoformat() if a.term_ends else None,
        "recall": a.recall_empowered_on is not None,
        "recall_empowered": (
            {
                "by": a.recall_empowered_by,
                "councils": list(a.recall_councils),
                "date": a.recall_empowered_on.isoformat(),
            }
            if a.recall_empowered_on
            else None
        ),
        "recalled": [
            {"member": m, "date": when, "council": by}
            for m, (when, by) in sorted(a.recalled.items(), key=lambda kv: (kv[1][0], kv[0]))
        ],
        "party_lists": [
            {
                "district": pl.district,
                "party": pl.party,
                "candidates": list(pl.candidates),
                "registered_on": pl.registered_on.isoformat(),
            }
            for _, pl in sorted(a.party_lists.items())
        ],
        "votes": {d: dict(v) for d, v in a.votes.items()},
        "personal_votes": {d: dict(v) for d, v in a.personal.items()},
        "members": {d: {p: list(ms) for p, ms in by.items()} for d, by in a.members.items()},
        "seats_by_list": dict(a.seats),
        "seats_by_group": a.group_seats(),
        "vacant": a.total_seats - filled if a.allocated_on else None,
        "attribution": {p: dict(m) for p, m in a.attribution.items()},
        "majority": majority(a.group_seats()) if a.allocated_on else None,
        "dissolved_on": a.dissolved_on.isoformat() if a.dissolved_on else None,
        "dissolved_by": a.dissolved_by,
        "opening_quorum": a.opening_quorum,
        "opened_on": a.opened_on.isoformat() if a.opened_on else None,
        "present_at_opening": a.present_at_opening,
    }


def majority(seats: dict[str, int]) -> str | None:
    """The group holding more than half of the seats, or None."""
    total = sum(seats.values())
    for g, n in seats.items():
        if 2 * n > total:
            return g
    return None


def lag(
    org: Organisation,
    assembly: str,
    councils: Sequence[str],
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "groups",
) -> dict[str, Any]:
    """For each day from ``start`` (default: the allocation) to ``end`` (default: the
    term's end): the councils' strength, the assembly's house that day (members recalled
    by then gone; by list, or by group once a split is attributed, ``by``), Gallagher and
    Loosemore-Hanby between them, the seat difference per group (assembly seats minus
    the councils' share of the house), and whether the two majorities disagree. Before
    the allocation the house is the one the frozen lists went on to elect."""
    a = get_assembly(org, assembly)
    if a.allocated_on is None:
        raise DomainError(
            f"assembly {assembly!r} has no seats allocated yet", field="assembly", value=assembly
        )
    if by not in ("groups", "lists"):
        raise DomainError(f"by {by!r} is not one of groups, lists", field="by", value=by)
    if not councils:
        raise DomainError("name at least one council to compare", field="against", value="")
    for c in councils:
        get_council(org, c)
    start = start or a.allocated_on
    end = end or a.term_ends or start
    if end < start:
        raise DomainError(f"to {end} is before from {start}", field="to", value=end.isoformat())
    rows: list[dict[str, Any]] = []
    disagree = 0
    day = start
    terms = _terms(org, councils)
    # The strength changes only on days a delegate arrives or leaves: count it afresh
    # then, and carry it over the days between.
    changes = {e for e, _, _ in terms} | {left for _, left, _ in terms if left is not None}
    strength = _strength(terms, start)
    assembly_days = {dt.date.fromisoformat(when) for when, _ in a.recalled.values()}
    assembly_days |= {dt.date.fromisoformat(when) for when in a.split_on.values()}
    if a.dissolved_on is not None:
        assembly_days.add(a.dissolved_on + dt.timedelta(days=1))  # it sits no more
    house = a.house_on(day, by)
    while day <= end:
        if day in changes:
            strength = _strength(terms, day)
        if day in assembly_days:
            house = a.house_on(day, by)
        size = sum(house.values())
        a_major = majority(house)
        total = sum(strength.values())
        groups = list(dict.fromkeys([*house, *strength]))
        diff = {
            g: round(house.get(g, 0) - (size * strength.get(g, 0) / total if total else 0), 2)
            for g in groups
        }
        c_major = majority(strength)
        differs = c_major != a_major
        disagree += differs
        rows.append(
            {
                "date": day.isoformat(),
                "councils": strength,
                "gallagher": round(gallagher(strength, house), 4) if total and size else None,
                "loosemore_hanby": (
                    round(loosemore_hanby(strength, house), 4) if total and size else None
                ),
                "assembly": house,
                "seat_difference": diff,
                "council_majority": c_major,
                "assembly_majority": a_major,
                "majorities_disagree": differs,
            }
        )
        day += dt.timedelta(days=1)
    return {
        "assembly": assembly,
        "against": list(councils),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by": by,
        "assembly_seats": a.house_on(end, by),
        "days": len(rows),
        "days_majorities_disagree": disagree,
        "rows": rows,
    }


def lag_csv_rows(report: dict[str, Any]) -> list[list[str]]:
    """The lag as CSV rows: one per date and group (header first)."""
    out = [["date", "group", "assembly_seats", "council_seats", "seat_difference",
            "gallagher", "loosemore_hanby", "majorities_disagree"]]  # fmt: skip
    for r in report["rows"]:
        for g, diff in r["seat_difference"].items():
            out.append(
                [
                    r["date"],
                    g,
                    str(r["assembly"].get(g, 0)),
                    str(r["councils"].get(g, 0)),
                    f"{diff:.2f}",
                    "" if r["gallagher"] is None else f"{r['gallagher']:.4f}",
                    "" if r["loosemore_hanby"] is None else f"{r['loosemore_hanby']:.4f}",
                    "yes" if r["majorities_disagree"] else "no",
                ]
            )
    return out
