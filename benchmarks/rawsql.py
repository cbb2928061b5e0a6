"""The SQL the raw-driver sides run, and the schema every side uses, per dialect.

The statements are the ones an ORM has to send for each operation (same columns, same
WHERE, same ORDER BY/LIMIT/OFFSET), written by hand with the driver's placeholder style.
The tables are created here with explicit DDL (types as Tortoise ORM would create them),
so the raw drivers, Aldabra and -- optionally -- real Tortoise ORM all work on the same
tables and the same rows.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from benchmarks.workload import COLUMNS, VALUES_LIST_COLUMNS

READ_TABLE = "bench_item"
WRITE_TABLE = "bench_write"

_TYPES = {
    "sqlite": {
        "id": "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
        "name": "VARCHAR(50) NOT NULL",
        "email": "VARCHAR(100) NOT NULL",
        "level": "INT NOT NULL",
        "created_at": "TIMESTAMP NOT NULL",
        "active": "INT NOT NULL",
        "price": "VARCHAR(40) NOT NULL",
    },
    "postgres": {
        "id": "SERIAL NOT NULL PRIMARY KEY",
        "name": "VARCHAR(50) NOT NULL",
        "email": "VARCHAR(100) NOT NULL",
        "level": "INT NOT NULL",
        "created_at": "TIMESTAMPTZ NOT NULL",
        "active": "BOOL NOT NULL",
        "price": "DECIMAL(10,2) NOT NULL",
    },
    "mysql": {
        "id": "INT NOT NULL PRIMARY KEY AUTO_INCREMENT",
        "name": "VARCHAR(50) NOT NULL",
        "email": "VARCHAR(100) NOT NULL",
        "level": "INT NOT NULL",
        "created_at": "DATETIME(6) NOT NULL",
        "active": "BOOL NOT NULL",
        "price": "DECIMAL(10,2) NOT NULL",
    },
}


def quote(dialect: str, name: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


class _Placeholders:
    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        if self.dialect == "sqlite":
            return "?"
        if self.dialect == "postgres":
            return f"${self.n}"
        return "%s"


def ddl(dialect: str) -> list[str]:
    out = []
    for table in (READ_TABLE, WRITE_TABLE):
        cols = ", ".join(f"{quote(dialect, c)} {t}" for c, t in _TYPES[dialect].items())
        tail = " CHARACTER SET utf8mb4 ENGINE=InnoDB" if dialect == "mysql" else ""
        out.append(f"CREATE TABLE {quote(dialect, table)} ({cols}){tail}")
    return out


@dataclass(frozen=True)
class Statements:
    insert: str  #: one row into the write table; pg: RETURNING id
    insert_many: str  #: same, without RETURNING (executemany)
    insert_fixture: str  #: explicit id + columns into the read table
    filter_large: str
    filter_offset: str
    get_pk: str
    values_list: str
    update_whole: str
    update_fields: str
    delete: str
    reset: str
    write_ids: str


def statements(dialect: str) -> Statements:
    q = lambda name: quote(dialect, name)  # noqa: E731
    all_cols = ("id",) + COLUMNS
    sel = ", ".join(q(c) for c in all_cols)
    ins_cols = ", ".join(q(c) for c in COLUMNS)

    p = _Placeholders(dialect)
    ins_vals = ", ".join(p() for _ in COLUMNS)
    insert_many = f"INSERT INTO {q(WRITE_TABLE)} ({ins_cols}) VALUES ({ins_vals})"
    insert = insert_many + (f" RETURNING {q('id')}" if dialect == "postgres" else "")

    p = _Placeholders(dialect)
    fix_vals = ", ".join(p() for _ in all_cols)
    insert_fixture = f"INSERT INTO {q(READ_TABLE)} ({sel}) VALUES ({fix_vals})"

    p = _Placeholders(dialect)
    filter_large = f"SELECT {sel} FROM {q(READ_TABLE)} WHERE {q('active')}={p()}"
    p = _Placeholders(dialect)
    filter_offset = (
        f"SELECT {sel} FROM {q(READ_TABLE)} WHERE {q('active')}={p()} "
        f"ORDER BY {q('id')} ASC LIMIT {p()} OFFSET {p()}"
    )
    p = _Placeholders(dialect)
    get_pk = f"SELECT {sel} FROM {q(READ_TABLE)} WHERE {q('id')}={p()}"
    p = _Placeholders(dialect)
    vl = ", ".join(q(c) for c in VALUES_LIST_COLUMNS)
    values_list = f"SELECT {vl} FROM {q(READ_TABLE)} WHERE {q('active')}={p()}"

    p = _Placeholders(dialect)
    sets = ", ".join(f"{q(c)}={p()}" for c in COLUMNS)
    update_whole = f"UPDATE {q(WRITE_TABLE)} SET {sets} WHERE {q('id')}={p()}"
    p = _Placeholders(dialect)
    update_fields = f"UPDATE {q(WRITE_TABLE)} SET {q('level')}={p()} WHERE {q('id')}={p()}"
    p = _Placeholders(dialect)
    delete = f"DELETE FROM {q(WRITE_TABLE)} WHERE {q('id')}={p()}"
    return Statements(
        insert=insert,
        insert_many=insert_many,
        insert_fixture=insert_fixture,
        filter_large=filter_large,
        filter_offset=filter_offset,
        get_pk=get_pk,
        values_list=values_list,
        update_whole=update_whole,
        update_fields=update_fields,
        delete=delete,
        reset=f"DELETE FROM {q(WRITE_TABLE)}",
        write_ids=f"SELECT {q('id')} FROM {q(WRITE_TABLE)} ORDER BY {q('id')}",
    )


def to_db(dialect: str, value: Any) -> Any:
    """A Python value as the raw driver wants it (the conversion a raw-driver app writes).

    SQLite: datetimes as ISO-8601 text in UTC with its offset (``2024-01-01 08:30:00+00:00``,
    what Aldabra and Tortoise ORM store with their default ``use_tz=True``), decimals as
    text, booleans as 0/1.
    asyncpg: native types; timestamptz wants an aware datetime (UTC here).
    asyncmy: native types (naive datetime for DATETIME(6)).
    """
    if dialect == "sqlite":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.timezone.utc)
            return value.isoformat(" ")
        if isinstance(value, (int, str)):
            return value
        return str(value)  # Decimal
    if dialect == "postgres" and isinstance(value, _dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value


def row_params(dialect: str, row: dict[str, Any]) -> tuple:
    return tuple(to_db(dialect, row[c]) for c in COLUMNS)
