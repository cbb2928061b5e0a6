"""Tortoise ORM for Quart applications (extra ``aldabra[quart]``).

``register_tortoise(app, ...)`` sets the ORM up ``before_serving`` and closes its
connections ``after_serving``.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Iterable, Mapping

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework

import_framework("quart", "quart")


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
    app.before_serving(lifecycle.init_orm)
    app.after_serving(lifecycle.close_orm)
    return lifecycle


__all__ = ["register_tortoise"]
