"""The member register: a file of members replaces named rolls, recording only what differs.

A member's id is their elector key (what petitions and signatures name), so it is stable:
a new name is a rename, a new constituency a move. Importing the same register twice
finds nothing to record (``NothingChanged``). E-mail addresses never reach this module
(docs/decisions/0011-member-register.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from soviet.domain import events as ev
from soviet.domain.errors import DomainError, NothingChanged
from soviet.domain.limits import MAX_ELECTORS, NAME_MAX, check_at_most
from soviet.domain.model import Constituency, Organisation
from soviet.domain.records import keys_with, prefetch
from soviet.domain.rules import get_constituency


@dataclass(frozen=True)
class RollEntry:
    """One member as the register lists them."""

    member: str
    name: str
    constituency: str


@dataclass(frozen=True)
class RollDiff:
    """What an import changes, and how many of the register's members it leaves as they
    were (a member both moved and renamed counts in both)."""

    event: ev.RollImported
    unchanged: int

    @property
    def changed(self) -> bool:
        """True when there is anything to record."""
        e = self.event
        return bool(e.added or e.moved or e.renamed or e.removed)

    def summary(self) -> dict[str, int]:
        """The counts: added, moved, removed, renamed, unchanged."""
        e = self.event
        return {
            "added": len(e.added),
            "moved": len(e.moved),
            "removed": len(e.removed),
            "renamed": len(e.renamed),
            "unchanged": self.unchanged,
        }


def named_roll(org: Organisation, name: str) -> Constituency:
    """The constituency ``name``, which must keep a named roll (a numbered roll is only a
    headcount: it has no members to import or export)."""
    c = get_constituency(org, name)
    if c.roll != "named":
        raise DomainError(
            f"constituency {name!r} has a numbered roll (a headcount, no names): "
            "set its headcount with `soviet elector headcount` instead",
            field="constituency",
            value=name,
        )
    return c


def check_entry(entry: RollEntry) -> None:
    """A member id and name the rolls can hold: non-empty, at most NAME_MAX characters,
    and no '#' in the id (``NAME#17`` is a number on a numbered roll)."""
    for column, value in (("member_id", entry.member), ("name", entry.name)):
        if not value.strip() or len(value) > NAME_MAX:
            raise DomainError(
                f"{column} must be 1 to {NAME_MAX} characters, got {value!r}",
                field=column,
                value=value,
            )
    if "#" in entry.member:
        raise DomainError(
            f"member_id must contain no '#' (it marks roll numbers), got {entry.member!r}",
            field="member_id",
            value=entry.member,
        )


def diff_roll(
    org: Organisation, constituency: str | None, members: Sequence[RollEntry], date: dt.date
) -> RollDiff:
    """Compare the register with the rolls it replaces: the named roll of ``constituency``,
    or with None every named roll (the whole register). Members the rolls hold and the
    register does not are removed; every member listed must belong to a named roll
    within that scope."""
    check_at_most("members", len(members), MAX_ELECTORS)
    if constituency is not None:
        named_roll(org, constituency)
    for name in sorted({m.constituency for m in members}):
        if constituency is not None and name != constituency:
            raise DomainError(
                f"constituency {name!r} is outside the roll imported ({constituency!r}); "
                "import the whole register with --all instead",
                field="constituency",
                value=name,
            )
        named_roll(org, name)
    seen: set[str] = set()
    for m in members:
        check_entry(m)
        if m.member in seen:
            raise DomainError(
                f"member_id {m.member!r} listed twice", field="member_id", value=m.member
            )
        seen.add(m.member)

    # The rolls as they are: one indexed query for one roll; the whole table for all.
    if constituency is not None:
        current = dict.fromkeys(keys_with(org.electors, constituency), constituency)
        prefetch(org.electors, (m.member for m in members if m.member not in current))
        prefetch(org.member_names, [*current, *(m.member for m in members)])
        names = org.member_names
    else:
        current = dict(org.electors.items())
        names = dict(org.member_names.items())

    added: list[ev.RollMember] = []
    moved: list[ev.RollMove] = []
    renamed: list[ev.RollRename] = []
    unchanged = 0
    electors = org.electors
    for m in members:
        home = current.get(m.member)
        if home is None and constituency is not None:
            home = electors.get(m.member)  # on a roll outside the scope: a move
        if home is None:
            added.append({"member": m.member, "name": m.name, "constituency": m.constituency})
            continue
        same = True
        if home != m.constituency:
            moved.append({"member": m.member, "from": home, "to": m.constituency})
            same = False
        if names.get(m.member, m.member) != m.name:
            renamed.append({"member": m.member, "name": m.name})
            same = False
        unchanged += same
    removed: list[ev.RollRemoval] = [
        {"member": k, "constituency": v} for k, v in current.items() if k not in seen
    ]
    event = ev.RollImported(
        constituency=constituency,
        added=sorted(added, key=lambda r: r["member"]),
        moved=sorted(moved, key=lambda r: r["member"]),
        renamed=sorted(renamed, key=lambda r: r["member"]),
        removed=sorted(removed, key=lambda r: r["member"]),
        date=date,
    )
    return RollDiff(event, unchanged)


def import_roll(
    org: Organisation, constituency: str | None, members: Sequence[RollEntry], date: dt.date
) -> ev.RollImported:
    """The event recording what the register changes; ``NothingChanged`` when the rolls
    already hold it."""
    diff = diff_roll(org, constituency, members, date)
    if not diff.changed:
        held = "every named roll" if constituency is None else f"the roll of {constituency}"
        raise NothingChanged(
            f"nothing changed: {held} already holds these {diff.unchanged:,} members",
            unchanged=diff.unchanged,
        )
    return diff.event


def register(org: Organisation, constituency: str | None) -> list[RollEntry]:
    """The register as the rolls hold it: ``constituency``'s named roll, or every named
    roll, by constituency then member id; an elector enrolled by name is their own name."""
    if constituency is not None:
        named_roll(org, constituency)
        ids = keys_with(org.electors, constituency)
        prefetch(org.member_names, ids)
        homes = dict.fromkeys(ids, constituency)
        names = org.member_names
    else:
        homes = dict(org.electors.items())
        names = dict(org.member_names.items())
    entries = [RollEntry(k, names.get(k, k), v) for k, v in homes.items()]
    entries.sort(key=lambda e: (e.constituency, e.member))
    return entries
