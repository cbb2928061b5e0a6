"""The Dialect base: everything that differs between databases at the SQL-text level.

A dialect is stateless and shared by every client of its database.  The compiler asks
it for identifiers, placeholders, lookup templates, date parts and DDL types; clients ask
it for per-field value adapters (``encoder``/``decoder``), built once per field.
"""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

import tortoise.timezone as timezone
from tortoise.exceptions import ConfigurationError, FieldError, UnSupportedError

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field

# Lookup name → SQL template over {lhs} and {rhs}.  Pattern lookups also get their value
# rewritten by ``pattern_value``.
BASE_LOOKUPS: dict[str, str] = {
    "exact": "{lhs}={rhs}",
    "not": "{lhs}<>{rhs}",
    "gt": "{lhs}>{rhs}",
    "gte": "{lhs}>={rhs}",
    "lt": "{lhs}<{rhs}",
    "lte": "{lhs}<={rhs}",
    "iexact": "UPPER({lhs})=UPPER({rhs})",
    "contains": "{lhs} LIKE {rhs} ESCAPE '\\'",
    "startswith": "{lhs} LIKE {rhs} ESCAPE '\\'",
    "endswith": "{lhs} LIKE {rhs} ESCAPE '\\'",
    "icontains": "UPPER({lhs}) LIKE UPPER({rhs}) ESCAPE '\\'",
    "istartswith": "UPPER({lhs}) LIKE UPPER({rhs}) ESCAPE '\\'",
    "iendswith": "UPPER({lhs}) LIKE UPPER({rhs}) ESCAPE '\\'",
}

PATTERN_LOOKUPS = {
    "contains": "%{}%",
    "icontains": "%{}%",
    "startswith": "{}%",
    "istartswith": "{}%",
    "endswith": "%{}",
    "iendswith": "%{}",
    "search": "%{}%",
}

class Inline(NamedTuple):
    """A decoder written out in the source of generated row makers (``tortoise.model_code``).

    ``source``: lines that decode the variable ``{v}``, never None, in place, calling the
    decoder itself, ``{f}``, for what they do not handle; ``env``: the globals they use
    (named ``_dt_*``; their locals ``_tz``/``_z``).  A decoder carries one as its ``inline``
    attribute (``with_inline``) when saving its call per value matters: the datetimes.
    """

    source: str
    env: dict[str, Any]


def with_inline(decode: Callable[[Any], Any], source: str) -> Callable[[Any], Any]:
    """``decode`` carrying ``Inline(source, <the datetime globals>)``."""
    decode.inline = Inline(source, _DATETIME_ENV)  # type: ignore[attr-defined]
    return decode


_DATETIME_ENV = {
    "_dt_datetime": datetime.datetime,
    "_dt_combine": datetime.datetime.combine,
    "_dt_utc": timezone.UTC,
    "_dt_parse": datetime.datetime.fromisoformat,
    "_dt_settings": timezone,
}

#: A driver's datetime, read back as ``timezone.read_stored`` does: under the default
#: settings (``utc_read_as`` set) a plain one in UTC or naive (= UTC) is relabelled;
#: everything else goes to the decoder.  ``read_stored`` also checks ``fold``: drivers
#: never set it.
DATETIME_INLINE = (
    "if type({v}) is _dt_datetime and ((_tz := {v}.tzinfo) is _dt_utc or _tz is None)"
    " and (_z := _dt_settings.utc_read_as) is not None:\n"
    "    {v} = _dt_combine({v}, {v}.time(), _z)\n"
    "else:\n"
    "    {v} = {f}({v})\n"
)

DATE_PARTS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second", "microsecond")


def json_path(path: Sequence[str | int]) -> str:
    """``$."a"[0]."b"``: the SQL/JSON path of SQLite and MySQL."""
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'."{escaped}"')
    return "$" + "".join(parts)


class Dialect:
    """Base dialect; subclasses override what their database does differently."""

    name: str = ""
    #: "qmark" (?), "numeric" ($1) or "format" (%s)
    param_style: str = "qmark"
    quote_char: str = '"'
    supports_returning: bool = False
    #: LIMIT is required whenever OFFSET is used (MySQL, SQLite)
    requires_limit: bool = False
    can_rollback_ddl: bool = True
    #: a backslash escapes the next character inside string literals (MySQL)
    backslash_escapes: bool = False
    supports_for_update: bool = False
    supports_index_hints: bool = False
    #: column comments are written inside CREATE TABLE (else as separate statements)
    inline_comment: bool = False
    #: update()/delete() honour limit()/order_by() (the ORM restricts them by ``pk IN (SELECT …)``)
    supports_update_limit_order_by: bool = True
    lookups: dict[str, str] = BASE_LOOKUPS
    #: most bound parameters one statement may carry (bulk inserts are split to fit)
    max_params: int = 32766
    #: an upsert must name the conflicting columns (ON CONFLICT (…)); MySQL finds the key itself
    upsert_needs_target = True
    #: which id a plain multi-row INSERT reports ("first": MySQL, "last": SQLite): the rows
    #: are numbered on from it, which saves RETURNING's result rows; None: use RETURNING
    multirow_insert_id: str | None = None
    #: Python types the driver already returns for a column of that type
    native_types: frozenset[type] = frozenset({int, str, float})
    #: the pypika Query class whose SQL context renders for this database (query_api)
    pypika_query: str = "pypika_tortoise.queries:Query"

    # --- identifiers and placeholders -------------------------------------------------
    def quote(self, name: str) -> str:
        q = self.quote_char
        return f"{q}{name.replace(q, q + q)}{q}"

    def placeholder(self, index: int) -> str:
        """Placeholder for the parameter at 0-based ``index``."""
        if self.param_style == "numeric":
            return f"${index + 1}"
        if self.param_style == "format":
            return "%s"
        return "?"

    # --- lookups ------------------------------------------------------------------------
    def lookup_template(self, lookup: str) -> str:
        try:
            return self.lookups[lookup]
        except KeyError:
            raise FieldError(f"lookup '{lookup}' is not supported on {self.name}") from None

    def escape_like(self, value: str) -> str:
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    def pattern_value(self, lookup: str, value: Any) -> str:
        return PATTERN_LOOKUPS[lookup].format(self.escape_like(str(value)))

    def text_cast(self, lhs: str) -> str:
        """Make ``lhs`` usable with text operators (LIKE) whatever its column type."""
        return lhs

    def regex(self, lhs: str, rhs: str, case_insensitive: bool) -> str:
        raise FieldError(f"regex lookups are not supported on {self.name}")

    @property
    def supports_posix_regex(self) -> bool:
        """The regex lookups work: the dialect spells ``regex``."""
        return type(self).regex is not Dialect.regex

    def search(self, lhs: str, rhs: str) -> str:
        """Full-text ``search`` lookup; without full-text support, a case-insensitive contains."""
        return self.lookups["icontains"].format(lhs=self.text_cast(lhs), rhs=rhs)

    # --- JSON ------------------------------------------------------------------------------
    #: values inside a JSON document can be read by path (``json_extract``)
    supports_json_attributes: bool = True

    def json_contains(self, container: str, contained: str) -> str:
        """``container`` holds ``contained`` (both JSON): PostgreSQL's ``@>``."""
        raise FieldError(f"JSON containment lookups are not supported on {self.name}")

    def json_path_params(self, path: Sequence[str | int], kind: str) -> list[Any]:
        """The bound values naming ``path`` inside a JSON document (see ``json_extract``)."""
        return [json_path(path)]

    def json_extract(self, lhs: str, marks: list[str], kind: str) -> str:
        """The value at a path of JSON ``lhs`` as SQL NULL/number/text; ``kind`` is the
        compared value's kind ("text", "number" or "bool"), or "timestamp" for ISO text
        that date parts are taken of."""
        return f"json_extract({lhs},{marks[0]})"

    # --- arrays -----------------------------------------------------------------------------
    def array_compare(self, op: str, lhs: str, rhs: str, array_type: str) -> str:
        """Array ``lhs`` contains / is contained by / overlaps array ``rhs`` (of ``array_type``)."""
        raise FieldError(f"array lookups ({op}) are not supported on {self.name}")

    def array_length(self, lhs: str) -> str:
        raise FieldError(f"array lookups (len) are not supported on {self.name}")

    def date_part(self, part: str, lhs: str) -> str:
        """SQL extracting ``part`` (year, month, …) of a date/datetime as an integer."""
        return f"EXTRACT({part.upper()} FROM {lhs})"

    def json_date_part(self, part: str, lhs: str) -> str:
        """``part`` of a timestamp held as text inside a JSON document, as Tortoise reads it
        there (PostgreSQL's EXTRACT): ``second`` keeps its fraction and ``microsecond``
        counts the whole seconds too (59.123456 and 59123456 for 12:36:59.123456); the
        other parts are those of columns."""
        if part == "second":
            return f"EXTRACT(SECOND FROM {lhs})"
        if part == "microsecond":
            return f"EXTRACT(MICROSECONDS FROM {lhs})"
        return self.date_part(part, lhs)

    def date_of(self, lhs: str) -> str:
        """SQL for the date part of a datetime (for ``__date``)."""
        return f"DATE({lhs})"


    # --- statements ---------------------------------------------------------------------
    def limit_offset(self, limit_sql: str | None, offset_sql: str | None) -> str:
        parts = []
        if limit_sql is not None:
            parts.append(f" LIMIT {limit_sql}")
        elif offset_sql is not None and self.requires_limit:
            parts.append(f" LIMIT {self.no_limit}")
        if offset_sql is not None:
            parts.append(f" OFFSET {offset_sql}")
        return "".join(parts)

    no_limit = "-1"

    def returning(self, columns: list[str]) -> str:
        if not self.supports_returning or not columns:
            return ""
        return " RETURNING " + ",".join(self.quote(c) for c in columns)

    def insert_default_values(self, table: str) -> str:
        return f"INSERT INTO {table} DEFAULT VALUES"

    def for_update(self, nowait: bool, skip_locked: bool, of: tuple[str, ...]) -> str:
        if not self.supports_for_update:
            return ""
        sql = " FOR UPDATE"
        if of:
            sql += " OF " + ",".join(self.quote(t) for t in of)
        if nowait:
            sql += " NOWAIT"
        elif skip_locked:
            sql += " SKIP LOCKED"
        return sql

    def index_hint(self, kind: str, names: tuple[str, ...]) -> str:
        """FORCE/USE INDEX clause; databases without index hints ignore them."""
        return ""

    def insert_verb(self, ignore_conflicts: bool) -> str:
        return "INSERT"

    def column_array_types(self, fields: list["Field"]) -> list[str] | None:
        """Types of one array parameter per column for a multi-row INSERT (``unnest``);
        None: the dialect or one of these columns takes rows as VALUES groups."""
        return None

    def unnest(self, array_types: list[str]) -> str:
        """The row source of an INSERT that takes one array parameter per column."""
        raise NotImplementedError

    def upsert(self, conflict: list[str], update: list[str], ignore: bool) -> str:
        """ON CONFLICT clause for bulk_create (columns already resolved)."""
        q = self.quote
        target = f"({','.join(q(c) for c in conflict)})" if conflict else ""
        if update:
            sets = ",".join(f"{q(c)}=EXCLUDED.{q(c)}" for c in update)
            return f" ON CONFLICT {target} DO UPDATE SET {sets}"
        if ignore:
            return f" ON CONFLICT {target} DO NOTHING"
        return ""

    def arithmetic(self, operator: str) -> str:
        """The SQL text of an arithmetic operator (+ - * / %)."""
        return operator

    #: EXPLAIN output formats (the first is the default) and options the database takes
    explain_formats: tuple[str, ...] = ()
    explain_options: frozenset[str] = frozenset()

    def explain(self, sql: str, output_fmt: str | None = None, options: dict[str, bool] | None = None) -> str:
        self.check_explain(output_fmt, options or {})
        return f"EXPLAIN {sql}"

    def check_explain(self, output_fmt: str | None, options: dict[str, bool]) -> tuple[str | None, dict[str, bool]]:
        """(format, options) of an explain(), refused with Tortoise's wording when the
        database has no such format or option."""
        if output_fmt is not None and output_fmt.lower() not in self.explain_formats:
            if not self.explain_formats:
                raise UnSupportedError(f"{self.name} does not support different explain formats")
            raise UnSupportedError(
                f"Unsupported explain format {output_fmt!r}: {self.name} explain formats are {', '.join(self.explain_formats)}"
            )
        unknown = sorted(set(options) - self.explain_options)
        if unknown:
            if not self.explain_options:
                raise UnSupportedError(f"{self.name} does not support explain options ({', '.join(unknown)})")
            raise UnSupportedError(
                f"Unsupported explain option(s) {', '.join(name.upper() for name in unknown)}: "
                f"{self.name} explain options are {', '.join(sorted(self.explain_options))}"
            )
        fmt = output_fmt.lower() if output_fmt else (self.explain_formats[0] if self.explain_formats else None)
        return fmt, options

    def concat(self, parts: list[str]) -> str:
        return "(" + "||".join(parts) + ")"


    # --- values -------------------------------------------------------------------------
    def adapt_param(self, value: Any) -> Any:
        """Adapt a neutral Python value to what the driver binds (per value, slow path)."""
        return value

    #: field types whose values ``adapt_param`` changes; None: adapt every field's values
    adapted_types: tuple[type, ...] | None = None

    def encoder(self, field: "Field") -> Callable[[Any], Any]:
        """Python value → driver parameter for ``field`` (field conversion + adaptation)."""
        to_db = field.to_db_value
        adapt = self.adapt_param
        if adapt.__func__ is Dialect.adapt_param or not self._needs_adapting(field):  # type: ignore[attr-defined]
            return field.db_encoder(self, lambda value: to_db(value, None))
        return field.db_encoder(self, lambda value: adapt(to_db(value, None)))

    def _needs_adapting(self, field: "Field") -> bool:
        if self.adapted_types is None:
            return True
        kind = field.field_type
        return not isinstance(kind, type) or issubclass(kind, self.adapted_types)

    def decoder(self, field: "Field") -> Callable[[Any], Any] | None:
        """Driver value → Python for ``field``; None when the driver already returns it.

        The field's ``db_decoder`` specialises it for this driver; it is built per query
        shape (hydrators are rebuilt by ``Tortoise.init``) and never given None."""
        if field.field_type in self.native_types and field.driver_values_final:
            return None
        return field.db_decoder(self)

    # --- per-driver value shortcuts the fields ask for ---------------------------------------
    # Each gets the field's general converters and returns a converter for what this
    # driver takes or gives; the defaults are the general converters themselves.
    def decimal_encoder(self, quantize: Callable, quantum: Any, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return general

    def decimal_decoder(self, quantize: Callable, quantum: Any, slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return slow

    def datetime_encoder(self, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return general

    def datetime_decoder(self, coerce: Callable[[Any], datetime.datetime]) -> Callable[[Any], Any]:
        """``coerce`` makes a datetime of what is not one; ``timezone.read_stored``, looked
        up per value so that it follows the settings, reads it (naive means UTC)."""
        plain = datetime.datetime

        def decode(value: Any) -> datetime.datetime:
            return timezone.read_stored(value if type(value) is plain else coerce(value))

        return with_inline(decode, DATETIME_INLINE)

    def date_decoder(self, convert: Callable[[Any], Any], coerce: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return convert

    def time_encoder(self, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return general

    def time_decoder(self, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``convert`` applies the time-zone settings to a time (and makes one of anything else)."""
        return convert

    # --- DDL ------------------------------------------------------------------------------
    #: generic column type (a field's ``SQL_TYPE``) → this database's spelling
    type_names: dict[str, str] = {}

    @property
    def state_name(self) -> str:
        """Whose entries of a migration-state column (``types``, ``default_sql``: {dialect:
        …}) this dialect reads."""
        return self.name

    def state_type(self, types: dict[str, str]) -> str:
        """This dialect's entry of a migration-state column's ``types``."""
        return types[self.state_name]

    def column_type(self, field: "Field") -> str:
        """A field's own ``DB_TYPES`` entry for this dialect, else its generic type as
        this dialect spells it."""
        own = field.DB_TYPES.get(self.name)
        return own if own is not None else self.type_names.get(field.SQL_TYPE, field.SQL_TYPE)

    def auto_pk_type(self, field: "Field") -> str:
        """DDL of an auto-incrementing integer primary key column (type and constraint)."""
        raise NotImplementedError

    def fk_column_type(self, target: "Field") -> str:
        """Column type of a column referencing ``target`` (serial types become plain ints)."""
        return self.column_type(target)

    def table_suffix(self, description: str, options: str) -> str:
        """Text after the closing parenthesis of CREATE TABLE (engine, charset, comment)."""
        return ""

    def column_comment(self, description: str) -> str:
        """An inline column comment for DDL ("" where comments are separate statements)."""
        return ""

    def comment_statements(self, model: Any) -> list[str]:
        """Extra statements documenting the table and columns (COMMENT ON …)."""
        return []

    #: index kinds (Index.INDEX_TYPE) the dialect has, besides the default one
    index_kinds: frozenset[str] = frozenset()
    supports_partial_indexes = True

    def create_index(
        self, table: str, name: str, columns: list[str], unique: bool, safe: bool, kind: str = "", where: str = ""
    ) -> str:
        """CREATE INDEX; ``kind`` is an Index.INDEX_TYPE (GIN, FULLTEXT …), ``where`` a partial index's condition."""
        if kind and kind not in self.index_kinds:
            raise ConfigurationError(
                f"index {name!r}: {kind} indexes are not available on {self.name}; "
                f"available kinds: {', '.join(sorted(self.index_kinds)) or 'none besides the default'}"
            )
        if where and not self.supports_partial_indexes:
            raise ConfigurationError(f"index {name!r}: partial indexes (condition=...) are not available on {self.name}")
        q = self.quote
        exists = "IF NOT EXISTS " if safe else ""
        sql = f"CREATE {self.index_head(unique, kind)} {exists}{q(name)} ON {q(table)}{self.index_method(kind)} ({','.join(q(c) for c in columns)})"
        return sql + (f" WHERE {where}" if where else "")

    def index_head(self, unique: bool, kind: str) -> str:
        """What CREATE is followed by: "INDEX", "UNIQUE INDEX" (MySQL: "FULLTEXT INDEX" …)."""
        return "UNIQUE INDEX" if unique else "INDEX"

    def index_method(self, kind: str) -> str:
        """Text between the table and the column list (PostgreSQL's USING)."""
        return ""

    def db_default_sql(self, field: "Field") -> str:
        """The DEFAULT clause's value for ``field.db_default``: an SQL expression or a literal."""
        value = field.db_default
        if value is None:
            return "NULL"
        if hasattr(value, "get_sql"):
            return value.get_sql(dialect=self.name)
        if not isinstance(value, (bool, int, float, str)):
            value = self.encoder(field)(value)  # as this database stores it (MySQL: naive UTC datetimes)
        return self.literal(value)

    # --- migration runs -------------------------------------------------------------------
    def migration_lock(self, key: int, timeout: int) -> tuple[str, list[Any]] | None:
        """A session-level lock statement whose result is 1 when taken (None: no lock)."""
        return None

    def migration_unlock(self, key: int) -> tuple[str, list[Any]] | None:
        return None

    def foreign_key_enforcement(self, on: bool) -> str | None:
        """Statement switching FK checks for a table rebuild, where they must be off (SQLite)."""
        return None

    def foreign_key_violations(self) -> str | None:
        """Query listing rows whose foreign key points nowhere (run before committing)."""
        return None

    def tsvector_generated(self, columns: list[str], config: str | None, weights: Sequence[str]) -> str | None:
        """The generation clause of a full-text vector over text ``columns`` (None: this
        database has no such columns)."""
        return None

    def literal(self, value: Any) -> str:
        """A constant for DDL (db_default); never used with user query values."""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, (int, float)):
            return repr(value)
        return "'" + str(value).replace("'", "''") + "'"
