"""``Model.construct(**values)``: an instance built from trusted values, without checks.

Values are stored as given (no conversion or validation, unsaved related objects are
accepted, names that are no field become plain attributes); fields not given get their
defaults.  Relations take objects: a forward relation its instance (its key is copied to
the id column), a reverse or many-to-many relation a list, which becomes that relation's
fetched result.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from tortoise.model_code import initial_value

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model


def _default(field: Any) -> Any:
    if field.pk and field.generated:
        return None
    value = initial_value(field)
    value = value() if callable(value) else value
    return copy.deepcopy(value) if isinstance(value, (dict, list, set)) else value


def construct(model: "type[Model]", saved: bool, values: dict[str, Any]) -> "Model":
    meta = model._meta
    obj = model.__new__(model)
    d = obj.__dict__
    for field in meta.data_fields:
        d[field.model_field_name] = _default(field)
    for key, value in values.items():
        name = meta.pk_attr if key == "pk" else key
        field = meta.fields_map.get(name)
        kind = field.relation_kind if field is not None else None
        if kind is None:  # a column, or a name that is no field: kept as a plain attribute
            d[name] = value
        elif kind in ("fk", "o2o"):
            d[field.source_field_name] = None if value is None else getattr(value, field.to_field_instance.model_field_name)
            d[f"_{name}"] = value
        elif kind == "backward_o2o":
            d[f"_{name}"] = value
        else:  # backward_fk, m2m: the list is the fetched result
            getattr(obj, name)._set_result(list(value))
    d["_saved_in_db"] = saved
    return obj
