"""MySQL 8 / MariaDB 10.6+: backticks, %s placeholders, collation-aware matching.

Notes for the compiler:
- parameters are always %-formatted by the driver (even an empty list), so a literal
  ``%`` in compiled SQL must be written ``%%``;
- backslash is MySQL's default LIKE escape and also a string-literal escape, so the LIKE
  templates leave out the ``ESCAPE`` clause;
- default collations are case-insensitive: ``contains``/``startswith``/``endswith``
  compare the pattern as a binary string, the ``i`` lookups upper-case both sides.
"""
from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Any, Callable, Sequence

from tortoise.sql.dialects.base import BASE_LOOKUPS, Dialect, json_path
from tortoise.timezone import UTC_ZONE, get_use_tz

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field

_UTC = datetime.timezone.utc


def _adapt(value: Any) -> Any:
    # The driver drops tzinfo when it renders a datetime; store the UTC time instead.
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(_UTC).replace(tzinfo=None)
    return value


class MySQLDialect(Dialect):
    name = "mysql"
    param_style = "format"
    quote_char = "`"
    requires_limit = True
    no_limit = "18446744073709551615"
    can_rollback_ddl = False
    backslash_escapes = True  # unless the server runs with NO_BACKSLASH_ESCAPES
    supports_for_update = True
    pypika_query = "pypika_tortoise.dialects:MySQLQuery"
    type_names = {
        "DOUBLE PRECISION": "DOUBLE", "TEXT": "LONGTEXT", "BLOB": "LONGBLOB",
        "TIMESTAMP": "DATETIME(6)", "TIME": "TIME(6)",
    }
    inline_comment = True
    supports_index_hints = True
    lookups = {
        **BASE_LOOKUPS,
        "contains": "{lhs} LIKE CAST({rhs} AS BINARY)",
        "startswith": "{lhs} LIKE CAST({rhs} AS BINARY)",
        "endswith": "{lhs} LIKE CAST({rhs} AS BINARY)",
        "icontains": "UPPER({lhs}) LIKE UPPER({rhs})",
        "istartswith": "UPPER({lhs}) LIKE UPPER({rhs})",
        "iendswith": "UPPER({lhs}) LIKE UPPER({rhs})",
    }
    # BOOL columns come back as 0/1, so bool needs its decoder.
    native_types = frozenset({int, str, float, decimal.Decimal, datetime.date, bytes})

    # --- lookups ------------------------------------------------------------------------
    def regex(self, lhs: str, rhs: str, case_insensitive: bool) -> str:
        # An inline flag works on both engines (MariaDB: PCRE, MySQL 8: ICU), whatever
        # the column's collation says about case.
        flag = "(?i)" if case_insensitive else "(?-i)"
        return f"{lhs} REGEXP CONCAT('{flag}',{rhs})"

    def json_contains(self, container: str, contained: str) -> str:
        return f"JSON_CONTAINS({container},{contained})"

    def json_path_params(self, path: Sequence[str | int], kind: str) -> list[Any]:
        return [json_path(path)] * (1 if kind == "bool" else 2)

    def json_extract(self, lhs: str, marks: list[str], kind: str) -> str:
        if kind == "bool":
            return f"(JSON_UNQUOTE(JSON_EXTRACT({lhs},{marks[0]}))='true')"
        # a JSON null is SQL NULL here, as on the other databases
        return (
            f"CASE WHEN JSON_TYPE(JSON_EXTRACT({lhs},{marks[0]}))='NULL' THEN NULL "
            f"ELSE JSON_UNQUOTE(JSON_EXTRACT({lhs},{marks[1]})) END"
        )

    def date_part(self, part: str, lhs: str) -> str:
        if part == "week":  # ISO week, as PostgreSQL's EXTRACT(WEEK)
            return f"WEEK({lhs},3)"
        return f"EXTRACT({part.upper()} FROM {lhs})"

    def json_date_part(self, part: str, lhs: str) -> str:
        if part == "second":  # SECOND_MICROSECOND: 59123456 for 12:36:59.123456
            return f"(EXTRACT(SECOND_MICROSECOND FROM {lhs})*0.000001)"
        if part == "microsecond":
            return f"EXTRACT(SECOND_MICROSECOND FROM {lhs})"
        return self.date_part(part, lhs)

    # --- statements ---------------------------------------------------------------------
    def insert_default_values(self, table: str) -> str:
        return f"INSERT INTO {table} () VALUES ()"

    def insert_verb(self, ignore_conflicts: bool) -> str:
        return "INSERT IGNORE" if ignore_conflicts else "INSERT"

    upsert_needs_target = False
    adapted_types = (datetime.datetime,)
    multirow_insert_id = "first"  # InnoDB assigns consecutive ids to the rows of one INSERT

    def upsert(self, conflict: list[str], update: list[str], ignore: bool) -> str:
        """MySQL finds the conflicting key itself (``conflict`` is not needed); ignoring
        conflicts is ``INSERT IGNORE`` (see ``insert_verb``)."""
        if not update:
            return ""
        sets = ",".join(f"{self.quote(c)}=VALUES({self.quote(c)})" for c in update)
        return f" ON DUPLICATE KEY UPDATE {sets}"

    def for_update(self, nowait: bool, skip_locked: bool, of: tuple[str, ...]) -> str:
        # MariaDB has no ``FOR UPDATE OF``; locking every joined table is the safe superset.
        return super().for_update(nowait, skip_locked, ())

    def index_hint(self, kind: str, names: tuple[str, ...]) -> str:
        return f" {kind} INDEX ({','.join(self.quote(name) for name in names)})"

    explain_formats = ("json", "traditional")

    def explain(self, sql: str, output_fmt: str | None = None, options: dict[str, bool] | None = None) -> str:
        fmt, _ = self.check_explain(output_fmt, options or {})
        return f"EXPLAIN FORMAT={fmt.upper()} {sql}"  # type: ignore[union-attr]

    def concat(self, parts: list[str]) -> str:
        return f"CONCAT({','.join(parts)})"

    def arithmetic(self, operator: str) -> str:
        return "%%" if operator == "%" else operator


    # --- values -------------------------------------------------------------------------
    def adapt_param(self, value: Any) -> Any:
        return _adapt(value)

    # --- DDL ------------------------------------------------------------------------------
    index_kinds = frozenset({"FULLTEXT", "SPATIAL"})
    supports_partial_indexes = False

    def index_head(self, unique: bool, kind: str) -> str:
        return f"{kind} INDEX" if kind else super().index_head(unique, kind)

    def column_comment(self, description: str) -> str:
        return f"COMMENT {self.literal(description)}" if description else ""

    def table_suffix(self, description: str, options: str) -> str:
        """``options`` is the client's ``table_options`` (engine and character set)."""
        suffix = f" {options}" if options else ""
        if description:
            suffix += f" COMMENT={self.literal(description)}"
        return suffix

    def migration_lock(self, key: int, timeout: int) -> tuple[str, list[Any]] | None:
        return "SELECT GET_LOCK(%s, %s)", [f"aldabra_{key}", timeout]

    def migration_unlock(self, key: int) -> tuple[str, list[Any]] | None:
        return "SELECT RELEASE_LOCK(%s)", [f"aldabra_{key}"]

    def literal(self, value: Any) -> str:
        if isinstance(value, (bool, int, float)):
            return super().literal(value)
        # backslash is an escape character in MySQL string literals
        return super().literal(str(value).replace("\\", "\\\\"))

    def auto_pk_type(self, field: "Field") -> str:
        return f"{self.column_type(field)} NOT NULL PRIMARY KEY AUTO_INCREMENT"

    # --- value shortcuts: DATETIME holds naive UTC times; TIME comes back as a timedelta ----
    def datetime_encoder(self, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Aware UTC datetimes under ``use_tz``: their naive UTC time (as ``general`` gives)."""
        plain = datetime.datetime
        combine = plain.combine

        def to_mysql(value: Any) -> Any:
            if type(value) is plain and (value.tzinfo is _UTC or value.tzinfo is UTC_ZONE) and get_use_tz():
                return combine(value, value.time())
            return general(value)

        return to_mysql

    def time_encoder(self, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """TIME holds no offset: an aware time is stored as its wall-clock time."""

        def to_mysql(value: Any) -> Any:
            value = general(value)
            if isinstance(value, datetime.time) and value.tzinfo is not None:
                return value.replace(tzinfo=None)
            return value

        return to_mysql

    def time_decoder(self, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
        midnight = datetime.datetime.min

        def decode_delta(value: Any) -> datetime.time:
            if type(value) is datetime.timedelta and not value.days:  # 0 <= value < 1 day
                value = (midnight + value).time()
            return convert(value)

        return decode_delta
