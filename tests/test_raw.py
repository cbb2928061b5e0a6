"""SPEC §8 raw SQL: execute_query, execute_query_dict, execute_script, Model.raw.

Placeholders are the dialect's own: ? (sqlite), $1 (postgres), %s (mysql)."""
from __future__ import annotations

from decimal import Decimal

from tortoise.connection import connections

from tests.conftest import ph
from tests.testmodels import Item


def conn():
    return connections.get("default")


async def seed_items():
    for name, qty, price in [("apple", 5, "1.50"), ("banana", 12, "0.25"), ("cherry", 7, "3.00")]:
        await Item.create(name=name, qty=qty, price=Decimal(price), category="fruit")


async def test_execute_query_select_with_params():
    await seed_items()
    count, rows = await conn().execute_query(
        f"SELECT name, qty FROM t_item WHERE qty > {ph(1)} ORDER BY qty", [6]
    )
    assert [(r["name"], r["qty"]) for r in rows] == [("cherry", 7), ("banana", 12)]
    assert count == 2


async def test_execute_query_update_returns_affected_rows():
    await seed_items()
    count, rows = await conn().execute_query(f"UPDATE t_item SET qty = qty + 1 WHERE qty < {ph(1)}", [10])
    assert count == 2
    assert dict(await Item.all().values_list("name", "qty")) == {"apple": 6, "banana": 12, "cherry": 8}


async def test_execute_query_dict():
    await seed_items()
    rows = await conn().execute_query_dict(
        f"SELECT name, qty FROM t_item WHERE name IN ({ph(1)}, {ph(2)}) ORDER BY name", ["apple", "cherry"]
    )
    assert rows == [{"name": "apple", "qty": 5}, {"name": "cherry", "qty": 7}]
    assert all(type(r) is dict for r in rows)
    assert await conn().execute_query_dict("SELECT name FROM t_item WHERE qty > 100") == []


async def test_execute_script_runs_several_statements():
    await conn().execute_script(
        "CREATE TABLE raw_scratch (id INT PRIMARY KEY, label VARCHAR(20));\n"
        "INSERT INTO raw_scratch (id, label) VALUES (1, 'one');\n"
        "INSERT INTO raw_scratch (id, label) VALUES (2, 'two');"
    )
    try:
        rows = await conn().execute_query_dict("SELECT label FROM raw_scratch ORDER BY id")
        assert [r["label"] for r in rows] == ["one", "two"]
    finally:
        await conn().execute_script("DROP TABLE raw_scratch")


async def test_model_raw_returns_instances():
    await seed_items()
    items = await Item.raw("SELECT * FROM t_item ORDER BY qty")
    assert [i.name for i in items] == ["apple", "cherry", "banana"]
    assert all(isinstance(i, Item) for i in items)
    assert items[0].price == Decimal("1.50") and isinstance(items[0].price, Decimal)
    assert items[0].pk == (await Item.get(name="apple")).pk


async def test_model_raw_with_params_in_the_dialect_style():
    await seed_items()
    items = await Item.raw(
        f"SELECT * FROM t_item WHERE qty >= {ph(1)} AND name <> {ph(2)} ORDER BY qty", [5, "cherry"]
    )
    assert [(i.name, i.qty) for i in items] == [("apple", 5), ("banana", 12)]


async def test_model_raw_with_some_columns():
    await seed_items()
    items = await Item.raw(f"SELECT id, name FROM t_item WHERE name = {ph(1)}", ["banana"])
    assert len(items) == 1
    assert items[0].name == "banana" and items[0].pk is not None
