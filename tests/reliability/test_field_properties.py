"""Property tests (Hypothesis): every field type round-trips through this database —
by create/get, by values() and by bulk_create — and the stored value is found again
when filtered on.  Values are drawn over each column type's whole accepted range."""
from __future__ import annotations

import datetime
import decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TEST_DB
from tests.testmodels import AllFields, Color, NullableFields, Priority

pytestmark = pytest.mark.usefixtures("_clean_db")

UTC = datetime.timezone.utc
NO_NUL = TEST_DB in ("postgres", "psycopg")  # PostgreSQL text and JSON cannot hold a NUL character


def text(max_size: int) -> st.SearchStrategy[str]:
    # any encodable character (lone surrogates are refused: see test_hostile_input.py)
    alphabet = st.characters(codec="utf-8", exclude_characters="\x00" if NO_NUL else "")
    return st.text(alphabet, max_size=max_size)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text(20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text(10), inner, max_size=4),
    max_leaves=12,
)
FIELDS = {
    "int_f": st.integers(-(2**31), 2**31 - 1),
    "bigint_f": st.integers(-(2**63), 2**63 - 1),
    "smallint_f": st.integers(-(2**15), 2**15 - 1),
    "float_f": st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=TEST_DB != "mysql"),
    "decimal_f": st.decimals(
        min_value=decimal.Decimal("-99999999.9999"), max_value=decimal.Decimal("99999999.9999"),
        places=4, allow_nan=False, allow_infinity=False,
    ),
    "bool_f": st.booleans(),
    "char_f": text(255),
    "text_f": text(2000),
    "uuid_f": st.uuids(),
    "datetime_f": st.datetimes(
        min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1),
        timezones=st.sampled_from([UTC, datetime.timezone(datetime.timedelta(hours=-7, minutes=-30))]),
    ),
    "date_f": st.dates(min_value=datetime.date(1000, 1, 1)),
    "time_f": st.times(),
    "timedelta_f": st.timedeltas(min_value=datetime.timedelta(days=-99_999), max_value=datetime.timedelta(days=99_999)),
    # at the top: None is SQL NULL and a str is taken as JSON text (as in Tortoise)
    "json_f": JSON.filter(lambda value: not isinstance(value, (str, type(None)))),
    "binary_f": st.binary(max_size=1000),
    "charenum_f": st.sampled_from(list(Color)),
    "intenum_f": st.sampled_from(list(Priority)),
}
# compared by equality in SQL as well (JSON equality is not portable)
FILTERABLE = [name for name in FIELDS if name not in ("json_f",)]
PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def comparable(name: str, value):
    if name == "datetime_f" and value is not None and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if name == "time_f" and value is not None:  # naive times come back in the configured zone (UTC)
        return value.replace(tzinfo=None)
    return value


def assert_same(fetched: dict, drawn: dict) -> None:
    for name, value in drawn.items():
        assert comparable(name, fetched[name]) == comparable(name, value), name


@PROPERTY
@given(st.fixed_dictionaries(FIELDS))
async def test_every_field_round_trips(values):
    created = await AllFields.create(**values)
    fetched = await AllFields.get(pk=created.pk)
    assert_same({name: getattr(fetched, name) for name in FIELDS}, values)
    (row,) = await AllFields.filter(pk=created.pk).values(*FIELDS)
    assert_same(row, values)
    for name in FILTERABLE:
        assert await AllFields.filter(pk=created.pk, **{name: values[name]}).exists(), name
    await AllFields.filter(pk=created.pk).delete()


@PROPERTY
@given(st.lists(st.fixed_dictionaries({name: st.none() | strategy for name, strategy in FIELDS.items()}),
                min_size=1, max_size=4))
async def test_nullable_fields_round_trip_through_bulk_create(rows):
    created = await NullableFields.bulk_create([NullableFields(**values) for values in rows])
    for obj, values in zip(created, rows):
        fetched = await NullableFields.get(pk=obj.pk)
        assert_same({name: getattr(fetched, name) for name in FIELDS}, values)
    await NullableFields.filter(pk__in=[obj.pk for obj in created]).delete()
