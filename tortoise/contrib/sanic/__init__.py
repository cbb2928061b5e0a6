"""Tortoise ORM for Sanic applications (extra ``aldabra[sanic]``).

``register_tortoise(app, ...)`` sets the ORM up in each worker's ``before_server_start``
listener and closes its connections in ``after_server_stop``.
"""
from __future__ import annotations

from typing import Any

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework, register_function

import_framework("sanic", "sanic")


def _hook(app: Any, lifecycle: OrmLifecycle) -> None:
    app.register_listener(lifecycle.init_orm, "before_server_start")
    app.register_listener(lifecycle.close_orm, "after_server_stop")


register_tortoise = register_function("Sanic", _hook)

__all__ = ["register_tortoise"]
