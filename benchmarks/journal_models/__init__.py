"""The ``Journal`` model of each TEST variant, built from ``journal.columns(test)``.

One module per variant (``t1``, ``t2``, ``t3``), because ``Tortoise.init`` takes modules
and every variant's model is called ``Journal`` (TEST=2 refers to ``models.Journal``).
Public Tortoise ORM API only, so the same modules serve Aldabra and, from a separate
virtualenv, real Tortoise ORM.
"""
from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

try:  # package mode (python -m benchmarks.run)
    from benchmarks import journal as J
except ImportError:  # script mode from another virtualenv
    import journal as J  # type: ignore[no-redef]

_FIELDS = {
    "smallint": fields.SmallIntField,
    "int": fields.IntField,
    "bigint": fields.BigIntField,
    "float": fields.FloatField,
    "text": fields.TextField,
    "json": fields.JSONField,
}


def _field(col: J.Column) -> Any:
    kwargs: dict[str, Any] = {}
    if col.default is not None:
        kwargs["default"] = col.default
    if col.null:
        kwargs["null"] = True
    if col.index:
        kwargs["db_index"] = True
    if col.kind == "datetime":
        return fields.DatetimeField(auto_now_add=True)
    if col.kind == "char":
        return fields.CharField(max_length=255, **kwargs)
    if col.kind == "decimal":
        return fields.DecimalField(max_digits=12, decimal_places=8, **kwargs)
    if col.kind == "fk":
        return fields.ForeignKeyField("models.Journal", related_name="children", null=True)
    return _FIELDS[col.kind](**kwargs)


def build(test: int, module: str) -> type:
    """The ``Journal`` class of TEST ``test``, defined as if written in ``module``."""
    attrs: dict[str, Any] = {"__module__": module, "__qualname__": "Journal",
                             "id": fields.IntField(primary_key=True)}
    for col in J.columns(test):
        attrs["parent" if col.kind == "fk" else col.name] = _field(col)
    if test == 2:
        attrs["related"] = fields.ManyToManyField("models.Journal", related_name="related_from")
    attrs["Meta"] = type("Meta", (), {"table": J.TABLE})
    return type(Model)("Journal", (Model,), attrs)
