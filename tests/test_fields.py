"""SPEC §3: every data field through the real database, defaults, auto timestamps,
validators, source_field."""
from __future__ import annotations

import asyncio
import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tortoise.connection import connections
from tortoise.exceptions import ValidationError

from tests.testmodels import (
    AllFields,
    Author,
    Color,
    Country,
    Defaults,
    NullableFields,
    Priority,
    Renamed,
    Validated,
)

UTC = datetime.timezone.utc
PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
DT = datetime.datetime(2024, 3, 10, 12, 30, 45, 123456)
SAMPLE = {
    "int_f": -2_000_000_000,
    "bigint_f": 2**62,
    "smallint_f": -32000,
    "float_f": 1.5,
    "decimal_f": Decimal("12345678.1234"),
    "bool_f": False,
    "char_f": "héllo 'quoted' \"double\" ; --",
    "text_f": "long text\nwith lines\tand ünïcödé ✓" * 50,
    "uuid_f": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "datetime_f": DT,
    "date_f": datetime.date(1999, 12, 31),
    "time_f": datetime.time(23, 59, 58, 500000),
    "timedelta_f": datetime.timedelta(days=2, hours=3, seconds=4, microseconds=5),
    "json_f": {"a": 1, "b": [1, 2.5, None, True], "nested": {"s": "ü"}},
    "binary_f": b"\x00\x01\xffbinary\x00",
    "charenum_f": Color.GREEN,
    "intenum_f": Priority.HIGH,
}
DATA_FIELDS = list(SAMPLE)


def normalise(name, value):
    """Comparable form: datetimes and times as naive UTC (databases differ in tz handling)."""
    if name == "datetime_f" and value is not None:
        return utc_naive(value)
    if name == "time_f" and value is not None:
        return value.replace(tzinfo=None)
    return value


def utc_naive(value):
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


async def test_every_data_field_round_trips():
    created = await AllFields.create(**SAMPLE)
    fetched = await AllFields.get(pk=created.pk)
    for name in DATA_FIELDS:
        assert normalise(name, getattr(fetched, name)) == normalise(name, SAMPLE[name]), name
    assert type(fetched.bool_f) is bool
    assert isinstance(fetched.decimal_f, Decimal)
    assert isinstance(fetched.uuid_f, uuid.UUID)
    assert isinstance(fetched.charenum_f, Color) and isinstance(fetched.intenum_f, Priority)
    assert isinstance(fetched.binary_f, bytes)


async def test_every_data_field_round_trips_through_values():
    await AllFields.create(**SAMPLE)
    row = (await AllFields.all().values(*DATA_FIELDS))[0]
    for name in DATA_FIELDS:
        assert normalise(name, row[name]) == normalise(name, SAMPLE[name]), name


async def test_every_data_field_round_trips_through_bulk_create():
    """bulk_create takes its own path to the database (PostgreSQL: one array per column)."""
    variants = [SAMPLE, {**SAMPLE, "bool_f": True, "json_f": [1, "two"], "datetime_f": DT.replace(tzinfo=PLUS_2)}]
    created = await AllFields.bulk_create([AllFields(**values) for values in variants])
    nulls = await NullableFields.bulk_create([NullableFields(), NullableFields(**SAMPLE)])
    for obj, values in zip(created, variants):
        fetched = await AllFields.get(pk=obj.pk)
        for name in DATA_FIELDS:
            assert normalise(name, getattr(fetched, name)) == normalise(name, values[name]), name
    empty, full = [await NullableFields.get(pk=obj.pk) for obj in nulls]
    assert all(getattr(empty, name) is None for name in DATA_FIELDS)
    for name in DATA_FIELDS:
        assert normalise(name, getattr(full, name)) == normalise(name, SAMPLE[name]), name


async def test_true_and_json_list_round_trip():
    created = await AllFields.create(**{**SAMPLE, "bool_f": True, "json_f": [1, "two", {"three": 3}]})
    fetched = await AllFields.get(pk=created.pk)
    assert fetched.bool_f is True
    assert fetched.json_f == [1, "two", {"three": 3}]


async def test_aware_datetime_keeps_its_instant():
    aware = datetime.datetime(2024, 3, 10, 14, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    created = await AllFields.create(**{**SAMPLE, "datetime_f": aware})
    fetched = await AllFields.get(pk=created.pk)
    assert utc_naive(fetched.datetime_f) == datetime.datetime(2024, 3, 10, 12, 0)


async def test_filter_by_each_data_field():
    await AllFields.create(**SAMPLE)
    for name in DATA_FIELDS:
        if name in ("json_f", "text_f", "float_f"):
            continue
        assert await AllFields.filter(**{name: SAMPLE[name]}).count() == 1, name


async def test_uuid_and_enum_fields_accept_their_raw_values_in_filters():
    await AllFields.create(**SAMPLE)
    assert await AllFields.filter(uuid_f=str(SAMPLE["uuid_f"])).count() == 1
    assert await AllFields.filter(charenum_f="green").count() == 1
    assert await AllFields.filter(intenum_f=3).count() == 1
    assert await AllFields.filter(charenum_f=Color.RED).count() == 0


async def test_nullable_fields_store_none():
    created = await NullableFields.create()
    fetched = await NullableFields.get(pk=created.pk)
    for name in DATA_FIELDS:
        assert getattr(fetched, name) is None, name
    assert await NullableFields.filter(int_f__isnull=True, json_f__isnull=True).count() == 1


async def test_nullable_fields_store_values():
    created = await NullableFields.create(**SAMPLE)
    fetched = await NullableFields.get(pk=created.pk)
    for name in DATA_FIELDS:
        assert normalise(name, getattr(fetched, name)) == normalise(name, SAMPLE[name]), name
    fetched.int_f = None
    fetched.json_f = None
    await fetched.save()
    again = await NullableFields.get(pk=created.pk)
    assert again.int_f is None and again.json_f is None and again.char_f == SAMPLE["char_f"]


async def test_defaults_static_and_callable():
    a = await Defaults.create()
    b = await Defaults.create()
    fetched = await Defaults.get(pk=a.pk)
    assert fetched.int_f == 42
    assert fetched.float_f == 1.25
    assert fetched.decimal_f == Decimal("9.99")
    assert fetched.bool_f is True
    assert fetched.char_f == "hello"
    assert fetched.date_f == datetime.date(2020, 1, 2)
    assert fetched.charenum_f is Color.BLUE
    assert fetched.intenum_f is Priority.MID
    assert fetched.json_f == {"theme": "dark", "tags": []}
    assert isinstance(fetched.uuid_f, uuid.UUID)
    # callable defaults are called for each instance
    assert a.uuid_f != b.uuid_f
    a.json_f["tags"].append("mutated")
    assert b.json_f == {"theme": "dark", "tags": []}
    assert (await Defaults.get(pk=b.pk)).uuid_f == b.uuid_f


async def test_explicit_values_override_defaults():
    d = await Defaults.create(int_f=1, bool_f=False, charenum_f=Color.RED, json_f={"x": 1})
    fetched = await Defaults.get(pk=d.pk)
    assert (fetched.int_f, fetched.bool_f, fetched.charenum_f, fetched.json_f) == (1, False, Color.RED, {"x": 1})


async def test_auto_now_add_and_auto_now():
    start = datetime.datetime.now(UTC).replace(tzinfo=None) - datetime.timedelta(seconds=5)
    author = await Author.create(username="ann", password_hash="h")
    assert author.created_at is not None and author.updated_at is not None
    first = await Author.get(pk=author.pk)
    assert utc_naive(first.created_at) >= start
    assert utc_naive(first.created_at) - start < datetime.timedelta(minutes=1)

    created_before, updated_before = first.created_at, first.updated_at
    await asyncio.sleep(0.05)
    first.age = 30
    await first.save()
    second = await Author.get(pk=author.pk)
    assert second.created_at == created_before  # auto_now_add never changes
    assert second.updated_at > updated_before  # auto_now moves on every save
    assert first.updated_at == second.updated_at  # and the instance has the saved value


async def test_bulk_create_stamps_its_rows_with_one_time_and_keeps_given_ones():
    given = datetime.datetime(2020, 5, 17, 8, 30, tzinfo=UTC)
    authors = [Author(username=f"u{i}", password_hash="h") for i in range(5)]
    authors.append(Author(username="given", password_hash="h", created_at=given))
    before = datetime.datetime.now(UTC)
    await Author.bulk_create(authors)
    [stamp] = {a.created_at for a in authors[:5]}  # one time for the rows of the statement
    [updated] = {a.updated_at for a in authors}  # auto_now: the given row's too
    assert before <= stamp <= updated <= datetime.datetime.now(UTC)
    assert authors[5].created_at == given
    stored = dict(await Author.all().values_list("username", "created_at"))
    assert stored == {**{f"u{i}": stamp for i in range(5)}, "given": given}


async def test_validators_run_on_save_and_nothing_is_written():
    cases = [
        ({"age": 151, "nick": "abc"}, "age"),
        ({"age": -1, "nick": "abc"}, "age"),
        ({"age": 10, "nick": "ab"}, "nick"),
        ({"age": 10, "nick": "abc", "code": "abc1"}, "code"),
    ]
    for kwargs, culprit in cases:
        with pytest.raises(ValidationError) as info:
            await Validated.create(**kwargs)
        assert culprit in str(info.value), kwargs
    assert await Validated.all().count() == 0

    ok = await Validated.create(age=150, nick="abc", code="XYZ")
    with pytest.raises(ValidationError) as info:
        ok.age = 200
        await ok.save()
    assert "age" in str(info.value)
    assert (await Validated.get(pk=ok.pk)).age == 150


async def test_enum_fields_convert_plain_values_and_refuse_others():
    """Enum fields override the conversions, so ints and strs do not pass through unchanged."""
    made = AllFields(**{**SAMPLE, "intenum_f": 1, "charenum_f": "red"})
    assert made.intenum_f is Priority.LOW and made.charenum_f is Color.RED
    await made.save()
    made.intenum_f = 9
    with pytest.raises(ValidationError, match="intenum_f"):
        await made.save()
    with pytest.raises(ValidationError, match="charenum_f"):
        await AllFields.bulk_create([AllFields(**{**SAMPLE, "charenum_f": "purple"})])
    assert await AllFields.all().values_list("intenum_f", "charenum_f") == [(Priority.LOW, Color.RED)]


async def test_char_field_max_length_is_validated():
    with pytest.raises(ValidationError) as info:
        await Country.create(code="FRA", name="France")
    assert "code" in str(info.value)
    assert await Country.all().count() == 0


async def test_source_field_is_the_column_name():
    obj = await Renamed.create(name="shown", rank=3, legacy="old")
    rows = await connections.get("default").execute_query_dict(
        "SELECT display_name, rank_col, legacy_col FROM t_renamed"
    )
    assert [(r["display_name"], r["rank_col"], r["legacy_col"]) for r in rows] == [("shown", 3, "old")]
    fetched = await Renamed.get(name="shown")
    assert (fetched.pk, fetched.rank, fetched.legacy) == (obj.pk, 3, "old")
    assert await Renamed.filter(rank__gte=3).order_by("-rank").values_list("name", flat=True) == ["shown"]
    assert await Renamed.filter(pk=obj.pk).update(name="renamed") == 1
    assert (await Renamed.get(pk=obj.pk)).name == "renamed"


async def test_decimals_read_back_with_all_their_decimal_places():
    """SQLite returns 12.5 as a float and 7 as an int; every database gives 4 places back."""
    short = await AllFields.create(**{**SAMPLE, "decimal_f": Decimal("12.5")})
    whole = await AllFields.create(**{**SAMPLE, "decimal_f": 7})
    rounded = await AllFields.create(**{**SAMPLE, "decimal_f": Decimal("0.00005")})
    fetched = [(await AllFields.get(pk=obj.pk)).decimal_f for obj in (short, whole, rounded)]
    listed = await AllFields.all().order_by("id").values_list("decimal_f", flat=True)
    for values in (fetched, listed):
        assert [str(value) for value in values] == ["12.5000", "7.0000", "0.0001"]
        assert all(type(value) is Decimal for value in values)


async def test_booleans_read_back_as_bool():
    await AllFields.create(**{**SAMPLE, "bool_f": True})
    await AllFields.create(**SAMPLE)
    await NullableFields.create(bool_f=False)
    await NullableFields.create()
    for flags, expected in (
        (await AllFields.all().order_by("id").values_list("bool_f", flat=True), [True, False]),
        ([obj.bool_f for obj in await AllFields.all().order_by("id")], [True, False]),
        ([row["bool_f"] for row in await NullableFields.all().order_by("id").values("bool_f")], [False, None]),
    ):
        assert flags == expected and [type(flag) for flag in flags] == [type(value) for value in expected]
    assert [obj.bool_f for obj in await AllFields.filter(bool_f=True)] == [True]


@pytest.mark.parametrize("use_tz, zone", [(False, "Asia/Shanghai"), (True, "America/New_York")])
async def test_time_zone_settings_apply_to_values_read(other_orm, use_tz, zone):
    """Decoders read the settings when built; Tortoise.init rebuilds them."""
    await other_orm.init_models("tests.testmodels", use_tz=use_tz, timezone=zone)
    local = ZoneInfo(zone)
    moment = DT.replace(tzinfo=UTC)  # 12:30:45 UTC
    naive = await AllFields.create(**{**SAMPLE, "datetime_f": DT})
    aware = await AllFields.create(**{**SAMPLE, "datetime_f": moment.astimezone(PLUS_2)})
    if use_tz:  # naive input is a wall-clock time of the zone (Tortoise 1.1.9); values come back aware in it
        expected = [DT.replace(tzinfo=local), moment]
    else:  # naive input is local wall-clock time; values come back naive
        expected = [DT, moment.astimezone(local).replace(tzinfo=None)]
    fetched = [(await AllFields.get(pk=obj.pk)).datetime_f for obj in (naive, aware)]
    listed = await AllFields.all().order_by("id").values_list("datetime_f", flat=True)
    for values in (fetched, listed):
        assert values == expected
        for value in values:
            assert value.tzinfo == (local if use_tz else None)
            if use_tz:
                assert value.utcoffset() == moment.astimezone(local).utcoffset()
    assert await AllFields.filter(datetime_f=expected[1]).count() == 1
    assert await AllFields.filter(datetime_f=expected[0]).count() == 1
