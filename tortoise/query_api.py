"""Run a query built with pypika (the ``pypika_tortoise`` package) on a Tortoise connection.

    table = Tournament.get_table()
    result = await execute_pypika(Query.from_(table).select(table.id).where(table.name == "x"))
    result.rows, result.rows_affected

pypika is an optional dependency (``pip install 'aldabra[pypika]'``), imported only when a
query is rendered or a table asked for.  The SQL is pypika's; we only run it, with the
values pypika collected as bound parameters.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tortoise.connection import connections
from tortoise.exceptions import ParamsError

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.backends.base.client import BaseDBAsyncClient

SchemaT = TypeVar("SchemaT")


@dataclass(frozen=True)
class QueryResult(Generic[SchemaT]):
    """The rows of a query (dicts, or validated by ``schema``) and its row count: the rows
    fetched for a SELECT, the rows changed for INSERT/UPDATE/DELETE."""

    rows: list[SchemaT]
    rows_affected: int


def pypika_object(path: str) -> Any:
    """``"module:attribute"`` of pypika_tortoise, with the extra to install if it is missing."""
    module, _, attribute = path.partition(":")
    try:
        return getattr(importlib.import_module(module), attribute)
    except ImportError as exc:
        if exc.name is None or not exc.name.startswith("pypika_tortoise"):
            raise
        raise ImportError(
            "pypika queries (execute_pypika, Model.get_table) need the 'pypika-tortoise' "
            "package, which is not installed; install it with: pip install 'aldabra[pypika]'"
        ) from exc


def pypika_table(model: Any) -> Any:
    """The pypika Table of ``model``'s database table (schema-qualified when it has one)."""
    table = pypika_object("pypika_tortoise.queries:Table")
    return table(name=model._meta.db_table, schema=model._meta.schema or None)


async def execute_pypika(
    query: Any, *, using_db: "BaseDBAsyncClient | None" = None, schema: Any = None
) -> QueryResult[Any]:
    """Render pypika ``query`` for the connection's database and run it there.

    ``using_db`` picks the connection; without it there must be exactly one configured.
    ``schema`` (a pydantic model class or ``TypeAdapter``) validates each row; any other
    schema (a ``TypedDict``) only types the result."""
    db = using_db if using_db is not None else _only_connection()
    sql, params = query.get_parameterized_sql(db.query_class.SQL_CONTEXT)
    rows, rows_affected = await db.execute_query_dict_with_affected(sql, params)
    if schema is not None:
        rows = _validated(rows, schema)
    return QueryResult(rows=rows, rows_affected=rows_affected)


def _only_connection() -> "BaseDBAsyncClient":
    names = list(connections.db_config)
    if len(names) != 1:
        raise ParamsError(
            "You are running with multiple databases, so you should specify using_db= "
            f"(one of the connections {names})"
        )
    return connections.get(names[0])


def _validated(rows: list[dict], schema: Any) -> list[Any]:
    try:
        from pydantic import BaseModel, TypeAdapter
    except ImportError:  # pragma: no cover - without pydantic a schema only types the rows
        return rows
    if isinstance(schema, TypeAdapter):
        return [schema.validate_python(row) for row in rows]
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return [schema.model_validate(row) for row in rows]
    return rows


__all__ = ["QueryResult", "execute_pypika"]
