"""Tortoise ORM for BlackSheep applications (extra ``aldabra[blacksheep]``).

``register_tortoise(app, ...)`` sets the ORM up ``on_start`` and closes its connections
``on_stop``; with ``add_exception_handlers=True`` it answers ``DoesNotExist`` with a 404
and ``IntegrityError`` with a 422, in the JSON shapes of the FastAPI integration.
"""
from __future__ import annotations

from typing import Any

from tortoise.contrib._lifecycle import (
    OrmLifecycle,
    import_framework,
    integrity_body,
    not_found_body,
    register_function,
)
from tortoise.exceptions import DoesNotExist, IntegrityError

_responses = import_framework("blacksheep.server.responses", "blacksheep")


async def _does_not_exist(app: Any, request: Any, exc: DoesNotExist) -> Any:
    return _responses.json(not_found_body(exc), status=404)


async def _integrity_error(app: Any, request: Any, exc: IntegrityError) -> Any:
    return _responses.json(integrity_body(exc), status=422)


def _hook(app: Any, lifecycle: OrmLifecycle) -> None:
    app.on_start += lifecycle.init_orm
    app.on_stop += lifecycle.close_orm


_register = register_function("BlackSheep", _hook)


def register_tortoise(app: Any, *args: Any, add_exception_handlers: bool = False, **kwargs: Any) -> OrmLifecycle:
    """Run the ORM for a BlackSheep application's lifetime; give ``config``, ``config_file``
    or ``db_url`` + ``modules`` (ConfigurationError otherwise), and optionally
    ``generate_schemas``, ``use_tz``, ``timezone``."""
    lifecycle = _register(app, *args, **kwargs)
    if add_exception_handlers:
        app.exceptions_handlers[DoesNotExist] = _does_not_exist
        app.exceptions_handlers[IntegrityError] = _integrity_error
    return lifecycle


__all__ = ["register_tortoise"]
