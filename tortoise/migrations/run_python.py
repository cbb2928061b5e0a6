"""Calling ``RunPython`` code in either style: Aldabra's ``code(connection)`` or Tortoise
1.x's ``code(apps, schema_editor)`` (``apps.get_model("app.Model")``,
``schema_editor.client``).  Tortoise hands out historical models; here ``get_model``
gives the initialised application's models, which match the state only at the head."""
from __future__ import annotations

import inspect
from typing import Any, Callable


class MigrationApps:
    """``apps`` of Tortoise-style code: models by ``"app.Model"`` or ``("app", "Model")``."""

    def get_model(self, label: str, model_name: str | None = None) -> Any:
        from tortoise import Tortoise

        app, _, name = label.partition(".") if model_name is None else (label, ".", model_name)
        return Tortoise.get_model(app, name)


class EditorView:
    """``schema_editor`` of Tortoise-style code: its ``client`` is the migration's connection."""

    def __init__(self, client: Any) -> None:
        self.client = client


def _positional(code: Callable[..., Any]) -> int:
    try:
        parameters = inspect.signature(code).parameters.values()
    except (TypeError, ValueError):
        return 1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in parameters if p.kind in kinds)


def call(code: Callable[..., Any], connection: Any) -> Any:
    """The code's result (maybe awaitable), called as its signature asks."""
    if _positional(code) >= 2:
        return code(MigrationApps(), EditorView(connection))
    return code(connection)
