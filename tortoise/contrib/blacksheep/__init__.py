"""Tortoise ORM for BlackSheep applications (extra ``aldabra[blacksheep]``).

``register_tortoise(app, ...)`` sets the ORM up ``on_start`` and closes its connections
``on_stop``; with ``add_exception_handlers=True`` it answers ``DoesNotExist`` with a 404
and ``IntegrityError`` with a 422, in the JSON shapes of the FastAPI integration.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Iterable, Mapping

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework, integrity_body, not_found_body
from tortoise.exceptions import DoesNotExist, IntegrityError

_responses = import_framework("blacksheep.server.responses", "blacksheep")


async def _does_not_exist(app: Any, request: Any, exc: DoesNotExist) -> Any:
    return _responses.json(not_found_body(exc), status=404)


async def _integrity_error(app: Any, request: Any, exc: IntegrityError) -> Any:
    return _responses.json(integrity_body(exc), status=422)


def register_tortoise(
    app: Any,
    config: Mapping[str, Any] | None = None,
    config_file: str | None = None,
    db_url: str | None = None,
    modules: Mapping[str, Iterable[str | ModuleType]] | None = None,
    generate_schemas: bool = False,
    add_exception_handlers: bool = False,
    use_tz: bool | None = None,
    timezone: str | None = None,
    _create_db: bool = False,
) -> OrmLifecycle:
    """Run the ORM for ``app``'s lifetime; give ``config``, ``config_file`` or ``db_url`` + ``modules``."""
    lifecycle = OrmLifecycle(config, config_file, db_url, modules, generate_schemas, use_tz, timezone, _create_db)

    app.on_start += lifecycle.init_orm
    app.on_stop += lifecycle.close_orm
    if add_exception_handlers:
        app.exceptions_handlers[DoesNotExist] = _does_not_exist
        app.exceptions_handlers[IntegrityError] = _integrity_error
    return lifecycle


__all__ = ["register_tortoise"]
