"""bulk_create of models with ``db_default`` fields: the columns every object leaves unset
are left to the database; a field set on some objects only is refused (one statement has
one column list)."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import tests.compat_models as compat_models
from tortoise.exceptions import OperationalError

COMPAT = "tests.compat_models"


async def test_columns_left_unset_everywhere_are_filled_by_the_database(other_orm):
    await other_orm.init_models(COMPAT)
    Counter = compat_models.Counter
    await Counter.bulk_create([Counter(), Counter(), Counter()])
    rows = await Counter.all().order_by("id")
    assert len(rows) == 3
    for row in rows:
        assert (row.label, row.hits, row.ratio, row.active, row.zero) == ("untitled", 7, Decimal("1.50"), True, 0)
        assert row.day == datetime.date(2021, 3, 4) and isinstance(row.stamped, datetime.datetime)


async def test_values_set_on_every_object_are_written(other_orm):
    await other_orm.init_models(COMPAT)
    Counter = compat_models.Counter
    await Counter.bulk_create([Counter(hits=1, label="a"), Counter(hits=2, label="b")], batch_size=1)
    assert await Counter.all().order_by("id").values_list("label", "hits", "active") == [("a", 1, True), ("b", 2, True)]
    await compat_models.Quiet.bulk_create([compat_models.Quiet() for _ in range(2)])
    assert await compat_models.Quiet.all().values_list("hits", flat=True) == [3, 3]


async def test_a_field_set_on_some_objects_only_is_refused_before_writing(other_orm):
    await other_orm.init_models(COMPAT)
    Counter = compat_models.Counter
    with pytest.raises(OperationalError, match=r"Cannot use bulk_create on Counter: hits is set on 1 object\(s\) and left to its db_default on 2"):
        await Counter.bulk_create([Counter(hits=1), Counter(), Counter()])
    assert await Counter.all().count() == 0
