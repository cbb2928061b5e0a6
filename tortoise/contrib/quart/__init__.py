"""Tortoise ORM for Quart applications (extra ``aldabra[quart]``).

``register_tortoise(app, ...)`` sets the ORM up ``before_serving`` and closes its
connections ``after_serving``.
"""
from __future__ import annotations

from typing import Any

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework, register_function

import_framework("quart", "quart")


def _hook(app: Any, lifecycle: OrmLifecycle) -> None:
    app.before_serving(lifecycle.init_orm)
    app.after_serving(lifecycle.close_orm)


register_tortoise = register_function("Quart", _hook)

__all__ = ["register_tortoise"]
