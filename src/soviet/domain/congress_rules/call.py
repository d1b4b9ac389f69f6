"""Convening: only a body with authority convenes a congress; its call fixes who may send
how many, the quorum and the credentials committee (003:2855-2883).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from soviet.count.apportion import ApportionmentError, rule_from_config
from soviet.domain import events as ev
from soviet.domain.congress_rules.common import (
    _iso,
    get_congress,
    parse_quorum,
)
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity
from soviet.domain.events import Event
from soviet.domain.model import Organisation


def _has_authority(org: Organisation, body: str, congress: str, previous: str | None) -> bool:
    council = org.councils.get(body)
    if council is not None:
        return congress in council.may_convene or "*" in council.may_convene
    # An executive committee elected by the previous congress may convene the next one.
    prior, _, committee = body.partition("/")
    if previous is None or prior != previous or prior not in org.congresses:
        return False
    elected = org.congresses[prior].committees.get(committee)
    return elected is not None and elected.kind == "executive" and elected.mandate_ended_on is None


def call_congress(
    org: Organisation,
    name: str,
    convened_by: str,
    date: dt.date,
    opens_on: dt.date,
    *,
    quorum: str,
    senders: Mapping[str, int] | None = None,
    seat_rule: Mapping[str, Any] | None = None,
    sending_councils: Sequence[str] = (),
    max_credential_age_days: int | None = None,
    previous: str | None = None,
    credentials_committee: str | None = None,
    external: bool = False,
    outside_delegates: bool = False,
    self_registration: bool = False,
    proxies: bool = False,
) -> Event:
    """A convening call: body, date, delegates per sending body, quorum.

    The call appoints the credentials committee that rules on credentials until the
    congress elects its own (default: the convening body itself).

    ``senders`` fixes the numbers; or ``seat_rule`` allots them over the electors of
    ``sending_councils`` (one per 25,000, D'Hondt over 300 seats...). Only a body with
    authority may convene: a council whose ``may_convene`` names the congress, or the
    executive committee (``CONGRESS/COMMITTEE``) of the previous congress. A call from
    any other body is refused; its meeting would be a private conference (003:2855-2883).

    A fixed sender must be a known council unless ``external`` (a permission of the
    command: front army committees, soviets not modelled as councils); a numeric quorum
    may not exceed the delegates the call allows. ``outside_delegates`` lets councils
    send delegates who are not their own delegates (recorded on the call);
    ``self_registration`` lets delegates register their own arrival and departure.
    ``proxies`` lets a delegate give their vote to another delegate (one hop).
    """
    if not name.strip():
        raise DomainError("congress name must not be empty", field="name", value=name)
    if name in org.congresses:
        raise AlreadyExists("congress", name)
    if previous is not None:
        get_congress(org, previous)
    if not _has_authority(org, convened_by, name, previous):
        raise DomainError(
            f"{convened_by!r} has no authority to convene {name!r}: its meeting would be a "
            "private conference, not a congress",
            field="convened_by",
            value=convened_by,
        )
    if opens_on < date:
        raise DomainError(
            f"opening date {opens_on} is before the call ({date})",
            field="opens_on",
            value=_iso(opens_on),
        )
    quorum_value = parse_quorum(quorum)
    numbers = _sender_numbers(org, senders, seat_rule, sending_councils)
    if senders is not None and not external:
        for body in senders:
            if body not in org.councils:
                raise DomainError(
                    f"sender {body!r} is not a known council: give external (--external) "
                    "to let bodies outside the councils send delegates",
                    field="sender",
                    value=body,
                )
    seats = sum(numbers.values())
    if isinstance(quorum_value, int) and quorum_value > seats:
        raise DomainError(
            f"quorum {quorum_value} is larger than the congress: the call allows {seats} delegates",
            field="quorum",
            value=quorum,
        )
    if max_credential_age_days is not None and max_credential_age_days <= 0:
        raise DomainError(
            f"max_credential_age_days must be positive, got {max_credential_age_days}",
            field="max_credential_age_days",
            value=max_credential_age_days,
        )
    return ev.CongressCalled(
        name=name,
        convened_by=convened_by,
        date=date,
        opens_on=opens_on,
        quorum=quorum,
        senders=numbers,
        max_credential_age_days=max_credential_age_days,
        previous=previous,
        credentials_committee=credentials_committee or convened_by,
        outside_delegates=True if outside_delegates else None,
        self_registration=True if self_registration else None,
        proxies=True if proxies else None,
    )


def _sender_numbers(
    org: Organisation,
    senders: Mapping[str, int] | None,
    seat_rule: Mapping[str, Any] | None,
    sending_councils: Sequence[str],
) -> dict[str, int]:
    if (senders is None) == (seat_rule is None):
        raise DomainError(
            "give either fixed numbers per sending body or a seat rule over sending councils",
            field="senders",
            value=senders,
        )
    if senders is not None:
        for body, number in senders.items():
            if number < 0:
                raise DomainError(
                    f"{body!r} may send {number} delegates: must be 0 or more",
                    field="senders",
                    value=number,
                )
        if not senders:
            raise DomainError("no sending bodies given", field="senders", value={})
        return dict(senders)
    assert seat_rule is not None
    if not sending_councils:
        raise DomainError("no sending councils given", field="sending_councils", value=[])
    electors = {}
    for council in sending_councils:
        if council not in org.councils:
            raise UnknownEntity("council", council)
        electors[council] = sum(c.headcount for c in org.constituencies_of(council))
    config = dict(seat_rule)
    total = config.pop("seats", None)
    try:
        return rule_from_config(config).allocate(electors, total).seats
    except ApportionmentError as exc:
        raise DomainError(f"seat_rule: {exc}", field="seat_rule", value=seat_rule) from None


def postpone(org: Organisation, congress: str, by: str, opens_on: dt.date, date: dt.date) -> Event:
    """The convening body moves the opening date of a congress not yet open."""
    c = get_congress(org, congress)
    if by != c.convened_by:
        raise DomainError(
            f"only {c.convened_by!r}, which convened {congress!r}, may postpone it",
            field="by",
            value=by,
        )
    if c.status != "called":
        raise DomainError(f"congress {congress!r} is already {c.status}", field="congress")
    if opens_on <= date:
        raise DomainError(
            f"new opening date {opens_on} is not after {date}",
            field="opens_on",
            value=_iso(opens_on),
        )
    return ev.CongressPostponed(congress=congress, by=by, opens_on=opens_on, date=date)
