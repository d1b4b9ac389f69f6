"""Changing an organisation's structure once it exists: a council's settings, a
constituency's section or kind, renaming and removing either.

Creating them lives with the other council rules (``rules.create_council``,
``rules.create_constituency``). Names are keys: a rename carries every record that
refers to the old name over to the new one, and is refused while a congress that is not
closed names the council (its call and credentials name the bodies as they were).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from soviet.domain import events as ev
from soviet.domain.errors import AlreadyExists, DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation
from soviet.domain.orders import refuse_removal  # orders
from soviet.domain.records import count, keys_with
from soviet.domain.rules import (
    apportion,
    check_council_settings,
    get_constituency,
    get_council,
)

COUNCIL_SETTINGS = (
    "seat_rule",
    "recall_threshold",
    "recall_mode",
    "max_term_days",
    "may_convene",
    "description",
)
"""The settings of a council that ``change_council`` can change."""

CONSTITUENCY_SETTINGS = ("section", "kind")
"""The settings of a constituency that ``change_constituency`` can change."""


def change_council(
    org: Organisation, name: str, changes: Mapping[str, Any], date: dt.date
) -> Event:
    """Change some of a council's settings; the ones not named stay as they are.

    A new seat rule is refused when it would leave a constituency with fewer seats than
    it has sitting delegates (recall or dissolve first): seats are not taken from a
    delegate by a change of rule.
    """
    council = get_council(org, name)
    wanted = _wanted("council", council, changes, COUNCIL_SETTINGS)
    merged = {k: getattr(council, k) for k in COUNCIL_SETTINGS} | wanted
    if "seat_rule" in wanted:
        wanted["seat_rule"] = dict(wanted["seat_rule"])
    check_council_settings(
        dict(merged["seat_rule"]),
        council.sections,
        recall_threshold=merged["recall_threshold"],
        recall_mode=merged["recall_mode"],
        max_term_days=merged["max_term_days"],
        calendar=council.calendar,
    )
    if not isinstance(merged["description"], str):
        raise DomainError("description must be text", field="description")
    if "may_convene" in wanted:
        wanted["may_convene"] = _names(wanted["may_convene"], "may_convene")
    if "seat_rule" in wanted:
        _check_seats_kept(org, name, wanted["seat_rule"])
    return ev.CouncilChanged(council=name, changes=wanted, date=date)


def _wanted(
    kind: str, record: Any, changes: Mapping[str, Any], settings: Sequence[str]
) -> dict[str, Any]:
    """The changes that change something; refused when one names no setting of ``settings``
    or when none changes anything."""
    unknown = sorted(set(changes) - set(settings))
    if unknown:
        raise DomainError(
            f"{kind} {record.name!r}: cannot change {unknown} (can change: {list(settings)})",
            field=unknown[0],
            value=changes[unknown[0]],
        )
    wanted = {k: v for k, v in changes.items() if v != getattr(record, k)}
    if not wanted:
        raise DomainError(
            f"{kind} {record.name!r} already has these settings: nothing to change",
            field=next(iter(changes), "changes"),
            value=dict(changes),
        )
    return wanted


def _names(values: Sequence[str], option: str) -> list[str]:
    names = list(values)
    if any(not isinstance(n, str) or not n.strip() for n in names) or len(set(names)) != len(names):
        raise DomainError(f"{option} must be distinct names, got {names}", field=option)
    return names


def _check_seats_kept(org: Organisation, council: str, seat_rule: Mapping[str, Any]) -> None:
    seats = apportion(org, council, seat_rule).seats
    for c in org.constituencies_of(council):
        sitting = count(org.delegates, constituency=c.name, status="sitting")
        if sitting > seats.get(c.name, 0):
            raise DomainError(
                f"the new seat rule gives {c.name!r} {seats.get(c.name, 0)} seats but "
                f"{sitting} delegates sit for it: recall or dissolve first",
                field="seat_rule",
                value=dict(seat_rule),
            )


def _not_in_a_congress(org: Organisation, council: str, doing: str) -> None:
    for congress in org.congresses.values():
        if congress.status == "closed":
            continue
        if congress.convened_by == council or council in congress.senders:
            raise DomainError(
                f"council {council!r} cannot be {doing} while congress {congress.name!r} "
                f"({congress.status}) names it; close the congress first",
                field="council",
                value=council,
            )


def _new_name(table: Mapping[str, Any], kind: str, to: str) -> None:
    if not to.strip() or (kind == "constituency" and "#" in to):
        rule = " and contain no '#'" if kind == "constituency" else ""
        raise DomainError(
            f"a {kind} name must be non-empty{rule}, got {to!r}", field="to", value=to
        )
    if to in table:
        raise AlreadyExists(kind, to)


def rename_council(org: Organisation, name: str, to: str, date: dt.date) -> Event:
    """Give a council a new name; its constituencies follow it."""
    get_council(org, name)
    _new_name(org.councils, "council", to)
    _not_in_a_congress(org, name, "renamed")
    return ev.CouncilRenamed(name=name, to=to, date=date)


def remove_council(org: Organisation, name: str, date: dt.date) -> Event:
    """Remove a council that has no constituencies (remove them first)."""
    get_council(org, name)
    left = org.constituencies_of(name)
    if left:
        names = ", ".join(c.name for c in left[:5]) + (" ..." if len(left) > 5 else "")
        raise DomainError(
            f"council {name!r} still has {len(left)} constituencies ({names}): remove them first",
            field="council",
            value=name,
        )
    _not_in_a_congress(org, name, "removed")
    refuse_removal(org, council=name)  # orders: units and committees name it
    return ev.CouncilRemoved(name=name, date=date)


def change_constituency(
    org: Organisation, name: str, changes: Mapping[str, Any], date: dt.date
) -> Event:
    """Move a constituency to another section of its council, or change its kind."""
    c = get_constituency(org, name)
    wanted = _wanted("constituency", c, changes, CONSTITUENCY_SETTINGS)
    council = get_council(org, c.council)
    if "section" in wanted:
        section = wanted["section"]
        if section is None and council.sections:
            raise DomainError(
                f"council {council.name!r} has sections {council.sections}: "
                f"constituency {name!r} needs one",
                field="section",
                value=None,
            )
        if section is not None and section not in council.sections:
            raise DomainError(
                f"council {council.name!r} has no section {section!r} "
                f"(sections: {council.sections})",
                field="section",
                value=section,
            )
        if count(org.delegates, constituency=name, status="sitting"):
            raise DomainError(
                f"constituency {name!r} has sitting delegates: its section cannot change "
                "until they leave",
                field="section",
                value=section,
            )
    return ev.ConstituencyChanged(constituency=name, changes=wanted, date=date)


def rename_constituency(org: Organisation, name: str, to: str, date: dt.date) -> Event:
    """Give a constituency a new name: its delegates, electors, mandates and petitions
    follow it, and so do the roll numbers signed on its petitions (``NAME#17``)."""
    c = get_constituency(org, name)
    _new_name(org.constituencies, "constituency", to)
    _not_in_a_congress(org, c.council, "changed (a constituency renamed)")
    return ev.ConstituencyRenamed(name=name, to=to, date=date)


def remove_constituency(org: Organisation, name: str, date: dt.date) -> Event:
    """Remove a constituency that has no delegates or petitions on record, with the
    electors of its named roll. One with a record keeps it (its history would lose the
    place it happened in): cut its headcount, or leave it be."""
    get_constituency(org, name)
    delegates = count(org.delegates, constituency=name)
    petitions = count(org.petitions, constituency=name)
    if delegates or petitions:
        raise DomainError(
            f"constituency {name!r} has {delegates} delegates and {petitions} petitions on "
            "record and cannot be removed",
            field="constituency",
            value=name,
        )
    refuse_removal(org, constituency=name)  # orders: units name it
    return ev.ConstituencyRemoved(name=name, electors=keys_with(org.electors, name), date=date)
