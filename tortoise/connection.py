"""The registry of database clients, by connection name.

Clients live in a plain process-wide dict, so an ORM initialised in one task (an ASGI
startup hook) is visible to every other task.  Transactions override a name for the
current task only, through a contextvar holding {name: transaction client}.
"""
from __future__ import annotations

from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import ConfigurationError

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.backends.base.client import BaseDBAsyncClient


class ConnectionHandler:
    def __init__(self) -> None:
        self._clients: dict[str, "BaseDBAsyncClient"] = {}
        self._db_config: dict[str, dict[str, Any]] = {}
        self._overrides: ContextVar[dict[str, "BaseDBAsyncClient"] | None] = ContextVar(
            "tortoise_transactions", default=None
        )

    @property
    def db_config(self) -> dict[str, dict[str, Any]]:
        return self._db_config

    def get(self, conn_alias: str) -> "BaseDBAsyncClient":
        overrides = self._overrides.get()
        if overrides:
            client = overrides.get(conn_alias)
            if client is not None:
                return client
        try:
            return self._clients[conn_alias]
        except KeyError:
            known = ", ".join(sorted(self._clients)) or "none (call Tortoise.init first)"
            raise ConfigurationError(
                f"unknown connection '{conn_alias}'; connections are: {known}"
            ) from None

    def set(self, conn_alias: str, client: "BaseDBAsyncClient") -> None:
        self._clients[conn_alias] = client

    def all(self) -> list["BaseDBAsyncClient"]:
        return list(self._clients.values())

    def names(self) -> list[str]:
        return list(self._clients)

    def discard(self, conn_alias: str) -> "BaseDBAsyncClient | None":
        self._db_config.pop(conn_alias, None)
        return self._clients.pop(conn_alias, None)

    async def close_all(self, discard: bool = True) -> None:
        for client in list(self._clients.values()):
            await client.close()
        if discard:
            self._clients.clear()
            self._db_config.clear()

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


connections = ConnectionHandler()
