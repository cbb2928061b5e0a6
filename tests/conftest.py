"""Test harness: every test runs against a real database chosen by ALDABRA_TEST_DB.

    ALDABRA_TEST_DB=sqlite   (default)  sqlite://:memory:
    ALDABRA_TEST_DB=postgres            postgres://postgres@127.0.0.1:5432/test_<unique>
    ALDABRA_TEST_DB=mysql               mysql://root:@127.0.0.1:3306/test_<unique>
    ALDABRA_TEST_DB=psycopg             psycopg://postgres@127.0.0.1:5432/test_<unique> (PostgreSQL on psycopg 3)

One ORM ("main", the models of tests/testmodels.py) lives for the whole session; every
table is emptied before each test.  Tests that need their own ORM (other config forms,
the seed models) use the ``other_orm`` fixture: it suspends the main ORM, lets the test
initialise whatever it wants on fresh databases, drops those afterwards and restores the
main ORM.  Tortoise state is process-wide, so this is the only safe way to re-init.
"""
from __future__ import annotations

import datetime
import os
import uuid
from typing import Any

import pytest

from tortoise import Tortoise
from tortoise.connection import connections

TEST_DB = os.environ.get("ALDABRA_TEST_DB", "sqlite")
URL_TEMPLATES = {
    "sqlite": "sqlite://:memory:",
    "postgres": "postgres://postgres@127.0.0.1:5432/test_{}",
    "mysql": "mysql://root:@127.0.0.1:3306/test_{}",
    "psycopg": "psycopg://postgres@127.0.0.1:5432/test_{}",
}
if TEST_DB not in URL_TEMPLATES:
    raise RuntimeError(f"ALDABRA_TEST_DB must be one of {sorted(URL_TEMPLATES)}, not {TEST_DB!r}")
URL_TEMPLATE = URL_TEMPLATES[TEST_DB]
#: the SQL dialect of the configuration (psycopg speaks PostgreSQL)
TEST_DIALECT = {"psycopg": "postgres"}.get(TEST_DB, TEST_DB)
MAIN_MODULES = {"models": ["tests.testmodels"]}

# Modules owned by others that need no database: the autouse DB fixture leaves them alone.
DB_FREE_MODULES = {"test_config", "test_fields_unit", "test_sql_statements", "test_layering"}


def unique_name(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def fresh_db_url(template: str = URL_TEMPLATE) -> str:
    """A URL for a database nobody uses yet (sqlite memory is always fresh)."""
    return template.format(unique_name()) if "{}" in template else template


def fresh_connection_dict() -> dict[str, Any]:
    """The same kind of fresh database, as an engine/credentials dict."""
    if TEST_DB == "sqlite":
        return {"engine": "tortoise.backends.sqlite", "credentials": {"file_path": ":memory:"}}
    engine = {
        "postgres": "tortoise.backends.asyncpg", "psycopg": "tortoise.backends.psycopg", "mysql": "tortoise.backends.mysql"
    }[TEST_DB]
    port, user = (3306, "root") if TEST_DB == "mysql" else (5432, "postgres")
    return {
        "engine": engine,
        "credentials": {
            "host": "127.0.0.1",
            "port": port,
            "user": user,
            "password": "",
            "database": f"test_{unique_name()}",
        },
    }


# The main ORM's URL is fixed for the session so that it can be re-initialised.
MAIN_URL = fresh_db_url()


async def init_main(create_db: bool) -> None:
    await Tortoise.init(db_url=MAIN_URL, modules=MAIN_MODULES, _create_db=create_db)
    await Tortoise.generate_schemas(safe=not create_db)


def dialect() -> str:
    """The dialect of the 'default' connection: "sqlite", "postgres" or "mysql"."""
    return connections.get("default").capabilities.dialect


def ph(n: int) -> str:
    """The dialect's placeholder for the n-th (1-based) raw SQL parameter."""
    return {"sqlite": "?", "postgres": f"${n}", "mysql": "%s"}[dialect()]


def requires_dialect(*names: str) -> pytest.MarkDecorator:
    """Mark a test that only makes sense on some databases; skipped elsewhere."""
    return pytest.mark.requires_dialect(*names)


def utc_naive(value: datetime.datetime) -> datetime.datetime:
    """Normalise a datetime for comparison: aware → UTC without tzinfo; naive as is (UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "requires_dialect(*names): run only on these databases (sqlite, postgres, mysql)"
    )


# --- the main ORM ------------------------------------------------------------------------
@pytest.fixture(scope="session")
async def orm():
    await init_main(create_db=True)
    yield
    if TEST_DB == "sqlite":
        await Tortoise.close_connections()
    else:
        await Tortoise._drop_databases()


async def empty_all_tables() -> None:
    from tests import testmodels

    for model in testmodels.DELETE_ORDER:
        await model.all().delete()


@pytest.fixture
async def _clean_db(orm):
    await empty_all_tables()


@pytest.fixture(autouse=True)
def _db_for_each_test(request: pytest.FixtureRequest):
    """Autouse: empty every table before each DB test and honour @requires_dialect."""
    if request.module.__name__.rsplit(".", 1)[-1] in DB_FREE_MODULES:
        return
    request.getfixturevalue("_clean_db")
    marker = request.node.get_closest_marker("requires_dialect")
    if marker is not None and dialect() not in marker.args:
        pytest.skip(f"only on {', '.join(marker.args)} (running on {dialect()})")


# --- other ORMs (config forms, seeds) -------------------------------------------------------
class OtherORM:
    """Initialise the ORM differently for one test; everything is undone afterwards."""

    def __init__(self) -> None:
        self.inited = False

    async def init(self, *, generate: bool = True, **kwargs: Any) -> None:
        """Tortoise.init on fresh database(s); db_url defaults to a fresh one of TEST_DB."""
        if not {"config", "config_file", "db_url"} & kwargs.keys():
            kwargs["db_url"] = fresh_db_url()
        kwargs.setdefault("_create_db", True)
        await Tortoise.init(**kwargs)
        self.inited = True
        if generate:
            await Tortoise.generate_schemas()

    async def init_models(self, *modules: str, **kwargs: Any) -> None:
        await self.init(modules={"models": list(modules)}, **kwargs)

    async def undo(self) -> None:
        try:
            if self.inited:
                await Tortoise._drop_databases()
        finally:
            try:
                await Tortoise.close_connections()
            finally:
                await init_main(create_db=False)


@pytest.fixture
async def other_orm(orm):
    await Tortoise.close_connections()
    other = OtherORM()
    try:
        yield other
    finally:
        await other.undo()
