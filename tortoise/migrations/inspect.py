"""``inspectdb``: Tortoise model classes written from existing tables."""
from __future__ import annotations

import re
from typing import Any

from tortoise.exceptions import ConfigurationError
from tortoise.sql.introspection import describe_table, list_tables

#: leading words of a catalog type → field class (checked in order)
TYPES = [
    (("tinyint(1)", "bool"), "BooleanField"),
    (("bigint", "int8", "bigserial"), "BigIntField"),
    (("smallint", "int2", "tinyint"), "SmallIntField"),
    (("int", "serial", "mediumint"), "IntField"),
    (("varchar", "character varying", "nvarchar"), "CharField"),
    (("char(36)", "uuid"), "UUIDField"),
    (("char", "character"), "CharField"),
    (("text", "longtext", "mediumtext", "tinytext", "clob"), "TextField"),
    (("decimal", "numeric"), "DecimalField"),
    (("double", "float", "real"), "FloatField"),
    (("datetime", "timestamp"), "DatetimeField"),
    (("date",), "DateField"),
    (("time",), "TimeField"),
    (("jsonb", "json"), "JSONField"),
    (("blob", "bytea", "longblob", "binary", "varbinary"), "BinaryField"),
]


def _field_class(column_type: str, custom: dict[str, str]) -> str:
    if column_type in custom:
        return custom[column_type]
    for prefixes, name in TYPES:
        if column_type.startswith(prefixes):
            return name
    return "TextField"


def _class_name(table: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^0-9a-zA-Z]+", table) if part) or "Table"


def _numbers(column_type: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", column_type)]


def _field_line(column: dict[str, Any], fk: dict[str, Any] | None, custom: dict[str, str]) -> str:
    options: list[str] = []
    name = column["name"]
    if fk is not None:
        attr = name[:-3] if name.endswith("_id") and len(name) > 3 else f"{name}_rel"
        options.append(f'"models.{_class_name(fk["to_table"])}"')
        options.append("related_name=False")
        if attr + "_id" != name:
            options.append(f'source_field="{name}"')
        if fk["on_delete"] and fk["on_delete"] != "CASCADE":
            options.append(f"on_delete=fields.{fk['on_delete'].replace(' ', '_')}")
        if column["null"]:
            options.append("null=True")
        return f"    {attr} = fields.ForeignKeyField({', '.join(options)})"
    kind = _field_class(column["type"], custom)
    if kind == "CharField":
        numbers = _numbers(column["type"])
        options.append(f"max_length={numbers[0] if numbers else 255}")
    elif kind == "DecimalField":
        numbers = _numbers(column["type"]) + [10, 2]
        options.append(f"max_digits={numbers[0]}, decimal_places={numbers[1]}")
    if column["pk"]:
        options.append("primary_key=True")
        if not column["auto"] and kind in ("IntField", "BigIntField", "SmallIntField"):
            options.append("generated=False")
    else:
        if column["null"]:
            options.append("null=True")
        if column["unique"]:
            options.append("unique=True")
    if column.get("comment"):
        options.append(f"description={column['comment']!r}")
    return f"    {name} = fields.{kind}({', '.join(options)})"


async def inspect_tables(client: Any, tables: list[str], custom: dict[str, str] | None = None) -> str:
    """Model source for ``tables`` (all when empty); ``custom`` maps catalog types to field classes."""
    existing = await list_tables(client)
    unknown = [t for t in tables if t not in existing]
    if unknown:
        raise ConfigurationError(f"no table {', '.join(unknown)} in the database; tables are: {', '.join(existing)}")
    lines = ["from tortoise import Model, fields", ""]
    for table in tables or existing:
        info = await describe_table(client, table)
        fks = {fk["column"]: fk for fk in info["fks"]}
        lines += ["", f"class {_class_name(table)}(Model):"]
        lines += [_field_line(c, fks.get(c["name"]), custom or {}) for c in info["columns"]]
        lines += ["", "    class Meta:", f'        table = "{table}"', ""]
    return "\n".join(lines)
