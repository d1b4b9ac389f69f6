"""Motions: tabling, amendments, the agenda and the order in which motions are put
(003:42090-42125).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from soviet.domain import events as ev
from soviet.domain.congress import Congress, Credential, Motion
from soviet.domain.congress_rules.common import (
    _credential,
    _is_open,
    _motion,
    get_congress,
)
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation
from soviet.domain.records import next_number, where


def _speaker(congress: Congress, credential: int) -> Credential:
    c = _credential(congress, credential)
    if not c.seated:
        raise DomainError(
            f"{c.delegate} (credential {credential}) is not seated and can neither move nor speak",
            field="credential",
            value=credential,
        )
    if not c.present:
        raise DomainError(
            f"{c.delegate} (credential {credential}) is not present",
            field="credential",
            value=credential,
        )
    return c


def table_motion(
    org: Organisation,
    congress: str,
    title: str,
    text: str,
    mover: int,
    date: dt.date,
    *,
    amends: int | None = None,
    decree: bool = False,
    urgent: bool = False,
    without_debate: bool = False,
    item: str | None = None,
    replaces: str | None = None,
) -> Event:
    """A seated, present delegate (with vote or voice only) moves a motion or amendment,
    under an item of the agenda when the congress adopted one.

    An amendment's text replaces the passage ``replaces`` of the motion it amends (an
    empty text strikes the passage out), or, with no passage named, is added at the end
    as a new paragraph; a decree's text is the motion's with its carried amendments
    folded in (:func:`consolidated_text`)."""
    c = get_congress(org, congress)
    _is_open(c)
    _speaker(c, mover)
    if item is not None and item not in c.agenda:
        raise DomainError(
            f"{item!r} is not on the agenda of {congress!r} ({c.agenda or 'no agenda adopted'})",
            field="item",
            value=item,
        )
    if not title.strip():
        raise DomainError("motion title must not be empty", field="title", value=title)
    if amends is not None:
        target = _motion(c, amends)
        if target.amends is not None:
            raise DomainError(
                f"motion {amends} is itself an amendment", field="amends", value=amends
            )
        if target.status not in ("tabled", "basis"):
            raise DomainError(
                f"motion {amends} is {target.status} and can no longer be amended",
                field="amends",
                value=amends,
            )
        if decree:
            raise DomainError("an amendment cannot be a decree", field="decree", value=decree)
        if replaces is not None:
            check_passage(target.text, replaces, f"motion {amends}")
    elif replaces is not None:
        raise DomainError(
            "only an amendment replaces a passage (give the motion it amends)",
            field="replaces",
            value=replaces,
        )
    return ev.MotionTabled(
        congress=congress,
        number=next_number(c.motions),
        title=title,
        text=text,
        mover=mover,
        amends=amends,
        decree=decree,
        urgent=urgent,
        without_debate=without_debate,
        item=item,
        date=date,
        replaces=replaces,
    )


def check_passage(text: str, passage: str, where: str) -> None:
    if not passage:
        raise DomainError("the passage replaced must not be empty", field="replaces", value="")
    found = text.count(passage)
    if found != 1:
        how = "does not occur" if found == 0 else f"occurs {found} times"
        raise DomainError(
            f"the passage {passage!r} {how} in the text of {where}: name a passage that "
            "occurs exactly once",
            field="replaces",
            value=passage,
        )


def carried_amendments(congress: Congress, motion: int) -> list[Motion]:
    """The amendments carried on a motion, in the order their votes carried them."""
    carried: list[tuple[int, Motion]] = []
    for amendment in where(congress.motions, amends=motion, status="adopted"):
        votes = where(congress.votes, motion=amendment.number, carried=True, status="closed")
        carried.append((min((v.number for v in votes), default=0), amendment))
    return [a for _, a in sorted(carried, key=lambda pair: (pair[0], pair[1].number))]


def consolidated_text(text: str, amendments: Sequence[Motion]) -> str:
    """The text with each amendment folded in, in order: a named passage replaced by the
    amendment's text, or the amendment's text added as a paragraph at the end."""
    for a in amendments:
        if a.replaces is None:
            text = f"{text.rstrip()}\n\n{a.text.strip()}" if text.strip() else a.text
        else:
            check_passage(text, a.replaces, f"the motion as amended before {a.number}")
            text = text.replace(a.replaces, a.text, 1)
    return text


def adopt_agenda(org: Organisation, congress: str, items: Sequence[str], date: dt.date) -> Event:
    """The congress adopts (or replaces) its agenda: an ordered list of items."""
    c = get_congress(org, congress)
    _is_open(c)
    if not items or any(not i.strip() for i in items) or len(set(items)) != len(items):
        raise DomainError(
            f"an agenda is a list of distinct, non-empty items, got {list(items)}",
            field="items",
            value=list(items),
        )
    return ev.AgendaAdopted(congress=congress, items=list(items), date=date)


def order_motions(
    org: Organisation, congress: str, order: Sequence[int], date: dt.date, *, decided_by: str
) -> Event:
    """The chair or a vote sets the order in which competing motions are put."""
    c = get_congress(org, congress)
    _is_open(c)
    for n in order:
        _motion(c, n)
    if len(set(order)) != len(order) or not order:
        raise DomainError(f"bad order {list(order)}", field="order", value=list(order))
    if decided_by != "chair" and not decided_by.startswith("vote "):
        raise DomainError(
            f"decided_by must be 'chair' or 'vote N', got {decided_by!r}",
            field="decided_by",
            value=decided_by,
        )
    return ev.MotionsOrdered(congress=congress, order=list(order), decided_by=decided_by, date=date)


def withdraw_motion(org: Organisation, congress: str, motion: int, date: dt.date) -> Event:
    """The mover withdraws a motion not yet decided."""
    c = get_congress(org, congress)
    m = _motion(c, motion)
    if m.status not in ("tabled", "basis"):
        raise DomainError(f"motion {motion} is {m.status}", field="motion", value=motion)
    return ev.MotionWithdrawn(congress=congress, motion=motion, date=date)
