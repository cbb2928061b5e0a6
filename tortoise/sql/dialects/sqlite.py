"""SQLite: ? placeholders, GLOB for case-sensitive matching, text-stored datetimes."""
from __future__ import annotations

import datetime
import decimal
import uuid
from typing import TYPE_CHECKING, Any, Callable

from tortoise.sql.dialects.base import BASE_LOOKUPS, Dialect, with_inline
import tortoise.timezone as timezone
from tortoise.timezone import UTC, UTC_ZONE, get_use_tz

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


#: ``decode_text`` written out (see ``base.DATETIME_INLINE``): text that does not parse
#: goes to the decoder, which parses it again and coerces it
_TEXT_DATETIME_INLINE = (
    "try:\n"
    "    {v} = _dt_parse({v})\n"
    "except (TypeError, ValueError):\n"
    "    {v} = {f}({v})\n"
    "else:\n"
    "    if ((_tz := {v}.tzinfo) is _dt_utc or _tz is None) and (_z := _dt_settings.utc_read_as) is not None:\n"
    "        {v} = _dt_combine({v}, {v}.time(), _z)\n"
    "    else:\n"
    "        {v} = _dt_settings.read_stored({v})\n"
)


class SqliteDialect(Dialect):
    name = "sqlite"
    param_style = "qmark"
    requires_limit = True
    supports_returning = True
    multirow_insert_id = "last"  # rowids of one INSERT's rows follow each other
    supports_for_update = False
    type_names = {"DOUBLE PRECISION": "REAL", "BOOL": "INT"}
    inline_comment = True
    pypika_query = "pypika_tortoise.dialects:SQLLiteQuery"
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

    def json_contains(self, container: str, contained: str) -> str:
        # a Python function registered on each connection by the SQLite client
        return f"aldabra_json_contains({container},{contained})"

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

    def json_date_part(self, part: str, lhs: str) -> str:
        # ISO text: the seconds and their fraction start at the 18th character (a time
        # zone offset, whole minutes, changes neither); CAST reads the number there
        if part == "second":
            return f"CAST(SUBSTR({lhs},18) AS REAL)"
        if part == "microsecond":
            return f"CAST(ROUND(CAST(SUBSTR({lhs},18) AS REAL)*1000000) AS INTEGER)"
        return self.date_part(part, lhs)

    def adapt_param(self, value: Any) -> Any:
        return _adapt(value)

    def explain(self, sql: str, output_fmt: str | None = None, options: dict[str, bool] | None = None) -> str:
        self.check_explain(output_fmt, options or {})
        return f"EXPLAIN QUERY PLAN {sql}"

    def foreign_key_enforcement(self, on: bool) -> str | None:
        # cannot change inside a transaction, so it is switched around the migration's one
        return f"PRAGMA foreign_keys={'ON' if on else 'OFF'}"

    def foreign_key_violations(self) -> str | None:
        return "PRAGMA foreign_key_check"

    def auto_pk_type(self, field: "Field") -> str:
        return "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"

    # --- value shortcuts: SQLite stores decimals, datetimes, dates and times as text ----------
    def decimal_encoder(self, quantize: Callable, quantum: Any, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """The quantized Decimal as text (``general`` spells it the same)."""
        Decimal, InvalidOperation = decimal.Decimal, decimal.InvalidOperation

        def to_sqlite(value: Any) -> Any:
            if type(value) is Decimal:
                try:
                    result = quantize(value, quantum)
                except InvalidOperation:
                    return general(value)
                if result.is_finite():
                    return str(result)
            return general(value)

        return to_sqlite

    def decimal_decoder(self, quantize: Callable, quantum: Any, slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Text and floats quantized without ``slow``'s type dispatch; ``slow`` takes the rest
        (and converts or raises)."""
        Decimal, InvalidOperation = decimal.Decimal, decimal.InvalidOperation

        def from_sqlite(value: Any) -> Any:
            kind = type(value)
            try:
                if kind is str:
                    result = quantize(Decimal(value), quantum)
                elif kind is float:
                    result = quantize(Decimal(repr(value)), quantum)
                else:
                    return slow(value)
            except InvalidOperation:
                return slow(value)
            return result if result.is_finite() else slow(value)

        return from_sqlite

    def datetime_encoder(self, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Aware UTC datetimes under ``use_tz`` straight to ISO text: the wall clock is
        UTC, so it is formatted naive and "+00:00" added (an aware ``isoformat`` asks the
        tzinfo for its offset, which costs as much again)."""
        plain = datetime.datetime
        combine = plain.combine
        # the last value and its text (rows saved together share their stamp); one tuple,
        # read and replaced whole, so that threads encoding at once never mix two pairs
        last: list[tuple[Any, str]] = [(None, "")]

        def to_sqlite(value: Any) -> Any:
            if type(value) is plain and (value.tzinfo is UTC or value.tzinfo is UTC_ZONE) and get_use_tz():
                pair = last[0]
                if pair[0] is not value:
                    pair = last[0] = (value, combine(value, value.time()).isoformat(" ", "microseconds") + "+00:00")
                return pair[1]
            return general(value)

        return to_sqlite

    def datetime_decoder(self, coerce: Callable[[Any], datetime.datetime]) -> Callable[[Any], Any]:
        """ISO text straight to ``fromisoformat``."""
        parse = datetime.datetime.fromisoformat

        def decode_text(value: Any) -> datetime.datetime:
            try:
                value = parse(value)
            except (TypeError, ValueError):
                value = coerce(value)
            return timezone.read_stored(value)

        return with_inline(decode_text, _TEXT_DATETIME_INLINE)

    def date_decoder(self, convert: Callable[[Any], Any], coerce: Callable[[Any], Any]) -> Callable[[Any], Any]:
        parse = datetime.date.fromisoformat

        def decode_text(value: Any) -> datetime.date:
            try:
                return parse(value)
            except (TypeError, ValueError):
                return coerce(value)

        return decode_text

    def time_decoder(self, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
        parse = datetime.time.fromisoformat

        def decode_text(value: Any) -> datetime.time:
            try:
                value = parse(value)
            except (TypeError, ValueError):
                pass  # convert() explains
            return convert(value)

        return decode_text
