"""Statement descriptions (SELECT, UPDATE, DELETE) built from nodes, and their compiler.

``compile_query`` renders a statement and binds its parameters; the statement cache
(tortoise/sql/cache.py) compiles each query shape once and then only binds.
"""
from __future__ import annotations

from typing import Any, Hashable, Sequence

from tortoise.sql.dialects.base import Dialect
from tortoise.sql.nodes import Context, Node, Param


def compile_query(query: "Statement", dialect: Dialect) -> tuple[str, list[Any]]:
    """Render ``query`` and bind its parameters (the path of shapes the cache cannot hold)."""
    c = Context(dialect)
    sql = query.sql(c)
    query.bind(c)
    return sql, c.params


class Join:
    __slots__ = ("table", "alias", "on", "kind")

    def __init__(self, table: str, alias: str, on: Node, kind: str = "LEFT OUTER JOIN") -> None:
        self.table, self.alias, self.on, self.kind = table, alias, on, kind

    def key(self) -> Hashable:
        return (self.kind, self.table, self.alias, self.on.key())

    def sql(self, c: Context) -> str:
        q = c.dialect.quote
        target = q(self.table) if self.alias == self.table else f"{q(self.table)} {q(self.alias)}"
        return f" {self.kind} {target} ON {self.on.sql(c)}"


class Statement:
    def key(self) -> Hashable:
        raise NotImplementedError

    def sql(self, c: Context) -> str:
        raise NotImplementedError

    def bind(self, c: Context) -> None:
        raise NotImplementedError


class Select(Statement):
    """SELECT [DISTINCT] columns FROM table joins WHERE … GROUP BY … HAVING … ORDER BY … LIMIT."""

    __slots__ = (
        "table", "alias", "columns", "joins", "where", "group_by", "having",
        "order_by", "limit", "offset", "distinct", "for_update", "index_hint", "source",
    )

    def __init__(self, table: str, alias: str | None = None, source: "Statement | None" = None) -> None:
        self.table = table
        self.alias = alias or table
        #: a subquery used as the FROM source (``SELECT … FROM (source) alias``)
        self.source = source
        self.columns: list[tuple[Node, str | None]] = []
        self.joins: list[Join] = []
        self.where: Node | None = None
        self.group_by: list[Node] = []
        self.having: Node | None = None
        self.order_by: list[tuple[Node, bool]] = []
        self.limit: int | None = None
        self.offset: int | None = None
        self.distinct = False
        self.for_update: tuple[bool, bool, tuple[str, ...]] | None = None
        self.index_hint: tuple[str, tuple[str, ...]] | None = None

    def key(self) -> Hashable:
        return (
            "select",
            self.table,
            self.alias,
            tuple((n.key(), a) for n, a in self.columns),
            tuple(j.key() for j in self.joins),
            self.where.key() if self.where is not None else None,
            tuple(n.key() for n in self.group_by),
            self.having.key() if self.having is not None else None,
            tuple((n.key(), d) for n, d in self.order_by),
            self.limit is not None,
            self.offset is not None,
            self.distinct,
            self.for_update,
            self.index_hint,
            self.source.key() if self.source is not None else None,
        )

    def sql(self, c: Context) -> str:
        d = c.dialect
        q = d.quote
        cols = ",".join(
            n.sql(c) if a is None else f"{n.sql(c)} {q(a)}" for n, a in self.columns
        ) or "*"
        if self.source is not None:
            source = f"({self.source.sql(c)}) {q(self.alias)}"
        elif self.alias == self.table:
            source = q(self.table)
        else:
            source = f"{q(self.table)} {q(self.alias)}"
        parts = [f"SELECT {'DISTINCT ' if self.distinct else ''}{cols} FROM {source}"]
        if self.index_hint:
            parts.append(d.index_hint(*self.index_hint))
        parts.extend(j.sql(c) for j in self.joins)
        if self.where is not None:
            parts.append(f" WHERE {self.where.sql(c)}")
        if self.group_by:
            parts.append(" GROUP BY " + ",".join(n.sql(c) for n in self.group_by))
        if self.having is not None:
            parts.append(f" HAVING {self.having.sql(c)}")
        if self.order_by:
            parts.append(
                " ORDER BY " + ",".join(f"{n.sql(c)} {'DESC' if desc else 'ASC'}" for n, desc in self.order_by)
            )
        limit = c.ph() if self.limit is not None else None
        offset = c.ph() if self.offset is not None else None
        parts.append(d.limit_offset(limit, offset))
        if self.for_update is not None:
            parts.append(d.for_update(*self.for_update))
        return "".join(parts)

    def bind(self, c: Context) -> None:
        for n, _ in self.columns:
            n.bind(c)
        if self.source is not None:
            self.source.bind(c)
        for j in self.joins:
            j.on.bind(c)
        if self.where is not None:
            self.where.bind(c)
        for n in self.group_by:
            n.bind(c)
        if self.having is not None:
            self.having.bind(c)
        for n, _ in self.order_by:
            n.bind(c)
        if self.limit is not None:
            c.params.append(self.limit)
        if self.offset is not None:
            c.params.append(self.offset)


class Union(Statement):
    """``SELECT * FROM (m1) _u0 UNION [ALL] SELECT * FROM (m2) _u1 …``: each member as a
    derived table, so members may keep their own ORDER BY/LIMIT on every database."""

    __slots__ = ("members", "all")

    def __init__(self, members: Sequence[Select], all: bool) -> None:
        self.members, self.all = members, all

    def key(self) -> Hashable:
        return ("union", self.all, tuple(m.key() for m in self.members))

    def sql(self, c: Context) -> str:
        q = c.dialect.quote
        joiner = " UNION ALL " if self.all else " UNION "
        return joiner.join(f"SELECT * FROM ({m.sql(c)}) {q(f'_u{i}')}" for i, m in enumerate(self.members))

    def bind(self, c: Context) -> None:
        for member in self.members:
            member.bind(c)


class Update(Statement):
    __slots__ = ("table", "sets", "where")

    def __init__(self, table: str, sets: Sequence[tuple[str, Node]], where: Node | None) -> None:
        self.table, self.sets, self.where = table, sets, where

    def key(self) -> Hashable:
        return (
            "update",
            self.table,
            tuple((col, n.key()) for col, n in self.sets),
            self.where.key() if self.where is not None else None,
        )

    def sql(self, c: Context) -> str:
        q = c.dialect.quote
        sets = ",".join(f"{q(col)}={n.sql(c)}" for col, n in self.sets)
        sql = f"UPDATE {q(self.table)} SET {sets}"
        if self.where is not None:
            sql += f" WHERE {self.where.sql(c)}"
        return sql

    def bind(self, c: Context) -> None:
        for _, n in self.sets:
            n.bind(c)
        if self.where is not None:
            self.where.bind(c)


class Delete(Statement):
    __slots__ = ("table", "where")

    def __init__(self, table: str, where: Node | None) -> None:
        self.table, self.where = table, where

    def key(self) -> Hashable:
        return ("delete", self.table, self.where.key() if self.where is not None else None)

    def sql(self, c: Context) -> str:
        sql = f"DELETE FROM {c.dialect.quote(self.table)}"
        if self.where is not None:
            sql += f" WHERE {self.where.sql(c)}"
        return sql

    def bind(self, c: Context) -> None:
        if self.where is not None:
            self.where.bind(c)


__all__ = ["Select", "Union", "Update", "Delete", "Join", "compile_query", "Param"]
