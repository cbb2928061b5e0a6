"""Schema editor: SQL for migration operations, per dialect, from schema states.

Tables are described by ``tortoise.migrations.state`` dicts; names of constraints and
indexes come from ``tortoise.sql.ddl.constraint_name`` as in ``generate_schemas()``, and
types, quoting, literals and index statements from the dialect, so both paths write the
same schema.  SQLite cannot alter most of a table in place: there the table is rebuilt
(new table, copy, drop, rename, indexes); the executor runs that with foreign-key
enforcement off and checks the keys before committing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise.exceptions import UnSupportedError
from tortoise.sql.ddl import constraint_name

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.sql.dialects.base import Dialect

State = dict[str, Any]
Table = dict[str, Any]
#: a schema change of ``tortoise.migrations.changes``: ``kind`` (its class name), ``key``
#: (the table's key in the state) and the attributes of its kind
Operation = Any

#: operations SQLite cannot run as ALTER TABLE: the table is rebuilt instead
SQLITE_REBUILDS = frozenset({
    "DropColumn", "AlterColumn", "AddUnique", "DropUnique", "AddForeignKey", "DropForeignKey",
    "AddUniqueTogether", "DropUniqueTogether",
})


def find_column(table: Table, name: str) -> dict[str, Any] | None:
    for column in table["columns"]:
        if column["name"] == name:
            return column
    return None


def index_groups(table: Table) -> list[dict[str, Any]]:
    """Every plain or unique index of a table (``index=True`` columns and ``indexes``);
    an entry may also carry a "name", "kind" and "condition" (see ``state``)."""
    groups = [{"columns": [c["name"]], "unique": False} for c in table["columns"] if c["index"]]
    for group in table["indexes"]:
        if group not in groups:
            groups.append(group)
    return groups


def has_default(column: dict[str, Any]) -> bool:
    """Whether the column has a database default (a constant or an SQL expression)."""
    return column["default"] is not None or bool(column.get("default_sql"))


def creation_order(keys: list[str], tables: dict[str, Table]) -> list[str]:
    """Keys ordered so that referenced tables come first (cycles keep the given order)."""
    by_table = {tables[k]["table"]: k for k in keys}
    remaining = sorted(keys, key=lambda k: (tables[k]["model"] is None, k))
    ordered: list[str] = []
    while remaining:
        for key in remaining:
            deps = {by_table.get(fk["to_table"]) for fk in tables[key]["fks"]} - {None, key}
            if deps <= set(ordered):
                break
        else:
            key = remaining[0]
        ordered.append(key)
        remaining.remove(key)
    return ordered


class SchemaEditor:
    def __init__(self, dialect: "Dialect", table_options: str = "") -> None:
        self.dialect = dialect
        self.q = dialect.quote
        self.table_options = table_options

    # --- whole tables --------------------------------------------------------------------------
    def column_sql(self, column: dict[str, Any], inline_unique: bool = True) -> str:
        q, d = self.q, self.dialect
        ddl_type = d.state_type(column["types"])
        if column["auto"]:
            return f"{q(column['name'])} {ddl_type}"
        parts = [q(column["name"]), ddl_type]
        if column["pk"]:
            parts.append("NOT NULL PRIMARY KEY")
        else:
            if not column["null"]:
                parts.append("NOT NULL")
            if column["unique"] and inline_unique:
                parts.append("UNIQUE")
        if has_default(column):
            parts.append(f"DEFAULT {self.default_sql(column)}")
        generation = (column.get("generated_sql") or {}).get(d.state_name)
        if generation:
            parts.append(generation)
        comment = d.column_comment(column["description"] or "")  # MySQL: part of the column
        if comment:
            parts.append(comment)
        return " ".join(parts)

    def default_sql(self, column: dict[str, Any]) -> str:
        """The column's database default as this dialect writes it."""
        expression = (column.get("default_sql") or {}).get(self.dialect.state_name)
        return expression if expression is not None else self.dialect.literal(column["default"])

    def fallback_sql(self, column: dict[str, Any]) -> str | None:
        """What existing rows get for a new NOT NULL column: its database default, else the
        model's constant Python default (None: neither)."""
        if has_default(column):
            return self.default_sql(column)
        return None if column["fill"] is None else self.dialect.literal(column["fill"])

    def fk_sql(self, table: Table, fk: dict[str, Any]) -> str:
        q = self.q
        name = constraint_name("fk", table["table"], [fk["column"]])
        return (
            f"CONSTRAINT {q(name)} FOREIGN KEY ({q(fk['column'])}) "
            f"REFERENCES {q(fk['to_table'])} ({q(fk['to_column'])}) ON DELETE {fk['on_delete']}"
        )

    def unique_together_sql(self, table: Table, columns: list[str]) -> str:
        name = constraint_name("uid", table["table"], columns)
        return f"CONSTRAINT {self.q(name)} UNIQUE ({','.join(self.q(c) for c in columns)})"

    def create_table(self, table: Table, safe: bool = False, name: str | None = None) -> list[str]:
        q = self.q
        lines = [self.column_sql(c) for c in table["columns"]]
        lines += [self.unique_together_sql(table, g) for g in table["unique_together"]]
        lines += [self.fk_sql(table, fk) for fk in table["fks"]]
        exists = "IF NOT EXISTS " if safe else ""
        body = ",\n    ".join(lines)
        suffix = self.dialect.table_suffix(table["description"] or "", self.table_options)
        statements = [f"CREATE TABLE {exists}{q(name or table['table'])} (\n    {body}\n){suffix}"]
        statements += self.table_comments(table)
        statements += self.create_indexes(table, safe)
        return statements

    def create_indexes(self, table: Table, safe: bool = False) -> list[str]:
        return [self.add_index(table, group, safe) for group in index_groups(table)]

    def table_comments(self, table: Table) -> list[str]:
        """Comment statements besides CREATE TABLE (PostgreSQL: COMMENT ON)."""
        return []

    def drop_table(self, table: Table) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.q(table['table'])}"]

    def rename_table(self, old: str, new: str, table: Table) -> list[str]:
        return [f"ALTER TABLE {self.q(old)} RENAME TO {self.q(new)}"]

    # --- schemas and constraint names (Tortoise 1.x operations outside the state) --------------
    def create_schema(self, name: str) -> list[str]:
        return [f"CREATE SCHEMA IF NOT EXISTS {self.q(name)}"]

    def drop_schema(self, name: str) -> list[str]:
        return [f"DROP SCHEMA IF EXISTS {self.q(name)}"]

    def rename_constraint(self, table: str, old: str, new: str) -> list[str]:
        return [f"ALTER TABLE {self.q(table)} RENAME CONSTRAINT {self.q(old)} TO {self.q(new)}"]

    # --- columns ------------------------------------------------------------------------------
    def add_column(self, table: Table, column: dict[str, Any]) -> list[str]:
        """A NOT NULL column whose default lives in Python is added nullable, filled with
        that default and then made NOT NULL, so existing rows get the model's value."""
        if column["null"] or has_default(column) or column["fill"] is None:
            return [f"ALTER TABLE {self.q(table['table'])} ADD COLUMN {self.column_sql(column, inline_unique=False)}"]
        nullable = {**column, "null": True}
        statements = [f"ALTER TABLE {self.q(table['table'])} ADD COLUMN {self.column_sql(nullable, inline_unique=False)}"]
        return statements + self.alter_column(table, nullable, column, ("null",))

    def drop_column(self, table: Table, name: str) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} DROP COLUMN {self.q(name)}"]

    def rename_column(self, table: Table, old: str, new: str) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} RENAME COLUMN {self.q(old)} TO {self.q(new)}"]

    def fill_nulls(self, table: Table, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
        """Before NOT NULL: existing NULLs take the column's default, if it has one."""
        if not before["null"] or after["null"]:
            return []
        value = self.fallback_sql(after)
        if value is None:
            return []
        q = self.q
        return [f"UPDATE {q(table['table'])} SET {q(after['name'])}={value} WHERE {q(after['name'])} IS NULL"]

    def alter_column(self, table: Table, before: dict[str, Any], after: dict[str, Any], changes: tuple[str, ...]) -> list[str]:
        raise NotImplementedError

    # --- constraints and indexes ------------------------------------------------------------------
    def add_unique(self, table: Table, column: str) -> list[str]:
        name = self.unique_name(table, column)
        return [f"ALTER TABLE {self.q(table['table'])} ADD CONSTRAINT {self.q(name)} UNIQUE ({self.q(column)})"]

    def drop_unique(self, table: Table, column: str) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} DROP CONSTRAINT {self.q(self.unique_name(table, column))}"]

    def unique_name(self, table: Table, column: str) -> str:
        """The name the database gives an inline ``UNIQUE`` column constraint."""
        raise NotImplementedError

    def index_name(self, table: Table, index: dict[str, Any]) -> str:
        """The index's own name (``Index(name=...)``), else one made of table and columns."""
        return index.get("name") or constraint_name("uidx" if index["unique"] else "idx", table["table"], index["columns"])

    def index_condition(self, index: dict[str, Any]) -> str:
        """The WHERE of a partial index: each [column, constant] pair (None: IS NULL)."""
        q, literal = self.q, self.dialect.literal
        return " AND ".join(
            f"{q(column)} IS NULL" if value is None else f"{q(column)} = {literal(value)}"
            for column, value in index.get("condition") or ()
        )

    def add_index(self, table: Table, index: dict[str, Any], safe: bool = False) -> str:
        return self.dialect.create_index(
            table["table"], self.index_name(table, index), list(index["columns"]), unique=index["unique"], safe=safe,
            kind=index.get("kind", ""), where=self.index_condition(index),
        )

    def drop_index(self, table: Table, index: dict[str, Any]) -> list[str]:
        return [f"DROP INDEX {self.q(self.index_name(table, index))}"]

    def add_fk(self, table: Table, fk: dict[str, Any]) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} ADD {self.fk_sql(table, fk)}"]

    def drop_fk(self, table: Table, column: str) -> list[str]:
        name = constraint_name("fk", table["table"], [column])
        return [f"ALTER TABLE {self.q(table['table'])} DROP CONSTRAINT {self.q(name)}"]

    def add_unique_together(self, table: Table, columns: list[str]) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} ADD {self.unique_together_sql(table, columns)}"]

    def drop_unique_together(self, table: Table, columns: list[str]) -> list[str]:
        name = constraint_name("uid", table["table"], columns)
        return [f"ALTER TABLE {self.q(table['table'])} DROP CONSTRAINT {self.q(name)}"]

    def alter_table_comment(self, table: Table) -> list[str]:
        return []

    # --- a whole schema or migration ---------------------------------------------------------------
    def schema_sql(self, state: State, safe: bool) -> list[str]:
        """Every table of a state, referenced tables first (``generate_schemas()``)."""
        tables = state["tables"]
        statements: list[str] = []
        for key in creation_order(list(tables), tables):
            statements += self.create_table(tables[key], safe)
        return statements

    def migration_sql(self, operations: list[Operation], before: State, after: State, safe: bool = False) -> list[str]:
        statements: list[str] = []
        for op in operations:
            statements += self.operation_sql(op, before["tables"], after["tables"], safe)
        return statements

    def operation_sql(self, op: Operation, before: dict[str, Table], after: dict[str, Table], safe: bool = False) -> list[str]:
        old, new, kind = before.get(op.key), after.get(op.key), op.kind
        if kind == "CreateTable":
            return self.create_table(new, safe)
        if kind == "DropTable":
            return self.drop_table(old)
        if kind == "RenameTable":
            return self.rename_table(op.old, op.new, new)
        if kind == "AddColumn":
            return self.add_column(new, find_column(new, op.column))
        if kind == "DropColumn":
            return self.drop_column(new, op.column)
        if kind == "RenameColumn":
            return self.rename_column(new, op.old, op.new)
        if kind == "AlterColumn":
            column = find_column(new, op.column)
            return self.alter_column(new, find_column(old, op.previous or op.column), column, op.changes)
        if kind == "AddUnique":
            return self.add_unique(new, op.column)
        if kind == "DropUnique":
            return self.drop_unique(old, op.column)
        if kind == "AddIndex":
            return [self.add_index(new, op.index)]
        if kind == "DropIndex":
            return self.drop_index(old, op.index)
        if kind == "AddForeignKey":
            return self.add_fk(new, next(fk for fk in new["fks"] if fk["column"] == op.column))
        if kind == "DropForeignKey":
            return self.drop_fk(old, op.column)
        if kind == "AddUniqueTogether":
            return self.add_unique_together(new, list(op.columns))
        if kind == "DropUniqueTogether":
            return self.drop_unique_together(old, list(op.columns))
        if kind == "AlterTableComment":
            return self.alter_table_comment(new)
        raise TypeError(f"no SQL for operation {op.kind}")


class PostgresSchemaEditor(SchemaEditor):
    def table_comments(self, table: Table) -> list[str]:
        statements = self.alter_table_comment(table) if table["description"] else []
        for column in table["columns"]:
            if column["description"]:
                statements += self._column_comment(table, column)
        return statements

    def alter_table_comment(self, table: Table) -> list[str]:
        text = self.dialect.literal(table["description"]) if table["description"] else "NULL"
        return [f"COMMENT ON TABLE {self.q(table['table'])} IS {text}"]

    def _column_comment(self, table: Table, column: dict[str, Any]) -> list[str]:
        text = self.dialect.literal(column["description"]) if column["description"] else "NULL"
        return [f"COMMENT ON COLUMN {self.q(table['table'])}.{self.q(column['name'])} IS {text}"]

    def add_column(self, table: Table, column: dict[str, Any]) -> list[str]:
        statements = super().add_column(table, column)
        if column["description"]:
            statements += self._column_comment(table, column)
        return statements

    def unique_name(self, table: Table, column: str) -> str:
        return f"{table['table']}_{column}_key"[:63]

    def rename_table(self, old: str, new: str, table: Table) -> list[str]:
        """The primary key's index and SERIAL sequences are named after the table too."""
        q = self.q
        statements = super().rename_table(old, new, table)
        statements.append(f"ALTER INDEX IF EXISTS {q(f'{old}_pkey'[:63])} RENAME TO {q(f'{new}_pkey'[:63])}")
        for column in table["columns"]:
            if column["auto"]:
                name = column["name"]
                statements.append(f"ALTER SEQUENCE IF EXISTS {q(f'{old}_{name}_seq'[:63])} RENAME TO {q(f'{new}_{name}_seq'[:63])}")
        return statements

    def alter_column(self, table: Table, before: dict[str, Any], after: dict[str, Any], changes: tuple[str, ...]) -> list[str]:
        alter = f"ALTER TABLE {self.q(table['table'])} ALTER COLUMN {self.q(after['name'])}"
        statements = []
        if "types" in changes:
            new_type = after["types"]["postgres"]
            if after["auto"]:  # SERIAL is no type: change the integer type only
                new_type = new_type.split()[0].replace("BIGSERIAL", "BIGINT").replace("SMALLSERIAL", "SMALLINT").replace("SERIAL", "INT")
            statements.append(f"{alter} TYPE {new_type} USING {self.q(after['name'])}::{new_type}")
        if "default" in changes:
            if has_default(after):
                statements.append(f"{alter} SET DEFAULT {self.default_sql(after)}")
            else:
                statements.append(f"{alter} DROP DEFAULT")
        if "null" in changes:
            statements += self.fill_nulls(table, before, after)
            statements.append(f"{alter} {'DROP' if after['null'] else 'SET'} NOT NULL")
        if "description" in changes:
            statements += self._column_comment(table, after)
        return statements


class MySQLSchemaEditor(SchemaEditor):
    def rename_constraint(self, table: str, old: str, new: str) -> list[str]:
        """Unique constraints are indexes here, renamed as such."""
        return [f"ALTER TABLE {self.q(table)} RENAME INDEX {self.q(old)} TO {self.q(new)}"]

    def unique_name(self, table: Table, column: str) -> str:
        return column

    def add_unique(self, table: Table, column: str) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} ADD UNIQUE INDEX {self.q(column)} ({self.q(column)})"]

    def drop_unique(self, table: Table, column: str) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} DROP INDEX {self.q(column)}"]

    def drop_index(self, table: Table, index: dict[str, Any]) -> list[str]:
        return [f"DROP INDEX {self.q(self.index_name(table, index))} ON {self.q(table['table'])}"]

    def drop_fk(self, table: Table, column: str) -> list[str]:
        name = constraint_name("fk", table["table"], [column])
        return [f"ALTER TABLE {self.q(table['table'])} DROP FOREIGN KEY {self.q(name)}"]

    def drop_unique_together(self, table: Table, columns: list[str]) -> list[str]:
        name = constraint_name("uid", table["table"], columns)
        return [f"ALTER TABLE {self.q(table['table'])} DROP INDEX {self.q(name)}"]

    def alter_column(self, table: Table, before: dict[str, Any], after: dict[str, Any], changes: tuple[str, ...]) -> list[str]:
        statements = self.fill_nulls(table, before, after) if "null" in changes else []
        # the definition carries the comment too, so a new description is also a MODIFY
        statements.append(f"ALTER TABLE {self.q(table['table'])} MODIFY COLUMN {self.column_sql(after, inline_unique=False)}")
        return statements

    def alter_table_comment(self, table: Table) -> list[str]:
        return [f"ALTER TABLE {self.q(table['table'])} COMMENT={self.dialect.literal(table['description'] or '')}"]


class SqliteSchemaEditor(SchemaEditor):
    """ALTERs SQLite lacks become one rebuild per table, in place of all its operations."""

    def unique_name(self, table: Table, column: str) -> str:  # pragma: no cover - rebuilt instead
        raise NotImplementedError

    def create_schema(self, name: str) -> list[str]:
        raise UnSupportedError(f"SQLite has no schemas: cannot create schema {name!r}")

    def drop_schema(self, name: str) -> list[str]:
        raise UnSupportedError(f"SQLite has no schemas: cannot drop schema {name!r}")

    def rename_constraint(self, table: str, old: str, new: str) -> list[str]:
        raise UnSupportedError(f"SQLite cannot rename constraint {old!r} of table {table!r} (constraints have no names to change)")

    def migration_sql(self, operations: list[Operation], before: State, after: State, safe: bool = False) -> list[str]:
        rebuilt = {op.key for op in operations if self._needs_rebuild(op, after)}
        rebuilt = {k for k in rebuilt if k in before["tables"] and k in after["tables"]}
        statements: list[str] = []
        done: set[str] = set()
        for op in operations:
            if op.key in rebuilt:
                if op.key not in done:
                    done.add(op.key)
                    renames = {o.old: o.new for o in operations if o.kind == "RenameColumn" and o.key == op.key}
                    statements += self.rebuild(before["tables"][op.key], after["tables"][op.key], renames)
                continue
            statements += self.operation_sql(op, before["tables"], after["tables"], safe)
        return statements

    def alter_column(self, table: Table, before: dict[str, Any], after: dict[str, Any], changes: tuple[str, ...]) -> list[str]:
        return []  # only a comment changed (SQLite keeps none); anything else is rebuilt

    @staticmethod
    def _needs_rebuild(op: Operation, after: State) -> bool:
        if op.kind == "AlterColumn":
            return set(op.changes) != {"description"}
        if op.kind in SQLITE_REBUILDS:
            return True
        if op.kind != "AddColumn":
            return False
        column = find_column(after["tables"][op.key], op.column)
        has_fk = any(fk["column"] == op.column for fk in after["tables"][op.key]["fks"])
        return column["unique"] or has_fk or (not column["null"] and not has_default(column))

    def rebuild(self, old: Table, new: Table, renames: dict[str, str]) -> list[str]:
        q = self.q
        temp = f"__new__{new['table']}"
        back = {v: k for k, v in renames.items()}
        columns, values = [], []
        for column in new["columns"]:
            source = find_column(old, back.get(column["name"], column["name"]))
            fallback = self.fallback_sql(column)
            if source is not None:
                value = q(source["name"])
                if source["null"] and not column["null"] and fallback is not None:
                    value = f"COALESCE({value},{fallback})"
            elif fallback is not None:
                value = fallback
            else:  # NULL; a NOT NULL column then fails on existing rows (as ADD COLUMN does elsewhere)
                continue
            columns.append(q(column["name"]))
            values.append(value)
        statements = self.create_table(new, name=temp)[:1]
        statements.append(f"INSERT INTO {q(temp)} ({','.join(columns)}) SELECT {','.join(values)} FROM {q(old['table'])}")
        statements.append(f"DROP TABLE {q(old['table'])}")
        statements.append(f"ALTER TABLE {q(temp)} RENAME TO {q(new['table'])}")
        statements += self.create_indexes(new)
        return statements


EDITORS = {
    "postgres": PostgresSchemaEditor,
    "sql": PostgresSchemaEditor,  # StandardSQLDialect: PostgreSQL's syntax
    "mysql": MySQLSchemaEditor,
    "sqlite": SqliteSchemaEditor,
}


def editor_for(dialect: "Dialect", table_options: str = "") -> SchemaEditor:
    return EDITORS[dialect.name](dialect, table_options)
