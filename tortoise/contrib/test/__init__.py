"""Test helpers: initializer/finalizer, test case classes and capability requirements.

``initializer()``/``finalizer()`` work both ways users call them: synchronously (they run
on an event loop of their own) and awaited from an async fixture.
"""
from __future__ import annotations

import asyncio
import functools
import unittest
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Iterable

from tortoise import Tortoise
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError

_CONFIG: dict[str, Any] = {}


class _Step:
    """The result of initializer()/finalizer(): already done (sync) or awaitable (async)."""

    def __init__(self, coro_factory: Callable[[], Any], loop: asyncio.AbstractEventLoop | None) -> None:
        self._factory = coro_factory
        self._done = False
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # called synchronously: run now
            (loop or _sync_loop()).run_until_complete(coro_factory())
            self._done = True

    def __await__(self):
        if self._done:
            return _noop().__await__()
        self._done = True
        return self._factory().__await__()


async def _noop() -> None:
    return None


_LOOP: asyncio.AbstractEventLoop | None = None


def _sync_loop() -> asyncio.AbstractEventLoop:
    global _LOOP
    if _LOOP is None or _LOOP.is_closed():
        _LOOP = asyncio.new_event_loop()
    return _LOOP


def getDBConfig(app_label: str, modules: Iterable[str]) -> dict[str, Any]:
    """The config dict tests use: ``TORTOISE_TEST_DB`` or in-memory SQLite."""
    import os

    from tortoise.config import generate_config

    db_url = os.environ.get("TORTOISE_TEST_DB", "sqlite://:memory:")
    return generate_config(db_url, app_modules={app_label: list(modules)}, testing=True, connection_label=app_label)


def initializer(
    modules: Iterable[str],
    db_url: str | None = None,
    app_label: str = "models",
    loop: asyncio.AbstractEventLoop | None = None,
) -> _Step:
    """Create a fresh test database with the schema of ``modules``."""
    from tortoise.config import generate_config

    config = (
        generate_config(db_url, app_modules={app_label: list(modules)}, testing=True, connection_label=app_label)
        if db_url
        else getDBConfig(app_label, modules)
    )
    _CONFIG.clear()
    _CONFIG.update(config=config, app_label=app_label)

    async def run() -> None:
        await Tortoise.init(config, _create_db=True)
        await Tortoise.generate_schemas(safe=False)

    return _Step(run, loop)


def finalizer() -> _Step:
    """Drop the test database created by initializer()."""

    async def run() -> None:
        await Tortoise._drop_databases()

    return _Step(run, None)


async def truncate_all_models() -> None:
    """Delete every row of every model (children before parents)."""
    from tortoise.sql.ddl import order_by_dependencies

    models = [m for app in Tortoise.apps.values() for m in app.values()]
    for model in reversed(order_by_dependencies(models)):
        for name in model._meta.m2m_fields:
            field = model._meta.fields_map[name]
            db = model._choose_db(for_write=True)
            await db.execute_write(f"DELETE FROM {db.dialect.quote(field.through)}")
        await model.all().delete()


@asynccontextmanager
async def tortoise_test_context(modules: Iterable[str], db_url: str = "sqlite://:memory:", app_label: str = "models") -> AsyncIterator[None]:
    """``async with tortoise_test_context(["app.models"]):`` — a database for the block."""
    from tortoise.config import generate_config

    config = generate_config(db_url, app_modules={app_label: list(modules)}, testing=True, connection_label=app_label)
    await Tortoise.init(config, _create_db=True)
    await Tortoise.generate_schemas(safe=False)
    try:
        yield
    finally:
        await Tortoise._drop_databases()


class SimpleTestCase(unittest.IsolatedAsyncioTestCase):
    """An async test case without database set-up."""

    async def asyncSetUp(self) -> None:
        await self._setUpDB()

    async def asyncTearDown(self) -> None:
        await self._tearDownDB()

    async def _setUpDB(self) -> None:
        pass

    async def _tearDownDB(self) -> None:
        pass


class IsolatedTestCase(SimpleTestCase):
    """Each test gets a new database with the schema (slow but fully isolated).

    Set ``tortoise_test_modules`` on the class, or call ``initializer()`` beforehand.
    """

    tortoise_test_modules: Iterable[str] = ()
    db_url = "sqlite://:memory:"

    async def _setUpDB(self) -> None:
        modules = list(self.tortoise_test_modules)
        if modules:
            from tortoise.config import generate_config

            config = generate_config(self.db_url, app_modules={"models": modules}, testing=True, connection_label="models")
        elif _CONFIG:
            config = _CONFIG["config"]
        else:
            raise ConfigurationError("set tortoise_test_modules on the test case or call initializer() first")
        await Tortoise.init(config, _create_db=True)
        await Tortoise.generate_schemas(safe=False)

    async def _tearDownDB(self) -> None:
        await Tortoise._drop_databases()


class TruncationTestCase(IsolatedTestCase):
    """Tests share one schema; every table is emptied after each test."""

    async def _tearDownDB(self) -> None:
        await truncate_all_models()
        await Tortoise._drop_databases()


class TestCase(IsolatedTestCase):
    """Each test runs on a fresh database (same guarantees as IsolatedTestCase)."""


def requireCapability(connection_name: str = "models", **conditions: Any) -> Callable:
    """Skip the test unless the connection's capabilities match ``conditions``."""

    def decorator(test: Callable) -> Callable:
        @functools.wraps(test)
        async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            names = connections.names()
            name = connection_name if connection_name in names else (names[0] if names else connection_name)
            caps = connections.get(name).capabilities
            for key, value in conditions.items():
                if getattr(caps, key) != value:
                    raise unittest.SkipTest(f"requires {key}={value!r}")
            return await test(self, *args, **kwargs)

        return wrapper

    return decorator


__all__ = [
    "initializer", "finalizer", "getDBConfig", "truncate_all_models", "tortoise_test_context",
    "SimpleTestCase", "IsolatedTestCase", "TruncationTestCase", "TestCase", "requireCapability",
]
