"""Aldabra: a fast async ORM with the Tortoise ORM API."""
from __future__ import annotations

import asyncio
import importlib
from typing import Any, Coroutine

from tortoise.apps import discover_models, wire_relations
from tortoise.config import load_config
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError
from tortoise.models import Model
from tortoise.router import router
from tortoise import transactions as _transactions  # noqa: F401  (installs the routed transaction context)
from tortoise import timezone as timezone_settings

__version__ = "0.1.0"


class Tortoise:
    """Process-wide ORM state: apps, connections, schema generation."""

    apps: dict[str, dict[str, type[Model]]] = {}
    _inited: bool = False

    @classmethod
    async def init(
        cls,
        config: dict[str, Any] | None = None,
        config_file: str | None = None,
        _create_db: bool = False,
        db_url: str | None = None,
        modules: dict[str, Any] | None = None,
        use_tz: bool | None = None,
        timezone: str | None = None,
        routers: list[Any] | None = None,
        _enable_global_fallback: bool = True,  # Tortoise 1.x; Aldabra's state is always process-wide
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise ConfigurationError(f"Tortoise.init() got unknown argument(s): {', '.join(sorted(kwargs))}")
        cfg = load_config(config, config_file, db_url, modules, use_tz=use_tz, timezone=timezone, routers=routers, testing=_create_db)
        if cls._inited or connections.names():
            await connections.close_all(discard=True)
        timezone_settings.configure(use_tz=cfg.use_tz, timezone=cfg.timezone)
        apps: dict[str, dict[str, type[Model]]] = {label: {} for label in cfg.apps}
        owner: dict[type[Model], str] = {}
        discovered = {label: discover_models(label, list(app.models)) for label, app in cfg.apps.items()}
        for label, (own, _) in discovered.items():
            for model in own:
                if model in owner:
                    raise ConfigurationError(
                        f"model {model.__name__} is listed in two apps: '{owner[model]}' and '{label}'; list its module in one app only"
                    )
                owner[model] = label
        for label, (_, imported) in discovered.items():
            for model in imported:
                owner.setdefault(model, label)
        for model, label in owner.items():
            model.check()
            model._meta.app = label
            model._meta.default_connection = cfg.apps[label].default_connection
            apps[label][model.__name__] = model
        wire_relations(apps)
        clients = {}
        try:
            for name, spec in cfg.connections.items():
                backend = importlib.import_module(spec.engine)
                client = backend.client_class(connection_name=name, **spec.credentials)
                clients[name] = client
                connections.set(name, client)
                if _create_db:
                    await client.db_create()
                await client.create_connection(with_db=True)
        except BaseException:
            await connections.close_all(discard=True)
            raise
        connections.db_config.update({n: s.to_dict() for n, s in cfg.connections.items()})
        router.init_routers(cfg.routers)
        cls.apps = apps
        cls._inited = True

    @classmethod
    def get_connection(cls, connection_name: str) -> Any:
        return connections.get(connection_name)

    @classmethod
    async def generate_schemas(cls, safe: bool = True) -> None:
        """Create the tables of every app on its connection (``safe``: IF NOT EXISTS)."""
        if not cls._inited:
            raise ConfigurationError("call Tortoise.init() before generate_schemas()")
        from tortoise.utils import generate_schema_for_client

        for name in connections.names():
            await generate_schema_for_client(connections.get(name), safe)

    @classmethod
    async def close_connections(cls) -> None:
        await connections.close_all(discard=True)
        cls._inited = False

    @classmethod
    async def _drop_databases(cls) -> None:
        """Drop every configured database (test teardown) and close the connections."""
        for client in connections.all():
            await client.db_delete()
        await connections.close_all(discard=True)
        cls._inited = False

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
