"""Statement builders for the ORM's fixed-shape work: single-row INSERT/UPDATE/DELETE by
primary key, bulk INSERT and bulk UPDATE, and the many-to-many join table.

Each builder takes the dialect and plain names (tables, columns) and returns SQL text
with placeholders in parameter order; callers cache the text per shape.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.sql.dialects.base import Dialect


def _marks(dialect: "Dialect", start: int, count: int) -> str:
    return ",".join(dialect.placeholder(start + i) for i in range(count))


# --- one row ---------------------------------------------------------------------------
def insert(dialect: "Dialect", table: str, columns: Sequence[str], returning: str | None = None) -> str:
    """``INSERT INTO t (a,b) VALUES (?,?)`` (DEFAULT VALUES without columns) [RETURNING pk]."""
    return insert_returning(dialect, table, columns, () if returning is None else (returning,))


def insert_returning(dialect: "Dialect", table: str, columns: Sequence[str], returning: Sequence[str]) -> str:
    """``insert`` that returns several columns (none: a plain INSERT)."""
    q = dialect.quote
    if columns:
        sql = f"INSERT INTO {q(table)} ({','.join(q(c) for c in columns)}) VALUES ({_marks(dialect, 0, len(columns))})"
    else:
        sql = dialect.insert_default_values(q(table))
    if returning:
        sql += dialect.returning(list(returning))
    return sql


def select_by_pk(dialect: "Dialect", table: str, columns: Sequence[str], pk_column: str) -> str:
    """``SELECT a,b FROM t WHERE pk=?``."""
    q = dialect.quote
    return f"SELECT {','.join(q(c) for c in columns)} FROM {q(table)} WHERE {q(pk_column)}={dialect.placeholder(0)}"


def update_by_pk(dialect: "Dialect", table: str, columns: Sequence[str], pk_column: str) -> str:
    """``UPDATE t SET a=?,b=? WHERE pk=?``: the values, then the key."""
    q = dialect.quote
    sets = ",".join(f"{q(c)}={dialect.placeholder(i)}" for i, c in enumerate(columns))
    return f"UPDATE {q(table)} SET {sets} WHERE {q(pk_column)}={dialect.placeholder(len(columns))}"


def delete_by_pk(dialect: "Dialect", table: str, pk_column: str) -> str:
    q = dialect.quote
    return f"DELETE FROM {q(table)} WHERE {q(pk_column)}={dialect.placeholder(0)}"


def delete_all(dialect: "Dialect", table: str) -> str:
    """``DELETE FROM t``: every row."""
    return f"DELETE FROM {dialect.quote(table)}"


# --- many rows ---------------------------------------------------------------------------
def bulk_insert_head(dialect: "Dialect", table: str, columns: Sequence[str], ignore_conflicts: bool) -> str:
    """``INSERT [IGNORE] INTO t (a,b) ``: followed by ``bulk_values`` or the dialect's unnest."""
    q = dialect.quote
    return f"{dialect.insert_verb(ignore_conflicts)} INTO {q(table)} ({','.join(q(c) for c in columns)}) "


def bulk_values(dialect: "Dialect", rows: int, width: int) -> str:
    """``VALUES (?,?),(?,?)…`` for ``rows`` rows of ``width`` values."""
    if dialect.param_style != "numeric":
        mark = dialect.placeholder(0)
        return "VALUES " + ",".join(["(" + ",".join([mark] * width) + ")"] * rows)
    return "VALUES " + ",".join("(" + _marks(dialect, r * width, width) + ")" for r in range(rows))


def bulk_update(dialect: "Dialect", table: str, pk_column: str, columns: Sequence[str], rows: int) -> str:
    """One UPDATE for ``rows`` rows: ``SET c=CASE pk WHEN ? THEN ? … ELSE c END WHERE pk IN (…)``.

    Parameters: per column, a (pk, value) pair per row; then the rows' keys."""
    q = dialect.quote
    ph = dialect.placeholder
    index = 0
    sets = []
    for column in columns:
        cases = []
        for _ in range(rows):
            cases.append(f"WHEN {ph(index)} THEN {ph(index + 1)}")
            index += 2
        # ELSE the column itself gives the CASE the column's type (PostgreSQL needs it)
        sets.append(f"{q(column)}=CASE {q(pk_column)} {' '.join(cases)} ELSE {q(column)} END")
    return f"UPDATE {q(table)} SET {','.join(sets)} WHERE {q(pk_column)} IN ({_marks(dialect, index, rows)})"


# --- many-to-many join table ---------------------------------------------------------------
def m2m_pairs(dialect: "Dialect", through: str, owner_key: str, target_key: str, owners: int) -> str:
    """(owner, target) pairs of ``owners`` owners (for prefetching)."""
    q = dialect.quote
    return (
        f"SELECT {q(owner_key)},{q(target_key)} FROM {q(through)} "
        f"WHERE {q(owner_key)} IN ({_marks(dialect, 0, owners)})"
    )


def m2m_existing(dialect: "Dialect", through: str, owner_key: str, target_key: str, targets: int) -> str:
    """Which of ``targets`` targets one owner is already linked to: owner, then targets."""
    q = dialect.quote
    return (
        f"SELECT {q(target_key)} FROM {q(through)} "
        f"WHERE {q(owner_key)}={dialect.placeholder(0)} AND {q(target_key)} IN ({_marks(dialect, 1, targets)})"
    )


def m2m_insert(dialect: "Dialect", through: str, owner_key: str, target_key: str) -> str:
    return insert(dialect, through, (owner_key, target_key))


def m2m_delete(dialect: "Dialect", through: str, owner_key: str, target_key: str, targets: int | None) -> str:
    """Unlink one owner from ``targets`` targets (all of them when None): owner, then targets."""
    q = dialect.quote
    sql = f"DELETE FROM {q(through)} WHERE {q(owner_key)}={dialect.placeholder(0)}"
    if targets is not None:
        sql += f" AND {q(target_key)} IN ({_marks(dialect, 1, targets)})"
    return sql
