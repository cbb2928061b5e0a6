"""Dates and times inside a JSONField (stored as ISO text) in ``data__filter`` lookups."""
from __future__ import annotations

import datetime
from decimal import Decimal

from tests.testmodels import NullableFields

WHEN = datetime.datetime(1970, 1, 1, 12, 36, 59, 123456)


async def _matches(**wanted) -> bool:
    return await NullableFields.filter(json_f__filter=wanted).exists()


async def test_datetimes_inside_json_compare_as_stored():
    await NullableFields.create(json_f={"when": WHEN, "inner": {"when": WHEN, "on": WHEN.date()}})
    assert await _matches(when=WHEN)
    assert await _matches(inner__when=WHEN)
    assert await _matches(inner__on=WHEN.date())
    assert not await _matches(when=WHEN.replace(year=1971))
    assert await _matches(when__in=[WHEN.replace(year=1971), WHEN])
    assert await _matches(when__gt=WHEN.replace(year=1969))
    assert not await _matches(when__lt=WHEN.replace(year=1969))


async def test_date_parts_of_datetimes_inside_json():
    await NullableFields.create(json_f={"when": WHEN, "inner": {"when": WHEN}})
    for path in ("when", "inner__when"):
        assert await _matches(**{f"{path}__year": 1970})
        assert await _matches(**{f"{path}__month": 1, f"{path}__day": 1})
        assert await _matches(**{f"{path}__hour": 12, f"{path}__minute": 36})
        assert await _matches(**{f"{path}__second": Decimal("59.123456")})
        assert await _matches(**{f"{path}__year__gte": 1969})
        assert await _matches(**{f"{path}__date": WHEN.date()})
        assert await _matches(**{f"{path}__date": WHEN.replace(hour=3)})
        assert not await _matches(**{f"{path}__year": 1971})


async def test_seconds_inside_json_keep_their_fraction_as_in_tortoise():
    """Inside JSON filters ``second`` and ``microsecond`` are PostgreSQL's EXTRACT values
    (Tortoise's meaning there), on every database; a column's stay whole numbers."""
    await NullableFields.create(datetime_f=WHEN, json_f={"when": WHEN, "whole": WHEN.replace(microsecond=0)})
    assert await _matches(when__second=Decimal("59.123456"), when__microsecond=59123456)
    assert not await _matches(when__second=59)
    assert await _matches(when__second__gt=59, when__second__lt=60)
    assert await _matches(whole__second=59, whole__microsecond=59000000)
    assert await NullableFields.filter(datetime_f__second=59).exists()
