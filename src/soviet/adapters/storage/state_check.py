"""The state proof's storage half: live tables against the rows the ledger implies.

The expected rows are ``mapping.to_rows`` of the state rebuilt from the ledger; the live
rows are read straight from the driver (no SQLAlchemy row objects, no type conversion:
on a large ledger this is the bulk of the proof's cost). Values are compared in one
normal form: dates as ISO text (SQLite stores them so; PostgreSQL's are formatted by the
query), booleans as the driver returns them (SQLite's 1 and 0 equal True and False).

It reads through a DB-API connection (stdlib ``sqlite3``, or the driver under a SQLAlchemy
connection) and knows the tables from ``schema``, so that ``verify`` on SQLite needs no
SQLAlchemy. Each table is checked fast first (equal row counts and every live row among the
expected ones, a C-level set lookup); only a table that differs is read again to name
its first differing row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Iterator, Sequence
from operator import itemgetter
from typing import Any

from soviet.adapters.storage import schema
from soviet.adapters.storage.mapping import Rows
from soviet.adapters.storage.schema import TableSpec
from soviet.application.verification import StateCheck

_BATCH = 10_000
Values = tuple[Any, ...]


class _Iso(dict[Any, Any]):
    """Date -> ISO text, memoised: a state holds few distinct dates, many times over."""

    def __missing__(self, value: Any) -> Any:
        text = value.isoformat() if isinstance(value, dt.date) else value
        self[value] = text
        return text


def _select(table: TableSpec, postgres: bool) -> str:
    """All columns in table order; PostgreSQL dates formatted like SQLite's text."""
    cols = []
    for c in table.columns:
        name = f'"{c}"'
        if postgres and c in table.dates:
            name = f"to_char({name}, 'YYYY-MM-DD')"
        cols.append(name)
    return f'SELECT {", ".join(cols)} FROM "{table.name}"'


def _normaliser(table: TableSpec) -> Callable[[list[dict[str, Any]]], Iterator[Values]]:
    """Expected rows (dicts) -> tuples in column order, dates as ISO text.

    Built column by column with ``map`` and joined with ``zip``, so that no Python code
    runs per row: on a large state this is most of the expected side's cost.
    """
    names = list(table.columns)
    dates = table.dates
    if not dates:
        get = itemgetter(*names)
        return lambda rows: map(get, rows)
    iso = _Iso({None: None})

    def normalise(rows: list[dict[str, Any]]) -> Iterator[Values]:
        columns = [
            map(iso.__getitem__, map(itemgetter(n), rows))
            if n in dates
            else map(itemgetter(n), rows)
            for n in names
        ]
        return zip(*columns, strict=True)

    return normalise


def driver_batches(
    dbapi: Any, postgres: bool, sql: str, cursor_name: str = "soviet_state_rows"
) -> Generator[Sequence[Values], None, None]:
    """Rows straight from a DB-API connection, in batches; a server-side cursor on
    PostgreSQL (so a table or the ledger streams without being loaded whole)."""
    cursor = dbapi.cursor(name=cursor_name) if postgres else dbapi.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_BATCH):
            yield batch
    finally:
        cursor.close()


def _count(dbapi: Any, table: TableSpec) -> int:
    cursor = dbapi.cursor()
    try:
        cursor.execute(f'SELECT count(*) FROM "{table.name}"')
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()


def _display(table: TableSpec, values: Values) -> dict[str, Any]:
    """A row for the report: column -> value, SQLite's 0/1 shown as booleans."""
    out = {}
    for c, v in zip(table.columns, values, strict=True):
        if c in table.booleans and v in (0, 1) and not isinstance(v, bool):
            v = bool(v)
        out[c] = v
    return out


def _sort_key(key: Values) -> tuple[tuple[str, Any], ...]:
    # A tampered SQLite row can hold text where a number belongs: order by type first.
    return tuple((type(v).__name__, v) for v in key)


def _first_difference(
    dbapi: Any, postgres: bool, table: TableSpec, expected: list[Values], seq: int, rows: int
) -> StateCheck:
    """Read the table again, keyed by primary key, and name its first differing row."""
    positions = [i for i, c in enumerate(table.columns) if c in table.primary_key]
    pk = itemgetter(*positions) if len(positions) > 1 else (lambda r: (r[positions[0]],))
    live: dict[Values, Values] = {}
    for batch in driver_batches(dbapi, postgres, _select(table, postgres)):
        for row in batch:
            live[pk(row)] = tuple(row)
    wanted = {pk(row): row for row in expected}
    keys = (live.keys() ^ wanted.keys()) | {
        k for k in live.keys() & wanted.keys() if live[k] != wanted[k]
    }
    key = min(keys, key=_sort_key)
    names = table.columns
    key_data = {names[i]: v for i, v in zip(positions, key, strict=True)}
    where = f"{table.name} ({', '.join(f'{k}={v!r}' for k, v in key_data.items())})"
    if key not in live:
        shown = _display(table, wanted[key])
        return StateCheck(
            False, seq, rows, table.name, key_data, None, None, shown,
            f"{where}: row missing from the live table (the ledger implies it)",
        )  # fmt: skip
    if key not in wanted:
        shown = _display(table, live[key])
        return StateCheck(
            False, seq, rows, table.name, key_data, None, shown, None,
            f"{where}: row not on the ledger (the live table has it)",
        )  # fmt: skip
    live_row, ledger_row = _display(table, live[key]), _display(table, wanted[key])
    column = next(n for n in names if live_row[n] != ledger_row[n])
    return StateCheck(
        False, seq, rows, table.name, key_data, column, live_row[column], ledger_row[column],
        f"{where}: {column} is {live_row[column]!r} in the live table, "
        f"{ledger_row[column]!r} on the ledger",
    )  # fmt: skip


def compare(dbapi: Any, postgres: bool, expected: Rows, seq: int) -> StateCheck:
    """Compare every state table (``schema.STATE_TABLES`` order; not the ballot box,
    which is not state) with ``expected``, in the DB-API connection's open transaction
    (``postgres``: it is a PostgreSQL driver's, else SQLite's)."""
    rows = 0
    for table in schema.STATE_TABLES:
        normalise = _normaliser(table)
        values = list(expected[table.name].values())
        want = set(normalise(values))
        count = _count(dbapi, table)
        batches = driver_batches(dbapi, postgres, _select(table, postgres))
        try:
            same = count == len(want) and all(want.issuperset(batch) for batch in batches)
        finally:
            batches.close()  # before the slow path opens the next cursor
        if not same:
            expected_rows = list(normalise(values))
            return _first_difference(dbapi, postgres, table, expected_rows, seq, rows)
        rows += count
    return StateCheck(True, seq, rows)
