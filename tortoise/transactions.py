"""``in_transaction()`` and ``@atomic()``: run a block on one connection, all or nothing.

Also the ORM's transaction context: while a block runs, its connection name resolves to
the transaction client in the current task (``connections`` overrides), so every query
inside uses the transaction without being passed ``using_db``.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.client import TransactionContext as _ClientTransaction
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError

F = TypeVar("F", bound=Callable[..., Any])


class TransactionContext(_ClientTransaction):
    """The client's transaction, routed: ``connections.get(name)`` is the transaction
    client in this task until the block ends."""

    __slots__ = ("handler", "token")

    async def __aenter__(self) -> BaseDBAsyncClient:
        # the client's __aenter__/__aexit__ (one line each) inlined: a coroutine less per block
        tx = self.tx = await self.client._begin()
        self.handler = connections._handler()
        self.token = self.handler._push(self.client.connection_name, tx)
        return tx

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            await self.tx._end(commit=exc_type is None)  # type: ignore[union-attr]
        finally:
            self.handler._pop(self.token)


BaseDBAsyncClient._transaction_context = TransactionContext  # type: ignore[attr-defined]


def _client_for(connection: "str | BaseDBAsyncClient | None") -> BaseDBAsyncClient:
    if connection is None:
        handler = connections._handler()
        names = handler.names()
        if "default" in names and len(names) > 1:
            return handler.get("default")
        if len(names) != 1:
            raise ConfigurationError(
                "in_transaction() needs a connection name when there are several connections "
                f"({', '.join(names) or 'none: call Tortoise.init first'})"
            )
        return handler.get(names[0])
    if isinstance(connection, str):
        return connections.get(connection)
    # an outer transaction object (seed: ``in_transaction(conn)``) nests a savepoint
    return connection


class _InTransaction:
    """Both an async context manager and a decorator (``@in_transaction()``)."""

    def __init__(self, connection: "str | BaseDBAsyncClient | None") -> None:
        self.connection = connection
        self._ctx: "TransactionContext | None" = None

    async def __aenter__(self) -> "BaseDBAsyncClient":
        self._ctx = _client_for(self.connection)._in_transaction()
        return await self._ctx.__aenter__()

    async def __aexit__(self, *exc: Any) -> None:
        await self._ctx.__aexit__(*exc)  # type: ignore[union-attr]

    def __call__(self, func: F) -> F:
        connection = self.connection

        @functools.wraps(func)
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            async with _InTransaction(connection):
                return await func(*args, **kwargs)

        return wrapped  # type: ignore[return-value]


def in_transaction(connection_name: "str | BaseDBAsyncClient | None" = None) -> _InTransaction:
    """``async with in_transaction() as conn:`` — commits on success, rolls back on error.

    Nested blocks use savepoints.  Queries inside the block run on the transaction's
    connection automatically (or pass ``using_db=conn``).
    """
    return _InTransaction(connection_name)


def atomic(connection_name: str | None = None) -> Callable[[F], F]:
    """Decorator running the function inside ``in_transaction(connection_name)``."""
    return _InTransaction(connection_name)
