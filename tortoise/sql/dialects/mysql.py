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
from typing import TYPE_CHECKING, Any

from tortoise.sql.dialects.base import BASE_LOOKUPS, Dialect

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
    supports_for_update = True
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

    def date_part(self, part: str, lhs: str) -> str:
        if part == "week":  # ISO week, as PostgreSQL's EXTRACT(WEEK)
            return f"WEEK({lhs},3)"
        return f"EXTRACT({part.upper()} FROM {lhs})"

    # --- statements ---------------------------------------------------------------------
    def insert_default_values(self, table: str) -> str:
        return f"INSERT INTO {table} () VALUES ()"

    def insert_prefix(self, ignore_conflicts: bool) -> str:
        return "INSERT IGNORE INTO" if ignore_conflicts else "INSERT INTO"

    def conflict_clause(
        self, ignore_conflicts: bool, on_conflict: tuple[str, ...] = (), update_fields: tuple[str, ...] = ()
    ) -> str:
        """Tail of a bulk INSERT.  MySQL picks the conflicting key itself (``on_conflict``
        is not needed); ignoring conflicts is ``INSERT IGNORE``, see ``insert_prefix``."""
        if not update_fields:
            return ""
        sets = ",".join(f"{self.quote(c)}=VALUES({self.quote(c)})" for c in update_fields)
        return f" ON DUPLICATE KEY UPDATE {sets}"

    def for_update(self, nowait: bool, skip_locked: bool, of: tuple[str, ...]) -> str:
        # MariaDB has no ``FOR UPDATE OF``; locking every joined table is the safe superset.
        return super().for_update(nowait, skip_locked, ())

    def index_hints(self, force: tuple[str, ...] = (), use: tuple[str, ...] = ()) -> str:
        """``FORCE INDEX (…)`` / ``USE INDEX (…)``, placed right after the table name."""
        sql = ""
        if force:
            sql += f" FORCE INDEX ({','.join(self.quote(i) for i in force)})"
        if use:
            sql += f" USE INDEX ({','.join(self.quote(i) for i in use)})"
        return sql

    def explain(self, sql: str) -> str:
        return f"EXPLAIN FORMAT=JSON {sql}"

    def concat(self, parts: list[str]) -> str:
        return f"CONCAT({','.join(parts)})"

    def cast_text(self, sql: str) -> str:
        return f"CAST({sql} AS CHAR)"

    def table_options(self, engine: str | None, charset: str | None) -> str:
        """Suffix of CREATE TABLE: storage engine and default character set."""
        sql = f" ENGINE={engine}" if engine else ""
        if charset:
            sql += f" DEFAULT CHARSET={charset}"
        return sql

    # --- values -------------------------------------------------------------------------
    def adapt_param(self, value: Any) -> Any:
        return _adapt(value)

    # --- DDL ------------------------------------------------------------------------------
    def auto_pk_type(self, field: "Field") -> str:
        return f"{self.column_type(field)} NOT NULL PRIMARY KEY AUTO_INCREMENT"
