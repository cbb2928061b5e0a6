"""Configuration parsing: every accepted form and every error (no database needed)."""

from __future__ import annotations

import json
import ssl
import sys
import types

import pytest

from tortoise.backends.base import config_generator
from tortoise.config import (
    ASYNCPG,
    MYSQL,
    SQLITE,
    SQLITE_PRAGMAS,
    AppSpec,
    ConnectionSpec,
    OrmConfig,
    expand_db_url,
    generate_config,
    load_config,
)
from tortoise.exceptions import ConfigurationError

MODELS = {"models": ["app.models"]}


def config_with(connection, **extra):
    """A minimal config dict around one connection named 'default'."""
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": ["app.models"]}},
        **extra,
    }


def credentials_of(connection, **kwargs):
    return load_config(config=config_with(connection), **kwargs).connections["default"].credentials


def raises(*fragments, call, **kwargs):
    """Assert `call(**kwargs)` raises ConfigurationError whose message has every fragment."""
    with pytest.raises(ConfigurationError) as info:
        call(**kwargs)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


# ------------------------------------------------------------------ db_url + modules


def test_db_url_and_modules_give_default_connection_and_apps():
    cfg = load_config(
        db_url="sqlite://db.sqlite3", modules={"models": ["app.models"], "users": ["app.users"]}
    )
    assert isinstance(cfg, OrmConfig)
    assert cfg.connections == {
        "default": ConnectionSpec(
            "default",
            SQLITE,
            {
                "file_path": "db.sqlite3",
                "echo": False,
                "journal_mode": "WAL",
                "journal_size_limit": 16384,
                "foreign_keys": True,
            },
        )
    }
    assert cfg.apps == {
        "models": AppSpec("models", ["app.models"], "default"),
        "users": AppSpec("users", ["app.users"], "default"),
    }
    assert (cfg.routers, cfg.use_tz, cfg.timezone) == ([], True, "UTC")


def test_modules_accept_module_objects_and_a_single_path():
    module = types.ModuleType("app.models")
    cfg = load_config(
        db_url="sqlite://:memory:", modules={"a": [module, "x.models"], "b": "y.models"}
    )
    assert cfg.apps["a"].models == [module, "x.models"]
    assert cfg.apps["b"].models == ["y.models"]


# ------------------------------------------------------------------ sqlite URLs


@pytest.mark.parametrize(
    "url, path",
    [
        ("sqlite://:memory:", ":memory:"),
        ("sqlite://db.sqlite3", "db.sqlite3"),
        ("sqlite://relative/path.db", "relative/path.db"),
        ("sqlite:///abs/path.db", "/abs/path.db"),
        ("sqlite:///with%20space.db", "/with space.db"),
    ],
)
def test_sqlite_url_paths(url, path):
    assert expand_db_url(url) == {
        "engine": SQLITE,
        "credentials": {
            "file_path": path,
            "echo": False,
            "journal_mode": "WAL",
            "journal_size_limit": 16384,
            "foreign_keys": True,
        },
    }


def test_sqlite_url_parameters_are_converted():
    creds = expand_db_url(
        "sqlite:///tmp/x.db?journal_mode=delete&journal_size_limit=100&foreign_keys=OFF"
        "&echo=true&busy_timeout=5000&synchronous=normal&install_regexp_functions=1"
    )["credentials"]
    assert creds["journal_mode"] == "DELETE"
    assert creds["journal_size_limit"] == 100
    assert creds["foreign_keys"] is False
    assert creds["echo"] is True
    assert creds["busy_timeout"] == 5000
    assert creds["synchronous"] == "NORMAL"
    assert creds["install_regexp_functions"] is True


def test_sqlite_pragmas_are_the_pragma_credentials_only():
    assert {"journal_mode", "journal_size_limit", "foreign_keys", "synchronous"} <= SQLITE_PRAGMAS
    assert not {"file_path", "echo", "install_regexp_functions"} & SQLITE_PRAGMAS


# ------------------------------------------------------------------ server URLs


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "asyncpg", "POSTGRES"])
def test_postgres_schemes_map_to_asyncpg(scheme):
    result = expand_db_url(f"{scheme}://postgres:secret@db.host:5433/somedb")
    assert result["engine"] == ASYNCPG
    creds = result["credentials"]
    assert (creds["host"], creds["port"], creds["user"], creds["password"], creds["database"]) == (
        "db.host",
        5433,
        "postgres",
        "secret",
        "somedb",
    )
    assert (creds["minsize"], creds["maxsize"], creds["max_queries"]) == (1, 5, 50000)
    assert creds["max_inactive_connection_lifetime"] == 300.0
    assert creds["echo"] is False


def test_default_ports_and_missing_parts():
    pg = expand_db_url("postgres://localhost/db")["credentials"]
    my = expand_db_url("mysql://localhost/db")["credentials"]
    assert (pg["port"], my["port"]) == (5432, 3306)
    assert pg["user"] is None and pg["password"] is None
    assert expand_db_url("postgres://localhost")["credentials"]["database"] is None


def test_seed_pool_url_with_asyncpg_style_aliases():
    url = (
        "postgres://user:password@host:5432/db"
        "?min_size=10&max_size=50&max_queries=50000&max_inactive_connection_lifetime=300"
    )
    creds = expand_db_url(url)["credentials"]
    assert creds["minsize"] == 10 and creds["maxsize"] == 50
    assert "min_size" not in creds and "max_size" not in creds
    assert creds["max_queries"] == 50000
    assert creds["max_inactive_connection_lifetime"] == 300.0
    assert isinstance(creds["max_inactive_connection_lifetime"], float)


def test_url_encoded_password_user_and_database_are_decoded():
    creds = expand_db_url("postgres://my%20user:kx%25jj5%2Fg@localhost/my%2Ddb")["credentials"]
    assert creds["password"] == "kx%jj5/g"
    assert creds["user"] == "my user"
    assert creds["database"] == "my-db"


def test_asyncpg_query_parameters_are_typed():
    creds = expand_db_url(
        "asyncpg://u@h/db?timeout=5&command_timeout=2.5&statement_cache_size=0&ssl=true"
        "&schema=app&application_name=web&echo=1"
    )["credentials"]
    assert creds["timeout"] == 5.0 and isinstance(creds["timeout"], float)
    assert creds["command_timeout"] == 2.5
    assert creds["statement_cache_size"] == 0
    assert creds["ssl"] is True
    assert (creds["schema"], creds["application_name"], creds["echo"]) == ("app", "web", True)


def test_ssl_mode_names_are_kept():
    assert expand_db_url("postgres://h/db?ssl=require")["credentials"]["ssl"] == "require"
    assert expand_db_url("mysql://h/db?ssl=false")["credentials"]["ssl"] is False


def test_ipv6_host_and_unix_socket_host_parameter():
    assert expand_db_url("postgres://u@[::1]:5432/db")["credentials"]["host"] == "::1"
    creds = expand_db_url("postgres:///db?host=/var/run/postgresql")["credentials"]
    assert (creds["host"], creds["database"]) == ("/var/run/postgresql", "db")


def test_mysql_url():
    result = expand_db_url(
        "mysql://root:pw@127.0.0.1:3307/shop?minsize=2&max_size=9&connect_timeout=3"
        "&charset=utf8&pool_recycle=3600&autocommit=false&sql_mode=STRICT_ALL_TABLES"
    )
    assert result["engine"] == MYSQL
    creds = result["credentials"]
    assert (creds["host"], creds["port"], creds["user"], creds["password"]) == (
        "127.0.0.1",
        3307,
        "root",
        "pw",
    )
    assert (creds["database"], creds["minsize"], creds["maxsize"]) == ("shop", 2, 9)
    assert creds["connect_timeout"] == 3.0
    assert (creds["charset"], creds["pool_recycle"], creds["autocommit"]) == ("utf8", 3600, False)
    assert creds["sql_mode"] == "STRICT_ALL_TABLES"


def test_mysql_charset_defaults_to_utf8mb4():
    assert expand_db_url("mysql://u@h/db")["credentials"]["charset"] == "utf8mb4"


def test_implicit_maxsize_grows_to_explicit_minsize():
    assert expand_db_url("postgres://h/db?min_size=10")["credentials"]["maxsize"] == 10
    assert expand_db_url("mysql://h/db?minsize=3")["credentials"]["maxsize"] == 5


# ------------------------------------------------------------------ testing placeholder


def test_testing_replaces_placeholder_with_unique_suffix():
    url = "postgres://postgres@127.0.0.1:5432/test_{}"
    first = expand_db_url(url, testing=True)["credentials"]["database"]
    second = expand_db_url(url, testing=True)["credentials"]["database"]
    assert first.startswith("test_") and "{}" not in first
    assert len(first) > len("test_")
    assert first != second


def test_testing_placeholder_in_sqlite_path_and_config_dicts():
    path = expand_db_url("sqlite:///tmp/test_{}.db", testing=True)["credentials"]["file_path"]
    assert path.startswith("/tmp/test_") and path.endswith(".db") and "{}" not in path
    conn = {"engine": MYSQL, "credentials": {"database": "t_{}"}}
    assert "{}" not in credentials_of(conn, testing=True)["database"]


def test_placeholder_kept_without_testing():
    assert expand_db_url("postgres://h/test_{}")["credentials"]["database"] == "test_{}"


# ------------------------------------------------------------------ config dicts


def test_seed_multi_connection_config_with_url_strings():
    cfg = load_config(
        config={
            "connections": {
                "default": "sqlite://main.db",
                "users_db": "postgres://user:pass@localhost/users",
                "analytics_db": "postgres://user:pass@localhost/analytics",
            },
            "apps": {
                "models": {"models": ["app.models"], "default_connection": "default"},
                "users": {"models": ["app.user_models"], "default_connection": "users_db"},
                "analytics": {
                    "models": ["app.analytics_models"],
                    "default_connection": "analytics_db",
                },
            },
            "routers": ["app.db_router.ReadWriteRouter"],
        }
    )
    assert {name: c.engine for name, c in cfg.connections.items()} == {
        "default": SQLITE,
        "users_db": ASYNCPG,
        "analytics_db": ASYNCPG,
    }
    assert cfg.connections["users_db"].name == "users_db"
    assert cfg.connections["analytics_db"].credentials["database"] == "analytics"
    assert cfg.apps["users"].default_connection == "users_db"
    assert cfg.routers == ["app.db_router.ReadWriteRouter"]


def test_seed_engine_credentials_dict():
    creds = credentials_of(
        {
            "engine": "tortoise.backends.asyncpg",
            "credentials": {
                "host": "localhost",
                "port": 5432,
                "user": "myuser",
                "password": "mypassword",
                "database": "mydb",
                "minsize": 1,
                "maxsize": 20,
            },
        }
    )
    assert creds["maxsize"] == 20 and creds["host"] == "localhost" and creds["max_queries"] == 50000


def test_seed_unfazed_upper_case_settings():
    database = {
        "CONNECTIONS": {
            "default": {
                "ENGINE": "tortoise.backends.asyncpg",
                "CREDENTIALS": {
                    "host": "localhost",
                    "port": 5432,
                    "user": "myapp",
                    "password": "secret",
                    "database": "myapp_db",
                    "minsize": 5,
                    "maxsize": 20,
                    "max_queries": 50000,
                    "max_inactive_connection_lifetime": 300,
                    "timeout": 60,
                    "command_timeout": 60,
                },
            },
            "test": {
                "ENGINE": "tortoise.backends.sqlite",
                "CREDENTIALS": {"file_path": ":memory:"},
            },
            "shop": {
                "ENGINE": "tortoise.backends.mysql",
                "CREDENTIALS": {"host": "localhost", "minsize": 1},
            },
        },
        "APPS": {"models": {"MODELS": ["myapp.users.models"], "DEFAULT_CONNECTION": "default"}},
        "USE_TZ": True,
        "TIMEZONE": "Asia/Shanghai",
    }
    cfg = load_config(config=database)
    creds = cfg.connections["default"].credentials
    assert cfg.connections["default"].engine == ASYNCPG
    assert (creds["minsize"], creds["maxsize"], creds["timeout"], creds["command_timeout"]) == (
        5,
        20,
        60.0,
        60.0,
    )
    assert cfg.connections["test"].credentials["file_path"] == ":memory:"
    assert cfg.connections["shop"].engine == MYSQL
    assert cfg.apps["models"].models == ["myapp.users.models"]
    assert (cfg.use_tz, cfg.timezone) == (True, "Asia/Shanghai")


def test_seed_echo_credential():
    creds = credentials_of(
        {
            "engine": "tortoise.backends.mysql",
            "credentials": {
                "database": "d",
                "echo": True,
                "host": "h",
                "password": "p",
                "port": 3306,
                "user": "u",
            },
        }
    )
    assert creds["echo"] is True
    assert expand_db_url("postgres://h/db?echo=True")["credentials"]["echo"] is True


def test_dict_credentials_given_as_strings_are_converted():
    creds = credentials_of(
        {
            "engine": ASYNCPG,
            "credentials": {"port": "5432", "min_size": "2", "max_size": 10, "ssl": "off"},
        }
    )
    assert (creds["port"], creds["minsize"], creds["maxsize"], creds["ssl"]) == (5432, 2, 10, False)


def test_dict_credentials_keep_driver_objects():
    context = ssl.create_default_context()
    creds = credentials_of(
        {
            "engine": ASYNCPG,
            "credentials": {"ssl": context, "server_settings": {"jit": "off"}, "password": 1234},
        }
    )
    assert creds["ssl"] is context
    assert creds["server_settings"] == {"jit": "off"}
    assert creds["password"] == "1234"


def test_none_credentials_mean_default():
    creds = credentials_of({"engine": ASYNCPG, "credentials": {"database": None, "minsize": None}})
    assert creds["database"] is None and creds["minsize"] == 1


def test_sqlite_path_alias_and_missing_credentials_section():
    assert (
        credentials_of({"engine": SQLITE, "credentials": {"path": "x.db"}})["file_path"] == "x.db"
    )
    assert credentials_of({"engine": ASYNCPG})["port"] == 5432


def test_app_defaults_and_migrations_module():
    cfg = load_config(
        config={
            "connections": {"default": "sqlite://:memory:"},
            "apps": {"models": {"models": ["app.models"], "migrations": "app.migrations"}},
        }
    )
    assert cfg.apps["models"] == AppSpec("models", ["app.models"], "default", "app.migrations")


def test_routers_kept_as_given():
    class Router:
        pass

    cfg = load_config(config=config_with("sqlite://:memory:", routers=["a.Router", Router]))
    assert cfg.routers == ["a.Router", Router]
    assert load_config(config=config_with("sqlite://:memory:"), routers=[Router]).routers == [
        Router
    ]


def test_use_tz_and_timezone_from_arguments_and_config():
    cfg = load_config(
        db_url="sqlite://:memory:", modules=MODELS, use_tz=True, timezone="Europe/Paris"
    )
    assert (cfg.use_tz, cfg.timezone) == (True, "Europe/Paris")
    cfg = load_config(
        config=config_with("sqlite://:memory:", use_tz=True, timezone="America/New_York"),
        use_tz=False,
        timezone="UTC",
    )
    assert (cfg.use_tz, cfg.timezone) == (True, "America/New_York")


def test_to_dict_round_trips():
    cfg = load_config(config=config_with("postgres://u:p@h/db?min_size=3", use_tz=True))
    assert load_config(config=cfg.to_dict()) == cfg


def test_config_is_not_mutated():
    original = config_with({"ENGINE": ASYNCPG, "CREDENTIALS": {"min_size": 2}})
    snapshot = json.loads(json.dumps(original))
    load_config(config=original)
    assert original == snapshot


# ------------------------------------------------------------------ config files


def test_json_config_file(tmp_path):
    path = tmp_path / "tortoise.json"
    path.write_text(json.dumps(config_with("sqlite://:memory:", use_tz=True)))
    cfg = load_config(config_file=str(path))
    assert cfg.connections["default"].engine == SQLITE and cfg.use_tz is True


@pytest.mark.parametrize("suffix", [".yml", ".yaml", ".YAML"])
def test_yaml_config_file(tmp_path, suffix):
    path = tmp_path / f"tortoise{suffix}"
    path.write_text(
        "connections:\n"
        "  default:\n"
        "    engine: tortoise.backends.asyncpg\n"
        "    credentials:\n"
        "      host: localhost\n"
        "      password: 123456\n"
        "      echo: true\n"
        "apps:\n"
        "  models:\n"
        "    models: [app.models]\n"
    )
    creds = load_config(config_file=path).connections["default"].credentials
    assert (creds["host"], creds["password"], creds["echo"]) == ("localhost", "123456", True)


# ------------------------------------------------------------------ generate_config


def test_generate_config_matches_tortoise_shape():
    assert config_generator.generate_config is generate_config
    assert config_generator.expand_db_url is expand_db_url
    result = generate_config("sqlite://:memory:", {"models": ["app.models"]})
    assert result == {
        "connections": {"default": expand_db_url("sqlite://:memory:")},
        "apps": {"models": {"models": ["app.models"], "default_connection": "default"}},
    }


def test_generate_config_label_and_testing():
    result = generate_config(
        "postgres://h/test_{}", {"app": ["m"]}, connection_label="app", testing=True
    )
    assert list(result["connections"]) == ["app"]
    assert "{}" not in result["connections"]["app"]["credentials"]["database"]
    assert result["apps"]["app"]["default_connection"] == "app"


# ------------------------------------------------------------------ errors: sources


ACCEPTED_SOURCES = ("config=", "config_file=", "db_url=", "modules=")


def test_no_source_is_an_error():
    raises("got: none", *ACCEPTED_SOURCES, call=load_config)


def test_two_sources_are_an_error():
    raises(
        "got: config, db_url",
        *ACCEPTED_SOURCES,
        call=load_config,
        config=config_with("sqlite://:memory:"),
        db_url="sqlite://:memory:",
        modules=MODELS,
    )


def test_db_url_without_modules_and_modules_without_db_url():
    raises("modules is missing", *ACCEPTED_SOURCES, call=load_config, db_url="sqlite://:memory:")
    raises("db_url is missing", *ACCEPTED_SOURCES, call=load_config, modules=MODELS)
    raises(
        "db_url is missing",
        call=load_config,
        config=config_with("sqlite://:memory:"),
        modules=MODELS,
    )


def test_modules_must_be_a_mapping():
    raises(
        "modules must be a dict",
        "['app.models']",
        call=load_config,
        db_url="sqlite://x",
        modules=["app.models"],
    )


def test_config_must_be_a_mapping():
    raises("config must be a dict", "'connections'", "'apps'", "list", call=load_config, config=[1])


# ------------------------------------------------------------------ errors: files


def test_config_file_unsupported_extension(tmp_path):
    path = tmp_path / "tortoise.toml"
    path.write_text("")
    raises(
        "tortoise.toml",
        "unsupported extension",
        ".json, .yml, .yaml",
        call=load_config,
        config_file=str(path),
    )


def test_config_file_missing(tmp_path):
    path = str(tmp_path / "nope.json")
    raises(path, "cannot be read", call=load_config, config_file=path)


def test_config_file_invalid_json_and_yaml(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{nope")
    raises("bad.json", "not valid JSON", call=load_config, config_file=str(bad_json))
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("a: [1, 2\n")
    raises("bad.yaml", "not valid YAML", call=load_config, config_file=str(bad_yaml))


def test_config_file_holding_a_list(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    raises("config must be a dict", "'connections'", call=load_config, config_file=str(path))


def test_yaml_without_pyyaml(tmp_path, monkeypatch):
    path = tmp_path / "tortoise.yaml"
    path.write_text("connections: {}\n")
    monkeypatch.setitem(sys.modules, "yaml", None)
    raises(
        "tortoise.yaml",
        "PyYAML",
        "pip install PyYAML",
        ".json",
        call=load_config,
        config_file=str(path),
    )


# ------------------------------------------------------------------ errors: structure


def test_missing_sections():
    raises('Config must define "connections" section', "'apps'", call=load_config, config={"apps": {}})
    raises(
        'Config must define "apps" section',
        "'connections'",
        call=load_config,
        config={"connections": {"default": "sqlite://x"}},
    )


def test_keys_colliding_case_insensitively():
    config = config_with("sqlite://:memory:")
    config["APPS"] = config["apps"]
    raises("'APPS'", "given twice", "case-insensitive", call=load_config, config=config)
    conn = {"engine": SQLITE, "ENGINE": SQLITE, "credentials": {"file_path": "x"}}
    raises(
        "connection 'default'",
        "'ENGINE'",
        "given twice",
        call=load_config,
        config=config_with(conn),
    )


def test_connections_must_be_a_non_empty_mapping():
    for value in ({}, ["sqlite://x"]):
        raises(
            "'connections'",
            "non-empty dict",
            "db URL",
            "'engine'",
            call=load_config,
            config={"connections": value, "apps": {}},
        )


def test_connection_of_wrong_type():
    raises(
        "connection 'default'",
        "db URL string",
        "'engine' and 'credentials'",
        "int",
        call=load_config,
        config=config_with(42),
    )


def test_connection_names_must_be_strings():
    raises(
        "connection names",
        "1",
        call=load_config,
        config={"connections": {1: "sqlite://x"}, "apps": {}},
    )


def test_credentials_must_be_a_mapping():
    raises(
        "connection 'default'",
        "'credentials' must be a dict",
        "list",
        call=load_config,
        config=config_with({"engine": SQLITE, "credentials": ["x"]}),
    )


# ------------------------------------------------------------------ errors: engines, schemes


def test_missing_engine():
    raises(
        "connection 'default' has no 'engine'",
        SQLITE,
        ASYNCPG,
        MYSQL,
        call=load_config,
        config=config_with({"credentials": {"file_path": "x"}}),
    )


def test_unknown_engine():
    raises(
        "unknown engine 'tortoise.backends.mssql'",
        SQLITE,
        ASYNCPG,
        MYSQL,
        call=load_config,
        config=config_with({"engine": "tortoise.backends.mssql", "credentials": {}}),
    )


def test_psycopg_url_selects_the_psycopg_engine():
    parsed = expand_db_url("psycopg://u:pw@h:5433/db?minsize=2")
    assert parsed["engine"] == "tortoise.backends.psycopg"
    assert parsed["credentials"]["port"] == 5433
    assert parsed["credentials"]["database"] == "db"
    assert parsed["credentials"]["minsize"] == 2


def test_unknown_scheme():
    raises(
        "unknown URL scheme 'mssql'",
        "sqlite://",
        "postgres://",
        "asyncpg://",
        "mysql://",
        call=expand_db_url,
        db_url="mssql://u@h/db",
    )


@pytest.mark.parametrize("url", ["db.sqlite3", "sqlite:db", ""])
def test_not_a_url(url):
    raises(repr(url), "not a database URL", "SCHEME://", call=expand_db_url, db_url=url)


# ------------------------------------------------------------------ errors: parameters


def test_unknown_url_parameter_lists_valid_ones():
    message = raises(
        "unknown parameter 'pool_size'",
        ASYNCPG,
        "minsize",
        "maxsize",
        "max_queries",
        "max_inactive_connection_lifetime",
        "min_size (= minsize)",
        call=expand_db_url,
        db_url="postgres://h/db?pool_size=3",
    )
    assert "file_path" not in message


def test_unknown_parameter_per_engine():
    raises(
        "unknown parameter 'max_queries'",
        MYSQL,
        "connect_timeout",
        "charset",
        call=expand_db_url,
        db_url="mysql://h/db?max_queries=1",
    )
    raises(
        "unknown parameter 'host'",
        SQLITE,
        "file_path",
        "journal_mode",
        call=expand_db_url,
        db_url="sqlite://x.db?host=h",
    )


def test_unknown_dict_credential_names_connection():
    raises(
        "connection 'default'",
        "unknown parameter 'hostname'",
        "host",
        "database",
        call=load_config,
        config=config_with({"engine": ASYNCPG, "credentials": {"hostname": "h"}}),
    )


def test_error_messages_hide_the_password():
    message = raises(
        "unknown parameter 'bogus'",
        "u:***@h",
        call=expand_db_url,
        db_url="postgres://u:topsecret@h/db?bogus=1",
    )
    assert "topsecret" not in message
    message = raises(
        "'password'",
        "a string",
        call=load_config,
        config=config_with({"engine": ASYNCPG, "credentials": {"password": ["topsecret"]}}),
    )
    assert "topsecret" not in message


def test_alias_and_name_together():
    raises(
        "'minsize'",
        "'min_size'",
        "same parameter",
        call=expand_db_url,
        db_url="postgres://h/db?minsize=1&min_size=2",
    )


@pytest.mark.parametrize(
    "url, fragments",
    [
        ("postgres://h/db?minsize=abc", ("'abc'", "'minsize'", "an integer")),
        ("postgres://h/db?timeout=soon", ("'soon'", "'timeout'", "a number")),
        ("postgres://h/db?echo=maybe", ("'maybe'", "'echo'", "a boolean")),
        ("sqlite://x.db?journal_mode=fast", ("'fast'", "'journal_mode'", "WAL", "DELETE")),
        ("mysql://h/db?charset=utf8;drop", ("'utf8;drop'", "'charset'", "letters, digits")),
        ("postgres://h/db?server_settings=x", ("'x'", "'server_settings'", "a dict")),
    ],
)
def test_invalid_parameter_values(url, fragments):
    raises(*fragments, call=expand_db_url, db_url=url)


def test_invalid_port():
    raises("port", "an integer", call=expand_db_url, db_url="mysql://u@h:abc/db")
    raises(
        "'port'",
        "an integer",
        call=load_config,
        config=config_with({"engine": MYSQL, "credentials": {"port": True}}),
    )


def test_invalid_pool_sizes():
    raises(
        "minsize=10, maxsize=5",
        "0 <= minsize <= maxsize",
        call=expand_db_url,
        db_url="postgres://h/db?minsize=10&maxsize=5",
    )
    raises(
        "maxsize=0", "maxsize >= 1", call=expand_db_url, db_url="mysql://h/db?minsize=0&maxsize=0"
    )


def test_sqlite_needs_a_file_path():
    raises(
        "connection 'default'",
        "'file_path'",
        "':memory:'",
        call=load_config,
        config=config_with({"engine": SQLITE, "credentials": {}}),
    )
    raises("'file_path'", "non-empty file path", call=expand_db_url, db_url="sqlite://")


# ------------------------------------------------------------------ errors: apps and options


def test_app_without_models():
    raises(
        "app 'models' has no 'models'",
        "['app.models']",
        call=load_config,
        config={"connections": {"default": "sqlite://x"}, "apps": {"models": {}}},
    )


def test_app_of_wrong_type():
    raises(
        "app 'models' must be a dict",
        "'models'",
        "'default_connection'",
        call=load_config,
        config={"connections": {"default": "sqlite://x"}, "apps": {"models": ["app.models"]}},
    )


@pytest.mark.parametrize("models", [42, {"app.models": 1}])
def test_models_of_wrong_type(models):
    raises(
        "app 'm'",
        "'models' must be a list",
        call=load_config,
        config={"connections": {"default": "sqlite://x"}, "apps": {"m": {"models": models}}},
    )


def test_models_entry_of_wrong_type():
    raises(
        "app 'm'",
        "invalid models entry 3",
        "'app.models'",
        call=load_config,
        config={
            "connections": {"default": "sqlite://x"},
            "apps": {"m": {"models": ["a.models", 3]}},
        },
    )


def test_app_with_unknown_default_connection():
    raises(
        "app 'users'",
        "default_connection 'users_db'",
        "connections are: default, other",
        call=load_config,
        config={
            "connections": {"default": "sqlite://x", "other": "sqlite://y"},
            "apps": {"users": {"models": ["app.users"], "default_connection": "users_db"}},
        },
    )


def test_app_without_default_connection_needs_a_default_connection():
    raises(
        "app 'm'",
        "default_connection 'default'",
        "connections are: main",
        call=load_config,
        config={"connections": {"main": "sqlite://x"}, "apps": {"m": {"models": ["a"]}}},
    )


def test_migrations_must_be_a_module_path():
    raises(
        "app 'm'",
        "'migrations' must be a dotted module path",
        call=load_config,
        config={
            "connections": {"default": "sqlite://x"},
            "apps": {"m": {"models": ["a"], "migrations": 1}},
        },
    )


def test_routers_must_be_a_list():
    raises(
        "'routers' must be a list",
        "dotted paths or router classes",
        "'app.Router'",
        call=load_config,
        config=config_with("sqlite://x", routers="app.Router"),
    )


def test_use_tz_must_be_boolean():
    raises(
        "'use_tz' must be a boolean",
        "'sometimes'",
        call=load_config,
        config=config_with("sqlite://x", use_tz="sometimes"),
    )


@pytest.mark.parametrize("name", ["Mars/Olympus", "", 5, "../etc"])
def test_unknown_timezone(name):
    raises(
        f"unknown timezone {name!r}",
        "IANA name",
        "'UTC'",
        call=load_config,
        db_url="sqlite://x",
        modules=MODELS,
        timezone=name,
    )
