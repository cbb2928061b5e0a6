"""Time zones of datetimes and times written and read back, as Tortoise 1.1.9 gives them.

Under ``use_tz`` values come back in the configured zone as a ``tortoise.timezone.ZoneInfo``
(also for UTC), a naive value given by the user is a wall-clock time of that zone, and the
settings apply as soon as they change (Tortoise's own tests set USE_TZ/TIMEZONE and reset
the cache without initialising again).
"""
from __future__ import annotations

import datetime
import os
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import requires_dialect
from tests.testmodels import NullableFields
from tortoise import timezone
from tortoise.functions import Max

UTC = datetime.timezone.utc
PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
MOMENT = datetime.datetime(2024, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def tz_settings():
    """Sets USE_TZ/TIMEZONE as Tortoise's tests do (environment + cache reset); restores them."""
    saved = {key: os.environ.get(key) for key in ("USE_TZ", "TIMEZONE")}

    def apply(use_tz: bool = True, zone: str | None = None) -> None:
        os.environ["USE_TZ"] = str(use_tz)
        if zone is not None:
            os.environ["TIMEZONE"] = zone
        timezone._reset_timezone_cache()

    yield apply
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    timezone._reset_timezone_cache()


async def _read_back(pk: int, name: str) -> list:
    """The value of ``name`` as an instance, through values() and through values_list()."""
    return [
        getattr(await NullableFields.get(pk=pk), name),
        (await NullableFields.filter(pk=pk).values(name))[0][name],
        (await NullableFields.filter(pk=pk).values_list(name, flat=True))[0],
    ]


# --- datetimes -------------------------------------------------------------------------------
async def test_datetimes_come_back_with_a_zoneinfo_also_for_utc():
    now = timezone.now()
    obj = await NullableFields.create(datetime_f=now)
    for value in [obj.datetime_f, *await _read_back(obj.pk, "datetime_f")]:
        assert value == now
        assert isinstance(value.tzinfo, timezone.ZoneInfo) and value.tzinfo.zone == "UTC"


async def test_a_changed_time_zone_applies_to_queries_run_before(tz_settings):
    obj = await NullableFields.create(datetime_f=MOMENT)
    assert [value.tzinfo.zone for value in await _read_back(obj.pk, "datetime_f")] == ["UTC"] * 3
    tz_settings(zone="Asia/Shanghai")
    for value in await _read_back(obj.pk, "datetime_f"):
        assert value == MOMENT and value.hour == 20 and value.tzinfo.zone == "Asia/Shanghai"


async def test_naive_datetimes_given_are_wall_clock_times_of_the_configured_zone(tz_settings):
    tz_settings(zone="Asia/Shanghai")
    naive = datetime.datetime(2026, 9, 7, 9, 0)
    expected = naive.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    obj = await NullableFields.create(datetime_f=naive)
    assert obj.datetime_f == expected and obj.datetime_f.hour == 9
    assert await _read_back(obj.pk, "datetime_f") == [expected] * 3

    hour = datetime.timedelta(hours=1)
    with pytest.warns(RuntimeWarning, match="NullableFields.datetime_f received a naive datetime"):
        await NullableFields.filter(pk=obj.pk).update(datetime_f=naive + hour)
    assert await _read_back(obj.pk, "datetime_f") == [expected + hour] * 3

    obj.datetime_f = naive + 2 * hour
    with pytest.warns(RuntimeWarning, match="received a naive datetime"):
        await obj.save()
    assert await _read_back(obj.pk, "datetime_f") == [expected + 2 * hour] * 3
    with pytest.warns(RuntimeWarning, match="received a naive datetime"):
        assert await NullableFields.filter(datetime_f=naive + 2 * hour).count() == 1


# --- times -----------------------------------------------------------------------------------
async def test_times_are_aware_under_use_tz():
    now = timezone.now().timetz()
    obj = await NullableFields.create(time_f=now)
    assert obj.time_f == now
    assert await _read_back(obj.pk, "time_f") == [now] * 3
    assert (await NullableFields.get(time_f=now)).pk == obj.pk
    parsed = await NullableFields.create(time_f="21:00+00:00")
    assert await _read_back(parsed.pk, "time_f") == [datetime.time(21, 0, tzinfo=UTC)] * 3


async def test_naive_times_get_the_configured_zone():
    obj = await NullableFields.create(time_f=datetime.time(9, 30, 0, 5))
    for value in [obj.time_f, *await _read_back(obj.pk, "time_f")]:
        assert value == datetime.time(9, 30, 0, 5, tzinfo=UTC)
        assert value.utcoffset() == datetime.timedelta(0)


@requires_dialect("sqlite", "postgres")
async def test_times_keep_their_offset_where_the_column_holds_one():
    given = datetime.time(9, 30, tzinfo=PLUS_2)
    obj = await NullableFields.create(time_f=given)
    for value in await _read_back(obj.pk, "time_f"):
        assert value == given and value.utcoffset() == datetime.timedelta(hours=2)


@requires_dialect("mysql")
async def test_mysql_times_keep_their_wall_clock_time_in_the_configured_zone():
    obj = await NullableFields.create(time_f=datetime.time(9, 30, tzinfo=PLUS_2))
    assert await _read_back(obj.pk, "time_f") == [datetime.time(9, 30, tzinfo=UTC)] * 3


async def test_times_are_naive_without_use_tz(tz_settings):
    tz_settings(use_tz=False, zone="Asia/Shanghai")
    obj = await NullableFields.create(time_f=datetime.time(9, 30, tzinfo=PLUS_2))
    for value in [obj.time_f, *await _read_back(obj.pk, "time_f")]:
        assert value == datetime.time(9, 30) and value.tzinfo is None


async def test_aggregated_datetimes_keep_their_instant_in_another_zone(tz_settings):
    """A database's naive aggregate (MySQL's MAX of a DATETIME) is UTC, not user input."""
    tz_settings(zone="Asia/Shanghai")
    await NullableFields.create(datetime_f=MOMENT)
    await NullableFields.create(datetime_f=MOMENT - datetime.timedelta(days=1))
    annotated = await NullableFields.annotate(latest=Max("datetime_f")).first()
    assert annotated.latest == MOMENT
    assert (await NullableFields.annotate(latest=Max("datetime_f")).values("latest"))[0]["latest"] == MOMENT
