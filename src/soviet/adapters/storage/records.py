"""The state, read on demand: collections that load only the rows a command asks for.

``lazy_organisation`` hands the rules an ``Organisation`` whose tables are collections
bound to one open transaction (a ``Session``). Looking a record up by key reads that row;
``where(status="open")`` asks the database, with an index; iterating a table reads all of
it. Every record read is kept (an identity map) with a copy of its rows, and
``Session.flush`` writes back only what differs, in bulk: a command's cost follows the
rows it touches, not the size of the organisation.

Whole states in memory convert to rows and back in ``soviet.adapters.storage.mapping``,
with the same mappings (``soviet.adapters.storage.entities``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import (
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSequence,
    MutableSet,
)
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Result,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from soviet.adapters.storage import entities as en
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.mapping import (
    ROOT,
    Key,
    Row,
    Rows,
    entity_rows,
    hand_kept_rows,
    key_tuple,
    merge_rows,
    primary_key,
)
from soviet.domain.model import Organisation
from soviet.domain.records import Indexed

K = TypeVar("K")
V = TypeVar("V")

_CHUNK = 500  # keys per IN (...) list
_ANALYSE_FROM = 2_000  # rows inserted into a table in one transaction
_ORDER = {table.name: i for i, table in enumerate(t.STATE_TABLES)}


def row_dicts(result: Result[Any]) -> list[dict[str, Any]]:
    """The rows of ``result`` as dicts. The column names are read once: ``dict(row._mapping)``
    builds them again for every row, twice the cost over 10,000 rows."""
    names = tuple(result.keys())
    return [dict(zip(names, r, strict=True)) for r in result]


# --- the session -----------------------------------------------------------------------
class Session:
    """The rows one transaction has read on demand, and the changes to write back."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._tracked: list[_Tracked] = []
        self._inserted: dict[str, int] = {}  # rows inserted per table, this transaction
        self._analysed: dict[str, int] = {}

    def track(self, collection: _Tracked) -> None:
        """Remember a collection whose changes ``flush`` writes."""
        self._tracked.append(collection)

    def flush(self) -> None:
        """Write every change, in bulk: inserts and updates parents first, then deletes
        children first (the foreign keys are checked row by row). Deleting last lets a
        renamed record's children move to its new key before the old key goes. A key is
        never both deleted and inserted: the collections turn that into an update."""
        out = Changes()
        for collection in self._tracked:
            collection.changes(out)
        inserts, updates, deletes = out.inserts, out.updates, out.deletes
        by_name = {table.name: table for table in t.STATE_TABLES}
        for name in sorted(set(inserts) | set(updates), key=lambda n: _ORDER[n]):
            table = by_name[name]
            if inserts.get(name):
                self.conn.execute(insert(table), inserts[name])
                self._inserted[name] = self._inserted.get(name, 0) + len(inserts[name])
            self._update(table, updates.get(name, []))
        for name in sorted(deletes, key=lambda n: -_ORDER[n]):
            table = by_name[name]
            pk = list(table.primary_key.columns)
            stmt = delete(table).where(*(c == bindparam(f"k_{c.name}") for c in pk))
            self.conn.execute(stmt, [_keyparams(pk, key) for key in deletes[name]])
        for collection in self._tracked:
            collection.flushed()
        self._refresh_statistics()

    def _refresh_statistics(self) -> None:
        """PostgreSQL plans a lookup by the table's statistics; in a transaction that
        loads a table from empty (an import) they would still say "empty" and every
        lookup would scan the table. Re-analyse a table each time it doubles."""
        if self.conn.dialect.name != "postgresql":
            return
        for name, count in self._inserted.items():
            if count >= max(_ANALYSE_FROM, 2 * self._analysed.get(name, 0)):
                self.conn.exec_driver_sql(f"ANALYZE {name}")
                self._analysed[name] = count

    def _update(self, table: Table, changes: list[tuple[Key, Row]]) -> None:
        """Updates in bulk: rows set to the same values (10,000 arrivals: present = true)
        in one statement per chunk of keys; the others as one batch per set of columns."""
        pk = list(table.primary_key.columns)
        alike: dict[tuple[tuple[str, Any], ...], list[Key]] = {}
        for key, changed in changes:
            alike.setdefault(tuple(sorted(changed.items())), []).append(key)
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for values, keys in alike.items():
            if len(keys) > 1:
                for i in range(0, len(keys), _CHUNK):
                    chunk = keys[i : i + _CHUNK]
                    where = (
                        tuple_(*pk).in_(chunk) if len(pk) > 1 else pk[0].in_(k[0] for k in chunk)
                    )
                    self.conn.execute(update(table).where(where).values(dict(values)))
                continue
            params = _keyparams(pk, keys[0])
            params.update({f"v_{c}": v for c, v in values})
            grouped.setdefault(tuple(c for c, _ in values), []).append(params)
        for columns, batch in grouped.items():
            stmt = (
                update(table)
                .where(*(c == bindparam(f"k_{c.name}") for c in pk))
                .values({c: bindparam(f"v_{c}") for c in columns})
            )
            self.conn.execute(stmt, batch)


def _keyparams(pk: list[Any], key: Key) -> dict[str, Any]:
    return {f"k_{c.name}": v for c, v in zip(pk, key, strict=True)}


@dataclasses.dataclass
class Changes:
    """The rows a flush writes: inserts and updates by table, deletes by table and key."""

    inserts: dict[str, list[Row]] = dataclasses.field(default_factory=dict)
    updates: dict[str, list[tuple[Key, Row]]] = dataclasses.field(default_factory=dict)
    deletes: dict[str, list[Key]] = dataclasses.field(default_factory=dict)


class _Tracked:
    """A collection whose changes a session writes back."""

    def changes(self, out: Changes) -> None:
        """Add this collection's changes since it was read."""
        raise NotImplementedError

    def flushed(self) -> None:
        """The changes are written: what is held now is what the database holds."""
        raise NotImplementedError


def _scope_filter(table: Table, columns: tuple[str, ...], scope: Key) -> list[ColumnElement[bool]]:
    return [table.c[c] == v for c, v in zip(columns, scope, strict=True)]


def _equals(table: Table, column: str, value: Any) -> ColumnElement[bool]:
    return table.c[column].is_(None) if value is None else table.c[column] == value


_TRACKED: dict[type, type] = {}


def _tracked_class(cls: type) -> type:
    """A subclass of an entity class that tells its collection when a field is set, so
    a flush writes only what changed (the way an ORM instruments its classes). Equal to
    a plain instance with the same fields."""
    sub = _TRACKED.get(cls)
    if sub is None:
        names = [f.name for f in dataclasses.fields(cls)]

        def __setattr__(self: Any, name: str, value: Any) -> None:
            owner = self.__dict__.get("_soviet_owner")
            if owner is not None:
                owner._changing(self.__dict__["_soviet_key"], self)
            object.__setattr__(self, name, value)

        def __eq__(self: Any, other: object) -> bool:
            if not isinstance(other, cls):
                return NotImplemented
            return all(getattr(self, n) == getattr(other, n) for n in names)

        sub = type(
            cls.__name__,
            (cls,),
            {"__setattr__": __setattr__, "__eq__": __eq__, "__hash__": None},
        )
        sub.__qualname__ = cls.__qualname__
        sub.__module__ = cls.__module__
        _TRACKED[cls] = sub
    return sub


class SqlRecords(Indexed[Any, Any], _Tracked):
    """A table (or a parent's child table) of entities, read row by row as asked.

    Records read are kept with a copy of their rows; setting a field marks a record
    changed, and a flush compares only the records changed or added since the last one.
    """

    def __init__(self, session: Session, spec: en.ChildSpec, scope: Key = ()) -> None:
        assert spec.entity is not None
        self._session = session
        self._spec = spec
        self._map: en.EntityMap = spec.entity
        self._table = t.table(spec.table)
        self._scope = scope
        self._cache: dict[Any, Any] = {}
        self._snapshot: dict[Any, Rows] = {}  # rows as stored, for records read or flushed
        self._new: set[Any] = set()  # added since the last flush
        self._dirty: set[Any] = set()  # changed since the last flush
        self._deleted: dict[Any, Rows] = {}
        self._absent: set[Any] = set()
        self._db_max: Any = None
        self._max: Any = None
        self._stored_count: int | None = None
        self._complete = False
        # Congresses keep their committees and a list of dates in place: compare them
        # at every flush (a few per transaction).
        self._always = spec.entity is en.CONGRESS
        # Records whose one row is all there is (no child tables, nothing kept by hand).
        self._plain = not spec.entity.children and not spec.entity.skip
        self._stored_rows: dict[Any, Mapping[str, Any]] = {}
        session.track(self)

    # reading
    def _where(self) -> list[ColumnElement[bool]]:
        return _scope_filter(self._table, self._spec.scope, self._scope)

    def _key_column(self) -> Any:
        (attribute,) = self._map.key
        return self._table.c[self._map.column(attribute)]

    def _select(self, *conditions: ColumnElement[bool]) -> list[dict[str, Any]]:
        stmt = select(self._table).where(*self._where(), *conditions)
        return row_dicts(self._session.conn.execute(stmt))

    def _remember(self, key: Any) -> None:
        if self._max is None or key > self._max:
            self._max = key

    def _own(self, key: Any, entity: Any) -> None:
        """Track the entity's fields from now on."""
        entity.__class__ = _tracked_class(self._map.cls)
        object.__setattr__(entity, "_soviet_owner", self)
        object.__setattr__(entity, "_soviet_key", key)

    def _adopt(self, row: Mapping[str, Any]) -> Any:
        key = self._map.key_of_row(row)
        if key in self._cache or key in self._deleted:
            return self._cache.get(key)
        entity = _lazy_entity(self._session, self._map, row, self._scope)
        self._cache[key] = entity
        if self._always:
            self._snapshot[key] = _own_rows(self._map, entity, self._scope)
        elif self._plain:
            # The row as stored, kept as it came: the baseline of a later diff even when
            # a list or dict field is changed in place before a field is set.
            self._stored_rows[key] = row
        self._own(key, entity)
        self._remember(key)
        return entity

    def _changing(self, key: Any, entity: Any) -> None:
        """A field is about to change: keep the rows as they were (once), for the diff."""
        if key not in self._dirty and key not in self._new:
            if key not in self._snapshot:
                stored = self._stored_rows.get(key)
                if stored is not None:
                    row = dict(stored)
                    self._snapshot[key] = {self._table.name: {primary_key(self._table, row): row}}
                else:
                    self._snapshot[key] = _own_rows(self._map, entity, self._scope)
            self._dirty.add(key)

    def _refuse_replacing(self, key: Any) -> None:
        if not self._plain:
            raise TypeError(
                f"{self._map.cls.__name__} {key!r} holds other records: change it in place "
                "rather than putting another object in its place"
            )

    def _adopt_row(self, row: Mapping[str, Any]) -> Mapping[str, Any]:
        self._adopt(row)
        return row

    def __getitem__(self, key: Any) -> Any:
        if key in self._cache:
            return self._cache[key]
        if key in self._deleted or key in self._absent or self._complete:
            raise KeyError(key)
        parts = key if len(self._map.key) > 1 else (key,)
        if not isinstance(parts, tuple) or len(parts) != len(self._map.key):
            raise KeyError(key)
        rows = self._select(
            *(
                _equals(self._table, self._map.column(attribute), part)
                for attribute, part in zip(self._map.key, parts, strict=True)
            )
        )
        if not rows:
            self._absent.add(key)
            raise KeyError(key)
        return self._adopt(rows[0])

    def __contains__(self, key: object) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def _load_all(self) -> None:
        if not self._complete:
            for row in self._select():
                self._adopt(row)
            self._complete = True

    def __iter__(self) -> Iterator[Any]:
        self._load_all()
        return iter(sorted(self._cache))

    def __len__(self) -> int:
        if self._complete:
            return len(self._cache)
        if self._stored_count is None:
            stmt = select(func.count()).select_from(self._table).where(*self._where())
            self._stored_count = int(self._session.conn.execute(stmt).scalar_one())
        return self._stored_count + len(self._new) - len(self._deleted)

    def where(self, **equal: object) -> list[Any]:
        """Records whose fields equal the values: asked of the database (by index), and
        of the records this transaction changed or added since its last flush."""
        conditions = [_equals(self._table, self._map.column(a), v) for a, v in equal.items()]
        if self._complete:
            candidates: Iterable[Any] = self._cache
        else:
            rows = self._select(*conditions)
            candidates = {self._map.key_of_row(self._adopt_row(r)) for r in rows}
            candidates |= self._new | self._dirty
        found = []
        for k in candidates:
            e = self._cache.get(k)
            if e is not None and all(getattr(e, a) == v for a, v in equal.items()):
                found.append((k, e))
        return [e for _, e in sorted(found, key=lambda kv: kv[0])]

    def _pending(self) -> set[Any]:
        """Keys whose stored rows are not what this transaction holds (added, changed or
        deleted since the last flush)."""
        return self._new | self._dirty | set(self._deleted)

    def _stored_apart_from(self, pending: set[Any]) -> list[ColumnElement[bool]]:
        """A condition leaving out the stored rows of ``pending`` keys."""
        if not pending:
            return []
        columns = [self._table.c[self._map.column(a)] for a in self._map.key]
        if len(columns) == 1:
            return [columns[0].notin_(pending)]
        return [tuple_(*columns).notin_(pending)]

    def _pending_matching(self, pending: set[Any], equal: Mapping[str, object]) -> list[Any]:
        found = []
        for k in pending:
            e = self._cache.get(k)
            if e is not None and all(getattr(e, a) == v for a, v in equal.items()):
                found.append(e)
        return found

    def count(self, **equal: object) -> int:
        """Counted by the database, apart from the records this transaction changed,
        added or deleted since its last flush (counted here)."""
        pending = self._pending()
        if self._complete or len(pending) > _CHUNK:
            return len(self.where(**equal))
        conditions = [_equals(self._table, self._map.column(a), v) for a, v in equal.items()]
        stmt = (
            select(func.count())
            .select_from(self._table)
            .where(*self._where(), *conditions, *self._stored_apart_from(pending))
        )
        stored = int(self._session.conn.execute(stmt).scalar_one())
        return stored + len(self._pending_matching(pending, equal))

    def keys_where(self, **equal: object) -> list[Any]:
        """Only the key columns are read: no record is built."""
        if self._complete:
            return [self._map.key_of(e) for e in self.where(**equal)]
        pending = self._pending()
        conditions = [_equals(self._table, self._map.column(a), v) for a, v in equal.items()]
        columns = [self._table.c[self._map.column(a)] for a in self._map.key]
        result = self._session.conn.execute(select(*columns).where(*self._where(), *conditions))
        keys = {r[0] for r in result} if len(columns) == 1 else {tuple(r) for r in result}
        keys -= pending
        keys.update(self._map.key_of(e) for e in self._pending_matching(pending, equal))
        return sorted(keys)

    def tally(self, name: str, **equal: object) -> dict[Any, int]:
        """Grouped and counted by the database, apart from the records this transaction
        changed, added or deleted since its last flush (counted here)."""
        pending = self._pending()
        out: dict[Any, int] = {}
        if self._complete or len(pending) > _CHUNK:
            held = self.where(**equal)
        else:
            conditions = [_equals(self._table, self._map.column(a), v) for a, v in equal.items()]
            column = self._table.c[self._map.column(name)]
            decode = self._map.decoder(name)
            stmt = (
                select(column, func.count())
                .where(*self._where(), *conditions, *self._stored_apart_from(pending))
                .group_by(column)
            )
            for value, n in self._session.conn.execute(stmt):
                value = value if decode is None else decode(value)
                out[value] = out.get(value, 0) + int(n)
            held = self._pending_matching(pending, equal)
        for e in held:
            value = getattr(e, name)
            out[value] = out.get(value, 0) + 1
        return out

    def last_key(self) -> Any:
        if self._db_max is None and not self._complete:
            stmt = select(func.max(self._key_column())).where(*self._where())
            self._db_max = self._session.conn.execute(stmt).scalar_one()
            if self._db_max is not None:
                self._remember(self._db_max)
        return self._max

    def prefetch(self, keys: Iterable[Any]) -> None:
        wanted = [k for k in dict.fromkeys(keys) if k not in self._cache]
        if self._complete or not wanted:
            return
        column = self._key_column()
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            rows = self._select(column.in_(chunk))
            found = {self._map.key_of_row(self._adopt_row(r)) for r in rows}
            self._absent.update(k for k in chunk if k not in found)

    # writing
    def __setitem__(self, key: Any, entity: Any) -> None:
        if key in self._cache:
            if self._cache[key] is not entity:
                if key not in self._new:
                    self._refuse_replacing(key)
                self._changing(key, self._cache[key])
                self._cache[key] = entity
            return
        if key in self._deleted:  # deleted and added again: an update of the stored rows
            self._refuse_replacing(key)
            self._snapshot[key] = self._deleted.pop(key)
            self._cache[key] = entity
            self._dirty.add(key)
            return
        if key not in self._absent and not self._complete and not self._beyond_stored(key):
            try:
                self[key]
            except KeyError:
                pass
            else:
                self._refuse_replacing(key)
                self._changing(key, self._cache[key])
                self._cache[key] = entity
                return
        self._cache[key] = entity
        self._new.add(key)
        self._absent.discard(key)
        self._remember(key)

    def _beyond_stored(self, key: Any) -> bool:
        return self._db_max is not None and isinstance(key, int) and key > self._db_max

    def __delitem__(self, key: Any) -> None:
        entity = self[key]  # KeyError when there is none
        if key in self._new:
            self._new.discard(key)
        else:
            self._changing(key, entity)
            self._deleted[key] = self._snapshot.pop(key)
        del self._cache[key]
        self._dirty.discard(key)

    def hold(self, contents: Mapping[Any, Any]) -> None:
        """Hold ``contents`` as stored (the children of a new parent, just written)."""
        for key, entity in contents.items():
            self._cache[key] = entity
            if self._always:
                self._snapshot[key] = _own_rows(self._map, entity, self._scope)
            self._own(key, entity)
            self._remember(key)
            _adopt_children(self._session, self._map, entity, self._scope)
        self._db_max = self._max
        self._stored_count = len(self._cache)
        # Not marked complete: questions still go to the database (by index), which
        # holds these records now, rather than to a scan of what is held here.

    def changes(self, out: Changes) -> None:
        for rows in self._deleted.values():
            for table, keyed in rows.items():
                out.deletes.setdefault(table, []).extend(keyed)
        for key in self._new:
            merge_rows(out.inserts, entity_rows(self._map, self._cache[key], self._scope))
        check = set(self._cache) if self._always else self._dirty
        for key in check - self._new:
            now = _own_rows(self._map, self._cache[key], self._scope)
            _diff(self._snapshot[key], now, out)

    def flushed(self) -> None:
        if self._always:
            for key in self._cache:
                self._snapshot[key] = _own_rows(self._map, self._cache[key], self._scope)
        else:
            for key in self._dirty | self._new:
                self._snapshot.pop(key, None)  # taken again at the next change
                if self._plain:
                    self._stored_rows[key] = self._map.row(self._cache[key], self._scope)
        for key in self._new | self._dirty:
            entity = self._cache[key]
            # Added, or put in the place of another (a copy made by dataclasses.replace is
            # of the tracked class already, but not yet watched by this collection).
            if entity.__dict__.get("_soviet_owner") is not self:
                self._own(key, entity)
                _adopt_children(self._session, self._map, entity, self._scope)
        if self._stored_count is not None:
            self._stored_count += len(self._new) - len(self._deleted)
        if self._new and self._db_max is not None:
            self._db_max = max(self._db_max, *(k for k in self._new if isinstance(k, int)), 0)
        self._new = set()
        self._dirty = set()
        self._deleted = {}


def _own_rows(emap: en.EntityMap, entity: Any, scope: Key) -> Rows:
    """An entity's own row and the rows kept by hand with it, by table and key (its
    on-demand children apart: they track themselves)."""
    out: Rows = {}
    flat = {emap.table.name: [emap.row(entity, scope)]}
    merge_rows(flat, hand_kept_rows(emap, entity, scope))
    by_name = {table.name: table for table in t.STATE_TABLES}
    for name, rows in flat.items():
        out[name] = {primary_key(by_name[name], r): r for r in rows}
    return out


def _diff(before: Rows, after: Rows, out: Changes) -> None:
    for table in before.keys() | after.keys():
        old, new = before.get(table, {}), after.get(table, {})
        for key in old.keys() - new.keys():
            out.deletes.setdefault(table, []).append(key)
        for key, row in new.items():
            if key not in old:
                out.inserts.setdefault(table, []).append(row)
            elif row != old[key]:
                changed = {c: v for c, v in row.items() if old[key].get(c) != v}
                out.updates.setdefault(table, []).append((key, changed))


_MISSING = object()


class SqlValues(_Tracked, MutableMapping[Any, Any]):
    """A child table of plain values by key (electors' homes, signatures, a roll call),
    or of keys alone (no ``value_column``: each key's value is True)."""

    def __init__(self, session: Session, spec: en.ChildSpec, scope: Key) -> None:
        self._session = session
        self._spec = spec
        self._table = t.table(spec.table)
        self._scope = scope
        self._cache: dict[Any, Any] = {}  # key -> value, or _MISSING when known absent
        self._stored: dict[Any, Any] = {}  # key -> value stored, _MISSING when not stored
        self._dirty: set[Any] = set()
        self._stored_count: int | None = None
        self._complete = False
        session.track(self)

    def _where(self) -> list[ColumnElement[bool]]:
        return _scope_filter(self._table, self._spec.scope, self._scope)

    def _columns(self) -> list[Any]:
        columns = [self._table.c[self._spec.key_column]]
        if self._spec.value_column:
            columns.append(self._table.c[self._spec.value_column])
        return columns

    def _read(self, *conditions: ColumnElement[bool]) -> dict[Any, Any]:
        stmt = select(*self._columns()).where(*self._where(), *conditions)
        rows = self._session.conn.execute(stmt)
        if self._spec.value_column:
            return {k: v for k, v in rows}
        return {k: True for (k,) in rows}

    def _fetch(self, keys: list[Any]) -> None:
        column = self._table.c[self._spec.key_column]
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            found = self._read(column.in_(chunk))
            for k in chunk:
                v = found.get(k, _MISSING)
                self._cache.setdefault(k, v)
                self._stored.setdefault(k, v)

    def __getitem__(self, key: Any) -> Any:
        if key not in self._cache and not self._complete:
            self._fetch([key])
        value = self._cache.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def prefetch(self, keys: Iterable[Any]) -> None:
        """Read these keys now, in chunks, ahead of lookups one by one."""
        if not self._complete:
            self._fetch([k for k in dict.fromkeys(keys) if k not in self._cache])

    def keys_with(self, value: Any) -> list[Any]:
        """The keys holding ``value`` (the electors of one roll): one indexed query, plus
        what this transaction changed and has not flushed."""
        if not self._complete:
            found = self._read(self._table.c[self._spec.value_column] == value)
            for k, v in found.items():
                self._stored.setdefault(k, v)
                self._cache.setdefault(k, v)
        return sorted(k for k, v in self._cache.items() if v == value)

    def _load_all(self) -> None:
        if self._complete:
            return
        for k, v in self._read().items():
            self._stored.setdefault(k, v)
            self._cache.setdefault(k, v)
        self._complete = True

    def __iter__(self) -> Iterator[Any]:
        self._load_all()
        return iter(sorted(k for k, v in self._cache.items() if v is not _MISSING))

    def __len__(self) -> int:
        if self._complete:
            return sum(1 for v in self._cache.values() if v is not _MISSING)
        if self._stored_count is None:
            stmt = select(func.count()).select_from(self._table).where(*self._where())
            self._stored_count = int(self._session.conn.execute(stmt).scalar_one())
        count = self._stored_count
        for k in self._dirty:
            v, was = self._cache[k], self._stored.get(k, _MISSING)
            count += (v is not _MISSING) - (was is not _MISSING)
        return count

    def __setitem__(self, key: Any, value: Any) -> None:
        if key not in self._stored and not self._complete:
            self._fetch([key])
        self._stored.setdefault(key, _MISSING)
        self._cache[key] = value
        self._dirty.add(key)

    def __delitem__(self, key: Any) -> None:
        self[key]
        self._cache[key] = _MISSING
        self._dirty.add(key)

    def changes(self, out: Changes) -> None:
        name = self._table.name
        base = dict(zip(self._spec.scope, self._scope, strict=True))
        value_column = self._spec.value_column
        for k in self._dirty:
            v, was = self._cache[k], self._stored.get(k, _MISSING)
            if v is was or v == was:
                continue
            key = (*self._scope, k)
            if v is _MISSING:
                out.deletes.setdefault(name, []).append(key)
            elif was is _MISSING:
                row = {**base, self._spec.key_column: k}
                if value_column:
                    row[value_column] = v
                out.inserts.setdefault(name, []).append(row)
            else:
                out.updates.setdefault(name, []).append((key, {value_column: v}))

    def flushed(self) -> None:
        if self._stored_count is not None:
            self._stored_count = len(self)
        for k in self._dirty:
            self._stored[k] = self._cache[k]
        self._dirty = set()

    def hold(self, contents: Mapping[Any, Any]) -> None:
        """Start complete, holding ``contents`` as stored (a new parent, just written)."""
        self._cache = dict(contents)
        self._stored = dict(contents)
        self._complete = True


class SqlKeys(_Tracked, MutableSet[Any]):
    """A child table of keys: a set (who has voted in a secret ballot), kept as the keys
    of a ``SqlValues`` without a value column."""

    def __init__(self, session: Session, spec: en.ChildSpec, scope: Key) -> None:
        self._keys = SqlValues(session, spec, scope)  # tracked by the session itself

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[Any]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, value: Any) -> None:
        if value not in self._keys:
            self._keys[value] = True

    def discard(self, value: Any) -> None:
        if value in self._keys:
            del self._keys[value]

    def prefetch(self, keys: Iterable[Any]) -> None:
        """Read whether these keys are in the set now, in one go (a batch of casts)."""
        self._keys.prefetch(keys)

    def changes(self, out: Changes) -> None:
        """Nothing of its own: the ``SqlValues`` inside reports the changes."""

    def flushed(self) -> None:
        """Nothing of its own (see ``changes``)."""

    def hold(self, contents: Iterable[Any]) -> None:
        """Start complete, holding ``contents`` as stored (a new parent, just written)."""
        self._keys.hold(dict.fromkeys(contents, True))


class SqlLog(_Tracked, MutableSequence[Any]):
    """A child table of entities numbered 1, 2, 3... in order (attendance, group changes):
    appended to, its length known from the last number, read whole only when iterated."""

    def __init__(self, session: Session, spec: en.ChildSpec, scope: Key) -> None:
        assert spec.entity is not None
        self._session = session
        self._spec = spec
        self._map: en.EntityMap = spec.entity
        self._table = t.table(spec.table)
        self._scope = scope
        self._stored_len: int | None = None
        self._loaded: list[Any] | None = None
        self._added: list[Any] = []
        session.track(self)

    def _where(self) -> list[ColumnElement[bool]]:
        return _scope_filter(self._table, self._spec.scope, self._scope)

    def _stored(self) -> int:
        if self._stored_len is None:
            (attribute,) = self._map.key
            column = self._table.c[self._map.column(attribute)]
            stmt = select(func.max(column)).where(*self._where())
            self._stored_len = int(self._session.conn.execute(stmt).scalar_one() or 0)
        return self._stored_len

    def _all(self) -> list[Any]:
        if self._loaded is None:
            (attribute,) = self._map.key
            column = self._table.c[self._map.column(attribute)]
            stmt = select(self._table).where(*self._where()).order_by(column)
            self._loaded = [
                self._map.cls(**self._map.values(r))
                for r in row_dicts(self._session.conn.execute(stmt))
            ]
            self._stored_len = len(self._loaded)
        return self._loaded + self._added

    def __len__(self) -> int:
        return self._stored() + len(self._added)

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def insert(self, index: int, value: Any) -> None:
        if index != len(self):
            raise NotImplementedError("a log is only appended to")
        self._added.append(value)

    def __setitem__(self, index: Any, value: Any) -> None:
        raise NotImplementedError("a log is only appended to")

    def __delitem__(self, index: Any) -> None:
        raise NotImplementedError("a log is only appended to")

    def changes(self, out: Changes) -> None:
        for entity in self._added:
            merge_rows(out.inserts, entity_rows(self._map, entity, self._scope))

    def hold(self, contents: Iterable[Any]) -> None:
        """Start complete, holding ``contents`` as stored (a new parent, just written)."""
        self._loaded = list(contents)
        self._stored_len = len(self._loaded)

    def flushed(self) -> None:
        if self._loaded is not None:
            self._loaded.extend(self._added)
        if self._stored_len is not None:
            self._stored_len += len(self._added)
        self._added = []


def _adopt_children(session: Session, emap: en.EntityMap, entity: Any, scope: Key) -> None:
    """A new entity has just been written with its plain collections: hand it collections
    that hold the same contents as stored, so later changes to them are tracked too."""
    inner = scope + key_tuple(emap.key_of(entity))
    for spec in emap.children:
        contents = getattr(entity, spec.attribute)
        if isinstance(contents, _Tracked):
            continue  # already read on demand
        lazy = _lazy_collection(session, spec, inner)
        lazy.hold(contents)
        object.__setattr__(entity, spec.attribute, lazy)


def _lazy_collection(session: Session, spec: en.ChildSpec, scope: Key) -> Any:
    if spec.kind == "records":
        return SqlRecords(session, spec, scope)
    if spec.kind == "values":
        return SqlValues(session, spec, scope)
    if spec.kind == "keys":
        return SqlKeys(session, spec, scope)
    return SqlLog(session, spec, scope)


def _lazy_entity(session: Session, emap: en.EntityMap, row: Mapping[str, Any], scope: Key) -> Any:
    """An entity read from its row; its children read on demand, its hand-kept fields now."""
    values = emap.values(row)
    inner = scope + key_tuple(emap.key_of_row(row))
    conn = session.conn
    if emap is en.PETITION:
        targets = t.petition_targets
        stmt = select(targets).where(targets.c.petition_id == inner[0])
        values.update(en.petition_targets(row_dicts(conn.execute(stmt))))
    if emap is en.CONGRESS:
        k, m = t.committees, t.committee_members
        rows = row_dicts(conn.execute(select(k).where(k.c.congress == inner[0])))
        members = row_dicts(conn.execute(select(m).where(m.c.congress == inner[0])))
        values["committees"] = en.committees(rows, members)
    for spec in emap.children:
        values[spec.attribute] = _lazy_collection(session, spec, inner)
    return emap.cls(**values)


def lazy_organisation(session: Session) -> Organisation:
    """The organisation as the live tables hold it, read on demand within ``session``."""
    return Organisation(**{spec.attribute: _lazy_collection(session, spec, ()) for spec in ROOT})
