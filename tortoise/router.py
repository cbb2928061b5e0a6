"""Routing of models to connections: ``routers=["app.Router"]`` with db_for_read/db_for_write."""
from __future__ import annotations

import importlib
from typing import Any

from tortoise.exceptions import ConfigurationError


class ConnectionRouter:
    def __init__(self) -> None:
        self._routers: list[Any] = []

    def init_routers(self, routers: list[Any]) -> None:
        """Use ``routers``: dotted paths, classes (instantiated here) or router objects."""
        self._routers = [r() if isinstance(r, type) else r for r in map(self.resolve, routers)]

    @staticmethod
    def resolve(router: Any) -> Any:
        """A router given by dotted path → its class; classes and router objects unchanged."""
        if isinstance(router, str):
            module_name, _, attr = router.rpartition(".")
            try:
                return getattr(importlib.import_module(module_name), attr)
            except (ImportError, AttributeError, ValueError) as exc:
                raise ConfigurationError(f"Can't import router '{router}': {exc}") from exc
        if isinstance(router, type) or hasattr(router, "db_for_read") or hasattr(router, "db_for_write"):
            return router
        raise ConfigurationError(
            f"Router must be either str or type (or an object with db_for_read/db_for_write), got {router!r}"
        )

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
