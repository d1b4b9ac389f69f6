"""The rules of units, oversight committees, commissioners and countersigned orders.

Each rule reads the state and returns the one event that records the decision, or
raises a ``DomainError`` naming the field and value. The core rule: an order to a unit is
valid only once the committee overseeing the unit has countersigned it by its rule
(003:16298-16300; Finland 003:2718-2722; Moscow 003:31964-31974), "all members" where a
body demanded every member's signature (003:32963-32977), "k of n", or "named roles";
until then it is pending, and a member of the committee may return it with the reason
(003:16345-16353). Action types a unit restricts are valid only on a valid order of its
commissioners (000:1634-1651).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from soviet.domain import events as ev
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity, shown
from soviet.domain.model import Organisation
from soviet.domain.orders import (
    SIGNATURE_RULES,
    OversightCommittee,
    Unit,
    UnitOrder,
    is_commissioner,
)
from soviet.domain.records import next_number, where
from soviet.domain.rules import get_constituency, get_council


def _not_before(date: dt.date, earlier: dt.date, what: str) -> None:
    if date < earlier:
        raise DomainError(
            f"date {date} is before {what} ({earlier})", field="date", value=date.isoformat()
        )


def _named(value: str, what: str, field_name: str) -> None:
    if not value.strip():
        raise DomainError(f"{what} must not be empty", field=field_name, value=value)


def get_committee(org: Organisation, name: str) -> OversightCommittee:
    """The oversight committee called ``name`` or UnknownEntity."""
    try:
        return org.oversight_committees[name]
    except KeyError:
        raise UnknownEntity("oversight committee", name) from None


def get_unit(org: Organisation, name: str) -> Unit:
    """The unit called ``name`` or UnknownEntity."""
    try:
        return org.units[name]
    except KeyError:
        raise UnknownEntity("unit", name) from None


def get_order(org: Organisation, number: int) -> UnitOrder:
    """Order number ``number`` or UnknownEntity."""
    try:
        return org.unit_orders[number]
    except KeyError:
        raise UnknownEntity("order", number) from None


def _overseer(org: Organisation, unit: Unit, why: str) -> OversightCommittee:
    if unit.committee is None:
        raise DomainError(
            f"unit {unit.name!r} has no oversight committee: {why}", field="unit", value=unit.name
        )
    return get_committee(org, unit.committee)


def order_state(org: Organisation, order: UnitOrder) -> str:
    """Why an order is not valid, in words (or that it is)."""
    if order.status == "valid":
        return f"order {order.number} is valid (countersigned on {order.valid_on})"
    if order.status == "returned":
        return (
            f"order {order.number} was returned by {order.returned_by!r} on "
            f"{order.returned_on}: {order.reason}"
        )
    committee = get_committee(org, order.committee)
    signed = len(set(order.countersigned_by))
    return (
        f"order {order.number} is not valid: it awaits the countersignature of "
        f"{committee.name!r} ({committee.describe()}; {signed} signed)"
    )


# --- committees and units --------------------------------------------------------------
def form_committee(
    org: Organisation,
    name: str,
    council: str,
    members: Sequence[str],
    rule: str,
    date: dt.date,
    *,
    k: int | None = None,
    roles: Mapping[str, str] | None = None,
    required_roles: Sequence[str] = (),
) -> ev.Event:
    """A council forms an oversight committee with named members and its rule of
    countersignature."""
    get_council(org, council)
    _named(name, "committee name", "name")
    if name in org.oversight_committees:
        raise AlreadyExists("oversight committee", name)
    if not members:
        raise DomainError("a committee needs at least one member", field="members", value=[])
    for m in members:
        _named(m, "member", "members")
    if len(set(members)) != len(members):
        twice = next(m for m in members if list(members).count(m) > 1)
        raise DomainError(f"member {twice!r} is named twice", field="members", value=twice)
    if rule not in SIGNATURE_RULES:
        raise DomainError(
            f"rule must be one of {', '.join(SIGNATURE_RULES)}, got {shown(rule)}",
            field="rule",
            value=rule,
        )
    if rule == "k-of-n":
        if k is None or not 1 <= k <= len(members):
            raise DomainError(
                f"rule k-of-n needs k between 1 and {len(members)} (the members), got {k}",
                field="k",
                value=k,
            )
    elif k is not None:
        raise DomainError(f"k is for the rule k-of-n, not {rule}", field="k", value=k)
    roles = dict(roles or {})
    for member, role in roles.items():
        if member not in members:
            raise DomainError(
                f"roles names {member!r}, who is not a member", field="roles", value=member
            )
        _named(role, "role", "roles")
    if rule == "roles":
        if not required_roles:
            raise DomainError(
                "rule roles needs the roles whose signatures are required",
                field="required_roles",
                value=[],
            )
        for role in required_roles:
            if role not in roles.values():
                raise DomainError(
                    f"no member holds the required role {role!r}",
                    field="required_roles",
                    value=role,
                )
    elif required_roles:
        raise DomainError(
            f"required_roles are for the rule roles, not {rule}",
            field="required_roles",
            value=list(required_roles),
        )
    return ev.OversightCommitteeFormed(
        name=name,
        council=council,
        members=list(members),
        rule=rule,
        k=k,
        roles=roles or None,
        required_roles=list(required_roles) or None,
        date=date,
    )


def create_unit(
    org: Organisation,
    name: str,
    council: str,
    date: dt.date,
    *,
    constituency: str | None = None,
    committee: str | None = None,
    restricted: Sequence[str] = (),
) -> ev.Event:
    """A council's unit, naming one of its constituencies or standing alone, overseen by
    a committee or not yet; ``restricted`` action types need a commissioner's order."""
    get_council(org, council)
    _named(name, "unit name", "name")
    if name in org.units:
        raise AlreadyExists("unit", name)
    if constituency is not None:
        home = get_constituency(org, constituency)
        if home.council != council:
            raise DomainError(
                f"constituency {constituency!r} is of council {home.council!r}, not {council!r}",
                field="constituency",
                value=constituency,
            )
    if committee is not None:
        _not_before(date, get_committee(org, committee).formed_on, f"{committee!r} was formed")
    for action in restricted:
        _named(action, "action type", "restricted")
    if len(set(restricted)) != len(restricted):
        twice = next(a for a in restricted if list(restricted).count(a) > 1)
        raise DomainError(f"action {twice!r} is named twice", field="restricted", value=twice)
    return ev.UnitCreated(
        name=name,
        council=council,
        constituency=constituency,
        committee=committee,
        restricted=list(restricted),
        date=date,
    )


def place_unit(org: Organisation, unit: str, committee: str, date: dt.date) -> ev.Event:
    """A unit comes under an oversight committee: orders issued from then on need its
    countersignature (those issued before keep the committee they were issued under)."""
    u = get_unit(org, unit)
    k = get_committee(org, committee)
    if u.committee == committee:
        raise DomainError(
            f"unit {unit!r} is already overseen by {committee!r}",
            field="committee",
            value=committee,
        )
    _not_before(
        date, max(k.formed_on, u.created_on), f"{committee!r} was formed or {unit!r} created"
    )
    return ev.UnitPlaced(unit=unit, committee=committee, date=date)


# --- commissioners ---------------------------------------------------------------------
def appoint_commissioner(org: Organisation, unit: str, member: str, date: dt.date) -> ev.Event:
    """The unit's oversight committee attaches a commissioner (a member id) to it."""
    u = get_unit(org, unit)
    k = _overseer(org, u, "who would appoint its commissioners?")
    _named(member, "member", "member")
    if is_commissioner(org, unit, member):
        raise DomainError(
            f"{member!r} is already a commissioner of unit {unit!r}", field="member", value=member
        )
    _not_before(date, u.created_on, f"unit {unit!r} was created")
    return ev.CommissionerAppointed(
        unit=unit,
        member=member,
        committee=k.name,
        number=next_number(org.commissioners),
        date=date,
    )


def recall_commissioner(org: Organisation, unit: str, member: str, date: dt.date) -> ev.Event:
    """The oversight committee recalls a commissioner of a unit."""
    get_unit(org, unit)
    current = where(org.commissioners, unit=unit, member=member, recalled_on=None)
    if not current:
        raise DomainError(
            f"{member!r} is not a commissioner of unit {unit!r}", field="member", value=member
        )
    appointment = current[0]
    _not_before(date, appointment.appointed_on, f"{member!r} was appointed")
    return ev.CommissionerRecalled(unit=unit, member=member, number=appointment.number, date=date)


# --- orders ----------------------------------------------------------------------------
def issue_order(
    org: Organisation,
    unit: str,
    issuer: str,
    action: str,
    text: str,
    date: dt.date,
    *,
    by_commissioner: bool,
) -> ev.Event:
    """An order to a unit, by one of its commissioners or by a body (``issuer`` names
    it): pending until the unit's committee countersigns it."""
    u = get_unit(org, unit)
    k = _overseer(org, u, "no order to it could be countersigned")
    _named(issuer, "issuer", "issuer")
    _named(action, "action", "action")
    _named(text, "order text", "text")
    if by_commissioner and not is_commissioner(org, unit, issuer):
        raise DomainError(
            f"{issuer!r} is not a commissioner of unit {unit!r}", field="issuer", value=issuer
        )
    if action in u.restricted and not by_commissioner:
        raise DomainError(
            f"action {action!r} in unit {unit!r} is valid only on order of its commissioners, "
            f"and {issuer!r} is not one",
            field="issuer",
            value=issuer,
        )
    _not_before(date, u.created_on, f"unit {unit!r} was created")
    return ev.OrderIssued(
        number=next_number(org.unit_orders),
        unit=unit,
        issuer=issuer,
        by_commissioner=by_commissioner,
        action=action,
        text=text,
        committee=k.name,
        date=date,
    )


def _pending(org: Organisation, order: UnitOrder) -> None:
    if order.status != "pending":
        raise DomainError(order_state(org, order), field="order", value=order.number)


def _member_of(k: OversightCommittee, member: str) -> None:
    if member not in k.members:
        raise DomainError(
            f"{member!r} is not a member of the committee {k.name!r}", field="member", value=member
        )


def countersign_order(org: Organisation, number: int, member: str, date: dt.date) -> ev.Event:
    """A member of the order's committee countersigns it; with this signature the order
    is valid when the committee's rule is met."""
    order = get_order(org, number)
    _pending(org, order)
    k = get_committee(org, order.committee)
    _member_of(k, member)
    if member in order.countersigned_by:
        raise DomainError(
            f"{member!r} has already countersigned order {number}", field="member", value=member
        )
    if order.by_commissioner and not is_commissioner(org, order.unit, order.issuer):
        raise DomainError(
            f"order {number} was issued by {order.issuer!r}, no longer a commissioner of unit "
            f"{order.unit!r}",
            field="order",
            value=number,
        )
    _not_before(date, order.issued_on, f"order {number} was issued")
    signers = [*order.countersigned_by, member]
    return ev.OrderCountersigned(
        order=number,
        member=member,
        signatures=len(signers),
        valid=k.satisfied_by(signers),
        date=date,
    )


def return_order(
    org: Organisation, number: int, member: str, reason: str, date: dt.date
) -> ev.Event:
    """A member of the order's committee refuses a pending order and returns it with the
    reason (003:16345-16353)."""
    order = get_order(org, number)
    _pending(org, order)
    _member_of(get_committee(org, order.committee), member)
    _named(reason, "reason", "reason")
    _not_before(date, order.issued_on, f"order {number} was issued")
    return ev.OrderReturned(order=number, member=member, reason=reason, date=date)


def take_action(
    org: Organisation,
    unit: str,
    action: str,
    taken_by: str,
    date: dt.date,
    *,
    order: int | None = None,
) -> ev.Event:
    """An action taken in a unit: on a valid order to it (of that action), and for a
    restricted action type only on a valid order of its commissioners."""
    u = get_unit(org, unit)
    _named(action, "action", "action")
    _named(taken_by, "taken_by", "taken_by")
    if order is None:
        if action in u.restricted:
            raise DomainError(
                f"action {action!r} in unit {unit!r} is valid only on order of its "
                "commissioners: name a valid order",
                field="order",
                value=None,
            )
        _not_before(date, u.created_on, f"unit {unit!r} was created")
    else:
        o = get_order(org, order)
        if o.unit != unit:
            raise DomainError(
                f"order {order} is to unit {o.unit!r}, not {unit!r}", field="order", value=order
            )
        if o.action != action:
            raise DomainError(
                f"order {order} orders {o.action!r}, not {action!r}", field="action", value=action
            )
        if o.status != "valid":
            raise DomainError(order_state(org, o), field="order", value=order)
        assert o.valid_on is not None
        _not_before(date, o.valid_on, f"order {order} became valid")
    return ev.UnitActionTaken(
        number=next_number(org.unit_actions),
        unit=unit,
        action=action,
        taken_by=taken_by,
        order=order,
        date=date,
    )
