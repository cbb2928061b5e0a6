"""Tortoise 1.x's context API: one ORM state (apps + connections) per context object.

A ``TortoiseContext`` owns its connection registry and its apps.  ``with ctx:`` makes it
the current context of the running task (a contextvar, inherited by tasks started inside);
``set_global_context(ctx)`` makes it the fallback for every task that has none — what
``Tortoise.init()`` does, so that an ORM initialised in an ASGI startup hook serves every
request task.  ``tortoise.connections`` and ``Tortoise.apps`` always resolve through the
current context.
"""
from __future__ import annotations

import importlib
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Iterable

from tortoise.connection import ConnectionHandler
from tortoise.exceptions import ConfigurationError

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.apps import Apps
    from tortoise.backends.base.client import BaseDBAsyncClient
    from tortoise.models import Model

_current_context: ContextVar["TortoiseContext | None"] = ContextVar("tortoise_context", default=None)
_global_context: "TortoiseContext | None" = None


def get_current_context() -> "TortoiseContext | None":
    """The context of the running task, else the global fallback, else None."""
    return _current_context.get() or _global_context


def require_context() -> "TortoiseContext":
    ctx = get_current_context()
    if ctx is None:
        raise RuntimeError(
            "No TortoiseContext is currently active; call Tortoise.init(), "
            "or enter a TortoiseContext (with/async with)"
        )
    return ctx


def set_global_context(ctx: "TortoiseContext") -> None:
    """Make ``ctx`` the fallback context of tasks that have none (one at a time)."""
    global _global_context
    if _global_context is not None and _global_context is not ctx:
        raise ConfigurationError(
            "a global TortoiseContext is already set; close it (or its ORM) before setting another"
        )
    _global_context = ctx


def _clear_global_context(ctx: "TortoiseContext") -> None:
    global _global_context
    if _global_context is ctx:
        _global_context = None


class TortoiseContext:
    """Apps, connections and settings of one initialised ORM."""

    def __init__(self) -> None:
        self._connections: ConnectionHandler | None = None
        self._apps: "Apps | None" = None
        self._inited = False
        self._tokens: list[Token] = []
        self.routers: list[Any] = []
        self.use_tz: bool = True
        self.timezone: str = "UTC"

    # --- state ---------------------------------------------------------------------------
    @property
    def connections(self) -> ConnectionHandler:
        if self._connections is None:
            self._connections = ConnectionHandler()
        return self._connections

    @property
    def apps(self) -> "Apps | None":
        return self._apps

    @property
    def inited(self) -> bool:
        return self._inited

    def get_model(self, app_label: str, model_name: str) -> type["Model"]:
        if self._apps is None:
            raise ConfigurationError("Context not initialized; call ctx.init() first")
        return self._apps.get_model(app_label, model_name)

    def db(self, connection_name: str | None = None) -> "BaseDBAsyncClient":
        """A connection by name; without a name, the only (or first) one."""
        if connection_name is None:
            names = self.connections.names()
            if not names:
                raise ConfigurationError("Context not initialized: it has no connections")
            connection_name = names[0]
        return self.connections.get(connection_name)

    # --- life cycle ----------------------------------------------------------------------
    async def init(
        self,
        config: Any = None,
        config_file: str | None = None,
        _create_db: bool = False,
        db_url: str | None = None,
        modules: dict[str, Iterable[Any]] | None = None,
        use_tz: bool | None = None,
        timezone: str | None = None,
        routers: list[Any] | None = None,
        table_name_generator: Callable[[type["Model"]], str] | None = None,
        init_connections: bool = True,
    ) -> "TortoiseContext":
        """Load the config, set up the models and open the connections."""
        from tortoise import timezone as timezone_settings
        from tortoise.apps import setup_apps
        from tortoise.config import load_config
        from tortoise.router import router

        if _create_db and not init_connections:
            raise ConfigurationError(
                "init_connections=False cannot be used with _create_db=True: creating the database connects"
            )
        cfg = load_config(
            config, config_file, db_url, modules,
            use_tz=use_tz, timezone=timezone, routers=routers, testing=_create_db,
        )
        handler = self.connections
        if self._inited or handler.names():
            await handler.close_all(discard=True)
        timezone_settings.configure(use_tz=cfg.use_tz, timezone=cfg.timezone)
        apps = setup_apps(cfg, table_name_generator)
        try:
            for name, spec in cfg.connections.items():
                backend = importlib.import_module(spec.engine)
                client = backend.client_class(connection_name=name, **spec.credentials)
                handler.set(name, client)
                if _create_db:
                    await client.db_create()
                if init_connections or _create_db:
                    await client.create_connection(with_db=True)
        except BaseException:
            await handler.close_all(discard=True)
            raise
        handler.configure({n: s.to_dict() for n, s in cfg.connections.items()})
        self.routers = [router.resolve(r) for r in cfg.routers]
        router.init_routers(self.routers)
        self.use_tz, self.timezone = cfg.use_tz, cfg.timezone
        self._apps = apps
        self._inited = True
        return self

    async def generate_schemas(self, safe: bool = True) -> None:
        """Create the tables of every app on its connection (``safe``: IF NOT EXISTS)."""
        if not self._inited:
            raise ConfigurationError("Context not initialized: you have to call .init() first before generating schemas")
        from tortoise.utils import generate_schema_for_client

        for name in self.connections.names():
            await generate_schema_for_client(self.connections.get(name), safe)

    async def close_connections(self) -> None:
        if self._connections is not None:
            await self._connections.close_all(discard=True)

    async def _drop_databases(self) -> None:
        if not self._inited:
            raise ConfigurationError("You have to call .init() first before deleting schemas")
        if self._connections is not None:
            for client in self._connections.all():
                await client.db_delete()
        await self._reset()

    async def _reset(self) -> None:
        await self.close_connections()
        self._connections = None
        self._apps = None
        self._inited = False
        _clear_global_context(self)

    # --- making it current ---------------------------------------------------------------
    def __enter__(self) -> "TortoiseContext":
        self._tokens.append(_current_context.set(self))
        return self

    def __exit__(self, *exc: Any) -> None:
        token = self._tokens.pop()
        try:
            _current_context.reset(token)
        except ValueError:  # left in another task than the one that entered it
            _current_context.set(token.old_value if token.old_value is not Token.MISSING else None)

    async def __aenter__(self) -> "TortoiseContext":
        return self.__enter__()

    async def __aexit__(self, *exc: Any) -> None:
        try:
            await self._reset()
        finally:
            self.__exit__(*exc)

    def __repr__(self) -> str:
        state = f"apps={list(self._apps)}" if self._apps is not None else "not initialised"
        return f"<TortoiseContext {state}>"


@asynccontextmanager
async def tortoise_test_context(
    modules: Iterable[Any],
    db_url: str = "sqlite://:memory:",
    app_label: str = "models",
    connection_label: str | None = None,
    *,
    table_name_generator: Callable[[type["Model"]], str] | None = None,
    use_tz: bool | None = None,
    timezone: str | None = None,
    routers: list[Any] | None = None,
) -> AsyncIterator[TortoiseContext]:
    """A fresh test database with the schema of ``modules``, dropped at the end.

    Yields the (current) context: ``async with tortoise_test_context(["app.models"]) as ctx``.
    """
    from tortoise.config import generate_config

    config = generate_config(
        db_url, app_modules={app_label: list(modules)}, testing=True,
        connection_label=connection_label or app_label,
    )
    ctx = TortoiseContext()
    with ctx:
        await ctx.init(
            config, _create_db=True, table_name_generator=table_name_generator,
            use_tz=use_tz, timezone=timezone, routers=routers,
        )
        try:
            await ctx.generate_schemas(safe=False)
            yield ctx
        finally:
            await ctx._drop_databases()


__all__ = [
    "TortoiseContext", "get_current_context", "require_context", "set_global_context",
    "tortoise_test_context",
]
