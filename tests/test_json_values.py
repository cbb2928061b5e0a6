"""What a JSONField accepts and writes, as Tortoise 1.1.9 does: pydantic models given to a
plain JSONField are written as their JSON, and values json cannot write raise TypeError."""
from __future__ import annotations

import json
from decimal import Decimal

import pydantic
import pytest

from tests.testmodels import AllFields, NullableFields
from tortoise.exceptions import ValidationError
from tortoise.fields import JSONField
from tortoise.indexes import Index


class Place(pydantic.BaseModel):
    city: str
    tags: list[str]


async def test_a_pydantic_model_is_stored_as_its_json():
    obj = await NullableFields.create(json_f=Place(city="Oslo", tags=["north"]))
    fetched = await NullableFields.get(pk=obj.pk)
    assert fetched.json_f == {"city": "Oslo", "tags": ["north"]}
    assert await NullableFields.filter(json_f__contains={"city": "Oslo"}).count() == 1


async def test_decimals_are_refused_with_a_type_error_and_nothing_is_written():
    for value in (Decimal(0), {"price": Decimal("1.50")}):
        with pytest.raises(TypeError, match="NullableFields.json_f"):
            await NullableFields.create(json_f=value)
    obj = await NullableFields.create(json_f={"price": "1.50"})
    with pytest.raises(ValidationError, match="not JSON serializable"):
        await NullableFields.filter(pk=obj.pk).update(json_f=[Decimal(1)])
    assert [row.json_f for row in await NullableFields.all()] == [{"price": "1.50"}]


async def test_a_model_holding_an_index_is_written_by_a_custom_encoder():
    """A custom encoder gets ``model_dump()``; an Index describes itself as in Tortoise."""

    class Indexed(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)
        idx: Index

    def encode(value):
        return json.dumps(value, default=lambda obj: obj.describe())

    field = JSONField(encoder=encode)
    stored = json.loads(field.to_db_value(Indexed(idx=Index(fields=["data"]))))
    assert stored == {"idx": {"fields": ["data"], "expressions": [], "name": None, "type": "", "extra": ""}}


async def test_a_value_json_cannot_write_is_reported_before_a_missing_required_field():
    """AllFields has many required fields; the Decimal in json_f is named first, as a TypeError."""
    with pytest.raises(TypeError, match="AllFields.json_f"):
        await AllFields.create(json_f=Decimal(0))
    assert await AllFields.all().count() == 0
