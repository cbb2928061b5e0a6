"""The order Tortoise 1.x lists a model's fields in, which generated models follow.

Tortoise keeps the fields a model declares in declaration order (inherited ones first,
gathered parent by parent along the MRO; an implicit ``id`` before all), then adds the
fields that relations bring as ``Tortoise.init`` resolves them: model by model in
registration order, each model's foreign keys by name, then its one-to-ones, then its
many-to-manys, each relation adding its ``<name>_id`` column to its own model and its
reverse relation to the related model. Field order is visible in generated schemas (and
in the digest of their names), so it follows the same rule here.
"""
from __future__ import annotations

from typing import Any

from tortoise.fields import Field

_BACKWARD = ("backward_fk", "backward_o2o")
#: (the apps the orders were computed for, {model: [field names]})
_computed: list[Any] = [None, {}]


def field_order(model: Any) -> list[str]:
    """The names of ``model``'s fields in the order Tortoise lists them."""
    from tortoise import Tortoise

    apps = Tortoise.apps
    if _computed[0] is not apps:
        _computed[0], _computed[1] = apps, _added_by_relations(apps or {})
    fields_map = model._meta.fields_map
    names = [name for name in _declared_order(model) if name in fields_map]
    names += [name for name in _computed[1].get(model, ()) if name in fields_map]
    seen = set(names)
    return names + [name for name in fields_map if name not in seen]


def _declared_order(model: Any) -> list[str]:
    declared = getattr(model._meta, "_declared", None)
    if declared is None:
        return []
    found: dict[str, None] = {}
    for base in model.__bases__:
        _collect(base, found)
    names = list(found) + [name for name in declared if name not in found]
    if "id" not in declared and not model._meta.abstract:  # the implicit primary key
        names.insert(0, "id")
    return names


def _collect(klass: type, found: dict[str, None]) -> None:
    """Add the fields ``klass`` passes on: its parents' first, then a model parent's
    fields (a later one keeps an earlier one's place) or a mixin's not seen yet."""
    for parent in klass.__mro__[1:]:
        _collect(parent, found)
    if getattr(getattr(klass, "_meta", None), "_declared", None) is not None:
        for name in _declared_order(klass):
            found[name] = None
    else:
        for name, value in vars(klass).items():
            if isinstance(value, Field) and name not in found:
                found[name] = None


def _added_by_relations(apps: dict[str, dict[str, Any]]) -> dict[Any, list[str]]:
    """For every registered model, the fields relations add to it, in the order Tortoise adds them."""
    models = [model for app in apps.values() for model in app.values()]
    reverse_of: dict[tuple[Any, str], tuple[Any, str]] = {}  # (model, forward name) -> (related, reverse name)
    raw_of: dict[tuple[Any, str], str] = {}  # (model, FK name) -> its "<name>_id" field
    for model in models:
        for name, fobj in model._meta.fields_map.items():
            reference = getattr(fobj, "reference", None)
            if reference is not None:
                raw_of[(model, reference.model_field_name)] = name
            elif fobj.relation_kind in _BACKWARD:
                forward = fobj.related_model._meta.fields_map.get(fobj.relation_field)
                forward = getattr(forward, "reference", None)
                if forward is not None:
                    reverse_of[(fobj.related_model, forward.model_field_name)] = (model, name)
            elif fobj.relation_kind == "m2m" and getattr(fobj, "_generated", False):
                reverse_of[(fobj.related_model, fobj.related_name)] = (model, name)
    added: dict[Any, list[str]] = {}
    for model in models:
        relations = [(n, f) for n, f in model._meta.fields_map.items() if f.relation_kind in ("fk", "o2o", "m2m")]
        ordered = sorted(n for n, f in relations if f.relation_kind == "fk")
        ordered += [n for n, f in relations if f.relation_kind == "o2o"]
        ordered += [n for n, f in relations if f.relation_kind == "m2m" and not getattr(f, "_generated", False)]
        for name in ordered:
            if (model, name) in raw_of:
                added.setdefault(model, []).append(raw_of[(model, name)])
            if (model, name) in reverse_of:
                related, reverse = reverse_of[(model, name)]
                added.setdefault(related, []).append(reverse)
    return added
