"""tortoise.query_api: queries built with pypika run on our connections (extra aldabra[pypika])."""
from __future__ import annotations

import pydantic
import pytest
from pypika_tortoise import Query

from tests.testmodels import Item
from tortoise import fields
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError
from tortoise.models import Model
from tortoise.query_api import QueryResult, execute_pypika


class ItemRow(pydantic.BaseModel):
    id: int
    name: str


async def _two_items() -> tuple[Item, Item]:
    return await Item.create(name="alpha", qty=1), await Item.create(name="beta", qty=2)


async def test_select_returns_dict_rows_and_counts_them():
    alpha, beta = await _two_items()
    table = Item.get_table()
    query = Query.from_(table).select(table.id, table.name).orderby(table.id)

    result = await execute_pypika(query)

    assert isinstance(result, QueryResult)
    assert result.rows == [{"id": alpha.id, "name": "alpha"}, {"id": beta.id, "name": "beta"}]
    assert result.rows_affected == 2


async def test_values_are_bound_parameters_not_sql_text():
    await _two_items()
    table = Item.get_table()
    query = Query.from_(table).select(table.name).where(table.name == "it's beta")
    sql, params = query.get_parameterized_sql(connections.get("default").query_class.SQL_CONTEXT)

    assert params == ["it's beta"] and "beta" not in sql
    assert (await execute_pypika(query)).rows == []


async def test_update_insert_and_delete_report_rows_changed():
    alpha, _ = await _two_items()
    table = Item.get_table()

    updated = await execute_pypika(Query.update(table).set(table.qty, 7).where(table.qty >= 1))
    inserted = await execute_pypika(Query.into(table).columns(table.name, table.category, table.qty, table.price).insert("gamma", "misc", 0, 0))
    deleted = await execute_pypika(Query.from_(table).delete().where(table.id == alpha.id))

    assert (updated.rows, updated.rows_affected) == ([], 2)
    assert (inserted.rows, inserted.rows_affected) == ([], 1)
    assert (deleted.rows, deleted.rows_affected) == ([], 1)
    assert sorted(await Item.all().values_list("name", "qty")) == [("beta", 7), ("gamma", 0)]


async def test_schema_validates_rows_with_pydantic():
    alpha, _ = await _two_items()
    table = Item.get_table()
    query = Query.from_(table).select(table.id, table.name).where(table.name == "alpha")

    as_model = await execute_pypika(query, schema=ItemRow)
    as_adapter = await execute_pypika(query, schema=pydantic.TypeAdapter(dict[str, int | str]))

    assert as_model.rows == [ItemRow(id=alpha.id, name="alpha")]
    assert as_adapter.rows == [{"id": alpha.id, "name": "alpha"}]
    with pytest.raises(pydantic.ValidationError):
        await execute_pypika(Query.from_(table).select(table.name.as_("id")), schema=ItemRow)


async def test_explicit_connection_and_transaction_client():
    from tortoise.transactions import in_transaction

    await _two_items()
    table = Item.get_table()
    async with in_transaction() as conn:
        await execute_pypika(Query.from_(table).delete().where(table.name == "alpha"), using_db=conn)
        assert (await execute_pypika(Query.from_(table).select(table.id), using_db=conn)).rows_affected == 1
    assert await Item.all().count() == 1


def test_get_table_is_the_model_table_and_a_reserved_name():
    assert Item.get_table().get_table_name() == "t_item"
    with pytest.raises(ConfigurationError, match="get_table"):
        type("Clash", (Model,), {"__module__": __name__, "get_table": fields.IntField()})


def test_missing_pypika_names_the_extra_to_install():
    from tortoise.query_api import pypika_object

    with pytest.raises(ImportError, match=r"pip install 'aldabra\[pypika\]'"):
        pypika_object("pypika_tortoise_not_installed.queries:Table")
