"""The session: arrivals, departures and walk-outs, groups, opening and closing
(003:24216-24242; a new congress ends the old executive's mandate, 003:24463-24489).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from soviet.domain import events as ev
from soviet.domain.congress import Congress
from soviet.domain.congress_rules.common import (
    _credential,
    _is_open,
    _iso,
    _not_closed,
    get_congress,
)
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation
from soviet.domain.records import prefetch


def _numbers_of(
    congress: Congress, credentials: Sequence[int] | None, group: str | None, present: bool
) -> list[int]:
    if credentials:
        prefetch(congress.credentials, credentials)
        for n in credentials:
            _credential(congress, n)
        if len(set(credentials)) != len(credentials):
            raise DomainError(
                f"a credential is named twice: {list(credentials)}",
                field="credentials",
                value=list(credentials),
            )
        return list(credentials)
    if group is not None:
        found = [x.number for x in congress.seated() if x.group == group and x.present == present]
        if not found:
            state = "present" if present else "absent"
            raise DomainError(
                f"no {state} seated delegate in group {group!r}", field="group", value=group
            )
        return found
    raise DomainError("name credentials or a group", field="credentials", value=None)


def register(
    org: Organisation,
    congress: str,
    date: dt.date,
    *,
    arriving: bool,
    credentials: Sequence[int] | None = None,
    group: str | None = None,
    reason: str | None = None,
) -> Event:
    """Arrivals and departures; a walk-out is a departure (of a group or of delegates)."""
    c = get_congress(org, congress)
    _not_closed(c)
    numbers = _numbers_of(c, credentials, group, present=not arriving)
    for n in numbers:
        credential = c.credentials[n]
        if arriving and not credential.seated:
            raise DomainError(
                f"credential {n} ({credential.delegate}) is {credential.status}, not seated",
                field="credential",
                value=n,
            )
        if credential.present == arriving:
            state = "present" if arriving else "absent"
            raise DomainError(
                f"{credential.delegate} (credential {n}) is already {state}",
                field="credential",
                value=n,
            )
    return ev.AttendanceRecorded(
        congress=congress, credentials=numbers, present=arriving, reason=reason, date=date
    )


def open_congress(org: Organisation, congress: str, date: dt.date) -> Event:
    """Open the session; a new congress ends the mandate of the previous one's executive."""
    c = get_congress(org, congress)
    if c.status != "called":
        raise DomainError(f"congress {congress!r} is already {c.status}", field="congress")
    if date < c.opens_on:
        raise DomainError(
            f"{congress!r} is called for {c.opens_on}, not {date}",
            field="date",
            value=_iso(date),
        )
    ended: ev.EndedMandate | None = None
    if c.previous is not None:
        previous = org.congresses[c.previous]
        for committee in previous.committees.values():
            if committee.kind == "executive" and committee.mandate_ended_on is None:
                ended = ev.EndedMandate(congress=previous.name, committee=committee.name)
    return ev.CongressOpened(congress=congress, date=date, ended_committee=ended)


def close_congress(org: Organisation, congress: str, date: dt.date) -> Event:
    """Close the congress; no open vote may remain."""
    c = get_congress(org, congress)
    _is_open(c)
    for vote in c.open_votes():
        raise DomainError(f"vote {vote.number} is still open", field="vote", value=vote.number)
    return ev.CongressClosed(congress=congress, date=date)


def declare_group(
    org: Organisation,
    congress: str,
    credentials: Sequence[int],
    group: str | None,
    date: dt.date,
) -> Event:
    """Delegates declare or change their group (``None``: leave every group)."""
    c = get_congress(org, congress)
    _not_closed(c)
    numbers = _numbers_of(c, credentials, None, present=True)
    for n in numbers:
        if c.credentials[n].group == group:
            raise DomainError(
                f"{c.credentials[n].delegate} (credential {n}) is already in group {group!r}",
                field="group",
                value=group,
            )
    return ev.GroupDeclared(congress=congress, credentials=numbers, group=group, date=date)
