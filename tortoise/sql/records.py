"""Statements on the migration recorder tables (``aerich``, ``tortoise_migrations``):
rows selected and deleted by equality on a few columns.  Text with placeholders in the
order of ``where``; the values are bound by the caller."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.sql.dialects.base import Dialect


def _where(dialect: "Dialect", columns: Sequence[str]) -> str:
    return " AND ".join(f"{dialect.quote(c)}={dialect.placeholder(i)}" for i, c in enumerate(columns))


def probe(dialect: "Dialect", table: str) -> str:
    """A query that fails only when ``table`` does not exist."""
    return f"SELECT 1 FROM {dialect.quote(table)} WHERE 1=0"


def select_where(dialect: "Dialect", table: str, column: str, alias: str, where: Sequence[str], order_by: str | None = None) -> str:
    """``SELECT column AS alias FROM table WHERE a=? AND b=? [ORDER BY order_by]``."""
    q = dialect.quote
    sql = f"SELECT {q(column)} AS {alias} FROM {q(table)} WHERE {_where(dialect, where)}"
    return sql + (f" ORDER BY {q(order_by)}" if order_by else "")


def delete_where(dialect: "Dialect", table: str, where: Sequence[str]) -> str:
    """``DELETE FROM table WHERE a=? AND b=?``."""
    return f"DELETE FROM {dialect.quote(table)} WHERE {_where(dialect, where)}"
