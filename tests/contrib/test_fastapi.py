"""tortoise.contrib.fastapi driven through real FastAPI apps: seed 004's API and the set-up forms."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tortoise.contrib.fastapi import (
    HTTPNotFoundError,
    RegisterTortoise,
    register_tortoise,
    tortoise_exception_handlers,
)
from tortoise.exceptions import ConfigurationError
from tests.contrib.conftest import assert_closed, connection_dict, load_fresh, open_clients, served

SEED04 = {"models": ["tests.seed_models.seed04"]}


def seed004_app(monkeypatch, url):
    return load_fresh("examples.fastapi_app", monkeypatch, DATABASE_URL=url)


async def test_seed004_users_api(app_db_url, monkeypatch):
    module = seed004_app(monkeypatch, app_db_url)
    async with served(module.app) as http:
        clients = open_clients()
        made = await http.post("/users", json={"email": "alice@example.com", "username": "alice", "password": "pw"})
        assert made.status_code == 201, made.text
        alice = made.json()
        assert alice == {"id": alice["id"], "email": "alice@example.com", "username": "alice", "role": "user"}

        same_email = await http.post("/users", json={"email": "alice@example.com", "username": "alice2", "password": "x"})
        assert (same_email.status_code, same_email.json()) == (409, {"detail": "Email already registered"})
        same_name = await http.post("/users", json={"email": "other@example.com", "username": "alice", "password": "x"})
        assert (same_name.status_code, same_name.json()) == (409, {"detail": "Username taken"})

        got = await http.get(f"/users/{alice['id']}")
        assert (got.status_code, got.json()) == (200, alice)
        missing = await http.get(f"/users/{alice['id'] + 100}")
        assert (missing.status_code, missing.json()) == (404, {"detail": "User not found"})
        invalid = await http.post("/users", json={"email": "x@example.com"})
        assert invalid.status_code == 422

        stored = await module.User.get(id=alice["id"])
        assert stored.password_hash == module.hash_password("pw")
    assert_closed(clients)


async def test_seed004_orders_api_and_exception_handlers(app_db_url, monkeypatch):
    module = seed004_app(monkeypatch, app_db_url)
    async with served(module.app) as http:
        user = (await http.post("/users", json={"email": "b@example.com", "username": "b", "password": "pw"})).json()
        for number, total, status in [("ORD-1", "99.99", "pending"), ("ORD-2", "5.00", "paid"), ("ORD-3", "12.50", "pending")]:
            made = await http.post(f"/users/{user['id']}/orders", json={"order_number": number, "total": total, "status": status})
            assert made.status_code == 201, made.text
            assert made.json()["customer_id"] == user["id"]

        orders = (await http.get(f"/users/{user['id']}/orders")).json()
        assert sorted((o["order_number"], o["total"]) for o in orders) == [("ORD-1", 99.99), ("ORD-2", 5.0), ("ORD-3", 12.5)]
        pending = (await http.get(f"/users/{user['id']}/orders", params={"status": "pending"})).json()
        assert sorted(o["order_number"] for o in pending) == ["ORD-1", "ORD-3"]
        assert (await http.get(f"/users/{user['id'] + 1}/orders")).json() == []

        # add_exception_handlers=True: DoesNotExist → 404, IntegrityError → 422 naming the column
        no_user = await http.post(f"/users/{user['id'] + 1}/orders", json={"order_number": "ORD-9"})
        assert no_user.status_code == 404
        assert set(no_user.json()) == {"detail"} and "User" in no_user.json()["detail"]
        clash = await http.post(f"/users/{user['id']}/orders", json={"order_number": "ORD-1"})
        assert clash.status_code == 422
        [problem] = clash.json()["detail"]
        assert problem["type"] == "IntegrityError" and "order_number" in problem["msg"]

        # the pydantic_model_creator model of an order
        first = orders[0]
        detail = (await http.get(f"/orders/{first['id']}")).json()
        assert detail["order_number"] == first["order_number"] and float(detail["total"]) == first["total"]
        assert {"id", "status", "created_at", "updated_at"} <= set(detail)
        assert (await http.get(f"/orders/{first['id'] + 100}")).status_code == 404

        schema = (await http.get("/openapi.json")).json()
        responses = schema["paths"]["/users/{user_id}/orders"]["post"]["responses"]
        assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/HTTPNotFoundError"}
        assert schema["components"]["schemas"]["HTTPNotFoundError"]["required"] == ["detail"]


async def test_seed004_app_under_fastapi_testclient(app_db_url, monkeypatch):
    """FastAPI's own TestClient runs the lifespan and the requests on an event loop of its own."""
    module = seed004_app(monkeypatch, app_db_url)

    def scenario():
        with TestClient(module.app) as client:
            made = client.post("/users", json={"email": "t@example.com", "username": "t", "password": "pw"})
            assert made.status_code == 201, made.text
            assert client.get(f"/users/{made.json()['id']}").json()["username"] == "t"
            assert client.get("/users/999999").status_code == 404
            return open_clients()

    clients = await asyncio.to_thread(scenario)
    assert_closed(clients)


async def test_register_tortoise_wraps_the_existing_lifespan(app_db_url):
    events = []

    @asynccontextmanager
    async def lifespan(app):
        from tests.seed_models.seed04 import Tag

        events.append(("startup sees tables", await Tag.all().count()))
        await Tag.create(name="made at startup")
        yield
        events.append(("shutdown still has the ORM", await Tag.all().count()))

    app = FastAPI(lifespan=lifespan)

    @app.get("/tags")
    async def tags():
        from tests.seed_models.seed04 import Tag

        return await Tag.all().values_list("name", flat=True)

    register_tortoise(app, db_url=app_db_url, modules=SEED04, generate_schemas=True, add_exception_handlers=True)
    async with served(app) as http:
        clients = open_clients()
        assert (await http.get("/tags")).json() == ["made at startup"]
    assert events == [("startup sees tables", 0), ("shutdown still has the ORM", 1)]
    assert_closed(clients)


async def test_register_tortoise_without_lifespan_adds_exception_handlers(app_db_url):
    from tests.seed_models.seed04 import Category

    app = FastAPI()

    @app.get("/categories/{slug}")
    async def category(slug: str):
        found = await Category.get(slug=slug)
        return {"id": found.id, "name": found.name}

    @app.post("/categories/{slug}")
    async def create(slug: str):
        made = await Category.create(name=slug.title(), slug=slug)
        return {"id": made.id}

    register_tortoise(app, db_url=app_db_url, modules=SEED04, generate_schemas=True, add_exception_handlers=True)
    async with served(app) as http:
        made = await http.post("/categories/books")
        assert made.status_code == 200
        assert (await http.get("/categories/books")).json() == {"id": made.json()["id"], "name": "Books"}
        missing = await http.get("/categories/music")
        assert missing.status_code == 404 and "Category" in missing.json()["detail"]
        clash = await http.post("/categories/books")
        assert clash.status_code == 422
        assert clash.json()["detail"][0]["type"] == "IntegrityError"


async def test_register_tortoise_awaited_in_a_startup_hook(app_db_url):
    """``await RegisterTortoise(...)`` sets the ORM up for apps with start-up/shut-down hooks."""
    from tests.seed_models.seed04 import Tag

    registered = []

    async def startup():
        registered.append(await RegisterTortoise(db_url=app_db_url, modules=SEED04, generate_schemas=True))

    async def shutdown():
        await registered[0].close_orm()

    app = FastAPI(on_startup=[startup], on_shutdown=[shutdown], exception_handlers=tortoise_exception_handlers())

    @app.get("/tags/{name}")
    async def tag(name: str):
        return {"name": (await Tag.get(name=name)).name}

    async with served(app) as http:
        clients = open_clients()
        await Tag.create(name="python")
        assert (await http.get("/tags/python")).json() == {"name": "python"}
        missing = await http.get("/tags/rust")
        assert missing.status_code == 404 and set(missing.json()) == {"detail"}
    assert_closed(clients)


async def test_seed003_register_tortoise_with_a_credentials_config(app_db_url):
    """Seed 003: register_tortoise(app, config={connections: {default: {engine, credentials: {…, echo}}}, apps})."""
    from tests.seed_models.seed03 import Author, Book

    config = {
        "connections": {"default": connection_dict(app_db_url, echo=True)},
        "apps": {"models": {"models": ["tests.seed_models.seed03"], "default_connection": "default"}},
    }
    app = FastAPI()

    @app.get("/authors/{author_id}/books")
    async def books(author_id: int):
        author = await Author.get(id=author_id)
        return [book.title for book in await author.books.all()]

    register_tortoise(app, config=config, generate_schemas=True, add_exception_handlers=True)
    async with served(app) as http:
        author = await Author.create(name="Ursula")
        await Book.create(title="A Wizard of Earthsea", author=author)
        await Book.create(title="The Dispossessed", author=author)
        assert sorted((await http.get(f"/authors/{author.id}/books")).json()) == ["A Wizard of Earthsea", "The Dispossessed"]
        assert (await http.get(f"/authors/{author.id + 1}/books")).status_code == 404


def test_http_not_found_error_is_a_pydantic_model():
    assert HTTPNotFoundError(detail="gone").model_dump() == {"detail": "gone"}


@pytest.mark.parametrize("call", [lambda: register_tortoise(FastAPI()), lambda: RegisterTortoise(FastAPI())])
async def test_no_database_configured_is_a_configuration_error(call):
    with pytest.raises(ConfigurationError) as info:
        call()
    for accepted in ("config", "config_file", "db_url", "modules"):
        assert accepted in str(info.value)


async def test_db_url_without_modules_is_refused_when_registering():
    with pytest.raises(ConfigurationError, match="modules"):
        register_tortoise(FastAPI(), db_url="sqlite://:memory:")
