"""Units and their logs: commissioners, orders (valid, pending, returned) and the actions
taken on them (``soviet unit list`` / ``soviet unit show``, ``GET /api/units``, the unit
page; shapes in docs/cli.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from soviet.domain.model import Organisation
from soviet.domain.order_rules import get_committee, get_unit
from soviet.domain.orders import UnitOrder
from soviet.domain.records import count, where

STATUSES = ("valid", "pending", "returned")


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def units(org: Organisation) -> list[dict[str, Any]]:
    """Every unit with its committee and how many of its orders are in each state."""
    rows = []
    for u in sorted(org.units.values(), key=lambda x: x.name):
        rows.append(
            {
                "name": u.name,
                "council": u.council,
                "constituency": u.constituency,
                "committee": u.committee,
                "commissioners": [
                    c.member for c in where(org.commissioners, unit=u.name, recalled_on=None)
                ],
                "orders": {s: count(org.unit_orders, unit=u.name, status=s) for s in STATUSES},
            }
        )
    return rows


def _order(org: Organisation, o: UnitOrder, actions: list[int]) -> dict[str, Any]:
    committee = get_committee(org, o.committee)
    return {
        "number": o.number,
        "issuer": o.issuer,
        "by_commissioner": o.by_commissioner,
        "action": o.action,
        "text": o.text,
        "committee": o.committee,
        "needs": committee.describe(),
        "issued_on": _iso(o.issued_on),
        "status": o.status,
        "countersigned_by": list(o.countersigned_by),
        "awaiting": [m for m in committee.members if m not in o.countersigned_by]
        if o.status == "pending"
        else [],
        "valid_on": _iso(o.valid_on),
        "returned_by": o.returned_by,
        "reason": o.reason,
        "returned_on": _iso(o.returned_on),
        "actions": actions,
    }


def unit_log(name: str) -> Callable[[Organisation], dict[str, Any]]:
    """The view of one unit's log: its committee and rule, commissioners (current and
    recalled), orders by number with their state, and the actions taken in it."""

    def view(org: Organisation) -> dict[str, Any]:
        u = get_unit(org, name)
        committee = None
        if u.committee is not None:
            k = get_committee(org, u.committee)
            committee = {
                "name": k.name,
                "council": k.council,
                "members": list(k.members),
                "rule": k.rule,
                "k": k.k,
                "roles": dict(k.roles),
                "required_roles": list(k.required_roles),
                "needs": k.describe(),
            }
        actions = where(org.unit_actions, unit=name)
        on_order: dict[int, list[int]] = {}
        for a in actions:
            if a.order is not None:
                on_order.setdefault(a.order, []).append(a.number)
        orders = [
            _order(org, o, on_order.get(o.number, [])) for o in where(org.unit_orders, unit=name)
        ]
        return {
            "unit": u.name,
            "council": u.council,
            "constituency": u.constituency,
            "created_on": _iso(u.created_on),
            "restricted": list(u.restricted),
            "committee": committee,
            "commissioners": [
                {
                    "number": c.number,
                    "member": c.member,
                    "committee": c.committee,
                    "appointed_on": _iso(c.appointed_on),
                    "recalled_on": _iso(c.recalled_on),
                }
                for c in where(org.commissioners, unit=name)
            ],
            "orders": orders,
            "counts": {s: sum(1 for o in orders if o["status"] == s) for s in STATUSES},
            "actions": [
                {
                    "number": a.number,
                    "action": a.action,
                    "taken_by": a.taken_by,
                    "taken_on": _iso(a.taken_on),
                    "order": a.order,
                }
                for a in actions
            ],
        }

    return view
