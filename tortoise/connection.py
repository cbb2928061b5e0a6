"""The registry of database clients, by connection name.

Each `TortoiseContext` owns one `ConnectionHandler`; the module-level ``connections``
resolves to the handler of the current context (see tortoise.context), so an ORM
initialised in one task (an ASGI startup hook) is visible to every other task through the
global fallback context.  Transactions override a name for the current task only, through
a contextvar holding {name: transaction client}.
"""
from __future__ import annotations

from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import ConfigurationError

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.backends.base.client import BaseDBAsyncClient


class ConnectionHandler:
    def __init__(self) -> None:
        self._storage: dict[str, "BaseDBAsyncClient"] = {}
        self._db_config: dict[str, dict[str, Any]] | None = None
        self._overrides: ContextVar[dict[str, "BaseDBAsyncClient"] | None] = ContextVar(
            "tortoise_transactions", default=None
        )

    @property
    def db_config(self) -> dict[str, dict[str, Any]]:
        if self._db_config is None:
            raise ConfigurationError(
                "DB configuration not initialised: call Tortoise.init with a valid configuration first"
            )
        return self._db_config

    def configure(self, db_config: dict[str, dict[str, Any]]) -> None:
        self._db_config = db_config

    def get(self, conn_alias: str) -> "BaseDBAsyncClient":
        overrides = self._overrides.get()
        if overrides:
            client = overrides.get(conn_alias)
            if client is not None:
                return client
        try:
            return self._storage[conn_alias]
        except KeyError:
            known = ", ".join(sorted(self._storage)) or "none (call Tortoise.init first)"
            raise ConfigurationError(
                f"unknown connection '{conn_alias}'; connections are: {known}"
            ) from None

    def set(self, conn_alias: str, client: "BaseDBAsyncClient") -> None:
        self._storage[conn_alias] = client

    def _get_storage(self) -> dict[str, "BaseDBAsyncClient"]:
        """The opened clients by name (Tortoise's helper; its test utilities read it)."""
        return self._storage

    def all(self) -> list["BaseDBAsyncClient"]:
        return list(self._storage.values())

    def names(self) -> list[str]:
        return list(self._storage)

    def discard(self, conn_alias: str) -> "BaseDBAsyncClient | None":
        if self._db_config is not None:
            self._db_config.pop(conn_alias, None)
        return self._storage.pop(conn_alias, None)

    async def close_all(self, discard: bool = True) -> None:
        for client in list(self._storage.values()):
            await client.close()
        if discard:
            self._storage.clear()
            self._db_config = None

    # --- transaction overrides (used by TransactionContext) ------------------------------
    def _push(self, conn_alias: str, client: "BaseDBAsyncClient") -> Token:
        current = self._overrides.get()
        updated = dict(current) if current else {}
        updated[conn_alias] = client
        return self._overrides.set(updated)

    def _pop(self, token: Token) -> None:
        try:
            self._overrides.reset(token)
        except ValueError:  # exited in another context (e.g. a generator finalizer)
            self._overrides.set(token.old_value if token.old_value is not Token.MISSING else None)


class CurrentConnections:
    """``tortoise.connections``: the `ConnectionHandler` of the current context.

    With no context active it is an empty registry, whose errors say to call init."""

    def __init__(self) -> None:
        self._empty = ConnectionHandler()

    def _handler(self) -> ConnectionHandler:
        ctx = _context.get_current_context()
        return ctx.connections if ctx is not None else self._empty

    def get(self, conn_alias: str) -> "BaseDBAsyncClient":
        # every query asks: _handler() and the context's property, inlined
        ctx = _context._current_context.get() or _context._global_context
        handler = ctx._connections if ctx is not None else self._empty
        return (handler or ctx.connections).get(conn_alias)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handler(), name)


from tortoise import context as _context  # noqa: E402  (context imports this module)

connections = CurrentConnections()
