"""PostgreSQL: $n placeholders, ILIKE, POSIX regex, RETURNING, SERIAL primary keys.

asyncpg binds parameters in binary form and is strict about Python types: values must
already be the field's type (``to_db_value`` takes care of that).  The one adaptation
left here is datetimes: asyncpg reads a naive datetime bound to TIMESTAMPTZ in the
*machine's* time zone and refuses an aware one bound to TIMESTAMP, so each datetime
field gets an encoder matching its column type.
"""
from __future__ import annotations

import datetime
import decimal
import re
from typing import TYPE_CHECKING, Any, Callable, Sequence

from tortoise.sql.dialects.base import BASE_LOOKUPS, Dialect
from tortoise.timezone import get_default_timezone

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field

_UTC = datetime.timezone.utc
_ARRAY_OPERATORS = {"contains": "@>", "contained_by": "<@", "overlap": "&&"}
_SERIAL = {"BIGINT": "BIGSERIAL", "SMALLINT": "SMALLSERIAL"}
#: a column type whose array type is spelled by appending [] (not an array itself)
_PLAIN_TYPE = re.compile(r"[A-Za-z_][A-Za-z_ ]*(\(\d+(,\s*\d+)?\))?")


def _as_aware(value: Any) -> Any:
    """For TIMESTAMPTZ: a naive datetime (``use_tz=False``) is in the configured zone."""
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=get_default_timezone())
    return value


def _as_naive(value: Any) -> Any:
    """For TIMESTAMP: an aware datetime is stored as its UTC wall-clock time."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(_UTC).replace(tzinfo=None)
    return value


def _has_time_zone(column_type: str) -> bool:
    column_type = column_type.upper()
    return "TIMESTAMPTZ" in column_type or "TIMETZ" in column_type or "WITH TIME ZONE" in column_type


def _with_offset(value: Any) -> Any:
    """For TIMETZ: a time without a UTC offset gets one (drivers need it): UTC for a naive
    time (``use_tz=False``), else its zone's offset today, as PostgreSQL reads a zone name."""
    if isinstance(value, datetime.time) and value.utcoffset() is None:
        zone = value.tzinfo
        offset = datetime.timedelta(0) if zone is None else datetime.datetime.now(zone).utcoffset()
        return value.replace(tzinfo=_UTC if not offset else datetime.timezone(offset))
    return value


class PostgresDialect(Dialect):
    name = "postgres"
    param_style = "numeric"
    supports_returning = True
    supports_for_update = True
    type_names = {"CHAR(36)": "UUID", "BLOB": "BYTEA", "TIMESTAMP": "TIMESTAMPTZ", "JSON": "JSONB"}
    pypika_query = "pypika_tortoise.dialects:PostgreSQLQuery"
    lookups = {
        **BASE_LOOKUPS,
        "icontains": "{lhs} ILIKE {rhs} ESCAPE '\\'",
        "istartswith": "{lhs} ILIKE {rhs} ESCAPE '\\'",
        "iendswith": "{lhs} ILIKE {rhs} ESCAPE '\\'",
    }
    # What asyncpg returns as exactly the field's type.  Not UUID (asyncpg returns its
    # own subclass), datetime/time (time-zone handling lives in the field) or JSON (text).
    native_types = frozenset({int, str, float, bool, decimal.Decimal, datetime.date, bytes})

    # --- bulk inserts -------------------------------------------------------------------
    def column_array_types(self, fields: list["Field"]) -> list[str] | None:
        """``INSERT … SELECT * FROM unnest($1::t1[], …)``: one prepared statement for any
        number of rows, and PostgreSQL plans it once (a long VALUES list costs more)."""
        types = [self.column_type(f) for f in fields]
        if not types or not all(_PLAIN_TYPE.fullmatch(t) for t in types):
            return None
        return types

    def unnest(self, array_types: list[str]) -> str:
        arrays = ",".join(f"{self.placeholder(i)}::{t}[]" for i, t in enumerate(array_types))
        return f"SELECT * FROM unnest({arrays})"

    # --- lookups ------------------------------------------------------------------------
    def text_cast(self, lhs: str) -> str:
        return f"CAST({lhs} AS VARCHAR)"

    def regex(self, lhs: str, rhs: str, case_insensitive: bool) -> str:
        operator = "~*" if case_insensitive else "~"
        return f"{lhs} {operator} {rhs}"

    def json_contains(self, container: str, contained: str) -> str:
        return f"CAST({container} AS JSONB) @> CAST({contained} AS JSONB)"

    def json_path_params(self, path: Sequence[str | int], kind: str) -> list[Any]:
        return [str(part) for part in path]

    def json_extract(self, lhs: str, marks: list[str], kind: str) -> str:
        text = f"jsonb_extract_path_text(CAST({lhs} AS JSONB),{','.join(marks)})"
        if kind == "number":
            return f"CAST({text} AS NUMERIC)"
        if kind == "bool":
            return f"CAST({text} AS BOOLEAN)"
        if kind == "timestamp":
            return f"CAST({text} AS TIMESTAMP)"
        return text

    def array_compare(self, op: str, lhs: str, rhs: str, array_type: str) -> str:
        # the cast: a driver may type [1, 2] as smallint[] or bigint[], and the operators
        # need both sides of one type
        return f"{lhs} {_ARRAY_OPERATORS[op]} CAST({rhs} AS {array_type})"

    def array_length(self, lhs: str) -> str:
        return f"CARDINALITY({lhs})"  # array_length() is NULL, not 0, for an empty array

    def date_part(self, part: str, lhs: str) -> str:
        # EXTRACT returns numeric (double before PG 14): seconds carry the fraction and
        # MICROSECONDS counts the whole seconds too, so trim both to match the others.
        if part == "second":
            return f"CAST(FLOOR(EXTRACT(SECOND FROM {lhs})) AS INTEGER)"
        if part == "microsecond":
            return f"CAST(MOD(CAST(EXTRACT(MICROSECONDS FROM {lhs}) AS BIGINT),1000000) AS INTEGER)"
        return f"CAST(EXTRACT({part.upper()} FROM {lhs}) AS INTEGER)"

    def date_of(self, lhs: str) -> str:
        return f"CAST({lhs} AS DATE)"

    # --- statements ---------------------------------------------------------------------
    explain_formats = ("json", "text", "xml", "yaml")
    explain_options = frozenset(
        {"analyze", "buffers", "costs", "memory", "settings", "summary", "timing", "verbose", "wal", "generic_plan", "serialize"}
    )

    def explain(self, sql: str, output_fmt: str | None = None, options: dict[str, bool] | None = None) -> str:
        fmt, chosen = self.check_explain(output_fmt, options or {"verbose": True})
        parts = [f"FORMAT {fmt.upper()}"] + [f"{name.upper()} {'TRUE' if on else 'FALSE'}" for name, on in chosen.items()]  # type: ignore[union-attr]
        return f"EXPLAIN ({', '.join(parts)}) {sql}"

    # --- values -------------------------------------------------------------------------
    def encoder(self, field: "Field") -> Callable[[Any], Any]:
        encode = super().encoder(field)
        if field.field_type is not datetime.datetime:
            return encode
        normalize = _as_aware if _has_time_zone(self.column_type(field)) else _as_naive
        return lambda value: normalize(encode(value))

    def time_encoder(self, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return lambda value: _with_offset(general(value))

    # --- DDL ------------------------------------------------------------------------------
    def auto_pk_type(self, field: "Field") -> str:
        serial = _SERIAL.get(self.column_type(field).upper(), "SERIAL")
        return f"{serial} NOT NULL PRIMARY KEY"

    index_kinds = frozenset({"GIN", "GIST", "BRIN", "HASH", "SPGIST", "BLOOM"})

    def index_method(self, kind: str) -> str:
        return f" USING {kind}" if kind else ""

    def comment_statements(self, model: Any) -> list[str]:
        meta = model._meta
        table = self.quote(meta.db_table)
        statements = []
        if meta.table_description:
            statements.append(f"COMMENT ON TABLE {table} IS {self.literal(meta.table_description)}")
        for field in meta.data_fields:
            if field.description:
                column = f"{table}.{self.quote(field.column)}"
                statements.append(f"COMMENT ON COLUMN {column} IS {self.literal(field.description)}")
        return statements
    def migration_lock(self, key: int, timeout: int) -> tuple[str, list[Any]] | None:
        # waits without a limit: the run holding it ends by itself (statement_timeout aside)
        return "SELECT pg_advisory_lock($1), 1", [key]

    def migration_unlock(self, key: int) -> tuple[str, list[Any]] | None:
        return "SELECT pg_advisory_unlock($1)", [key]

    def tsvector_generated(self, columns: list[str], config: str | None, weights: Sequence[str]) -> str | None:
        vectors = []
        for i, column in enumerate(columns):
            text = f"COALESCE({self.quote(column)},'')"
            vector = f"TO_TSVECTOR({self.literal(config)},{text})" if config else f"TO_TSVECTOR({text})"
            vectors.append(f"SETWEIGHT({vector},{self.literal(weights[i])})" if weights else vector)
        return f"GENERATED ALWAYS AS ({' || '.join(vectors)}) STORED"

    def literal(self, value: Any) -> str:
        if isinstance(value, bool):  # a BOOL column does not take 1/0
            return "TRUE" if value else "FALSE"
        return super().literal(value)


class StandardSQLDialect(PostgresDialect):
    """Tortoise's generic "sql" dialect, for a client of a database we have no rules for
    (schema editors over a stand-in client): PostgreSQL's syntax, the standard type names."""

    name = "sql"
    type_names: dict[str, str] = {}

    # migration states record the dialects Aldabra has: read PostgreSQL's, in standard names
    state_name = "postgres"

    def state_type(self, types: dict[str, str]) -> str:
        standard = {pg: std for std, pg in PostgresDialect.type_names.items()}
        return standard.get(types["postgres"], types["postgres"])
