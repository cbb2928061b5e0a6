"""Test helpers: initializer/finalizer, test case classes and capability requirements.

``initializer()``/``finalizer()`` work both ways users call them: synchronously (they run
on an event loop of their own) and awaited from an async fixture.
"""
from __future__ import annotations

import asyncio
import functools
import inspect
import unittest
from typing import TYPE_CHECKING, Any, Callable, Iterable

from tortoise import Tortoise
from tortoise.connection import connections
from tortoise.context import tortoise_test_context
from tortoise.contrib.test.condition import matches
from tortoise.exceptions import ConfigurationError

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model

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


def _topological_sort_models(models: Iterable[type[Model]]) -> list[type[Model]]:
    """``models`` in an order safe for deleting their rows: a model before the models its
    foreign keys point to.  The same set gives the same order whatever order it comes in."""
    from tortoise.sql.ddl import order_by_dependencies

    by_name = sorted(models, key=lambda m: (m._meta.app or "", m.__name__))
    return list(reversed(order_by_dependencies(by_name)))


async def truncate_all_models() -> None:
    """Delete every row of every model (children before parents)."""
    from tortoise.sql import statements as statements_sql

    models = [m for app in Tortoise.apps.values() for m in app.values()]
    for model in _topological_sort_models(models):
        db = model._choose_db(for_write=True)
        for name in model._meta.m2m_fields:
            field = model._meta.fields_map[name]
            await db.execute_write(statements_sql.delete_all(db.dialect, field.through))
        # plain DELETE: no queryset, so no manager filter or default ordering gets in the way
        await db.execute_write(statements_sql.delete_all(db.dialect, model._meta.db_table))


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


def _capabilities_match(connection_name: str, conditions: dict[str, Any]) -> str | None:
    """Why the connection's capabilities do not match ``conditions`` (None if they do)."""
    names = connections.names()
    name = connection_name if connection_name in names else (names[0] if names else connection_name)
    caps = connections.get(name).capabilities
    for key, expected in conditions.items():
        value = getattr(caps, key, None)
        if not matches(expected, value):
            return f"requires {key} {expected!r}, connection '{name}' has {value!r}"
    return None


def requireCapability(connection_name: str = "models", **conditions: Any) -> Callable:
    """Skip a test (function, method or class) unless the connection's capabilities match.

    Values are plain (``dialect="postgres"``), ``"!name"`` or a condition from
    `tortoise.contrib.test.condition` (``dialect=NotIn("mssql", "mysql")``).
    """

    def decorator(test: Any) -> Any:
        if isinstance(test, type):
            for attr, value in list(vars(test).items()):
                if attr.startswith("test") and callable(value):
                    setattr(test, attr, decorator(value))
            return test
        if inspect.iscoroutinefunction(test):

            @functools.wraps(test)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                reason = _capabilities_match(connection_name, conditions)
                if reason:
                    raise unittest.SkipTest(reason)
                return await test(*args, **kwargs)

        else:

            @functools.wraps(test)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                reason = _capabilities_match(connection_name, conditions)
                if reason:
                    raise unittest.SkipTest(reason)
                return test(*args, **kwargs)

        return wrapper

    return decorator


def init_memory_sqlite(models: Any = None) -> Any:
    """Run an async ``main()`` on a fresh in-memory SQLite database (0.x helper).

    ``@init_memory_sqlite`` (models of ``__main__``), ``@init_memory_sqlite("app.models")``
    or ``@init_memory_sqlite(["app.models", ...])``.
    """

    def decorator(func: Callable[..., Any], modules: list[Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        async def runner(*args: Any, **kwargs: Any) -> Any:
            await Tortoise.init(db_url="sqlite://:memory:", modules={"models": modules})
            await Tortoise.generate_schemas()
            return await func(*args, **kwargs)

        return runner

    if callable(models):
        return decorator(models, ["__main__"])
    modules = [models] if isinstance(models, str) else list(models or ["__main__"])
    return lambda func: decorator(func, modules)


def env_initializer() -> _Step:
    """``initializer()`` configured from the environment (0.x helper).

    TORTOISE_TEST_MODULES (comma-separated modules, required), TORTOISE_TEST_APP
    (default "models"), TORTOISE_TEST_DB (default in-memory SQLite).
    """
    import os

    modules = [m.strip() for m in os.environ.get("TORTOISE_TEST_MODULES", "").split(",") if m.strip()]
    if not modules:
        raise ConfigurationError("env_initializer() needs TORTOISE_TEST_MODULES, e.g. 'app.models'")
    app_label = os.environ.get("TORTOISE_TEST_APP", "models")
    return initializer(modules, db_url=os.environ.get("TORTOISE_TEST_DB"), app_label=app_label)


# unittest's decorators, re-exported for 0.x test modules that import them from here
skip = unittest.skip
skipIf = unittest.skipIf
skipUnless = unittest.skipUnless
expectedFailure = unittest.expectedFailure


__all__ = [
    "initializer", "finalizer", "getDBConfig", "truncate_all_models", "tortoise_test_context",
    "SimpleTestCase", "IsolatedTestCase", "TruncationTestCase", "TestCase", "requireCapability",
    "init_memory_sqlite", "env_initializer", "skip", "skipIf", "skipUnless", "expectedFailure",
]
