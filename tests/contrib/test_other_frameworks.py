"""register_tortoise for aiohttp, Quart, Sanic, BlackSheep and Starlette: each test app starts,
serves queries over HTTP through the real framework, and shuts down with its connections closed.

The apps serve seed 000's User model (username, email, created_at).
"""
from __future__ import annotations

import importlib
import sys
import uuid

import pytest

from tortoise.exceptions import ConfigurationError
from tests.contrib.conftest import assert_closed, open_clients, served

SEED00 = {"models": ["tests.seed_models.seed00"]}
PEOPLE = [{"username": "Dunamis", "email": "dunamis@example.com"}, {"username": "Ada", "email": "ada@example.com"}]


async def users_listed():
    from tests.seed_models.seed00 import User

    return sorted(await User.all().values_list("username", flat=True))


async def create_user(data):
    from tests.seed_models.seed00 import User

    return (await User.create(**data)).id


async def check_http_round_trip(post, get) -> None:
    """POST two users, then GET them back: ``post(json) -> (status, body)``, ``get() -> body``."""
    for person in PEOPLE:
        status, body = await post(person)
        assert status == 201 and isinstance(body["id"], int)
    assert await get() == ["Ada", "Dunamis"]


async def test_aiohttp_app_on_a_real_server(app_db_url):
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from tortoise.contrib.aiohttp import register_tortoise

    async def list_users(request):
        return web.json_response(await users_listed())

    async def add_user(request):
        return web.json_response({"id": await create_user(await request.json())}, status=201)

    app = web.Application()
    app.add_routes([web.get("/users", list_users), web.post("/users", add_user)])
    register_tortoise(app, db_url=app_db_url, modules=SEED00, generate_schemas=True)

    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        clients = open_clients()

        async def post(data):
            answer = await client.post("/users", json=data)
            return answer.status, await answer.json()

        async def get():
            return await (await client.get("/users")).json()

        await check_http_round_trip(post, get)
    assert_closed(clients)


async def test_quart_app(app_db_url):
    from quart import Quart, request

    from tortoise.contrib.quart import register_tortoise

    app = Quart(__name__)

    @app.get("/users")
    async def list_users():
        return await users_listed()

    @app.post("/users")
    async def add_user():
        return {"id": await create_user(await request.get_json())}, 201

    register_tortoise(app, db_url=app_db_url, modules=SEED00, generate_schemas=True)
    await check_asgi_app(app)


async def test_sanic_app(app_db_url):
    from sanic import Sanic
    from sanic.response import json

    from tortoise.contrib.sanic import register_tortoise

    app = Sanic(f"aldabra_{uuid.uuid4().hex[:8]}")

    @app.get("/users")
    async def list_users(request):
        return json(await users_listed())

    @app.post("/users")
    async def add_user(request):
        return json({"id": await create_user(request.json)}, status=201)

    register_tortoise(app, db_url=app_db_url, modules=SEED00, generate_schemas=True)
    await check_asgi_app(app)


async def test_blacksheep_app_with_exception_handlers(app_db_url):
    from blacksheep import Application, json

    from tortoise.contrib.blacksheep import register_tortoise
    from tests.seed_models.seed00 import User

    app = Application()

    @app.router.get("/users")
    async def list_users():
        return json(await users_listed())

    @app.router.post("/users")
    async def add_user(request):
        return json({"id": await create_user(await request.json())}, status=201)

    @app.router.get("/users/{username}")
    async def one_user(username: str):
        return json({"email": (await User.get(username=username)).email})

    register_tortoise(app, db_url=app_db_url, modules=SEED00, generate_schemas=True, add_exception_handlers=True)
    await check_asgi_app_with_handlers(app)


async def test_starlette_app(app_db_url):
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from tortoise.contrib.starlette import register_tortoise

    async def users(request):
        if request.method == "POST":
            return JSONResponse({"id": await create_user(await request.json())}, status_code=201)
        return JSONResponse(await users_listed())

    app = Starlette(routes=[Route("/users", users, methods=["GET", "POST"])])
    register_tortoise(app, db_url=app_db_url, modules=SEED00, generate_schemas=True)
    await check_asgi_app(app)


def httpx_calls(http):
    async def post(data):
        answer = await http.post("/users", json=data)
        return answer.status_code, answer.json()

    async def get():
        return (await http.get("/users")).json()

    return post, get


async def check_asgi_app(app) -> None:
    async with served(app) as http:
        clients = open_clients()
        await check_http_round_trip(*httpx_calls(http))
    assert_closed(clients)


async def check_asgi_app_with_handlers(app) -> None:
    """The round trip, then GET /users/{name}: 404 for an unknown name, 422 for a clash."""
    async with served(app) as http:
        clients = open_clients()
        await check_http_round_trip(*httpx_calls(http))
        assert (await http.get("/users/Ada")).json() == {"email": "ada@example.com"}
        missing = await http.get("/users/Nobody")
        assert missing.status_code == 404 and "User" in missing.json()["detail"]
        clash = await http.post("/users", json={"username": "Ada", "email": "other@example.com"})
        assert clash.status_code == 422
        [problem] = clash.json()["detail"]
        assert problem["type"] == "IntegrityError" and "username" in problem["msg"]
    assert_closed(clients)


FRAMEWORKS = ["aiohttp", "blacksheep", "fastapi", "nexios", "quart", "sanic", "starlette"]  # each contrib module is named after its framework


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_missing_framework_names_the_extra(name, monkeypatch):
    monkeypatch.setitem(sys.modules, name, None)  # makes `import <framework>` fail
    for loaded in [m for m in sys.modules if m == f"tortoise.contrib.{name}" or m.startswith(f"{name}.")]:
        monkeypatch.delitem(sys.modules, loaded)
    with pytest.raises(ImportError) as info:
        importlib.import_module(f"tortoise.contrib.{name}")
    assert f"pip install 'aldabra[{name}]'" in str(info.value)


@pytest.mark.parametrize("name", ["aiohttp", "quart", "sanic", "blacksheep", "starlette"])
def test_register_tortoise_without_a_database_is_a_configuration_error(name):
    register_tortoise = importlib.import_module(f"tortoise.contrib.{name}").register_tortoise
    with pytest.raises(ConfigurationError) as info:
        register_tortoise(object())
    for accepted in ("config", "config_file", "db_url", "modules"):
        assert accepted in str(info.value)


async def test_starlette_register_tortoise_in_a_lifespan(app_db_url):
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from tortoise.contrib.starlette import RegisterTortoise
    from tests.seed_models.seed00 import User

    @asynccontextmanager
    async def lifespan(app):
        async with RegisterTortoise(app, db_url=app_db_url, modules=SEED00, generate_schemas=True, add_exception_handlers=True):
            yield

    async def one(request):
        return JSONResponse({"email": (await User.get(username=request.path_params["name"])).email})

    async def users(request):
        if request.method == "POST":
            return JSONResponse({"id": await create_user(await request.json())}, status_code=201)
        return JSONResponse(await users_listed())

    app = Starlette(routes=[Route("/users", users, methods=["GET", "POST"]), Route("/users/{name}", one)], lifespan=lifespan)
    await check_asgi_app_with_handlers(app)


def test_a_broken_framework_install_shows_its_own_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "multidict", None)  # a dependency of aiohttp goes missing
    for loaded in [m for m in sys.modules if m in ("tortoise.contrib.aiohttp", "aiohttp") or m.startswith(("aiohttp.", "multidict."))]:
        monkeypatch.delitem(sys.modules, loaded)
    with pytest.raises(ImportError) as info:
        importlib.import_module("tortoise.contrib.aiohttp")
    assert info.value.name == "multidict" and "aldabra[" not in str(info.value)
