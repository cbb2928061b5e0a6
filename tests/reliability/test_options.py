"""Pool health options reach the clients from URLs and credentials, in every spelling."""
from __future__ import annotations

import pytest

from tortoise.backends.asyncpg import client_class as PostgresClient
from tortoise.backends.mysql import client_class as MySQLClient
from tortoise.config import expand_db_url
from tortoise.exceptions import ConfigurationError


def client_from_url(url: str):
    spec = expand_db_url(url)
    client_class = PostgresClient if "asyncpg" in spec["engine"] else MySQLClient
    return client_class(connection_name="x", **spec["credentials"])


def test_postgres_url_options_and_aliases():
    db = client_from_url(
        "postgres://u@db.example:6543/app?pool_pre_ping=true&max_lifetime=900&max_idle=20"
        "&connect_timeout=3&statement_timeout=4&acquire_timeout=5&reconnect_timeout=6"
    )
    assert (db.options.pre_ping, db.options.max_age) == (True, 900)
    assert (db.options.acquire_timeout, db.options.reconnect_timeout) == (5, 6)
    assert db.max_inactive_connection_lifetime == 20
    assert db.extra["timeout"] == 3 and db.extra["command_timeout"] == 4


def test_mysql_url_options_and_aliases():
    db = client_from_url(
        "mysql://root:@db.example:3307/app?pre_ping=1&max_age=60&max_idle=30"
        "&connect_timeout=2&command_timeout=7"
    )
    assert (db.options.pre_ping, db.options.max_age) == (True, 60)
    assert (db.pool_recycle, db.connect_timeout, db.statement_timeout) == (30, 2, 7)


def test_defaults_are_bounded():
    db = client_from_url("postgres://u@h/app")
    assert not db.options.pre_ping and db.options.max_age is None
    assert db.options.acquire_timeout == 30 and db.options.reconnect_timeout == 10
    assert client_from_url("mysql://root:@h/app").pool_recycle is None  # below wait_timeout


def test_a_wrong_value_is_refused_with_its_name():
    with pytest.raises(ConfigurationError, match="acquire_timeout"):
        expand_db_url("postgres://u@h/app?acquire_timeout=soon")
