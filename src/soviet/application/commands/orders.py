"""Commands of units, oversight committees, commissioners and countersigned orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soviet.application.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class FormOversightCommittee(Command):
    """A council forms a committee whose countersignature orders to its units need.

    ``rule``: ``all`` (every member), ``k-of-n`` (``k`` members) or ``roles`` (a member
    holding each of ``required_roles``; ``roles`` maps member ids to roles)."""

    name: str
    council: str
    members: list[str]
    rule: str = "all"
    k: int | None = None
    roles: dict[str, str] = field(default_factory=dict)
    required_roles: list[str] = field(default_factory=list)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CreateUnit(Command):
    """A unit of a council (a regiment, an institution), naming a constituency or not;
    ``restricted`` action types are valid only on order of its commissioners."""

    name: str
    council: str
    constituency: str | None = None
    committee: str | None = None
    restricted: list[str] = field(default_factory=list)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class PlaceUnit(Command):
    """Place a unit under an oversight committee."""

    unit: str
    committee: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AppointCommissioner(Command):
    """The unit's oversight committee attaches a commissioner (a member id) to it."""

    unit: str
    member: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecallCommissioner(Command):
    """The unit's oversight committee recalls one of its commissioners."""

    unit: str
    member: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class IssueOrder(Command):
    """An order to a unit by one of its commissioners (``by_commissioner``) or by a body
    that ``issuer`` names; pending until countersigned."""

    unit: str
    issuer: str
    action: str
    text: str
    by_commissioner: bool = True
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CountersignOrder(Command):
    """A member of the order's committee countersigns it."""

    order: int
    member: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ReturnOrder(Command):
    """A member of the order's committee refuses it and returns it with the reason."""

    order: int
    member: str
    reason: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class TakeAction(Command):
    """Record an action taken in a unit, on a valid order (``order``) or, where its type
    needs none, without one."""

    unit: str
    action: str
    taken_by: str
    order: int | None = None
    date: dt.date
