"""Tortoise ORM for Nexios applications (extra ``aldabra[nexios]``).

``init_tortoise(app, config=TORTOISE_ORM)`` (or ``db_url=`` + ``modules=``) hooks ORM
set-up into the application's start-up and tear-down into its shut-down, and installs
exception handlers answering as the ``nexios-contrib`` integration does: ``DoesNotExist``
→ 404, ``IntegrityError`` → 400, ``ValidationError`` → 422, each with a JSON body
``{"error", "detail", "type"}``.  The real ``nexios_contrib.tortoise`` works on Aldabra too.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any, AsyncIterator, Callable, Iterable, Mapping

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework
from tortoise.exceptions import DoesNotExist, IntegrityError, ValidationError

import_framework("nexios", "nexios")

# exception class → (status, error, type) of the JSON answer
_ANSWERS: dict[type[Exception], tuple[int, str, str]] = {
    DoesNotExist: (404, "Record not found", "not_found_error"),
    IntegrityError: (400, "Integrity constraint violation", "integrity_error"),
    ValidationError: (422, "Validation failed", "validation_error"),
}


def _handler(status: int, error: str, kind: str) -> Callable[..., Any]:
    async def answer(request: Any, response: Any, exc: Exception) -> Any:
        return response.json({"error": error, "detail": str(exc), "type": kind}, status_code=status)

    return answer


def add_tortoise_exception_handlers(app: Any) -> None:
    """Answer ORM exceptions raised by handlers with JSON errors (see the module doc)."""
    for exc_class, answer in _ANSWERS.items():
        app.add_exception_handler(exc_class, _handler(*answer))


def init_tortoise(
    app: Any,
    db_url: str | None = None,
    modules: Mapping[str, Iterable[str | ModuleType]] | None = None,
    generate_schemas: bool = False,
    add_exception_handlers: bool = True,
    *,
    config: Mapping[str, Any] | None = None,
    config_file: str | None = None,
    use_tz: bool | None = None,
    timezone: str | None = None,
    _create_db: bool = False,
) -> OrmLifecycle:
    """Run the ORM for ``app``'s lifetime; give ``config``, ``config_file`` or ``db_url`` + ``modules``."""
    lifecycle = OrmLifecycle(config, config_file, db_url, modules, generate_schemas, use_tz, timezone, _create_db)
    inner = getattr(app, "lifespan_context", None)
    if inner is None:
        app.on_startup(lifecycle.init_orm)
        app.on_shutdown(lifecycle.close_orm)
    else:  # Nexios runs no start-up/shut-down hooks for an app with a lifespan: wrap it instead

        @asynccontextmanager
        async def lifespan_with_orm(lifespan_app: Any) -> AsyncIterator[Any]:
            await lifecycle.init_orm()
            try:
                async with inner(lifespan_app) as state:
                    yield state
            finally:
                await lifecycle.close_orm()

        app.lifespan_context = lifespan_with_orm
    if add_exception_handlers:
        add_tortoise_exception_handlers(app)
    return lifecycle


__all__ = ["init_tortoise", "add_tortoise_exception_handlers"]
