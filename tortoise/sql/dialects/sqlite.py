"""SQLite: ? placeholders, GLOB for case-sensitive matching, text-stored datetimes."""
from __future__ import annotations

import datetime
import decimal
import uuid
from typing import TYPE_CHECKING, Any

from tortoise.sql.dialects.base import BASE_LOOKUPS, Dialect

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field

_STRFTIME = {
    "year": "%Y",
    "month": "%m",
    "day": "%d",
    "hour": "%H",
    "minute": "%M",
    "second": "%S",
    "week": "%W",
}

# SQLite's LIKE ignores ASCII case, so the case-sensitive lookups use GLOB instead.
_GLOB_PATTERNS = {"contains": "*{}*", "startswith": "{}*", "endswith": "*{}"}


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


class SqliteDialect(Dialect):
    name = "sqlite"
    param_style = "qmark"
    requires_limit = True
    supports_returning = True
    multirow_insert_id = "last"  # rowids of one INSERT's rows follow each other
    supports_for_update = False
    lookups = {
        **BASE_LOOKUPS,
        "contains": "{lhs} GLOB {rhs}",
        "startswith": "{lhs} GLOB {rhs}",
        "endswith": "{lhs} GLOB {rhs}",
    }
    native_types = frozenset({int, str, float, bytes})
    adapted_types = (datetime.date, datetime.time, decimal.Decimal, uuid.UUID)

    def pattern_value(self, lookup: str, value: Any) -> str:
        glob = _GLOB_PATTERNS.get(lookup)
        if glob is None:
            return super().pattern_value(lookup, value)
        escaped = "".join(f"[{ch}]" if ch in "*?[" else ch for ch in str(value))
        return glob.format(escaped)

    def regex(self, lhs: str, rhs: str, case_insensitive: bool) -> str:
        # Python functions registered on each connection by the SQLite client.
        func = "aldabra_iregexp" if case_insensitive else "aldabra_regexp"
        return f"{func}({lhs},{rhs})"

    def date_part(self, part: str, lhs: str) -> str:
        if part == "quarter":
            return f"((CAST(STRFTIME('%m',{lhs}) AS INTEGER)+2)/3)"
        if part == "microsecond":
            return f"CAST(SUBSTR(STRFTIME('%f',{lhs}),4) AS INTEGER)"
        return f"CAST(STRFTIME('{_STRFTIME[part]}',{lhs}) AS INTEGER)"

    def adapt_param(self, value: Any) -> Any:
        return _adapt(value)

    def explain(self, sql: str) -> str:
        return f"EXPLAIN QUERY PLAN {sql}"

    def auto_pk_type(self, field: "Field") -> str:
        return "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"
