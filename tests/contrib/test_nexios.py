"""Seed 001's Nexios blog API on Aldabra, through the real Nexios framework.

examples/nexios_app.py holds the seed's endpoints as written; it is run once with
``tortoise.contrib.nexios.init_tortoise`` and once with the third-party
``nexios_contrib.tortoise.init_tortoise`` the seed imports.
"""
from __future__ import annotations

import random

import pytest
from nexios import NexiosApp

from tortoise.contrib.nexios import init_tortoise
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError, OperationalError
from tests.conftest import TEST_DB
from tests.contrib.conftest import assert_closed, load_fresh, open_clients, served


def blog_app(monkeypatch, url, integration="aldabra"):
    return load_fresh("examples.nexios_app", monkeypatch, DATABASE_URL=url, NEXIOS_TORTOISE=integration)


async def blog_scenario(http) -> None:
    """The seed's endpoints, each checked on real data."""
    made = await http.post("/users", json={"username": "anna", "email": "anna@x.io", "password": "s3cret", "full_name": "Anna"})
    assert made.status_code == 201, made.text
    anna = made.json()
    assert anna["username"] == "anna" and anna["email"] == "anna@x.io" and "T" in anna["created_at"]
    bob = (await http.post("/users", json={"username": "bob", "email": "bob@fans.io", "password": "pw"})).json()
    carl = (await http.post("/users", json={"username": "carl", "email": "carl@x.io", "password": "pw"})).json()

    # duplicates: IntegrityError → 400 from the exception handlers
    clash = await http.post("/users", json={"username": "anna", "email": "new@x.io", "password": "pw"})
    assert clash.status_code == 400 and clash.json()["type"] == "integrity_error"
    assert "username" in clash.json()["detail"]

    # list, search (OR of two querysets), paging
    listed = (await http.get("/users", params={"limit": 2})).json()
    assert listed["pagination"] == {"total": 3, "limit": 2, "offset": 0, "has_next": True}
    assert len(listed["users"]) == 2
    found = (await http.get("/users", params={"search": "fans"})).json()
    assert [u["username"] for u in found["users"]] == ["bob"]
    found = (await http.get("/users", params={"search": "x.io"})).json()
    assert sorted(u["username"] for u in found["users"]) == ["anna", "carl"]

    # get, update, soft delete, 404 for unknown ids
    got = (await http.get(f"/users/{anna['id']}")).json()
    assert (got["username"], got["full_name"], got["post_count"]) == ("anna", "Anna", 0)
    updated = (await http.put(f"/users/{anna['id']}", json={"full_name": "Anna B."})).json()
    assert updated["full_name"] == "Anna B."
    missing = await http.get("/users/999999")
    assert missing.status_code == 404 and missing.json()["type"] == "not_found_error"
    assert (await http.put("/users/999999", json={})).status_code == 404
    assert (await http.delete(f"/users/{carl['id']}")).json() == {"message": "User deactivated successfully"}
    assert (await http.get("/users")).json()["pagination"]["total"] == 2

    # posts, comments, tags, nested prefetch
    as_anna = {"X-User-Id": str(anna["id"])}
    hello = (await http.post("/posts", json={"title": "Hello Aldabra", "slug": "hello", "content": "async ORM", "view_count": 10}, headers=as_anna)).json()
    draft = (await http.post("/posts", json={"title": "Draft", "slug": "draft", "content": "wip"}, headers=as_anna)).json()
    comment = await http.post(f"/posts/{hello['id']}/comments", json={"content": "Nice!"}, headers={"X-User-Id": str(bob["id"])})
    assert comment.status_code == 201
    assert comment.json()["author"] == {"id": bob["id"], "username": "bob"}
    assert (await http.post("/posts/999999/comments", json={"content": "?"}, headers=as_anna)).status_code == 404
    tags = (await http.post(f"/posts/{hello['id']}/tags", json={"tags": ["Python", "Async IO"]})).json()
    assert sorted(t["name"] for t in tags["tags"]) == ["Async IO", "Python"]
    again = (await http.post(f"/posts/{draft['id']}/tags", json={"tags": ["Python"]})).json()
    assert [t["id"] for t in again["tags"]] == [t["id"] for t in tags["tags"] if t["name"] == "Python"]
    post = (await http.get(f"/posts/{hello['id']}")).json()
    assert post["author"] == {"id": anna["id"], "username": "anna"}
    assert [(c["content"], c["author"]["username"]) for c in post["comments"]] == [("Nice!", "bob")]
    assert sorted(t["name"] for t in post["tags"]) == ["Async IO", "Python"]
    assert (await http.get(f"/users/{anna['id']}")).json()["post_count"] == 2

    # publish in a transaction; search published posts
    published = await http.post(f"/posts/{hello['id']}/publish")
    assert published.json() == {"message": "Post published successfully", "post_id": hello["id"]}
    assert (await http.post("/posts/999999/publish")).status_code == 404
    results = (await http.get("/posts/search", params={"q": "aldabra"})).json()["posts"]
    assert [(p["title"], p["author"], sorted(p["tags"])) for p in results] == [("Hello Aldabra", "anna", ["Async IO", "Python"])]
    assert (await http.get("/posts/search", params={"q": "wip"})).json()["posts"] == []
    drafts = (await http.get("/posts/search", params={"published": "false", "author_id": str(anna["id"])})).json()["posts"]
    assert sorted(p["title"] for p in drafts) == ["Draft", "Hello Aldabra"]

    # statistics: counts, per-user annotation, average views
    stats = (await http.get("/stats")).json()
    assert (stats["total_users"], stats["total_posts"]) == (2, 1)
    assert stats["top_authors"][0] == {"id": anna["id"], "username": "anna", "post_count": 2}
    assert float(stats["average_views"]) == 10.0

    # the seed's /transfer uses fields its models lack: it fails and its transaction rolls back
    before = (await http.get(f"/users/{anna['id']}")).json()["post_count"]
    failed = await http.post("/transfer", json={"user_id": anna["id"], "title": "T", "content": "c"})
    assert failed.status_code >= 400
    assert (await http.get(f"/users/{anna['id']}")).json()["post_count"] == before


#: nexios-contrib validates URLs itself and knows no psycopg:// scheme (the psycopg run
#: shares its PostgreSQL server with the postgres run, where it is tested)
third_party_url = pytest.mark.skipif(TEST_DB == "psycopg", reason="nexios-contrib refuses psycopg:// URLs")


@pytest.mark.parametrize("integration", ["aldabra", pytest.param("nexios-contrib", marks=third_party_url)])
async def test_seed001_blog_api(app_db_url, monkeypatch, integration):
    module = blog_app(monkeypatch, app_db_url, integration)
    async with served(module.app) as http:
        clients = open_clients()
        await blog_scenario(http)
    assert_closed(clients)


class ReadWriteRouter:
    """Seed 001's router: reads from a replica, writes to the master."""

    def db_for_read(self, model):
        return random.choice(["replica1", "replica2"])

    def db_for_write(self, model):
        return "master"


async def test_seed001_init_tortoise_with_config_and_routers(app_db_url, tmp_path):
    """``init_tortoise(app, config={connections, apps, routers})``: three names, one database."""
    from examples.blog_models import User

    url = f"sqlite://{tmp_path / 'blog.sqlite3'}" if TEST_DB == "sqlite" else app_db_url
    app = NexiosApp()
    init_tortoise(
        app,
        config={
            "connections": {"master": url, "replica1": url, "replica2": url},
            "apps": {"models": {"models": ["examples.blog_models"], "default_connection": "master"}},
            "routers": ["tests.contrib.test_nexios.ReadWriteRouter"],
        },
        generate_schemas=True,
    )

    @app.post("/users/{name}")
    async def create(request, response, name):
        user = await User.create(username=name, email=f"{name}@x.io", password_hash="h")
        return response.json({"id": user.id}, status_code=201)

    @app.get("/users")
    async def names(request, response):
        return response.json(sorted(await User.all().values_list("username", flat=True)))

    async with served(app) as http:
        clients = open_clients()
        assert sorted(c.connection_name for c in clients) == ["master", "replica1", "replica2"]
        for name in ("ann", "ben"):
            assert (await http.post(f"/users/{name}")).status_code == 201
        for _ in range(4):
            assert (await http.get("/users")).json() == ["ann", "ben"]
    assert_closed(clients)


def test_init_tortoise_without_a_database_is_a_configuration_error():
    with pytest.raises(ConfigurationError) as info:
        init_tortoise(NexiosApp())
    for accepted in ("config", "config_file", "db_url", "modules"):
        assert accepted in str(info.value)


async def test_init_tortoise_on_an_app_with_its_own_lifespan(app_db_url):
    """Nexios skips start-up hooks when an app has a lifespan: the ORM wraps that lifespan."""
    from contextlib import asynccontextmanager

    from tests.seed_models.seed00 import User

    seen = []

    @asynccontextmanager
    async def lifespan(app):
        await User.create(username="Dunamis", email="dunamis@example.com")
        yield
        seen.append(await User.all().count())

    app = NexiosApp(lifespan=lifespan)
    init_tortoise(app, db_url=app_db_url, modules={"models": ["tests.seed_models.seed00"]}, generate_schemas=True)

    @app.get("/users/{username}")
    async def one(request, response, username):
        return response.json({"email": (await User.get(username=username)).email})

    async with served(app) as http:
        clients = open_clients()
        assert (await http.get("/users/Dunamis")).json() == {"email": "dunamis@example.com"}
        assert (await http.get("/users/Ada")).status_code == 404
    assert seen == [1]
    assert_closed(clients)


async def test_seed000_tortoise_init_in_a_startup_event(app_db_url):
    """Seed 000: an ``init_tortoise()`` coroutine of one's own, run as a Nexios start-up event."""
    from tortoise import Tortoise

    from tests.seed_models.seed00 import User

    async def init_tortoise():
        await Tortoise.init(
            db_url=app_db_url,  # the seed's "sqlite://db.sqlite3", replaced by the test database
            modules={"models": ["tests.seed_models.seed00"]},
        )
        await Tortoise.generate_schemas()

    app = NexiosApp()
    app.on_startup(init_tortoise)
    app.on_shutdown(Tortoise.close_connections)

    @app.post("/users")
    async def create(request, response):
        # Create a new user
        await User.create(username="Dunamis", email="dunamis@example.com")
        # Fetch all users
        users = await User.all()
        # Filter users
        specific_user = await User.get(username="Dunamis")
        return response.json({"users": [str(u) for u in users], "email": specific_user.email}, status_code=201)

    async with served(app) as http:
        clients = open_clients()
        made = await http.post("/users")
        assert (made.status_code, made.json()) == (201, {"users": ["Dunamis"], "email": "dunamis@example.com"})
    assert_closed(clients)


async def test_seed001_create_user_safe(app_db_url):
    """Seed 001's "proper error handling" variant of POST /users: its own 400 and 500 answers."""
    import logging

    from tortoise.exceptions import IntegrityError

    from examples.blog_models import User

    app = NexiosApp()
    init_tortoise(app, db_url=app_db_url, modules={"models": ["examples.blog_models"]}, generate_schemas=True)

    @app.post("/users")
    async def create_user_safe(request, response):
        """Create user with proper error handling."""
        data = await request.json

        try:
            user = await User.create(**data)
            return response.json({"id": user.id}, status_code=201)

        except IntegrityError as e:
            # Duplicate username or email
            return response.json({
                "error": "User already exists",
                "details": str(e)
            }, status_code=400)

        except Exception as e:
            # Log error for debugging
            logging.error(f"User creation failed: {e}")
            return response.json({
                "error": "Internal server error"
            }, status_code=500)

    async with served(app) as http:
        ann = {"username": "ann", "email": "ann@x.io", "password_hash": "h"}
        assert (await http.post("/users", json=ann)).status_code == 201
        clash = await http.post("/users", json={**ann, "username": "ann2"})
        assert clash.status_code == 400
        assert clash.json()["error"] == "User already exists" and "email" in clash.json()["details"]
        unknown = await http.post("/users", json={**ann, "nickname": "x"})
        assert (unknown.status_code, unknown.json()) == (500, {"error": "Internal server error"})


async def test_seed001_init_tortoise_with_one_database_per_app(app_databases):
    """Seed 001's multi-database config: three apps, each on a connection (and database) of its own."""
    from examples.blog_models import User
    from tests.config_models import Widget
    from tests.config_models_other import Gizmo

    main, users_db, analytics_db = [await app_databases() for _ in range(3)]
    app = NexiosApp()
    init_tortoise(
        app,
        config={
            "connections": {"default": main, "users_db": users_db, "analytics_db": analytics_db},
            "apps": {
                "models": {"models": ["examples.blog_models"], "default_connection": "default"},
                "users": {"models": ["tests.config_models"], "default_connection": "users_db"},
                "analytics": {"models": ["tests.config_models_other"], "default_connection": "analytics_db"},
            },
        },
        generate_schemas=True,
    )

    @app.post("/everything")
    async def create(request, response):
        await User.create(username="ann", email="ann@x.io", password_hash="h")
        await Widget.create(name="w")
        await Gizmo.create(label="g")
        return response.json({"ok": True}, status_code=201)

    @app.get("/everything")
    async def read(request, response):
        return response.json({
            "users": await User.all().values_list("username", flat=True),
            "widgets": await Widget.all().values_list("name", flat=True),
            "gizmos": await Gizmo.all().values_list("label", flat=True),
        })

    async with served(app) as http:
        clients = open_clients()
        assert (await http.post("/everything")).status_code == 201
        assert (await http.get("/everything")).json() == {"users": ["ann"], "widgets": ["w"], "gizmos": ["g"]}
        assert [Widget._meta.db.connection_name, Gizmo._meta.db.connection_name] == ["users_db", "analytics_db"]
        with pytest.raises(OperationalError):  # each app's tables live in its own database only
            await connections.get("default").execute_query("SELECT COUNT(*) FROM cfg_widget")
    assert_closed(clients)
