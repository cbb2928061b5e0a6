"""Routing of models to connections: ``routers=["app.Router"]`` with db_for_read/db_for_write."""
from __future__ import annotations

import importlib
from typing import Any

from tortoise.exceptions import ConfigurationError


class ConnectionRouter:
    def __init__(self) -> None:
        self._routers: list[Any] = []

    def init_routers(self, routers: list[Any]) -> None:
        self._routers = [self._load(r) for r in routers]

    @staticmethod
    def _load(router: Any) -> Any:
        if isinstance(router, str):
            module_name, _, attr = router.rpartition(".")
            try:
                router = getattr(importlib.import_module(module_name), attr)
            except (ImportError, AttributeError, ValueError) as exc:
                raise ConfigurationError(f"cannot import router '{router}': {exc}") from exc
        return router() if isinstance(router, type) else router

    def db_for(self, model: type, for_write: bool) -> str | None:
        """The connection name routers choose for ``model`` (None: use the app's default)."""
        method = "db_for_write" if for_write else "db_for_read"
        for router in self._routers:
            chooser = getattr(router, method, None)
            if chooser is not None:
                name = chooser(model)
                if name is not None:
                    return name
        return None


router = ConnectionRouter()
