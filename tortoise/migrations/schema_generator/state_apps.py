"""The model classes of a migration state, grouped by app as ``Tortoise.init`` groups them.

Migration code asks for historical models (``apps.get_model("app.Model")``) and needs their
relations wired among themselves, not to the live models: this registry wires them with
the same code ``Tortoise.init`` uses.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from tortoise.apps import wire_relations

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model


class StateApps:
    def __init__(self, apps: dict[str, dict[str, "type[Model]"]] | None = None) -> None:
        self.apps: dict[str, dict[str, type[Model]]] = {label: dict(models) for label, models in (apps or {}).items()}

    def register_model(self, app_label: str, model: "type[Model]") -> None:
        model._meta.app = app_label
        self.apps.setdefault(app_label, {})[model.__name__] = model

    def unregister_model(self, app_label: str, model_name: str) -> None:
        self.apps.get(app_label, {}).pop(model_name, None)

    def get_model(self, name: str, model_name: str | None = None) -> "type[Model]":
        """``get_model("app.Model")`` or ``get_model("app", "Model")``."""
        app_label, _, short = name.partition(".") if model_name is None else (name, ".", model_name)
        try:
            return self.apps[app_label][short]
        except KeyError:
            known = ", ".join(f"{a}.{m}" for a, models in self.apps.items() for m in models) or "none"
            raise KeyError(f"no model {name if model_name is None else f'{name}.{model_name}'!r} in the migration state; known: {known}") from None

    def init_relations(self) -> None:
        """Wire FK/O2O/M2M fields to the registered models (and add their reverse sides)."""
        wire_relations(self.apps)

    def __iter__(self) -> Iterator["type[Model]"]:
        for models in self.apps.values():
            yield from models.values()
