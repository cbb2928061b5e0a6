"""What every web-framework integration shares: set the ORM up at start, close it at stop.

Each ``tortoise.contrib.<framework>`` module only hooks `OrmLifecycle.init_orm` and
`OrmLifecycle.close_orm` into its framework's own start-up and clean-up signals.  The ORM
state is process-wide (see tortoise.connection), so requests served by tasks other than
the one that ran start-up see the initialised ORM.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Callable, Iterable, Mapping

from tortoise import Tortoise
from tortoise.config import load_config


def import_framework(module: str, extra: str) -> ModuleType:
    """Import ``module``; if its package is missing, say which Aldabra extra installs it."""
    package = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = exc.name or ""
        if not (module == missing or module.startswith(missing + ".")):  # installed but broken
            raise
        raise ImportError(
            f"tortoise.contrib.{extra} needs the '{package}' package, which is not installed; "
            f"install it with: pip install 'aldabra[{extra}]'"
        ) from exc


class OrmLifecycle:
    """The ORM's set-up and tear-down for one application.

    Accepts exactly one of ``config``, ``config_file`` or ``db_url`` + ``modules``, like
    `Tortoise.init`; the configuration is checked here (ConfigurationError), when the
    application is being built, rather than when the server starts.
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        config_file: str | None = None,
        db_url: str | None = None,
        modules: Mapping[str, Iterable[str | ModuleType]] | None = None,
        generate_schemas: bool = False,
        use_tz: bool | None = None,
        timezone: str | None = None,
        _create_db: bool = False,
    ) -> None:
        load_config(config, config_file, db_url, modules, use_tz=use_tz, timezone=timezone)
        self._init_kwargs: dict[str, Any] = {
            "config": config,
            "config_file": config_file,
            "db_url": db_url,
            "modules": modules,
            "use_tz": use_tz,
            "timezone": timezone,
            "_create_db": _create_db,
        }
        self.generate_schemas = generate_schemas

    # Both accept and ignore the arguments frameworks pass to their hooks (the app, a loop).
    async def init_orm(self, *_hook_args: Any) -> None:
        await Tortoise.init(**self._init_kwargs)
        if self.generate_schemas:
            await Tortoise.generate_schemas()

    async def close_orm(self, *_hook_args: Any) -> None:
        await Tortoise.close_connections()


def register_function(framework: str, hook: Callable[[Any, OrmLifecycle], None]) -> Callable[..., OrmLifecycle]:
    """The ``register_tortoise(app, ...)`` of a framework whose ``hook`` attaches the ORM's
    set-up and tear-down to an application's start-up and clean-up signals."""

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
        lifecycle = OrmLifecycle(config, config_file, db_url, modules, generate_schemas, use_tz, timezone, _create_db)
        hook(app, lifecycle)
        return lifecycle

    register_tortoise.__doc__ = (
        f"Run the ORM for a {framework} application's lifetime; give ``config``, "
        "``config_file`` or ``db_url`` + ``modules`` (ConfigurationError otherwise)."
    )
    return register_tortoise


def not_found_body(exc: BaseException) -> dict[str, Any]:
    """The JSON body of a 404 answering ``DoesNotExist``: FastAPI's ``{"detail": ...}`` shape."""
    return {"detail": str(exc)}


def integrity_body(exc: BaseException) -> dict[str, Any]:
    """The JSON body of a 422 answering ``IntegrityError``, shaped like a validation error."""
    return {"detail": [{"loc": [], "msg": str(exc), "type": "IntegrityError"}]}
