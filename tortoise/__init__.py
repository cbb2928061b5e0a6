"""Aldabra: a fast async ORM with the Tortoise ORM API."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, Callable, Coroutine, Iterable

from tortoise.apps import Apps
from tortoise.connection import connections
from tortoise.context import TortoiseContext, get_current_context, set_global_context
from tortoise.exceptions import ConfigurationError
from tortoise.models import Model
from tortoise import transactions as _transactions  # noqa: F401  (installs the routed transaction context)

__version__ = "0.1.0"


class _ContextProperty:
    """A class-level read-only attribute computed from the current context."""

    def __init__(self, read: Callable[[TortoiseContext | None], Any]) -> None:
        self.read = read

    def __get__(self, obj: Any, owner: Any) -> Any:
        return self.read(get_current_context())


class Tortoise:
    """The ORM's entry points; its state lives in the current `TortoiseContext`."""

    #: {app label: {model name: model}} of the current context
    apps = _ContextProperty(lambda ctx: (ctx.apps if ctx is not None else None) or Apps())
    _inited = _ContextProperty(lambda ctx: ctx is not None and ctx.inited)

    @classmethod
    async def init(
        cls,
        config: Any = None,
        config_file: str | None = None,
        _create_db: bool = False,
        db_url: str | None = None,
        modules: dict[str, Any] | None = None,
        use_tz: bool | None = None,
        timezone: str | None = None,
        routers: list[Any] | None = None,
        table_name_generator: Callable[[type[Model]], str] | None = None,
        init_connections: bool = True,
        _enable_global_fallback: bool = True,
        **kwargs: Any,
    ) -> TortoiseContext:
        """Initialise the ORM in the current context (a new one if none is active).

        A context created here becomes the global fallback (unless
        ``_enable_global_fallback=False``), so every task sees the ORM.
        """
        if kwargs:
            raise ConfigurationError(f"Tortoise.init() got unknown argument(s): {', '.join(sorted(kwargs))}")
        ctx = get_current_context()
        if ctx is None:
            ctx = TortoiseContext()
            if _enable_global_fallback:
                set_global_context(ctx)
            else:
                ctx.__enter__()
        return await ctx.init(
            config, config_file, _create_db, db_url, modules, use_tz=use_tz, timezone=timezone,
            routers=routers, table_name_generator=table_name_generator, init_connections=init_connections,
        )

    @classmethod
    def init_models(cls, models_paths: Iterable[Any], app_label: str, _init_relations: bool = True) -> None:
        """Set up models without any database (before ``pydantic_model_creator`` at import
        time, say): bind them to ``app_label`` and wire their relations.  Apps given in
        several calls are wired together once a call asks for relations."""
        from tortoise.apps import setup_apps

        ctx = get_current_context()
        if ctx is None:
            ctx = TortoiseContext()
            ctx.__enter__()
        early = ctx.__dict__.setdefault("_early_apps", {})
        early[app_label] = list(models_paths)
        if not _init_relations:
            return
        apps = {label: SimpleNamespace(models=paths, default_connection=None) for label, paths in early.items()}
        ctx._apps = setup_apps(SimpleNamespace(apps=apps))

    @classmethod
    def get_connection(cls, connection_name: str) -> Any:
        return connections.get(connection_name)

    @classmethod
    async def generate_schemas(cls, safe: bool = True) -> None:
        """Create the tables of every app on its connection (``safe``: IF NOT EXISTS)."""
        ctx = get_current_context()
        if ctx is None or not ctx.inited:
            raise ConfigurationError("You have to call .init() first before generating schemas (Tortoise.init)")
        await ctx.generate_schemas(safe)

    @classmethod
    async def close_connections(cls) -> None:
        """Close the current context's connections and forget its apps."""
        ctx = get_current_context()
        if ctx is not None:
            await ctx._reset()

    _reset_apps = close_connections  # the name Tortoise's own test helpers use

    @classmethod
    async def _drop_databases(cls) -> None:
        """Drop every configured database (test teardown) and close the connections."""
        ctx = get_current_context()
        if ctx is None:
            raise ConfigurationError("You have to call .init() first before deleting schemas")
        await ctx._drop_databases()

    @classmethod
    def describe_models(cls, models: list[type[Model]] | None = None, serializable: bool = True) -> dict[str, Any]:
        if models is None:
            models = [m for app in cls.apps.values() for m in app.values()]
        return {f"{m._meta.app}.{m.__name__}": m.describe(serializable) for m in models}

    @classmethod
    def get_model(cls, app_label: str, model_name: str) -> type[Model]:
        try:
            return cls.apps[app_label][model_name]
        except KeyError:
            raise ConfigurationError(f"no model '{app_label}.{model_name}'; apps are: {', '.join(cls.apps)}") from None


def run_async(coro: Coroutine) -> None:
    """Run ``coro`` in a new event loop, closing every connection afterwards."""

    async def main() -> None:
        try:
            await coro
        finally:
            await Tortoise.close_connections()

    asyncio.run(main())


__all__ = ["Model", "Tortoise", "run_async", "connections", "BaseDBAsyncClient", "__version__"]

from tortoise.backends.base.client import BaseDBAsyncClient  # noqa: E402
