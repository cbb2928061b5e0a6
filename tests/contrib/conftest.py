"""Fixtures for the web-framework tests.

Each test runs one real application on a database of its own (``app_db_url``): the main
test ORM is suspended meanwhile, the application's own start-up initialises the ORM and
its shut-down must close every connection (`assert_closed`).  `asgi_lifespan` drives an
ASGI application's lifespan protocol from a task of its own, as servers do, so requests
are always served by other tasks than the one that set the ORM up.
"""
from __future__ import annotations

import asyncio
import importlib
import sys
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable

import httpx
import pytest

from tortoise import Tortoise
from tortoise.config import load_config
from tortoise.connection import connections
from tests.conftest import TEST_DB, fresh_db_url, init_main

NO_MODELS = {"models": []}


@pytest.fixture
async def app_databases(orm) -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """Makes fresh, empty databases (``await app_databases()`` → URL); all dropped afterwards,
    and the main ORM restored."""
    await Tortoise.close_connections()
    made: list[str] = []

    async def new() -> str:
        url = fresh_db_url()
        if TEST_DB != "sqlite":
            await Tortoise.init(db_url=url, modules=NO_MODELS, _create_db=True)
            await Tortoise.close_connections()
            made.append(url)
        return url

    try:
        yield new
    finally:
        await Tortoise.close_connections()
        try:
            for url in made:
                await Tortoise.init(db_url=url, modules=NO_MODELS)
                await Tortoise._drop_databases()
        finally:
            await init_main(create_db=False)


@pytest.fixture
async def app_db_url(app_databases) -> str:
    """The URL of a fresh, empty database for one application."""
    return await app_databases()


def connection_dict(url: str, **extra_credentials: Any) -> dict[str, Any]:
    """``url`` as an engine/credentials dict (the config form seeds 003 and 004 write)."""
    spec = load_config(db_url=url, modules=NO_MODELS).connections["default"].to_dict()
    spec["credentials"].update(extra_credentials)
    return spec


def load_fresh(module: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> Any:
    """Import ``module`` anew with ``env`` set, so its module-level app reads that environment."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    sys.modules.pop(module, None)
    return importlib.import_module(module)


def open_clients() -> list[Any]:
    """The clients of every configured connection (kept to check they get closed)."""
    return [connections.get(name) for name in connections.names()]


def assert_closed(clients: list[Any]) -> None:
    """The ORM is shut down: no connection registered, every given client's pool/thread closed."""
    assert connections.names() == []
    assert clients, "the application never opened a connection"
    for client in clients:
        assert getattr(client, "_pool", None) is None and getattr(client, "_worker", None) is None, client


@asynccontextmanager
async def asgi_lifespan(app: Any, timeout: float = 30) -> AsyncIterator[None]:
    """Run ``app``'s ASGI lifespan (start-up on enter, shut-down on exit) in a task of its own."""
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
    task = asyncio.create_task(app(scope, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    started = await asyncio.wait_for(outbox.get(), timeout)
    assert started["type"] == "lifespan.startup.complete", started
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        stopped = await asyncio.wait_for(outbox.get(), timeout)
        await asyncio.wait_for(task, timeout)
        assert stopped["type"] == "lifespan.shutdown.complete", stopped


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``app`` while its lifespan runs (requests go through ASGI)."""
    async with asgi_lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
