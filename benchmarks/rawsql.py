"""The SQL the raw-driver sides run, and the schema every side uses, per dialect.

The statements are the ones an ORM has to send for each operation (same columns, same
WHERE, same ORDER BY/LIMIT/OFFSET), written by hand with the driver's placeholder style.
The tables are created here with explicit DDL (types as Tortoise ORM would create them),
so the raw drivers, Aldabra and -- optionally -- real Tortoise ORM all work on the same
tables and the same rows.
"""
from __future__ import annotations

import datetime as _dt
import json
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


def cols_sql(dialect: str, names: "tuple[str, ...] | list[str]") -> str:
    return ", ".join(quote(dialect, c) for c in names)


def select_sql(dialect: str, table: str, names: "tuple[str, ...] | list[str]", where: str = "") -> str:
    """``SELECT <names> FROM <table>`` plus ``where`` (already rendered)."""
    return f"SELECT {cols_sql(dialect, names)} FROM {quote(dialect, table)}" + (f" {where}" if where else "")


def insert_sql(dialect: str, table: str, names: "tuple[str, ...] | list[str]", returning: bool = False) -> str:
    """One row into ``table``; ``returning``: ``RETURNING id`` on PostgreSQL (the others read lastrowid)."""
    p = _Placeholders(dialect)
    values = ", ".join(p() for _ in names)
    sql = f"INSERT INTO {quote(dialect, table)} ({cols_sql(dialect, names)}) VALUES ({values})"
    return sql + (f" RETURNING {quote(dialect, 'id')}" if returning and dialect == "postgres" else "")


def update_sql(dialect: str, table: str, names: "tuple[str, ...] | list[str]") -> str:
    """``UPDATE <table> SET <names> WHERE id=?`` (the id is the last parameter)."""
    p = _Placeholders(dialect)
    sets = ", ".join(f"{quote(dialect, c)}={p()}" for c in names)
    return f"UPDATE {quote(dialect, table)} SET {sets} WHERE {quote(dialect, 'id')}={p()}"


def delete_sql(dialect: str, table: str) -> str:
    return f"DELETE FROM {quote(dialect, table)} WHERE {quote(dialect, 'id')}={_Placeholders(dialect)()}"


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
    p = _Placeholders(dialect)
    filter_large = select_sql(dialect, READ_TABLE, all_cols, f"WHERE {q('active')}={p()}")
    p = _Placeholders(dialect)
    filter_offset = select_sql(dialect, READ_TABLE, all_cols,
                               f"WHERE {q('active')}={p()} ORDER BY {q('id')} ASC LIMIT {p()} OFFSET {p()}")
    p = _Placeholders(dialect)
    get_pk = select_sql(dialect, READ_TABLE, all_cols, f"WHERE {q('id')}={p()}")
    p = _Placeholders(dialect)
    values_list = select_sql(dialect, READ_TABLE, VALUES_LIST_COLUMNS, f"WHERE {q('active')}={p()}")
    return Statements(
        insert=insert_sql(dialect, WRITE_TABLE, COLUMNS, returning=True),
        insert_many=insert_sql(dialect, WRITE_TABLE, COLUMNS),
        insert_fixture=insert_sql(dialect, READ_TABLE, all_cols),
        filter_large=filter_large,
        filter_offset=filter_offset,
        get_pk=get_pk,
        values_list=values_list,
        update_whole=update_sql(dialect, WRITE_TABLE, COLUMNS),
        update_fields=update_sql(dialect, WRITE_TABLE, ("level",)),
        delete=delete_sql(dialect, WRITE_TABLE),
        reset=f"DELETE FROM {q(WRITE_TABLE)}",
        write_ids=select_sql(dialect, WRITE_TABLE, ("id",), f"ORDER BY {q('id')}"),
    )


def to_db(dialect: str, value: Any) -> Any:
    """A Python value as the raw driver wants it (the conversion a raw-driver app writes).

    SQLite: datetimes as ISO-8601 text in UTC with its offset (``2024-01-01 08:30:00+00:00``,
    what Aldabra and Tortoise ORM store with their default ``use_tz=True``), decimals as
    text, booleans as 0/1.
    asyncpg: native types; timestamptz wants an aware datetime (UTC here).
    asyncmy: native types (naive UTC datetime for DATETIME(6)).
    JSON values go as JSON text on every driver.
    """
    if dialect == "sqlite":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.timezone.utc)
            return value.isoformat(" ")
        if isinstance(value, (int, str, float)) or value is None:
            return value
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return str(value)  # Decimal
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if dialect == "postgres" and isinstance(value, _dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    if dialect == "mysql" and isinstance(value, _dt.datetime) and value.tzinfo is not None:
        return value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


def row_params(dialect: str, row: dict[str, Any]) -> tuple:
    return tuple(to_db(dialect, row[c]) for c in COLUMNS)
