"""Tortoise ORM for Starlette applications (extra ``aldabra[starlette]``).

Two ways to set the ORM up:

- ``async with RegisterTortoise(app, ...): yield`` inside the application's lifespan, or
  ``await RegisterTortoise(app, ...)`` in a start-up hook of one's own;
- ``register_tortoise(app, ...)`` for applications that do not manage a lifespan: it wraps
  the application's lifespan (keeping whatever it already does) with ORM set-up and
  tear-down.

``tortoise.contrib.fastapi`` builds on this module.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any, AsyncIterator, Callable, Iterable, Mapping

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework, integrity_body, not_found_body
from tortoise.exceptions import DoesNotExist, IntegrityError

_responses = import_framework("starlette.responses", "starlette")


def tortoise_exception_handlers() -> dict[type[Exception], Callable[..., Any]]:
    """Handlers answering ``DoesNotExist`` with 404 and ``IntegrityError`` with 422 (JSON).

    Usable as ``Starlette(exception_handlers=tortoise_exception_handlers())``.
    """

    async def does_not_exist(request: Any, exc: DoesNotExist) -> Any:
        return _responses.JSONResponse(not_found_body(exc), status_code=404)

    async def integrity_error(request: Any, exc: IntegrityError) -> Any:
        return _responses.JSONResponse(integrity_body(exc), status_code=422)

    return {DoesNotExist: does_not_exist, IntegrityError: integrity_error}


def add_tortoise_exception_handlers(app: Any) -> None:
    """Install `tortoise_exception_handlers` on ``app``, even one that is already running."""
    for exc_class, handler in tortoise_exception_handlers().items():
        app.add_exception_handler(exc_class, handler)
    # Starlette copies its handlers into the middleware stack it builds on the first ASGI
    # call (the lifespan's); dropping the stack makes the next request rebuild it.
    if getattr(app, "middleware_stack", None) is not None:
        app.middleware_stack = None


class RegisterTortoise:
    """Set the ORM up on enter and close its connections on exit; also awaitable alone.

    Accepts exactly one of ``config``, ``config_file`` or ``db_url`` + ``modules``.
    """

    def __init__(
        self,
        app: Any = None,
        config: Mapping[str, Any] | None = None,
        config_file: str | None = None,
        db_url: str | None = None,
        modules: Mapping[str, Iterable[str | ModuleType]] | None = None,
        generate_schemas: bool = False,
        add_exception_handlers: bool = False,
        use_tz: bool | None = None,
        timezone: str | None = None,
        _create_db: bool = False,
    ) -> None:
        self.app = app
        self.add_exception_handlers = add_exception_handlers
        self._lifecycle = OrmLifecycle(
            config, config_file, db_url, modules, generate_schemas, use_tz, timezone, _create_db
        )

    async def init_orm(self) -> None:
        await self._lifecycle.init_orm()
        if self.add_exception_handlers and self.app is not None:
            add_tortoise_exception_handlers(self.app)

    async def close_orm(self) -> None:
        await self._lifecycle.close_orm()

    async def __aenter__(self) -> "RegisterTortoise":
        await self.init_orm()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close_orm()

    def __await__(self):
        return self._init_and_return().__await__()

    async def _init_and_return(self) -> "RegisterTortoise":
        await self.init_orm()
        return self


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
) -> RegisterTortoise:
    """Run the ORM for ``app``'s whole lifespan, around the lifespan it already has.

    The ORM is ready before the application's own start-up code runs and is closed after
    its own shut-down code.
    """
    registration = RegisterTortoise(
        None, config, config_file, db_url, modules, generate_schemas, False, use_tz, timezone, _create_db
    )
    if add_exception_handlers:
        add_tortoise_exception_handlers(app)
    router = app.router
    inner = router.lifespan_context

    @asynccontextmanager
    async def lifespan_with_orm(lifespan_app: Any) -> AsyncIterator[Any]:
        async with registration:
            async with inner(lifespan_app) as state:
                yield state

    router.lifespan_context = lifespan_with_orm
    return registration


__all__ = [
    "RegisterTortoise",
    "register_tortoise",
    "tortoise_exception_handlers",
    "add_tortoise_exception_handlers",
]
