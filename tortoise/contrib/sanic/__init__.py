"""Tortoise ORM for Sanic applications (extra ``aldabra[sanic]``).

``register_tortoise(app, ...)`` sets the ORM up in each worker's ``before_server_start``
listener and closes its connections in ``after_server_stop``.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Iterable, Mapping

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework

import_framework("sanic", "sanic")


def register_tortoise(
    app: Any,
    config: Mapping[str, Any] | None = None,
    config_file: str | None = None,
    db_url: str | None = None,
    modules: Mapping[str, Iterable[str | ModuleType]] | None = None,
    generate_schemas: bool = False,
    use_tz: bool | None = None,
    timezone: str | None = None,
    _create_db: bool = False,
) -> OrmLifecycle:
    """Run the ORM for ``app``'s lifetime; give ``config``, ``config_file`` or ``db_url`` + ``modules``."""
    lifecycle = OrmLifecycle(config, config_file, db_url, modules, generate_schemas, use_tz, timezone, _create_db)

    app.register_listener(lifecycle.init_orm, "before_server_start")
    app.register_listener(lifecycle.close_orm, "after_server_stop")
    return lifecycle


__all__ = ["register_tortoise"]
