"""Reading a database's catalog: tables, columns, keys and indexes, per dialect.

Used by ``inspectdb`` (models from existing tables) and to compare schemas.  Every
function returns plain dicts:

    column = {"name", "type" (lower case, as the catalog spells it), "null", "default",
              "pk", "auto", "unique", "comment"}
    fk     = {"column", "to_table", "to_column", "on_delete"}
    index  = {"name", "columns": [...], "unique"}
"""
from __future__ import annotations

from typing import Any


async def list_tables(client: Any) -> list[str]:
    kind = client.dialect.name
    if kind == "sqlite":
        rows = await client.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [r["name"] for r in rows]
    if kind == "postgres":
        rows = await client.execute_query_dict(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema=current_schema() "
            "AND table_type='BASE TABLE' ORDER BY table_name"
        )
        return [r["name"] for r in rows]
    rows = await client.execute_query_dict(
        "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA=DATABASE() "
        "AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME"
    )
    return [r["name"] for r in rows]


async def describe_table(client: Any, table: str) -> dict[str, Any]:
    reader = {"sqlite": _sqlite, "postgres": _postgres, "mysql": _mysql}[client.dialect.name]
    return await reader(client, table)


async def _sqlite(client: Any, table: str) -> dict[str, Any]:
    q = client.dialect.quote(table)
    info = await client.execute_query_dict(f"PRAGMA table_info({q})")
    sql_rows = await client.execute_query_dict("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", [table])
    create_sql = (sql_rows[0]["sql"] if sql_rows else "") or ""
    indexes = []
    unique_single = set()
    for idx in await client.execute_query_dict(f"PRAGMA index_list({q})"):
        cols = [r["name"] for r in await client.execute_query_dict(f"PRAGMA index_info({client.dialect.quote(idx['name'])})")]
        if idx["origin"] == "pk":
            continue
        indexes.append({"name": idx["name"] if idx["origin"] == "c" else None, "columns": cols, "unique": bool(idx["unique"])})
        if idx["unique"] and len(cols) == 1:
            unique_single.add(cols[0])
    columns = []
    for row in info:
        pk = bool(row["pk"])
        columns.append({
            "name": row["name"],
            "type": (row["type"] or "").lower(),
            "null": not row["notnull"] and not pk,
            "default": row["dflt_value"],
            "pk": pk,
            "auto": pk and "autoincrement" in create_sql.lower(),
            "unique": row["name"] in unique_single,
            "comment": None,
        })
    fks = [
        {"column": r["from"], "to_table": r["table"], "to_column": r["to"], "on_delete": r["on_delete"].upper()}
        for r in await client.execute_query_dict(f"PRAGMA foreign_key_list({q})")
    ]
    return {"table": table, "columns": columns, "fks": fks, "indexes": indexes}


async def _postgres(client: Any, table: str) -> dict[str, Any]:
    rows = await client.execute_query_dict(
        "SELECT c.column_name AS name, format_type(a.atttypid, a.atttypmod) AS type, c.is_nullable AS nullable, "
        "c.column_default AS dflt, col_description(a.attrelid, a.attnum) AS comment "
        "FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema)||'.'||quote_ident(c.table_name))::regclass "
        "AND a.attname = c.column_name WHERE c.table_schema=current_schema() AND c.table_name=$1 ORDER BY c.ordinal_position",
        [table],
    )
    constraints = await client.execute_query_dict(
        "SELECT con.conname AS name, con.contype::text AS kind, "
        "ARRAY(SELECT att.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute att "
        "ON att.attrelid=con.conrelid AND att.attnum=k.n ORDER BY k.i)::text[] AS cols, "
        "ref.relname AS to_table, "
        "ARRAY(SELECT att.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute att "
        "ON att.attrelid=con.confrelid AND att.attnum=k.n ORDER BY k.i)::text[] AS to_cols, con.confdeltype::text AS on_delete "
        "FROM pg_constraint con JOIN pg_class rel ON rel.oid=con.conrelid LEFT JOIN pg_class ref ON ref.oid=con.confrelid "
        "WHERE rel.relname=$1 AND rel.relnamespace=(SELECT oid FROM pg_namespace WHERE nspname=current_schema()) ORDER BY con.conname",
        [table],
    )
    pk_cols = {c for con in constraints if con["kind"] == "p" for c in con["cols"]}
    unique_single = {con["cols"][0] for con in constraints if con["kind"] == "u" and len(con["cols"]) == 1}
    actions = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
    fks = [
        {"column": con["cols"][0], "to_table": con["to_table"], "to_column": con["to_cols"][0], "on_delete": actions[con["on_delete"]]}
        for con in constraints if con["kind"] == "f"
    ]
    index_rows = await client.execute_query_dict(
        "SELECT i.relname AS name, ix.indisunique AS uniq, ix.indisprimary AS prim, "
        "ARRAY(SELECT att.attname FROM unnest(ix.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute att "
        "ON att.attrelid=t.oid AND att.attnum=k.n ORDER BY k.o)::text[] AS cols "
        "FROM pg_index ix JOIN pg_class t ON t.oid=ix.indrelid JOIN pg_class i ON i.oid=ix.indexrelid "
        "WHERE t.relname=$1 AND t.relnamespace=(SELECT oid FROM pg_namespace WHERE nspname=current_schema()) ORDER BY i.relname",
        [table],
    )
    constraint_names = {con["name"] for con in constraints}
    indexes = [
        {"name": None if r["name"] in constraint_names else r["name"], "columns": list(r["cols"]), "unique": r["uniq"]}
        for r in index_rows if not r["prim"]
    ]
    columns = []
    for r in rows:
        default = r["dflt"]
        auto = bool(default and default.startswith("nextval("))
        columns.append({
            "name": r["name"], "type": r["type"].lower(), "null": r["nullable"] == "YES",
            "default": None if auto else default, "pk": r["name"] in pk_cols, "auto": auto,
            "unique": r["name"] in unique_single, "comment": r["comment"],
        })
    return {"table": table, "columns": columns, "fks": fks, "indexes": indexes}


async def _mysql(client: Any, table: str) -> dict[str, Any]:
    rows = await client.execute_query_dict(
        "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, "
        "COLUMN_KEY AS ckey, EXTRA AS extra, COLUMN_COMMENT AS comment FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA=DATABASE() AND TABLE_NAME=%s ORDER BY ORDINAL_POSITION",
        [table],
    )
    stats = await client.execute_query_dict(
        "SELECT INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS col FROM information_schema.STATISTICS "
        "WHERE TABLE_SCHEMA=DATABASE() AND TABLE_NAME=%s ORDER BY INDEX_NAME, SEQ_IN_INDEX",
        [table],
    )
    fk_rows = await client.execute_query_dict(
        "SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS to_table, "
        "k.REFERENCED_COLUMN_NAME AS to_col, r.DELETE_RULE AS on_delete FROM information_schema.KEY_COLUMN_USAGE k "
        "JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA=k.CONSTRAINT_SCHEMA "
        "AND r.CONSTRAINT_NAME=k.CONSTRAINT_NAME WHERE k.TABLE_SCHEMA=DATABASE() AND k.TABLE_NAME=%s "
        "AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.CONSTRAINT_NAME",
        [table],
    )
    fk_names = {r["name"] for r in fk_rows}
    grouped: dict[str, dict[str, Any]] = {}
    for s in stats:
        grouped.setdefault(s["name"], {"name": s["name"], "columns": [], "unique": not int(s["non_unique"])})["columns"].append(s["col"])
    indexes = [g for name, g in grouped.items() if name != "PRIMARY" and name not in fk_names]
    unique_single = {g["columns"][0] for g in grouped.values() if g["unique"] and len(g["columns"]) == 1 and g["name"] != "PRIMARY"}
    columns = [
        {
            "name": r["name"], "type": r["type"].lower(), "null": r["nullable"] == "YES", "default": r["dflt"],
            "pk": r["ckey"] == "PRI", "auto": "auto_increment" in (r["extra"] or "").lower(),
            "unique": r["name"] in unique_single, "comment": r["comment"] or None,
        }
        for r in rows
    ]
    fks = [{"column": r["col"], "to_table": r["to_table"], "to_column": r["to_col"], "on_delete": r["on_delete"]} for r in fk_rows]
    return {"table": table, "columns": columns, "fks": fks, "indexes": indexes}
