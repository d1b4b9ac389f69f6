"""How each entity of the state maps to its table: derived from the dataclass, not written
out twice.

An ``EntityMap`` reads the entity's dataclass fields and their type hints once: a field is
a column of the same name (a few are renamed: ``group`` is ``group_name``, a list's
``order`` is its ``position``), dicts and lists are JSON text, booleans are booleans on
every back end. Fields that hold collections of other records (a congress's credentials,
a vote's roll call...) are not columns: they are listed as ``children`` and stored in
their own tables, scoped by the parent's key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from soviet.adapters.storage import schema as s
from soviet.adapters.storage.schema import TableSpec
from soviet.domain.assembly import Assembly, PartyList
from soviet.domain.congress import (
    Attendance,
    Committee,
    CommitteeMember,
    Congress,
    Credential,
    Decree,
    GroupChange,
    Motion,
    Proxy,
    VoteRecord,
)
from soviet.domain.consent import ConsentRule, WorkplaceAction

# --- executive ---
from soviet.domain.executive import (
    CommissionersCouncil,
    DepartmentHead,
    ExecutiveDecree,
    SigningKey,
)
from soviet.domain.model import (
    Constituency,
    Council,
    Delegate,
    Mandate,
    Petition,
    Replacement,
    Secretary,
)

# --- orders: units, oversight committees, commissioners, countersigned orders ---
from soviet.domain.orders import Commissioner, OversightCommittee, Unit, UnitAction, UnitOrder
from soviet.domain.weighting import MandateBinding, VoteRecall

Row = dict[str, Any]
Key = tuple[Any, ...]


def _json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@dataclass(frozen=True)
class Codec:
    """Conversions between a field's value and its column's."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


_PLAIN = Codec(lambda v: v, lambda v: v)
_BOOL = Codec(lambda v: v, lambda v: None if v is None else bool(v))
_INT = Codec(lambda v: v, lambda v: None if v is None else int(v))
_JSON = Codec(_json_text, json.loads)
DATES = Codec(
    lambda v: _json_text([d.isoformat() for d in v]),
    lambda v: [dt.date.fromisoformat(d) for d in json.loads(v)],
)
"""A list of dates as JSON text of ISO dates."""


_COLLECTIONS = (list, dict, set, tuple, Mapping, Sequence, AbstractSet)


def _codec_for(hint: Any) -> Codec:
    """Booleans as booleans, containers as JSON text, anything else as it is."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]  # X | None
    if hint is str:
        return _PLAIN
    if hint is bool:
        return _BOOL
    if hint is int:
        return _INT
    origin = typing.get_origin(hint) or hint
    if isinstance(origin, type) and issubclass(origin, _COLLECTIONS):
        return _JSON
    return _PLAIN


@dataclass(frozen=True)
class ChildSpec:
    """A field holding a collection of records stored in their own table.

    ``kind`` says how the field behaves: ``records`` (a mapping of entities by key),
    ``values`` (a mapping of plain values by key), ``keys`` (a set of keys) or ``log``
    (an append-only sequence of entities numbered by ``order``).
    """

    attribute: str
    kind: str
    table: TableSpec
    scope: tuple[str, ...]  # the child table's columns holding the parent's key
    entity: EntityMap | None = None  # records and log
    key_column: str = ""  # values and keys
    value_column: str = ""  # values


@dataclass
class EntityMap:
    """The mapping of one dataclass to one table."""

    cls: type
    table: TableSpec
    key: tuple[str, ...]  # attributes of the entity forming its key (within its scope)
    scope: tuple[str, ...] = ()  # columns holding the parent's key
    renames: Mapping[str, str] = field(default_factory=dict)
    codecs: Mapping[str, Codec] = field(default_factory=dict)
    children: tuple[ChildSpec, ...] = ()
    skip: frozenset[str] = frozenset()  # fields stored by hand (see ``extra_rows``)
    defaults: Mapping[str, Any] = field(default_factory=dict)  # for skipped fields on load
    fields: tuple[tuple[str, str, Codec], ...] = ()  # (attribute, column, codec)
    _own_key: tuple[str, ...] = ()
    _decoders: tuple[tuple[str, str, Callable[[Any], Any] | None], ...] = ()

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(self.cls)
        nested = {c.attribute for c in self.children} | set(self.skip)
        self.fields = tuple(
            (
                f.name,
                self.renames.get(f.name, f.name),
                self.codecs.get(f.name) or _codec_for(hints[f.name]),
            )
            for f in dataclasses.fields(self.cls)
            if f.name not in nested
        )
        self._own_key = tuple(self.renames.get(a, a) for a in self.key)
        self._decoders = tuple(
            (attribute, column, None if codec is _PLAIN else codec.decode)
            for attribute, column, codec in self.fields
        )
        columns = set(self.table.columns)
        missing = [col for _, col, _ in self.fields if col not in columns]
        if missing:
            raise TypeError(f"{self.cls.__name__}: no columns {missing} in {self.table.name}")

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The table's primary key: the scope, then the entity's own key columns."""
        return self.scope + tuple(self.column(a) for a in self.key)

    def column(self, attribute: str) -> str:
        """The column of an attribute."""
        return self.renames.get(attribute, attribute)

    def decoder(self, attribute: str) -> Callable[[Any], Any] | None:
        """What turns a stored value of ``attribute`` back into the field's (None: as
        stored)."""
        for name, _, decode in self._decoders:
            if name == attribute:
                return decode
        raise KeyError(attribute)

    def key_of(self, entity: Any) -> Any:
        """The entity's key within its scope: one value, or a tuple for several."""
        if len(self.key) == 1:
            return getattr(entity, self.key[0])
        return tuple(getattr(entity, a) for a in self.key)

    def key_of_row(self, row: Mapping[str, Any]) -> Any:
        """The key within the scope, read from a row."""
        if len(self._own_key) == 1:
            return row[self._own_key[0]]
        return tuple(row[c] for c in self._own_key)

    def row(self, entity: Any, scope: Key) -> Row:
        """The entity's own row (its children apart)."""
        out = dict(zip(self.scope, scope, strict=True))
        for attribute, column, codec in self.fields:
            out[column] = codec.encode(getattr(entity, attribute))
        return out

    def values(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor arguments a row gives (children apart)."""
        return {
            attribute: row[column] if decode is None else decode(row[column])
            for attribute, column, decode in self._decoders
        }


# --- the state's entities ------------------------------------------------------------
COUNCIL = EntityMap(Council, s.COUNCILS, ("name",))
CONSTITUENCY = EntityMap(Constituency, s.CONSTITUENCIES, ("name",))
DELEGATE = EntityMap(Delegate, s.DELEGATES, ("id",), renames={"group": "group_name"})
MANDATE = EntityMap(Mandate, s.MANDATES, ("number",))
PETITION = EntityMap(
    Petition,
    s.PETITIONS,
    ("id",),
    children=(
        ChildSpec(
            "signatures",
            "values",
            s.SIGNATURES,
            ("petition_id",),
            key_column="elector",
            value_column="signed_on",
        ),
    ),
    skip=frozenset({"delegate_ids", "replacements"}),  # petition_targets: see below
)
DECREE = EntityMap(Decree, s.DECREES, ("number",))
SECRETARY = EntityMap(Secretary, s.SECRETARIES, ("number",))
# --- orders ---
OVERSIGHT_COMMITTEE = EntityMap(OversightCommittee, s.OVERSIGHT_COMMITTEES, ("name",))
UNIT = EntityMap(Unit, s.UNITS, ("name",))
COMMISSIONER = EntityMap(Commissioner, s.COMMISSIONERS, ("number",))
UNIT_ORDER = EntityMap(UnitOrder, s.UNIT_ORDERS, ("number",))
UNIT_ACTION = EntityMap(UnitAction, s.UNIT_ACTIONS, ("number",), renames={"order": "order_number"})

CREDENTIAL = EntityMap(
    Credential, s.CREDENTIALS, ("number",), ("congress",), renames={"group": "group_name"}
)
GROUP_CHANGE = EntityMap(
    GroupChange,
    s.GROUP_CHANGES,
    ("order",),
    ("congress",),
    renames={"order": "position", "group": "group_name", "date": "changed_on"},
)
ATTENDANCE = EntityMap(
    Attendance,
    s.ATTENDANCE,
    ("order",),
    ("congress",),
    renames={"order": "position", "date": "recorded_on"},
)
MOTION = EntityMap(Motion, s.MOTIONS, ("number",), ("congress",), renames={"order": "position"})
VOTE = EntityMap(
    VoteRecord,
    s.VOTES,
    ("number",),
    ("congress",),
    children=(
        ChildSpec(
            "roll",
            "values",
            s.VOTE_ROLL,
            ("congress", "vote"),
            key_column="credential",
            value_column="choice",
        ),
        ChildSpec("voted", "keys", s.VOTES_CAST, ("congress", "vote"), key_column="credential"),
        # weighted votes and proxies (issue 11)
        ChildSpec(
            "weights",
            "values",
            s.VOTE_WEIGHTS,
            ("congress", "vote"),
            key_column="credential",
            value_column="weight",
        ),
        ChildSpec(
            "proxied",
            "values",
            s.VOTE_PROXIES,
            ("congress", "vote"),
            key_column="credential",
            value_column="holder",
        ),
    ),
)
COMMITTEE = EntityMap(
    Committee,
    s.COMMITTEES,
    ("name",),
    ("congress",),
    skip=frozenset({"members"}),  # committee_members, and position: see below
)
PROXY = EntityMap(Proxy, s.PROXIES, ("number",), ("congress",))
CONGRESS = EntityMap(
    Congress,
    s.CONGRESSES,
    ("name",),
    codecs={"postponements": DATES},
    children=(
        ChildSpec("credentials", "records", s.CREDENTIALS, ("congress",), CREDENTIAL),
        ChildSpec("group_changes", "log", s.GROUP_CHANGES, ("congress",), GROUP_CHANGE),
        ChildSpec("attendance", "log", s.ATTENDANCE, ("congress",), ATTENDANCE),
        ChildSpec("motions", "records", s.MOTIONS, ("congress",), MOTION),
        ChildSpec("votes", "records", s.VOTES, ("congress",), VOTE),
        # proxies (issue 11)
        ChildSpec("proxies", "records", s.PROXIES, ("congress",), PROXY),
    ),
    skip=frozenset({"committees"}),  # few, kept whole with the congress: see below
)


# --- the fields kept by hand: small ordered lists loaded and saved with their parent --
def petition_target_rows(p: Petition) -> list[Row]:
    """A petition's targets in order, each with the replacement named for it."""
    rows = []
    for position, delegate_id in enumerate(p.delegate_ids):
        replacement = p.replacements[position] if p.replacements else None
        rows.append(
            {
                "petition_id": p.id,
                "position": position,
                "delegate_id": delegate_id,
                "replacement_name": replacement.name if replacement else None,
                "replacement_group": replacement.group if replacement else None,
            }
        )
    return rows


def petition_targets(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``delegate_ids`` and ``replacements`` from a petition's target rows."""
    ordered = sorted(rows, key=lambda r: r["position"])
    return {
        "delegate_ids": [r["delegate_id"] for r in ordered],
        "replacements": [
            Replacement(r["replacement_name"], r["replacement_group"])
            for r in ordered
            if r["replacement_name"] is not None
        ],
    }


def committee_rows(congress: str, committees: Mapping[str, Committee]) -> dict[str, list[Row]]:
    """A congress's committees (``position``: the order they were elected in) and members."""
    out: dict[str, list[Row]] = {"committees": [], "committee_members": []}
    for position, k in enumerate(committees.values()):
        row = COMMITTEE.row(k, (congress,))
        row["position"] = position
        out["committees"].append(row)
        for seat, member in enumerate(k.members):
            out["committee_members"].append(
                {
                    "congress": congress,
                    "committee": k.name,
                    "position": seat,
                    "name": member.name,
                    "group_name": member.group,
                }
            )
    return out


def committees(
    rows: Sequence[Mapping[str, Any]], members: Sequence[Mapping[str, Any]]
) -> dict[str, Committee]:
    """A congress's committees in election order, with their members in order."""
    by_committee: dict[str, list[CommitteeMember]] = {}
    for r in sorted(members, key=lambda r: (r["committee"], r["position"])):
        by_committee.setdefault(r["committee"], []).append(
            CommitteeMember(r["name"], r["group_name"])
        )
    out: dict[str, Committee] = {}
    for r in sorted(rows, key=lambda r: r["position"]):
        out[r["name"]] = Committee(**COMMITTEE.values(r), members=by_committee.get(r["name"], []))
    return out


# --- weighted votes, proxies, mandates against votes (issue 11) ---
MANDATE_BINDING = EntityMap(MandateBinding, s.MANDATE_BINDINGS, ("number",))
VOTE_RECALL = EntityMap(VoteRecall, s.VOTE_RECALLS, ("petition",))

# --- executive ---
COMMISSIONERS_COUNCIL = EntityMap(CommissionersCouncil, s.COMMISSIONERS_COUNCILS, ("name",))
DEPARTMENT_HEAD = EntityMap(DepartmentHead, s.DEPARTMENT_HEADS, ("number",))
EXECUTIVE_DECREE = EntityMap(ExecutiveDecree, s.EXECUTIVE_DECREES, ("registry",))
SIGNING_KEY = EntityMap(SigningKey, s.SIGNING_KEYS, ("holder",))

# --- consent ---
CONSENT_RULE = EntityMap(ConsentRule, s.CONSENT_RULES, ("name",))
WORKPLACE_ACTION = EntityMap(WorkplaceAction, s.WORKPLACE_ACTIONS, ("number",))

# --- list assemblies ---
PARTY_LIST = EntityMap(PartyList, s.PARTY_LISTS, ("district", "party"), ("assembly",))
ASSEMBLY = EntityMap(
    Assembly,
    s.ASSEMBLIES,
    ("name",),
    children=(ChildSpec("party_lists", "records", s.PARTY_LISTS, ("assembly",), PARTY_LIST),),
)
