"""States from Tortoise's ``describe()`` format: the ``MODELS_STATE`` of files written by
Aerich (and the ``content`` of its ``aerich`` table), so an Aerich project's history
continues under Aldabra."""
from __future__ import annotations

from typing import Any

from tortoise.migrations.state import DIALECTS, empty_state

NOT_SET = "__NOT_SET__"


class _TypeOnly:
    """What a dialect's DDL helpers read of a field: its generic type (Tortoise's ``""``
    entry of ``db_field_types``) and its per-dialect overrides."""

    def __init__(self, types: dict[str, str]) -> None:
        self.SQL_TYPE = types.get("", "")
        self.DB_TYPES = {dialect: sql for dialect, sql in types.items() if dialect}


def _column(desc: dict[str, Any], pk: bool = False) -> dict[str, Any]:
    shim = _TypeOnly(desc.get("db_field_types") or {})
    auto = pk and bool(desc.get("generated"))
    types = {n: d.auto_pk_type(shim) if auto else d.column_type(shim) for n, d in DIALECTS.items()}  # type: ignore[arg-type]
    db_default = desc.get("db_default", NOT_SET)
    default = desc.get("default")
    return {
        "name": desc.get("db_column") or desc["name"],
        "field": desc["name"],
        "types": types,
        "auto": auto,
        "pk": pk,
        "null": bool(desc.get("nullable")),
        "unique": bool(desc.get("unique")) and not pk,
        "index": bool(desc.get("indexed")) and not desc.get("unique") and not pk,
        "default": None if db_default in (NOT_SET, None) or isinstance(db_default, dict) else db_default,
        "fill": default if isinstance(default, (bool, int, float)) or (isinstance(default, str) and not default.startswith("<")) else None,
        "description": desc.get("description") or None,
    }


def state_from_describe(described: dict[str, Any]) -> dict[str, Any]:
    state = empty_state()
    tables = state["tables"]
    models = {k: v for k, v in described.items() if isinstance(v, dict) and "table" in v}
    for qualified, model in sorted(models.items()):
        if model.get("abstract"):
            continue
        name = qualified.split(".")[-1]
        pk = model["pk_field"]
        by_field = {f["name"]: f.get("db_column") or f["name"] for f in model["data_fields"] + [pk]}
        columns = [_column(pk, pk=True)] + [_column(f) for f in model["data_fields"]]
        fks = []
        for fk in model.get("fk_fields", []) + model.get("o2o_fields", []):
            by_field[fk["name"]] = by_field.get(fk["raw_field"], fk["raw_field"])
            if not fk.get("db_constraint", True):
                continue
            target = models.get(fk["python_type"]) or {}
            fks.append({
                "column": by_field.get(fk["raw_field"], fk["raw_field"]),
                "to_table": target.get("table", fk["python_type"].split(".")[-1].lower()),
                "to_column": (target.get("pk_field") or {}).get("db_column", "id"),
                "on_delete": fk.get("on_delete", "CASCADE"),
            })
        tables[name] = {
            "model": name,
            "table": model["table"],
            "description": model.get("description") or None,
            "columns": columns,
            "fks": fks,
            "indexes": [{"columns": [by_field.get(f, f) for f in group], "unique": False} for group in model.get("indexes", []) if isinstance(group, list)],
            "unique_together": [[by_field.get(f, f) for f in g] for g in model.get("unique_together", [])],
        }
        for m2m in model.get("m2m_fields", []):
            if m2m.get("_generated"):
                continue
            target = models.get(m2m.get("model_name") or m2m["python_type"]) or {}
            tables.setdefault(f"m2m:{m2m['through']}", _through(model, target, m2m))
    return state


def _through(model: dict[str, Any], target: dict[str, Any], m2m: dict[str, Any]) -> dict[str, Any]:
    def key(name: str, pk: dict[str, Any]) -> dict[str, Any]:
        shim = _TypeOnly(pk.get("db_field_types") or {"": "INT"})
        types = {n: d.column_type(shim) for n, d in DIALECTS.items()}  # type: ignore[arg-type]
        return {"name": name, "field": name, "types": types, "auto": False, "pk": False, "null": False,
                "unique": False, "index": False, "default": None, "fill": None, "description": None}

    own_pk, target_pk = model["pk_field"], target.get("pk_field") or {}
    fks = []
    if m2m.get("db_constraint", True):
        fks = [
            {"column": m2m["backward_key"], "to_table": model["table"], "to_column": own_pk.get("db_column", "id"), "on_delete": m2m.get("on_delete", "CASCADE")},
            {"column": m2m["forward_key"], "to_table": target.get("table", ""), "to_column": target_pk.get("db_column", "id"), "on_delete": m2m.get("on_delete", "CASCADE")},
        ]
    return {
        "model": None,
        "table": m2m["through"],
        "description": m2m.get("description") or None,
        "columns": [key(m2m["backward_key"], own_pk), key(m2m["forward_key"], target_pk)],
        "fks": fks,
        "indexes": [{"columns": [m2m["backward_key"], m2m["forward_key"]], "unique": True}] if m2m.get("unique", True) else [],
        "unique_together": [],
    }
