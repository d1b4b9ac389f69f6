"""Rows of the live tables <-> an in-memory ``Organisation`` (whole states).

``to_rows`` gives every row of a state held in memory (for the state proof, and the
inserts of records new in a transaction); ``from_rows`` builds a state from every row
(``service.state()``). The mappings themselves are derived from the domain's dataclasses
in ``soviet.adapters.storage.entities``; rows read on demand are
``soviet.adapters.storage.records``'s business.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from soviet.adapters.storage import entities as en
from soviet.adapters.storage import schema as s
from soviet.domain.model import Organisation

Row = dict[str, Any]
Key = tuple[Any, ...]
Rows = dict[str, dict[Key, Row]]
"""Rows by table name, then by primary key."""

ROOT = (
    en.ChildSpec("councils", "records", s.COUNCILS, (), en.COUNCIL),
    en.ChildSpec("constituencies", "records", s.CONSTITUENCIES, (), en.CONSTITUENCY),
    en.ChildSpec(
        "electors", "values", s.ELECTORS, (), key_column="elector", value_column="constituency"
    ),
    en.ChildSpec(
        "member_names", "values", s.MEMBER_NAMES, (), key_column="elector", value_column="name"
    ),
    en.ChildSpec("delegates", "records", s.DELEGATES, (), en.DELEGATE),
    en.ChildSpec("mandates", "records", s.MANDATES, (), en.MANDATE),
    en.ChildSpec("petitions", "records", s.PETITIONS, (), en.PETITION),
    en.ChildSpec("congresses", "records", s.CONGRESSES, (), en.CONGRESS),
    en.ChildSpec("decrees", "records", s.DECREES, (), en.DECREE),
    en.ChildSpec("secretaries", "records", s.SECRETARIES, (), en.SECRETARY),
    # --- orders ---
    en.ChildSpec(
        "oversight_committees", "records", s.OVERSIGHT_COMMITTEES, (), en.OVERSIGHT_COMMITTEE
    ),
    en.ChildSpec("units", "records", s.UNITS, (), en.UNIT),
    en.ChildSpec("commissioners", "records", s.COMMISSIONERS, (), en.COMMISSIONER),
    en.ChildSpec("unit_orders", "records", s.UNIT_ORDERS, (), en.UNIT_ORDER),
    en.ChildSpec("unit_actions", "records", s.UNIT_ACTIONS, (), en.UNIT_ACTION),
    # weighted votes, proxies, mandates against votes (issue 11)
    en.ChildSpec("mandate_bindings", "records", s.MANDATE_BINDINGS, (), en.MANDATE_BINDING),
    en.ChildSpec("vote_recalls", "records", s.VOTE_RECALLS, (), en.VOTE_RECALL),
    # --- executive ---
    en.ChildSpec(
        "commissioners_councils", "records", s.COMMISSIONERS_COUNCILS, (), en.COMMISSIONERS_COUNCIL
    ),
    en.ChildSpec("department_heads", "records", s.DEPARTMENT_HEADS, (), en.DEPARTMENT_HEAD),
    en.ChildSpec("executive_decrees", "records", s.EXECUTIVE_DECREES, (), en.EXECUTIVE_DECREE),
    en.ChildSpec("signing_keys", "records", s.SIGNING_KEYS, (), en.SIGNING_KEY),
    # --- consent ---
    en.ChildSpec("consent_rules", "records", s.CONSENT_RULES, (), en.CONSENT_RULE),
    en.ChildSpec("workplace_actions", "records", s.WORKPLACE_ACTIONS, (), en.WORKPLACE_ACTION),
    # --- list assemblies ---
    en.ChildSpec("assemblies", "records", s.ASSEMBLIES, (), en.ASSEMBLY),
)
"""The organisation's tables, at the root scope."""


PK_COLUMNS = {table.name: table.primary_key for table in s.STATE_TABLES}


class Named(Protocol):
    """A table by name: a ``schema.TableSpec`` or a SQLAlchemy ``Table``."""

    @property
    def name(self) -> str: ...


def primary_key(table: Named, row: Mapping[str, Any]) -> Key:
    """A row's primary key, as a tuple."""
    return tuple(row[c] for c in PK_COLUMNS[table.name])


def merge_rows(into: dict[str, list[Row]], more: Mapping[str, list[Row]]) -> None:
    """Add ``more`` rows, table by table, to ``into``."""
    for table, rows in more.items():
        into.setdefault(table, []).extend(rows)


# --- whole states <-> rows -------------------------------------------------------------
def hand_kept_rows(emap: en.EntityMap, entity: Any, scope: Key) -> dict[str, list[Row]]:
    """Rows of the fields an entity map keeps by hand."""
    if emap is en.PETITION:
        return {"petition_targets": en.petition_target_rows(entity)}
    if emap is en.CONGRESS:
        return en.committee_rows(entity.name, entity.committees)
    return {}


def entity_rows(emap: en.EntityMap, entity: Any, scope: Key) -> dict[str, list[Row]]:
    """Every row of an entity held in memory: its own, and its children's."""
    out: dict[str, list[Row]] = {emap.table.name: [emap.row(entity, scope)]}
    merge_rows(out, hand_kept_rows(emap, entity, scope))
    inner = scope + key_tuple(emap.key_of(entity))
    for spec in emap.children:
        merge_rows(out, child_rows(spec, getattr(entity, spec.attribute), inner))
    return out


def child_rows(spec: en.ChildSpec, collection: Any, scope: Key) -> dict[str, list[Row]]:
    """The rows of a collection held in memory (a table of the root, or a child table)."""
    out: dict[str, list[Row]] = {}
    base = dict(zip(spec.scope, scope, strict=True))
    if spec.kind in ("records", "log"):
        assert spec.entity is not None
        items = collection.values() if spec.kind == "records" else collection
        for entity in items:
            merge_rows(out, entity_rows(spec.entity, entity, scope))
    elif spec.kind == "values":
        out[spec.table.name] = [
            {**base, spec.key_column: k, spec.value_column: v} for k, v in collection.items()
        ]
    else:
        out[spec.table.name] = [{**base, spec.key_column: k} for k in collection]
    return out


def key_tuple(key: Any) -> Key:
    """A key of one column as a one-tuple; a composite key as it is."""
    return key if isinstance(key, tuple) else (key,)


def to_rows(org: Organisation) -> Rows:
    """Every live-table row of an in-memory organisation, by table and primary key."""
    flat: dict[str, list[Row]] = {}
    for spec in ROOT:
        merge_rows(flat, child_rows(spec, getattr(org, spec.attribute), ()))
    out: Rows = {}
    for table in s.STATE_TABLES:
        columns = PK_COLUMNS[table.name]
        key = operator.itemgetter(*columns)
        rows = flat.get(table.name, [])
        if len(columns) == 1:
            out[table.name] = {(key(row),): row for row in rows}
        else:
            out[table.name] = {key(row): row for row in rows}
    return out


class _RowIndex:
    """Rows of every table, grouped by the scope columns a child collection reads."""

    def __init__(self, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        self._rows = rows
        self._groups: dict[tuple[str, tuple[str, ...]], dict[Key, list[Mapping[str, Any]]]] = {}

    def of(self, table: str, columns: tuple[str, ...], scope: Key) -> list[Mapping[str, Any]]:
        groups = self._groups.get((table, columns))
        if groups is None:
            groups = {}
            for row in self._rows.get(table, []):
                groups.setdefault(tuple(row[c] for c in columns), []).append(row)
            self._groups[(table, columns)] = groups
        return groups.get(scope, [])


def _build(emap: en.EntityMap, row: Mapping[str, Any], scope: Key, index: _RowIndex) -> Any:
    values = emap.values(row)
    inner = scope + key_tuple(emap.key_of_row(row))
    if emap is en.PETITION:
        values.update(
            en.petition_targets(list(index.of("petition_targets", ("petition_id",), inner)))
        )
    if emap is en.CONGRESS:
        values["committees"] = en.committees(
            list(index.of("committees", ("congress",), inner)),
            list(index.of("committee_members", ("congress",), inner)),
        )
    for spec in emap.children:
        values[spec.attribute] = _collection(spec, inner, index)
    return emap.cls(**values)


def _collection(spec: en.ChildSpec, scope: Key, index: _RowIndex) -> Any:
    rows = index.of(spec.table.name, spec.scope, scope)
    if spec.kind == "values":
        return {r[spec.key_column]: r[spec.value_column] for r in rows}
    if spec.kind == "keys":
        return {r[spec.key_column] for r in rows}
    assert spec.entity is not None
    built = [(spec.entity.key_of_row(r), _build(spec.entity, r, scope, index)) for r in rows]
    built.sort(key=lambda kv: kv[0])
    if spec.kind == "log":
        return [entity for _, entity in built]
    return dict(built)


def from_rows(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Organisation:
    """An in-memory organisation from the rows of every live table."""
    index = _RowIndex(rows)
    return Organisation(**{spec.attribute: _collection(spec, (), index) for spec in ROOT})
