"""SPEC §1: Tortoise.init in all its forms, on real connections, and the lifecycle helpers."""
from __future__ import annotations

import asyncio
import datetime
import json
import re

import pytest
import yaml

from tortoise import Tortoise, run_async
from tortoise.backends.base.config_generator import generate_config
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError, OperationalError
from tortoise.utils import get_schema_sql

from tests.conftest import (
    TEST_DB,
    URL_TEMPLATE,
    dialect,
    fresh_connection_dict,
    fresh_db_url,
    requires_dialect,
)
from tests.testmodels import Item

CFG_MODULE = "tests.config_models"
DIALECT = "postgres" if TEST_DB == "psycopg" else TEST_DB


def app_config(connection, module=CFG_MODULE):
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": [module], "default_connection": "default"}},
    }


def persistent_url(tmp_path) -> str:
    """A database that survives close_connections() (sqlite memory would not)."""
    return f"sqlite://{tmp_path}/persist.sqlite3" if TEST_DB == "sqlite" else fresh_db_url()


async def widgets_work() -> list[str]:
    from tests.config_models import Widget

    await Widget.create(name="a")
    await Widget.create(name="b")
    return sorted(await Widget.all().values_list("name", flat=True))


# --- accepted forms -------------------------------------------------------------------------
async def test_db_url_and_modules(other_orm):
    await other_orm.init(db_url=fresh_db_url(), modules={"models": [CFG_MODULE]})
    assert await widgets_work() == ["a", "b"]


async def test_config_dict_with_url_string(other_orm):
    await other_orm.init(config=app_config(fresh_db_url()))
    assert await widgets_work() == ["a", "b"]


async def test_config_dict_with_engine_and_credentials(other_orm):
    await other_orm.init(config=app_config(fresh_connection_dict()))
    assert await widgets_work() == ["a", "b"]
    assert connections.get("default").capabilities.dialect == DIALECT


async def test_config_dict_with_two_connections_and_apps(other_orm):
    config = {
        "connections": {"first": fresh_db_url(), "second": fresh_connection_dict()},
        "apps": {
            "main": {"models": [CFG_MODULE], "default_connection": "first"},
            "extra": {"models": ["tests.config_models_other"], "default_connection": "second"},
        },
    }
    await other_orm.init(config=config)
    from tests.config_models import Widget
    from tests.config_models_other import Gizmo

    await Widget.create(name="w")
    await Gizmo.create(label="g1")
    await Gizmo.create(label="g2")
    rows = await connections.get("second").execute_query_dict("SELECT label FROM cfg_gizmo")
    assert sorted(r["label"] for r in rows) == ["g1", "g2"]
    rows = await connections.get("first").execute_query_dict("SELECT name FROM cfg_widget")
    assert [r["name"] for r in rows] == ["w"]


async def test_settings_style_upper_case_keys_and_echo(other_orm):
    """Unfazed writes CONNECTIONS/APPS/ENGINE/CREDENTIALS and an `echo` credential."""
    connection = fresh_connection_dict()
    config = {
        "CONNECTIONS": {
            "default": {
                "ENGINE": connection["engine"],
                "CREDENTIALS": {**connection["credentials"], "echo": True},
            }
        },
        "APPS": {"models": {"models": [CFG_MODULE], "default_connection": "default"}},
    }
    await other_orm.init(config=config)
    assert await widgets_work() == ["a", "b"]


async def test_dunder_models_list_limits_registration(other_orm):
    await other_orm.init(db_url=fresh_db_url(), modules={"models": ["tests.dunder_models"]})
    from tests.dunder_models import Listed, Unlisted

    assert set(Tortoise.apps["models"].values()) == {Listed}
    await Listed.create(name="yes")
    assert await Listed.all().values_list("name", flat=True) == ["yes"]
    assert Unlisted not in set(Tortoise.apps["models"].values())


async def test_config_file_json(other_orm, tmp_path):
    path = tmp_path / "tortoise.json"
    path.write_text(json.dumps(app_config(fresh_db_url())))
    await other_orm.init(config_file=str(path))
    assert await widgets_work() == ["a", "b"]


async def test_config_file_yaml(other_orm, tmp_path):
    path = tmp_path / "tortoise.yaml"
    path.write_text(yaml.safe_dump(app_config(fresh_connection_dict())))
    await other_orm.init(config_file=str(path))
    assert await widgets_work() == ["a", "b"]


@requires_dialect("postgres", "mysql")
async def test_create_db_fills_in_the_unique_suffix(other_orm):
    await other_orm.init(db_url=URL_TEMPLATE, modules={"models": [CFG_MODULE]}, _create_db=True)
    assert await widgets_work() == ["a", "b"]
    query = "SELECT current_database() AS name" if dialect() == "postgres" else "SELECT DATABASE() AS name"
    name = (await connections.get("default").execute_query_dict(query))[0]["name"]
    assert name.startswith("test_") and name != "test_{}"


async def test_use_tz_gives_aware_datetimes(other_orm):
    await other_orm.init(db_url=fresh_db_url(), modules={"models": [CFG_MODULE]}, use_tz=True, timezone="UTC")
    from tests.config_models import Widget

    w = await Widget.create(name="tz")
    assert w.created_at.tzinfo is not None
    fetched = await Widget.get(id=w.id)
    assert fetched.created_at.tzinfo is not None
    assert abs(fetched.created_at - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(minutes=5)


# --- generate_schemas / get_schema_sql / generate_config --------------------------------------
async def test_generate_schemas_safe_twice_keeps_data():
    await Item.create(name="kept")
    await Tortoise.generate_schemas(safe=True)
    await Tortoise.generate_schemas(safe=True)
    assert await Item.all().values_list("name", flat=True) == ["kept"]


async def test_generate_schemas_unsafe_on_existing_tables_fails():
    await Item.create(name="kept")
    with pytest.raises(OperationalError):
        await Tortoise.generate_schemas(safe=False)
    assert await Item.all().values_list("name", flat=True) == ["kept"]


async def test_get_schema_sql():
    sql = get_schema_sql(connections.get("default"), safe=False)
    assert isinstance(sql, str)
    upper = sql.upper()
    assert "CREATE TABLE" in upper
    for table in ("t_item", "t_all_fields", "t_membership", "t_renamed"):
        assert table in sql
    assert "display_name" in sql  # source_field is the column name
    flat = re.sub(r'[`"\s]', "", sql)
    assert re.search(r"(INDEX|KEY)[^;]*\(category,qty\)", flat)  # Meta.indexes
    assert re.search(r"(INDEX|KEY)[^;]*\(name\)", flat)  # index=True
    assert "UNIQUE(group,member)" in flat  # unique_together
    safe_sql = get_schema_sql(connections.get("default"), safe=True)
    assert "IF NOT EXISTS" in safe_sql.upper()


async def test_generate_config_builds_a_usable_config(other_orm):
    url = fresh_db_url()
    config = generate_config(url, app_modules={"models": [CFG_MODULE]})
    assert config["apps"]["models"]["models"] == [CFG_MODULE]
    assert config["apps"]["models"]["default_connection"] == "default"
    assert set(config["connections"]) == {"default"}
    await other_orm.init(config=config)
    assert await widgets_work() == ["a", "b"]


async def test_models_imported_into_the_listed_module_are_registered(other_orm):
    """app/models/__init__.py re-exporting models from submodules is the common layout."""
    await other_orm.init(db_url=fresh_db_url(), modules={"models": ["tests.reexport_models"]})
    assert await widgets_work() == ["a", "b"]


@requires_dialect("postgres", "mysql")
async def test_table_description_becomes_the_table_comment():
    if dialect() == "postgres":
        query = "SELECT obj_description('t_item'::regclass, 'pg_class') AS comment"
    else:
        query = (
            "SELECT table_comment AS comment FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_name = 't_item'"
        )
    rows = await connections.get("default").execute_query_dict(query)
    assert rows[0]["comment"] == "Things the queryset tests query"


def test_generate_config_connection_label():
    config = generate_config("sqlite://:memory:", app_modules={"models": [CFG_MODULE]}, connection_label="main")
    assert set(config["connections"]) == {"main"}
    assert config["apps"]["models"]["default_connection"] == "main"


# --- connections / close / run_async ------------------------------------------------------------
async def test_connections_get_and_get_connection():
    conn = connections.get("default")
    assert conn is Tortoise.get_connection("default")
    assert conn.capabilities.dialect == DIALECT
    await Item.create(name="x")
    rows = await conn.execute_query_dict("SELECT name FROM t_item")
    assert [r["name"] for r in rows] == ["x"]


async def test_connections_get_unknown_name_names_it():
    with pytest.raises((ConfigurationError, KeyError)) as info:
        connections.get("no_such_connection")
    assert "no_such_connection" in str(info.value)


async def test_close_connections_then_reinit_sees_persisted_data(other_orm, tmp_path):
    url = persistent_url(tmp_path)
    await other_orm.init(db_url=url, modules={"models": [CFG_MODULE]})
    assert await widgets_work() == ["a", "b"]
    await Tortoise.close_connections()
    await other_orm.init(db_url=url, modules={"models": [CFG_MODULE]}, _create_db=False, generate=False)
    from tests.config_models import Widget

    assert await Widget.all().count() == 2


async def test_run_async_runs_and_closes(other_orm, tmp_path):
    url = persistent_url(tmp_path)
    result = {}

    async def main():
        await Tortoise.init(db_url=url, modules={"models": [CFG_MODULE]}, _create_db=True)
        await Tortoise.generate_schemas()
        result["names"] = await widgets_work()

    # run_async starts its own event loop, so it must run outside the test's loop
    await asyncio.to_thread(run_async, main())
    assert result["names"] == ["a", "b"]
    # the data is there for the next init (and other_orm drops the database afterwards)
    await other_orm.init(db_url=url, modules={"models": [CFG_MODULE]}, _create_db=False, generate=False)
    from tests.config_models import Widget

    assert await Widget.all().count() == 2


async def test_orm_initialised_in_one_task_is_usable_from_others(other_orm):
    """An ASGI startup hook inits the ORM; request handlers are other tasks."""
    from tests.config_models import Widget

    ready = asyncio.Event()

    async def handler(i: int) -> str:
        await ready.wait()
        widget = await Widget.create(name=f"w{i}")
        return (await Widget.get(id=widget.id)).name

    handlers = [asyncio.create_task(handler(i)) for i in range(5)]  # exist before startup

    async def startup() -> None:
        await other_orm.init(db_url=fresh_db_url(), modules={"models": [CFG_MODULE]})
        ready.set()

    await asyncio.create_task(startup())
    assert sorted(await asyncio.gather(*handlers)) == [f"w{i}" for i in range(5)]

    async def background_job() -> int:
        return await Widget.all().count()

    assert await asyncio.create_task(background_job()) == 5


# --- bad configuration -------------------------------------------------------------------------
async def bad_init(**kwargs) -> str:
    with pytest.raises(ConfigurationError) as info:
        await Tortoise.init(**kwargs)
    return str(info.value)


async def test_unknown_scheme_is_named_with_accepted_ones(other_orm):
    message = await bad_init(db_url="nosuchdb://localhost/x", modules={"models": [CFG_MODULE]})
    assert "nosuchdb" in message
    assert "sqlite" in message and "postgres" in message


async def test_missing_module_is_named(other_orm):
    message = await bad_init(db_url="sqlite://:memory:", modules={"models": ["tests.no_such_module"]})
    assert "tests.no_such_module" in message


async def test_model_in_two_apps_is_named(other_orm):
    message = await bad_init(db_url="sqlite://:memory:", modules={"one": [CFG_MODULE], "two": [CFG_MODULE]})
    assert "Widget" in message


async def test_unknown_url_parameter_is_named(other_orm):
    url = fresh_db_url() + "?bogus_param=1"
    message = await bad_init(db_url=url, modules={"models": [CFG_MODULE]})
    assert "bogus_param" in message
    if TEST_DB != "sqlite":
        assert "minsize" in message  # says which parameters are accepted


async def test_unknown_default_connection_is_named(other_orm):
    config = app_config(fresh_db_url())
    config["apps"]["models"]["default_connection"] = "nowhere"
    message = await bad_init(config=config)
    assert "nowhere" in message


async def test_config_without_connections_section(other_orm):
    message = await bad_init(config={"apps": {"models": {"models": [CFG_MODULE]}}})
    assert "connections" in message


async def test_init_without_any_configuration(other_orm):
    with pytest.raises(ConfigurationError):
        await Tortoise.init()


@requires_dialect("postgres")
async def test_postgres_pool_size_aliases_accepted(other_orm):
    await other_orm.init(db_url=fresh_db_url() + "?min_size=1&max_size=3", modules={"models": [CFG_MODULE]})
    assert await widgets_work() == ["a", "b"]


@requires_dialect("postgres", "mysql")
async def test_pool_size_parameters_accepted(other_orm):
    await other_orm.init(db_url=fresh_db_url() + "?minsize=1&maxsize=3", modules={"models": [CFG_MODULE]})
    assert await widgets_work() == ["a", "b"]
