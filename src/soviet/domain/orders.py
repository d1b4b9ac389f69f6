"""Units, oversight committees, commissioners attached to units, and countersigned orders.

State (dataclasses) and how each of their events changes it; the decisions live in
``soviet.domain.order_rules``. Sources: SYSTEM.md, "Orders and countersignature"
("No orders issued to the garrison shall be valid unless countersigned by the Military
Revolutionary Committee", 003:16298-16300; orders not countersigned were returned,
003:16345-16353; commissioners attached to units, 000:1634-1651, 003:16182-16185).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from soviet.domain import events as ev
from soviet.domain.errors import DomainError
from soviet.domain.records import where

SignatureRule = Literal["all", "k-of-n", "roles"]
SIGNATURE_RULES: tuple[SignatureRule, ...] = ("all", "k-of-n", "roles")
OrderStatus = Literal["pending", "valid", "returned"]


@dataclass
class OversightCommittee:
    """A committee formed by a council whose countersignature the orders to the units
    it oversees need; ``rule`` says whose signatures make an order valid."""

    name: str
    council: str
    members: list[str]
    rule: SignatureRule
    formed_on: dt.date
    k: int | None = None
    roles: dict[str, str] = field(default_factory=dict)
    required_roles: list[str] = field(default_factory=list)

    def satisfied_by(self, signers: list[str]) -> bool:
        """Whether these members' signatures meet the committee's rule."""
        signed = set(signers) & set(self.members)
        if self.rule == "all":
            return signed == set(self.members)
        if self.rule == "k-of-n":
            return self.k is not None and len(signed) >= self.k
        held = {self.roles.get(m) for m in signed}
        return all(role in held for role in self.required_roles)

    def describe(self) -> str:
        """The rule in words (``all 3 members``, ``2 of 3 members``, ``chair and secretary``)."""
        if self.rule == "all":
            return f"all {len(self.members)} members"
        if self.rule == "k-of-n":
            return f"{self.k} of {len(self.members)} members"
        return " and ".join(self.required_roles)


@dataclass
class Unit:
    """A unit of a council (a regiment, an institution), naming a constituency or
    standing alone; ``committee`` oversees it; ``restricted`` action types are valid
    only on a valid order of its commissioners (000:1634-1651: arms issued "only on
    order of our Commissioners")."""

    name: str
    council: str
    created_on: dt.date
    constituency: str | None = None
    committee: str | None = None
    restricted: list[str] = field(default_factory=list)


@dataclass
class Commissioner:
    """An appointment of a member as a commissioner of a unit, current while
    ``recalled_on`` is None (appointments are kept, numbered, when they end)."""

    number: int
    unit: str
    member: str
    committee: str
    appointed_on: dt.date
    recalled_on: dt.date | None = None


@dataclass
class UnitOrder:
    """An order to a unit: pending until countersigned by ``committee`` by its rule
    (then valid), or returned by a member of it with the reason."""

    number: int
    unit: str
    issuer: str
    by_commissioner: bool
    action: str
    text: str
    committee: str
    issued_on: dt.date
    status: OrderStatus = "pending"
    countersigned_by: list[str] = field(default_factory=list)
    valid_on: dt.date | None = None
    returned_by: str | None = None
    reason: str | None = None
    returned_on: dt.date | None = None


@dataclass
class UnitAction:
    """An action taken in a unit, on a valid order or (where none is needed) without."""

    number: int
    unit: str
    action: str
    taken_by: str
    taken_on: dt.date
    order: int | None = None


class OrdersState(Protocol):
    """What these events change: the organisation's units and their tables."""

    oversight_committees: MutableMapping[str, OversightCommittee]
    units: MutableMapping[str, Unit]
    commissioners: MutableMapping[int, Commissioner]
    unit_orders: MutableMapping[int, UnitOrder]
    unit_actions: MutableMapping[int, UnitAction]


def current_commissioners(org: OrdersState, unit: str) -> list[Commissioner]:
    """The unit's commissioners now, by appointment number."""
    return where(org.commissioners, unit=unit, recalled_on=None)


def is_commissioner(org: OrdersState, unit: str, member: str) -> bool:
    """Whether ``member`` is now a commissioner of ``unit``."""
    return bool(where(org.commissioners, unit=unit, member=member, recalled_on=None))


# --- applying events -------------------------------------------------------------------
def _committee_formed(org: OrdersState, e: ev.OversightCommitteeFormed) -> None:
    org.oversight_committees[e.name] = OversightCommittee(
        name=e.name,
        council=e.council,
        members=list(e.members),
        rule=e.rule,  # type: ignore[arg-type]  # checked by the rule
        formed_on=e.date,
        k=e.k,
        roles=dict(e.roles or {}),
        required_roles=list(e.required_roles or []),
    )


def _unit_created(org: OrdersState, e: ev.UnitCreated) -> None:
    org.units[e.name] = Unit(
        name=e.name,
        council=e.council,
        created_on=e.date,
        constituency=e.constituency,
        committee=e.committee,
        restricted=list(e.restricted),
    )


def _unit_placed(org: OrdersState, e: ev.UnitPlaced) -> None:
    org.units[e.unit].committee = e.committee


def _commissioner_appointed(org: OrdersState, e: ev.CommissionerAppointed) -> None:
    org.commissioners[e.number] = Commissioner(
        number=e.number,
        unit=e.unit,
        member=e.member,
        committee=e.committee,
        appointed_on=e.date,
    )


def _commissioner_recalled(org: OrdersState, e: ev.CommissionerRecalled) -> None:
    org.commissioners[e.number].recalled_on = e.date


def _order_issued(org: OrdersState, e: ev.OrderIssued) -> None:
    org.unit_orders[e.number] = UnitOrder(
        number=e.number,
        unit=e.unit,
        issuer=e.issuer,
        by_commissioner=e.by_commissioner,
        action=e.action,
        text=e.text,
        committee=e.committee,
        issued_on=e.date,
    )


def _order_countersigned(org: OrdersState, e: ev.OrderCountersigned) -> None:
    order = org.unit_orders[e.order]
    order.countersigned_by = [*order.countersigned_by, e.member]
    if e.valid:
        order.status = "valid"
        order.valid_on = e.date


def _order_returned(org: OrdersState, e: ev.OrderReturned) -> None:
    order = org.unit_orders[e.order]
    order.status = "returned"
    order.returned_by = e.member
    order.reason = e.reason
    order.returned_on = e.date


def _action_taken(org: OrdersState, e: ev.UnitActionTaken) -> None:
    org.unit_actions[e.number] = UnitAction(
        number=e.number,
        unit=e.unit,
        action=e.action,
        taken_by=e.taken_by,
        taken_on=e.date,
        order=e.order,
    )


ORDERS_MUTATORS: dict[type[ev.Event], Callable[[OrdersState, Any], None]] = {
    ev.OversightCommitteeFormed: _committee_formed,
    ev.UnitCreated: _unit_created,
    ev.UnitPlaced: _unit_placed,
    ev.CommissionerAppointed: _commissioner_appointed,
    ev.CommissionerRecalled: _commissioner_recalled,
    ev.OrderIssued: _order_issued,
    ev.OrderCountersigned: _order_countersigned,
    ev.OrderReturned: _order_returned,
    ev.UnitActionTaken: _action_taken,
}


def council_renamed(org: OrdersState, old: str, new: str) -> None:
    """A council's new name in its committees and units (called by the council's
    rename mutator)."""
    for k in where(org.oversight_committees, council=old):
        k.council = new
    for u in where(org.units, council=old):
        u.council = new


def constituency_renamed(org: OrdersState, old: str, new: str) -> None:
    """A constituency's new name in the units that name it."""
    for u in where(org.units, constituency=old):
        u.constituency = new


def refuse_removal(
    org: OrdersState, *, council: str | None = None, constituency: str | None = None
) -> None:
    """Refuse removing a council or constituency that units or committees name (their
    records would point at nothing): a ``DomainError`` naming it."""
    if council is not None:
        held = len(where(org.units, council=council)) + len(
            where(org.oversight_committees, council=council)
        )
        if held:
            raise DomainError(
                f"council {council!r} has {held} units and oversight committees on record "
                "and cannot be removed",
                field="council",
                value=council,
            )
    if constituency is not None:
        units = where(org.units, constituency=constituency)
        if units:
            raise DomainError(
                f"constituency {constituency!r} is named by unit {units[0].name!r} and cannot "
                "be removed",
                field="constituency",
                value=constituency,
            )
