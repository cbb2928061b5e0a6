"""A migration state as Tortoise 1.x's migration API holds it: model states by (app, name).

``ModelState`` keeps a model's declared fields and Meta options; ``State`` renders them
into model classes (registered and wired in a ``StateApps``) and hands the engine its own
table description of an app (``engine_state``, see ``tortoise.migrations.state``), so
the autodetector and schema editor of the engine diff and render these states too.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field as dataclass_field
from typing import TYPE_CHECKING, Any

from tortoise.migrations import state as engine
from tortoise.migrations.schema_generator.state_apps import StateApps

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field
    from tortoise.models import Model

#: Meta options a model state carries over (those that shape the schema)
_OPTIONS = {"table": "db_table", "schema": "schema", "unique_together": "unique_together",
            "indexes": "indexes", "table_description": "table_description"}


@dataclass
class ModelState:
    app: str
    name: str
    fields: dict[str, "Field"]
    options: dict[str, Any] = dataclass_field(default_factory=dict)

    @classmethod
    def make_from_model(cls, app_label: str, model: "type[Model]") -> "ModelState":
        """The declared fields (not the reverse sides or ``*_id`` columns added by wiring)."""
        meta = model._meta
        declared = getattr(meta, "original_fields", None) or meta.fields_map
        fields = {name: copy.copy(f) for name, f in declared.items() if not getattr(f, "_generated", False)}
        options = {key: getattr(meta, attr) for key, attr in _OPTIONS.items() if getattr(meta, attr, None)}
        return cls(app=app_label, name=model.__name__, fields=fields, options=options)

    def render(self) -> "type[Model]":
        """A fresh model class with copies of the fields (its relations are not wired yet)."""
        from tortoise.models import Model

        attrs: dict[str, Any] = {name: copy.copy(f) for name, f in self.fields.items()}
        attrs["Meta"] = type("Meta", (), {**self.options, "app": self.app})
        return type(self.name, (Model,), attrs)

    def clone(self) -> "ModelState":
        return ModelState(self.app, self.name, {n: copy.copy(f) for n, f in self.fields.items()}, dict(self.options))


@dataclass
class State:
    models: dict[tuple[str, str], ModelState]
    apps: StateApps

    @classmethod
    def from_apps(cls, apps: dict[str, dict[str, "type[Model]"]]) -> "State":
        """The state of initialised apps (``Tortoise.apps``)."""
        state = cls(models={}, apps=StateApps())
        for label, models in apps.items():
            for model in models.values():
                if not model._meta.abstract:
                    state.add_model(ModelState.make_from_model(label, model), reload=False)
        state.reload()
        return state

    def add_model(self, model_state: ModelState, reload: bool = True) -> None:
        self.models[(model_state.app, model_state.name)] = model_state
        if reload:
            self.reload()

    def remove_model(self, app_label: str, model_name: str) -> None:
        if self.models.pop((app_label, model_name), None) is None:
            known = ", ".join(f"{a}.{m}" for a, m in self.models) or "none"
            raise LookupError(f"model state {app_label}.{model_name} is unknown; known: {known}")
        self.reload()

    def reload(self) -> None:
        """Render every model state afresh and wire the relations among them."""
        self.apps = StateApps()
        for (label, _), model_state in self.models.items():
            self.apps.register_model(label, model_state.render())
        self.apps.init_relations()

    def engine_state(self, app_label: str) -> dict[str, Any]:
        """The engine's description of an app's tables (what the autodetector diffs)."""
        return engine.state_from_models(list(self.apps.apps.get(app_label, {}).values()))

    def clone(self) -> "State":
        state = State(models={key: m.clone() for key, m in self.models.items()}, apps=StateApps())
        state.reload()
        return state
