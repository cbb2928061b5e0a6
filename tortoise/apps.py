"""Model discovery and relation wiring, done once per ``Tortoise.init``."""
from __future__ import annotations

import importlib
import inspect
import warnings
from itertools import chain
from types import ModuleType
from typing import Any, Iterator

from tortoise.exceptions import ConfigurationError
from tortoise.fields.relational import (
    BackwardFKRelation,
    BackwardOneToOneRelation,
    ForeignKeyFieldInstance,
    ManyToManyFieldInstance,
)
from tortoise.models import Model
from tortoise.relations import RelationManagerDescriptor


class Apps(dict):
    """``{app label: {model name: model}}``, as ``Tortoise.apps`` shows it, with Tortoise's
    lookups on top."""

    def get_models_iterable(self) -> Iterator[type[Model]]:
        """Every model of every app."""
        return chain.from_iterable(app.values() for app in self.values())

    def get_model(self, app_label: str, model_name: str) -> type[Model]:
        try:
            return self[app_label][model_name]
        except KeyError:
            known = ", ".join(f"{label}.{name}" for label, app in self.items() for name in app) or "none"
            raise ConfigurationError(f"no model '{app_label}.{model_name}'; models are: {known}") from None


def setup_apps(cfg: Any, table_name_generator: Any = None) -> Apps:
    """Find each app's models, bind them to their app and connection, wire relations."""
    apps = Apps({label: {} for label in cfg.apps})
    owner: dict[type[Model], str] = {}
    discovered = {label: discover_models(label, list(app.models)) for label, app in cfg.apps.items()}
    for label, (own, _) in discovered.items():
        for model in own:
            if model in owner:
                raise ConfigurationError(
                    f"model {model.__name__} is listed in two apps: '{owner[model]}' and '{label}'; "
                    "list its module in one app only"
                )
            owner[model] = label
    for label, (_, imported) in discovered.items():
        for model in imported:
            owner.setdefault(model, label)
    for model, label in owner.items():
        model.check()
        model._meta.app = label
        model._meta.default_connection = cfg.apps[label].default_connection
        _name_table(model, table_name_generator)
        apps[label][model.__name__] = model
    wire_relations(apps)
    return apps


def _name_table(model: type[Model], generator: Any) -> None:
    """Apply ``table_name_generator`` to a model without an explicit ``Meta.table``."""
    meta = model._meta
    if getattr(meta.meta_class, "table", None):
        return
    table = generator(model) if generator is not None else model.__name__.lower()
    if table != meta.db_table:
        meta.db_table = table
        meta.finalise_columns()


def discover_models(label: str, modules: list[Any]) -> tuple[list[type[Model]], list[type[Model]]]:
    """The models of an app: (models its modules define, models they only import).

    A module's ``__models__`` list counts as defined; a model whose ``Meta.app`` names
    another app is left to that app.  Imported models (a package
    ``__init__`` re-exporting submodules) belong to the app unless another app lists the
    module defining them.
    """
    own: list[type[Model]] = []
    imported: list[type[Model]] = []
    for entry in modules:
        module = entry if isinstance(entry, ModuleType) else _import(label, entry)
        declared = getattr(module, "__models__", None)
        if declared is not None:
            candidates = [(m, True) for m in declared]
        else:
            candidates = [
                (obj, obj.__module__ == module.__name__)
                for _, obj in inspect.getmembers(module, inspect.isclass)
                if issubclass(obj, Model) and obj is not Model
            ]
        if not candidates:
            warnings.warn(f'Module "{module.__name__}" has no models (app {label!r})', RuntimeWarning, stacklevel=4)
        for model, defined_here in candidates:
            declared_app = getattr(model._meta.meta_class, "app", None)
            if declared_app and declared_app != label:  # Meta.app puts it in another app
                continue
            target = own if defined_here else imported
            if not model._meta.abstract and model not in target:
                target.append(model)
    return own, imported


def _import(label: str, name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing = f'Module "{name}" not found: ' if exc.name == name else ""
        raise ConfigurationError(f"{missing}app '{label}': cannot import models module '{name}': {exc}") from exc


def reset_model(model: type[Model]) -> None:
    """Undo what a previous init added (reverse relations, resolved id field types)."""
    meta = model._meta
    original = getattr(meta, "original_fields", None)
    if original is None:
        meta.original_fields = dict(meta.fields_map)  # type: ignore[attr-defined]
        meta.generated_names = []  # type: ignore[attr-defined]
        return
    for name in meta.generated_names:  # type: ignore[attr-defined]
        if name in model.__dict__:
            delattr(model, name)
    meta.generated_names = []  # type: ignore[attr-defined]
    meta.fields_map = dict(original)
    meta.backward_fk_fields.clear()
    meta.backward_o2o_fields.clear()
    meta.query_names.clear()
    meta.m2m_fields = {n for n, f in original.items() if f.relation_kind == "m2m"}


def wire_relations(apps: dict[str, dict[str, type[Model]]]) -> None:
    for models in apps.values():
        for model in models.values():
            reset_model(model)
    for models in apps.values():
        for model in models.values():
            for name, field in list(model._meta.fields_map.items()):
                if isinstance(field, ForeignKeyFieldInstance):
                    _wire_fk(apps, model, field)
                elif isinstance(field, ManyToManyFieldInstance) and not field._generated:
                    _wire_m2m(apps, model, field)
    for models in apps.values():
        for model in models.values():
            model._meta.finalise_columns()
            model._meta._inited = True


def _resolve(apps: dict[str, dict[str, type[Model]]], field: Any) -> type[Model]:
    if field.related_model is not None and not field.model_name:
        return field.related_model
    app, _, name = field.model_name.partition(".")
    if app not in apps:
        raise ConfigurationError(
            f"No app with name '{app}' registered. {field.qualified_name} points at '{field.model_name}'; "
            f"apps are: {', '.join(apps)}"
        )
    try:
        return apps[app][name]
    except KeyError:
        raise ConfigurationError(
            f"No model with name '{name}' registered in app '{app}'. {field.qualified_name} points at "
            f"'{field.model_name}'; "
            f"its models are: {', '.join(apps[app])}"
        ) from None


def _add_generated(model: type[Model], name: str, field: Any, descriptor: Any) -> None:
    meta = model._meta
    if name in meta.fields_map:
        raise ConfigurationError(
            f'backward relation "{name}" duplicates in model {model.__name__}: it clashes with a field of '
            f"{model.__name__}; set a different related_name"
        )
    field.bind(model, name)
    meta.fields_map[name] = field
    setattr(model, name, descriptor)
    meta.generated_names.append(name)  # type: ignore[attr-defined]


def _wire_fk(apps: dict, model: type[Model], fk: ForeignKeyFieldInstance) -> None:
    meta = model._meta
    fk = _fresh(meta, fk)
    related = _resolve(apps, fk)
    fk.related_model = related
    target = related._meta.fields_map.get(fk.to_field) if fk.to_field else related._meta.pk
    if target is None:
        raise ConfigurationError(
            f'there is no field named "{fk.to_field}" in model "{related.__name__}" ({fk.qualified_name}: to_field)'
        )
    if not (target.unique or target.pk):
        raise ConfigurationError(
            f'field "{target.model_field_name}" in model "{related.__name__}" is not unique; '
            f"{fk.qualified_name} can only refer to a unique field (to_field)"
        )
    fk.to_field_instance = target
    if not target.pk:  # an instance given for this relation stands for another key than its pk
        related._meta.targeted_by_non_pk = True
    old_id = meta.fields_map[fk.source_field_name]
    meta.fields_map[fk.source_field_name] = _id_field_like(target, old_id, fk)
    if fk.related_name is False:
        return
    reverse_name = fk.related_name or f"{model.__name__.lower()}s"
    if fk.relation_kind == "o2o":
        backward: BackwardFKRelation = BackwardOneToOneRelation(model, fk.source_field_name, target.column, null=True, description=fk.description)
        descriptor: Any = BackwardOneToOneDescriptor(backward)
        related._meta.backward_o2o_fields.add(reverse_name)
    else:
        backward = BackwardFKRelation(model, fk.source_field_name, target.column, null=True, description=fk.description)
        descriptor = RelationManagerDescriptor(backward)
        related._meta.backward_fk_fields.add(reverse_name)
    backward.related_model = model
    _add_generated(related, reverse_name, backward, descriptor)
    descriptor.name = reverse_name
    if fk.related_query_name and fk.related_query_name != reverse_name:
        if fk.related_query_name in related._meta.fields_map:
            raise ConfigurationError(
                f"{fk.qualified_name}: related_query_name '{fk.related_query_name}' clashes with a field of {related.__name__}"
            )
        related._meta.query_names[fk.related_query_name] = reverse_name


def _fresh(meta: Any, field: Any) -> Any:
    """Relation fields are per-init copies, so a re-init starts from the declaration."""
    import copy

    clone = copy.copy(field)
    meta.fields_map[field.model_field_name] = clone
    descriptor = meta.model.__dict__.get(field.model_field_name)
    if descriptor is not None and hasattr(descriptor, "field"):
        descriptor.field = clone
    return clone


def _id_field_like(target: Any, old: Any, fk: ForeignKeyFieldInstance) -> Any:
    """A non-pk copy of the target field's type, for the FK's id column."""
    import copy

    field = copy.copy(target)
    field.pk = False
    field.generated = False
    field.null = old.null
    field.unique = old.unique
    field.index = old.index
    field.default = old.default
    field.description = old.description
    field.validators = []
    field.source_field = old.source_field
    field.__dict__.pop("_encoders", None)
    field.bind(fk.model, fk.source_field_name)
    field.reference = fk  # type: ignore[attr-defined]
    return field


def _wire_m2m(apps: dict, model: type[Model], field: ManyToManyFieldInstance) -> None:
    meta = model._meta
    field = _fresh(meta, field)
    related = _resolve(apps, field)
    field.related_model = related
    own_table, other_table = meta.db_table, related._meta.db_table
    field.through = field.through or f"{own_table}_{other_table}"
    # Tortoise's column names, so that its databases read the same way: the key to the
    # related model is named after its class, the key back after this model's table
    field.forward_key = field.forward_key or f"{related.__name__.lower()}_id"
    if not field.backward_key:
        backward = f"{own_table}_id"
        field.backward_key = backward if backward != field.forward_key else f"{own_table}_rel_id"
    reverse_name = field.related_name or f"{model.__name__.lower()}s"
    field.related_name = reverse_name
    reverse = ManyToManyFieldInstance(
        model, through=field.through, forward_key=field.backward_key, backward_key=field.forward_key,
        related_name=field.model_field_name, on_delete=field.on_delete, db_constraint=field.db_constraint,
        description=field.description,
    )
    reverse._generated = True
    reverse.related_model = model
    related._meta.m2m_fields.add(reverse_name)
    _add_generated(related, reverse_name, reverse, RelationManagerDescriptor(reverse))


class BackwardOneToOneDescriptor:
    """``user.profile``: the related instance when fetched, else an awaitable query."""

    def __init__(self, field: BackwardOneToOneRelation) -> None:
        self.field = field
        self.name = field.model_field_name

    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self.field
        cache = f"_{self.name}"
        if cache in obj.__dict__:
            return obj.__dict__[cache]
        meta = type(obj)._meta
        key = obj.__dict__.get(meta.fields_db_projection_reverse.get(self.field.to_field_column, meta.pk_attr))
        return self.field.related_model.filter(**{self.field.relation_field: key}).first()
