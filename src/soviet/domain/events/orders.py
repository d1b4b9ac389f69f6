"""Events of units, oversight committees, their commissioners and countersigned orders.

SYSTEM.md, "Orders and countersignature": orders to a unit are valid only when
countersigned by the oversight committee named for it (003:16298-16300); orders not
countersigned are returned (003:16345-16353); commissioners attached to units
(000:1634-1651; 003:16182-16185, 16917-16942).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soviet.domain.events.base import OMIT_IF_NONE, Event


@dataclass(frozen=True, kw_only=True)
class OversightCommitteeFormed(Event):
    """A council formed a committee whose countersignature orders to its units need.

    ``rule`` is ``all`` (every member signs), ``k-of-n`` (``k`` members sign) or
    ``roles`` (a member holding each of ``required_roles`` signs; ``roles`` maps members
    to their role)."""

    name: str
    council: str
    members: list[str]
    rule: str
    k: int | None = field(default=None, metadata=OMIT_IF_NONE)
    roles: dict[str, str] | None = field(default=None, metadata=OMIT_IF_NONE)
    required_roles: list[str] | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class UnitCreated(Event):
    """A unit (a regiment, an institution) of a council, naming a constituency or not;
    ``restricted`` are its action types valid only on a commissioner's valid order."""

    name: str
    council: str
    constituency: str | None = field(default=None, metadata=OMIT_IF_NONE)
    committee: str | None = field(default=None, metadata=OMIT_IF_NONE)
    restricted: list[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class UnitPlaced(Event):
    """A unit was placed under an oversight committee (orders issued from then on need
    its countersignature)."""

    unit: str
    committee: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CommissionerAppointed(Event):
    """The unit's oversight committee attached a commissioner to it (``number`` numbers
    the appointment)."""

    unit: str
    member: str
    committee: str
    number: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CommissionerRecalled(Event):
    """The oversight committee recalled a commissioner (appointment ``number`` ended)."""

    unit: str
    member: str
    number: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class OrderIssued(Event):
    """An order to a unit, by a commissioner of it or by a body; pending until the
    ``committee`` overseeing the unit countersigns it."""

    number: int
    unit: str
    issuer: str
    by_commissioner: bool
    action: str
    text: str
    committee: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class OrderCountersigned(Event):
    """A member of the committee countersigned an order; ``valid`` when the committee's
    rule is met with this signature."""

    order: int
    member: str
    signatures: int
    valid: bool
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class OrderReturned(Event):
    """A member of the committee refused an order and returned it with the reason."""

    order: int
    member: str
    reason: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class UnitActionTaken(Event):
    """An action taken in a unit, on a valid order (``order``) or, for an action type
    that needs none, without one."""

    number: int
    unit: str
    action: str
    taken_by: str
    order: int | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date
