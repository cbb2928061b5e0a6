"""DDL: CREATE TABLE / INDEX statements for models, per dialect.

``generate_schemas()`` uses it now; the migration schema editor will share it.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field
    from tortoise.models import Model
    from tortoise.sql.dialects.base import Dialect


def constraint_name(prefix: str, table: str, columns: Iterable[str], limit: int = 60) -> str:
    """A stable, length-limited name for an index or constraint."""
    cols = list(columns)
    name = f"{prefix}_{table}_{'_'.join(cols)}"
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{prefix}_{table[:limit - len(prefix) - 10]}_{digest}"


class SchemaGenerator:
    def __init__(self, dialect: "Dialect", table_options: str = "") -> None:
        self.dialect = dialect
        self.q = dialect.quote
        self.table_options = table_options

    # --- columns --------------------------------------------------------------------------
    def column_sql(self, model: "type[Model]", field: "Field") -> str:
        d = self.dialect
        if field.pk and field.generated:
            return f"{self.q(field.column)} {d.auto_pk_type(field)}"
        parts = [self.q(field.column), d.column_type(field)]
        if field.pk:
            parts.append("NOT NULL PRIMARY KEY")
        else:
            if not field.null:
                parts.append("NOT NULL")
            if field.unique:
                parts.append("UNIQUE")
        if field.has_db_default():
            parts.append(f"DEFAULT {d.db_default_sql(field)}")
        comment = d.column_comment(field.description or "")
        if comment:
            parts.append(comment)
        return " ".join(parts)

    def foreign_keys(self, model: "type[Model]") -> list[str]:
        meta = model._meta
        result = []
        for name in sorted(meta.fk_fields | meta.o2o_fields):
            fk = meta.fields_map[name]
            if not fk.db_constraint:
                continue
            id_field = meta.fields_map[fk.source_field_name]
            target = fk.related_model._meta
            cname = constraint_name("fk", meta.db_table, [id_field.column])
            result.append(
                f"CONSTRAINT {self.q(cname)} FOREIGN KEY ({self.q(id_field.column)}) "
                f"REFERENCES {self.q(target.db_table)} ({self.q(fk.to_field_instance.column)}) ON DELETE {fk.on_delete.value}"
            )
        return result

    # --- tables --------------------------------------------------------------------------
    def create_table(self, model: "type[Model]", safe: bool) -> list[str]:
        meta = model._meta
        table = meta.db_table
        lines = [self.column_sql(model, f) for f in meta.db_fields]
        for group in meta.unique_together:
            cols = [self._column_of(model, n) for n in group]
            lines.append(f"CONSTRAINT {self.q(constraint_name('uid', table, cols))} UNIQUE ({','.join(self.q(c) for c in cols)})")
        lines.extend(self.foreign_keys(model))
        exists = "IF NOT EXISTS " if safe else ""
        body = ",\n    ".join(lines)
        statements = [f"CREATE TABLE {exists}{self.q(table)} (\n    {body}\n){self.dialect.table_suffix(meta.table_description, self.table_options)}"]
        statements.extend(self.dialect.comment_statements(model))
        for cols, index in self._index_groups(model):
            name = getattr(index, "name", None) or constraint_name("idx", table, cols)
            kind, where = getattr(index, "INDEX_TYPE", ""), self._index_condition(model, index)
            statements.append(self.dialect.create_index(table, name, cols, unique=False, safe=safe, kind=kind, where=where))
        return statements

    def _index_condition(self, model: "type[Model]", index: Any) -> str:
        """The WHERE of a partial index: its ``condition`` {field: constant} (None: IS NULL)."""
        condition = getattr(index, "condition", None)
        if not condition:
            return ""
        d = self.dialect
        parts = [
            f"{self.q(self._column_of(model, name))} IS NULL" if value is None
            else f"{self.q(self._column_of(model, name))} = {d.literal(value)}"
            for name, value in condition.items()
        ]
        return " AND ".join(parts)

    def _column_of(self, model: "type[Model]", name: str) -> str:
        meta = model._meta
        field = meta.fields_map.get(name)
        if field is None:
            from tortoise.exceptions import ConfigurationError

            raise ConfigurationError(f"{model.__name__}.Meta refers to unknown field '{name}'; fields are: {', '.join(meta.fields_map)}")
        if field.relation_kind in ("fk", "o2o"):
            field = meta.fields_map[field.source_field_name]
        return field.column

    def _index_groups(self, model: "type[Model]") -> list[tuple[list[str], Any]]:
        """(columns, the Meta.indexes entry or None) of every index, each column set once."""
        meta = model._meta
        groups: list[tuple[list[str], Any]] = []
        for field in meta.db_fields:
            if field.index and not field.unique and not field.pk:
                groups.append(([field.column], None))
        for index in meta.indexes:
            names = getattr(index, "fields", index)
            if isinstance(names, str):
                names = (names,)
            groups.append(([self._column_of(model, n) for n in names], index))
        seen, unique_groups = set(), []
        for cols, index in groups:
            if tuple(cols) not in seen:
                seen.add(tuple(cols))
                unique_groups.append((cols, index))
        return unique_groups

    def m2m_tables(self, model: "type[Model]", safe: bool, done: set[str]) -> list[str]:
        meta = model._meta
        statements = []
        for name in sorted(meta.m2m_fields):
            field = meta.fields_map[name]
            if field._generated or field.through in done:
                continue
            done.add(field.through)
            target = field.related_model._meta
            own_pk, target_pk = _pk_column_field(meta), _pk_column_field(target)
            q = self.q
            exists = "IF NOT EXISTS " if safe else ""
            lines = [
                f"{q(field.backward_key)} {self.dialect.fk_column_type(own_pk)} NOT NULL",
                f"{q(field.forward_key)} {self.dialect.fk_column_type(target_pk)} NOT NULL",
            ]
            if field.db_constraint:
                lines.append(
                    f"CONSTRAINT {q(constraint_name('fk', field.through, [field.backward_key]))} FOREIGN KEY ({q(field.backward_key)}) "
                    f"REFERENCES {q(meta.db_table)} ({q(own_pk.column)}) ON DELETE {field.on_delete.value}"
                )
                lines.append(
                    f"CONSTRAINT {q(constraint_name('fk', field.through, [field.forward_key]))} FOREIGN KEY ({q(field.forward_key)}) "
                    f"REFERENCES {q(target.db_table)} ({q(target_pk.column)}) ON DELETE {field.on_delete.value}"
                )
            body = ",\n    ".join(lines)
            statements.append(f"CREATE TABLE {exists}{q(field.through)} (\n    {body}\n){self.dialect.table_suffix(field.description or '', self.table_options)}")
            if field.create_unique_index:
                cols = [field.backward_key, field.forward_key]
                statements.append(
                    self.dialect.create_index(field.through, constraint_name("uidx", field.through, cols), cols, unique=True, safe=safe)
                )
        return statements

    def schema_sql(self, models: list["type[Model]"], safe: bool) -> str:
        statements: list[str] = []
        for model in order_by_dependencies(models):
            statements.extend(self.create_table(model, safe))
        done: set[str] = set()
        for model in models:
            statements.extend(self.m2m_tables(model, safe, done))
        return ";\n".join(statements) + (";" if statements else "")


def order_by_dependencies(models: list["type[Model]"]) -> list["type[Model]"]:
    """Models ordered so that FK targets come first (cycles fall back to given order)."""
    remaining = list(models)
    ordered: list[Any] = []
    placed: set[Any] = set()
    while remaining:
        progress = False
        for model in list(remaining):
            meta = model._meta
            deps = {
                meta.fields_map[n].related_model for n in meta.fk_fields | meta.o2o_fields
            } - {model}
            if all(dep in placed or dep not in remaining for dep in deps):
                ordered.append(model)
                placed.add(model)
                remaining.remove(model)
                progress = True
        if not progress:
            ordered.append(remaining.pop(0))
            placed.add(ordered[-1])
    return ordered


def _pk_column_field(meta: Any) -> Any:
    """The data field holding a model's key (a one-to-one primary key keeps it in its id field)."""
    pk = meta.pk
    return meta.fields_map[pk.source_field_name] if pk.relation_kind else pk
