"""Tortoise ORM for aiohttp web applications (extra ``aldabra[aiohttp]``).

``register_tortoise(app, ...)`` sets the ORM up in ``app.on_startup`` and closes its
connections in ``app.on_cleanup``, after the server has stopped serving requests.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Iterable, Mapping

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework

import_framework("aiohttp.web", "aiohttp")


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

    app.on_startup.append(lifecycle.init_orm)
    app.on_cleanup.append(lifecycle.close_orm)
    return lifecycle


__all__ = ["register_tortoise"]
