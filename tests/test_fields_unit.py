"""Unit tests (no database) of data-field conversions, validators and timezone helpers."""
from __future__ import annotations

import datetime
import enum
import json
import os
import time
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pydantic
import pytest

from tortoise import timezone
from tortoise.exceptions import ConfigurationError, ValidationError
from tortoise.fields import data
from tortoise.fields.data import (
    BigIntField,
    BinaryField,
    BooleanField,
    CharEnumField,
    CharField,
    DateField,
    DatetimeField,
    DecimalField,
    FloatField,
    IntEnumField,
    IntField,
    JSONField,
    SmallIntField,
    TextField,
    TimeDeltaField,
    TimeField,
    UUIDField,
)
from tortoise.validators import (
    CommaSeparatedIntegerListValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    RegexValidator,
    Validator,
    validate_ipv4_address,
    validate_ipv6_address,
    validate_ipv46_address,
)

UTC = datetime.timezone.utc


class Event:
    """Stands in for a model class: fields are bound to it as the metaclass would."""


def bound(field, name="value"):
    field.bind(Event, name)
    return field


@pytest.fixture(autouse=True)
def default_tz_settings():
    """Every test starts with USE_TZ/TIMEZONE unset (use_tz=True, UTC) and leaves them so."""
    saved = {key: os.environ.pop(key, None) for key in ("USE_TZ", "TIMEZONE")}
    timezone.configure()
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    timezone.configure()


# --- module surface -------------------------------------------------------------------------
def test_all_lists_every_public_field():
    expected = {
        "IntField", "BigIntField", "SmallIntField", "FloatField", "DecimalField",
        "BooleanField", "CharField", "TextField", "UUIDField", "DatetimeField", "DateField",
        "TimeField", "TimeDeltaField", "JSONField", "BinaryField", "CharEnumField",
        "IntEnumField",
    }
    assert expected <= set(data.__all__)
    for name in data.__all__:
        assert getattr(data, name) is not None


@pytest.mark.parametrize(
    "field, sqlite, postgres, mysql",
    [
        (IntField(), "INT", "INT", "INT"),
        (BigIntField(), "BIGINT", "BIGINT", "BIGINT"),
        (SmallIntField(), "SMALLINT", "SMALLINT", "SMALLINT"),
        (FloatField(), "REAL", "DOUBLE PRECISION", "DOUBLE"),
        (DecimalField(max_digits=10, decimal_places=2), "DECIMAL(10,2)", "DECIMAL(10,2)", "DECIMAL(10,2)"),
        (BooleanField(), "INT", "BOOL", "BOOL"),
        (CharField(max_length=50), "VARCHAR(50)", "VARCHAR(50)", "VARCHAR(50)"),
        (TextField(), "TEXT", "TEXT", "LONGTEXT"),
        (UUIDField(), "CHAR(36)", "UUID", "CHAR(36)"),
        (DatetimeField(), "TIMESTAMP", "TIMESTAMPTZ", "DATETIME(6)"),
        (DateField(), "DATE", "DATE", "DATE"),
        (TimeField(), "TIME", "TIMETZ", "TIME(6)"),
        (TimeDeltaField(), "BIGINT", "BIGINT", "BIGINT"),
        (JSONField(), "JSON", "JSONB", "JSON"),
        (BinaryField(), "BLOB", "BYTEA", "LONGBLOB"),
    ],
)
def test_column_types_per_dialect(field, sqlite, postgres, mysql):
    assert field.get_db_type("sqlite") == sqlite
    assert field.get_db_type("postgres") == postgres
    assert field.get_db_type("mysql") == mysql


# --- integers ----------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [IntField, BigIntField, SmallIntField])
def test_integer_primary_key_is_generated_by_default(cls):
    assert cls(pk=True).generated is True
    assert cls(primary_key=True).generated is True
    assert cls(primary_key=True, generated=False).generated is False
    assert cls().generated is False


def test_only_integer_fields_may_be_generated():
    from tortoise.models import Model

    with pytest.raises(ConfigurationError, match=r"Field 'code' \(CharField\) can't be DB-generated: Bad.code"):

        class Bad(Model):
            code = CharField(max_length=10, generated=True)


@pytest.mark.parametrize(
    "field, low, high",
    [(IntField(), -(2**31), 2**31 - 1), (BigIntField(), -(2**63), 2**63 - 1), (SmallIntField(), -32768, 32767)],
)
def test_integer_constraints_follow_the_column_size(field, low, high):
    assert field.constraints == {"ge": low, "le": high}
    assert field.describe()["constraints"] == {"ge": low, "le": high}


def test_generated_key_constraint_is_the_column_range_as_in_tortoise():
    """Tortoise's describe() and pydantic schemas give a generated key its type's whole range."""
    assert IntField(primary_key=True).constraints == {"ge": -(2**31), "le": 2**31 - 1}


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@pytest.mark.parametrize(
    "given, expected",
    [(5, 5), ("42", 42), (" -7 ", -7), (3.0, 3), (Decimal("8"), 8), (True, 1), (Level.HIGH, 2)],
)
def test_int_field_converts_whole_numbers(given, expected):
    field = bound(IntField())
    assert field.to_db_value(given) == expected
    assert type(field.to_db_value(given)) is int
    assert field.to_python_value(given) == expected


@pytest.mark.parametrize("bad", ["abc", 3.5, Decimal("1.5"), [1], object()])
def test_int_field_rejects_non_integers_naming_the_field(bad):
    field = bound(IntField(), "level")
    with pytest.raises(ValidationError, match=r"Event\.level") as info:
        field.to_db_value(bad)
    assert repr(bad)[:20] in str(info.value)


def test_int_field_keeps_none():
    assert IntField(null=True).to_db_value(None) is None
    assert IntField(null=True).to_python_value(None) is None


# --- floats and decimals ----------------------------------------------------------------------
def test_float_field_converts_numbers_and_rejects_text():
    field = bound(FloatField())
    assert field.to_db_value("1.5") == 1.5
    assert field.to_python_value(Decimal("2.25")) == 2.25
    assert type(field.to_python_value(3)) is float
    with pytest.raises(ValidationError, match="Event.value"):
        field.to_db_value("one")


def test_decimal_field_quantizes_to_decimal_places():
    field = bound(DecimalField(max_digits=10, decimal_places=2))
    assert str(field.to_db_value("1.005")) == "1.01"  # half up, like the databases
    assert str(field.to_db_value(Decimal("3"))) == "3.00"
    assert str(field.to_python_value(1.1)) == "1.10"  # SQLite gives floats back
    assert str(field.to_python_value(2)) == "2.00"  # ... or ints for whole numbers
    assert str(field.to_python_value("19.9")) == "19.90"


def test_decimal_field_rejects_values_that_do_not_fit():
    field = bound(DecimalField(max_digits=5, decimal_places=2), "price")
    assert str(field.to_db_value("999.99")) == "999.99"
    with pytest.raises(ValidationError, match=r"Event\.price.*DECIMAL\(5,2\)"):
        field.to_db_value("1000")
    for bad in ("abc", "NaN", "Infinity", [1]):
        with pytest.raises(ValidationError):
            field.to_db_value(bad)


def test_decimal_field_checks_its_definition():
    with pytest.raises(ConfigurationError):
        DecimalField(max_digits=0, decimal_places=0)
    with pytest.raises(ConfigurationError):
        DecimalField(max_digits=3, decimal_places=4)


# --- booleans ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "given, expected",
    [(True, True), (False, False), (1, True), (0, False), ("true", True), ("False", False),
     ("1", True), ("0", False), ("yes", True), ("off", False), (" T ", True)],
)
def test_boolean_field_accepts_driver_and_user_values(given, expected):
    field = bound(BooleanField())
    assert field.to_python_value(given) is expected
    assert field.to_db_value(given) is expected


@pytest.mark.parametrize("bad", ["maybe", 2, [], 0.5])
def test_boolean_field_rejects_other_values(bad):
    with pytest.raises(ValidationError, match="Event.flag"):
        bound(BooleanField(), "flag").to_db_value(bad)


# --- text ----------------------------------------------------------------------------------------
class Color(str, enum.Enum):
    RED = "red"


class MyStr(str):
    pass


def test_char_field_enforces_max_length():
    field = bound(CharField(max_length=5), "code")
    assert field.to_db_value("abcde") == "abcde"
    with pytest.raises(ValidationError, match=r"Event\.code.*max_length is 5"):
        field.to_db_value("abcdef")


def test_char_field_converts_to_plain_str():
    field = bound(CharField(max_length=40))
    assert field.to_db_value(5) == "5"
    assert field.to_db_value(Color.RED) == "red"
    assert type(field.to_db_value(MyStr("x"))) is str
    assert field.to_python_value(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"
    with pytest.raises(ValidationError):
        field.to_db_value(b"bytes")
    with pytest.raises(ValidationError):
        field.to_python_value({"a": 1})


def test_char_field_describes_its_max_length():
    field = bound(CharField(max_length=12))
    desc = field.describe()
    assert desc["constraints"] == {"max_length": 12}
    assert desc["db_field_types"][""] == "VARCHAR(12)"
    with pytest.raises(ConfigurationError):
        CharField(max_length=0)


def test_text_field_cannot_be_unique_or_indexed():
    with pytest.raises(ConfigurationError):
        TextField(unique=True)
    with pytest.raises(ConfigurationError):
        TextField(index=True)
    assert bound(TextField()).to_db_value(12) == "12"


def test_django_style_metadata_is_accepted():
    field = TextField(blank=True, description="Personal bio")
    assert field.metadata == {"blank": True}


# --- UUID and binary -----------------------------------------------------------------------------
def test_uuid_field_stores_text_and_reads_uuid():
    field = bound(UUIDField())
    value = uuid.uuid4()
    assert field.to_db_value(value) == str(value)
    assert field.to_db_value(str(value).upper()) == str(value)
    assert field.to_python_value(str(value)) == value
    assert field.to_python_value(value) is value
    assert field.to_python_value(value.bytes) == value


def test_uuid_field_normalises_uuid_subclasses():
    class DriverUUID(uuid.UUID):
        pass

    value = bound(UUIDField()).to_python_value(DriverUUID(int=7))
    assert type(value) is uuid.UUID and value.int == 7


def test_uuid_field_rejects_garbage_and_defaults_pk():
    with pytest.raises(ValidationError, match="Event.value"):
        bound(UUIDField()).to_db_value("not-a-uuid")
    assert UUIDField(primary_key=True).default is uuid.uuid4
    assert UUIDField().default is None


def test_binary_field_gives_bytes():
    field = bound(BinaryField())
    assert field.to_db_value(bytearray(b"ab")) == b"ab"
    assert type(field.to_python_value(memoryview(b"cd"))) is bytes
    with pytest.raises(ValidationError):
        field.to_db_value("text")


# --- datetimes -----------------------------------------------------------------------------------
MOMENT = datetime.datetime(2024, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def as_sqlite(db_value):
    """What the SQLite dialect writes and reads back: ISO text."""
    return db_value.isoformat(sep=" ")


def as_mysql(db_value):
    """MySQL DATETIME(6) keeps the wall-clock time and gives back a naive datetime."""
    return db_value.replace(tzinfo=None)


def as_postgres(db_value):
    """asyncpg gives timestamptz back as an aware datetime in UTC."""
    return db_value.astimezone(UTC) if db_value.tzinfo else db_value.replace(tzinfo=UTC)


def test_use_tz_stores_aware_utc(far_system_timezone):
    field = bound(DatetimeField())
    assert field.to_db_value(MOMENT) == MOMENT
    shifted = MOMENT.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
    stored = field.to_db_value(shifted)
    assert stored.tzinfo is UTC and stored == MOMENT and stored.hour == 12
    with pytest.warns(RuntimeWarning, match="Event.value received a naive datetime"):
        naive_stored = field.to_db_value(MOMENT.replace(tzinfo=None))
    assert naive_stored == MOMENT and naive_stored.tzinfo is UTC  # naive: in the configured zone, UTC


@pytest.fixture
def far_system_timezone():
    """Run with the process's local time zone far from UTC, to catch local-time leaks."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_use_tz_reads_naive_driver_values_as_utc(far_system_timezone):
    """What the database holds is UTC, whatever the configured zone."""
    timezone.configure(timezone="Asia/Shanghai")
    field = bound(DatetimeField())
    sqlite, postgres, mysql = _dialects()
    for dialect, raw in (
        (mysql, datetime.datetime(2024, 3, 1, 12, 30, 15, 123456)),
        (sqlite, "2024-03-01 12:30:15.123456"),
        (sqlite, "2024-03-01T12:30:15.123456Z"),
    ):
        value = dialect.decoder(field)(raw)
        assert value == MOMENT and value.hour == 20 and value.tzinfo == ZoneInfo("Asia/Shanghai")


def test_use_tz_takes_naive_given_values_in_the_configured_zone():
    """As Tortoise 1.1.9: a naive datetime given by the user is a wall-clock time of the
    configured zone, on assignment (``to_python_value``) and when saved (with a warning)."""
    timezone.configure(timezone="Asia/Shanghai")
    field = bound(DatetimeField(), "starts")
    naive = datetime.datetime(2024, 3, 1, 20, 30, 15, 123456)
    value = field.to_python_value(naive)
    assert value == MOMENT and value.hour == 20 and value.tzinfo.zone == "Asia/Shanghai"
    assert field.to_python_value("2024-03-01 20:30:15.123456") == MOMENT
    with pytest.warns(RuntimeWarning, match=r"Event\.starts received a naive datetime .*Asia/Shanghai"):
        stored = field.to_db_value(naive)
    assert stored == MOMENT and stored.tzinfo is UTC


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_use_tz_round_trip_is_identical_on_every_backend(zone, far_system_timezone):
    timezone.configure(use_tz=True, timezone=zone)
    field = bound(DatetimeField())
    values = [dialect.decoder(field)(backend(field.to_db_value(MOMENT)))
              for dialect, backend in zip(_dialects(), (as_sqlite, as_postgres, as_mysql))]
    for value in values:
        assert value == MOMENT
        assert value.utcoffset() == MOMENT.astimezone(ZoneInfo(zone)).utcoffset()
        assert isinstance(value.tzinfo, timezone.ZoneInfo) and value.tzinfo.zone == zone  # also for UTC
    assert len({id(value.tzinfo) for value in values}) == 1


def test_use_tz_returns_values_in_the_configured_timezone():
    timezone.configure(timezone="Asia/Shanghai")
    value = bound(DatetimeField()).to_python_value("2024-03-01 12:00:00+00:00")
    assert (value.hour, value.tzinfo) == (20, ZoneInfo("Asia/Shanghai"))


def test_without_use_tz_values_are_naive_in_the_configured_timezone():
    timezone.configure(use_tz=False, timezone="Asia/Shanghai")
    field = bound(DatetimeField())
    naive = datetime.datetime(2024, 3, 1, 9, 0)
    assert field.to_db_value(naive) is naive
    assert field.to_db_value(naive.replace(tzinfo=UTC)) == datetime.datetime(2024, 3, 1, 17, 0)
    assert field.to_python_value(datetime.datetime(2024, 3, 1, 1, 0, tzinfo=UTC)) == naive
    assert field.to_python_value("2024-03-01 09:00:00") == naive


@pytest.mark.parametrize("backend", [as_sqlite, as_mysql])
def test_without_use_tz_round_trip_is_identical(backend):
    timezone.configure(use_tz=False, timezone="Europe/Paris")
    field = bound(DatetimeField())
    naive = datetime.datetime(2024, 7, 1, 8, 15, 0, 5)
    assert field.to_python_value(backend(field.to_db_value(naive))) == naive


def test_datetime_field_accepts_dates_timestamps_and_rejects_garbage():
    field = bound(DatetimeField(), "starts")
    assert field.to_db_value(datetime.date(2024, 3, 1)) == datetime.datetime(2024, 3, 1, tzinfo=UTC)
    assert field.to_python_value(MOMENT.timestamp()) == MOMENT
    with pytest.raises(ValidationError, match=r"Event\.starts.*'yesterday'"):
        field.to_db_value("yesterday")
    with pytest.raises(ValidationError):
        field.to_python_value([2024])
    with pytest.raises(ValidationError):
        field.to_python_value(10**20)


class Row:
    """A model instance stand-in for auto_now tests."""

    def __init__(self, **values):
        self.__dict__.update(values)


def test_a_field_of_its_own_with_auto_now_is_stamped_through_to_db_value():
    """A custom field (not a DatetimeField) that stamps the instance in to_db_value, as
    Tortoise calls it before a save: save() and bulk_create() stamp it the same way."""

    class Revision(data.CharField):
        auto_now_add = True

        def to_db_value(self, value, instance=None):
            if instance is not None and not isinstance(instance, type) and value is None:
                value = "r1"
                setattr(instance, self.model_field_name, value)
            return value

    field = bound(Revision(max_length=10), "revision")
    fresh, kept = Row(revision=None), Row(revision="r7")
    field.stamp_all([fresh, kept])
    assert (fresh.revision, kept.revision) == ("r1", "r7")
    single = Row(revision=None)
    field.stamp(single)
    assert single.revision == "r1"


def test_auto_now_add_stamps_only_when_unset():
    field = bound(DatetimeField(auto_now_add=True), "created_at")
    row = Row(created_at=None)
    before = datetime.datetime.now(UTC)
    stored = field.to_db_value(None, row)
    assert stored.tzinfo is UTC and before <= stored <= datetime.datetime.now(UTC)
    assert row.created_at == stored
    kept = Row(created_at=MOMENT)
    assert field.to_db_value(MOMENT, kept) == MOMENT and kept.created_at == MOMENT


def test_auto_now_stamps_on_every_save():
    field = bound(DatetimeField(auto_now=True), "updated_at")
    row = Row(updated_at=MOMENT)
    stored = field.to_db_value(MOMENT, row)
    assert stored > MOMENT and row.updated_at == stored
    assert not field.auto_now_add  # as declared (Tortoise's shape); it still fills new rows


def test_auto_now_is_not_applied_for_a_model_class_or_without_instance():
    field = bound(DatetimeField(auto_now=True), "updated_at")
    assert field.to_db_value(MOMENT, Row) == MOMENT
    assert field.to_db_value(MOMENT) == MOMENT


def test_auto_now_stamp_follows_use_tz():
    timezone.configure(use_tz=False)
    field = bound(DatetimeField(auto_now_add=True), "created_at")
    row = Row(created_at=None)
    assert field.to_db_value(None, row).tzinfo is None
    assert row.created_at.tzinfo is None


def test_auto_datetime_fields_validate_none_but_plain_ones_do_not():
    bound(DatetimeField(auto_now_add=True)).validate(None)
    with pytest.raises(ValidationError, match="must not be None"):
        bound(DatetimeField()).validate(None)
    with pytest.raises(ConfigurationError):
        DatetimeField(auto_now=True, auto_now_add=True)


def test_datetime_field_describe_shows_auto_flags():
    desc = bound(DatetimeField(auto_now_add=True)).describe()
    assert (desc["auto_now"], desc["auto_now_add"]) == (False, True)
    assert desc["constraints"] == {"readOnly": True}


def test_date_field_conversions():
    field = bound(DateField())
    day = datetime.date(2024, 2, 29)
    assert field.to_python_value("2024-02-29") == day
    assert field.to_db_value(datetime.datetime(2024, 2, 29, 23, 0)) == day
    assert type(field.to_db_value(datetime.datetime(2024, 2, 29))) is datetime.date
    assert field.to_python_value("2024-02-29T10:00:00") == day
    with pytest.raises(ValidationError):
        field.to_db_value("29/02/2024")


def test_time_field_conversions():
    field = bound(TimeField())
    assert field.to_python_value(datetime.timedelta(hours=13, minutes=5, microseconds=7)) == \
        datetime.time(13, 5, 0, 7, timezone.UTC_ZONE)  # MySQL drivers return TIME as timedelta
    assert field.to_python_value("08:30:00.250000") == datetime.time(8, 30, 0, 250000, UTC)
    aware = datetime.time(8, 30, tzinfo=PLUS_2)
    assert field.to_db_value(aware) is aware
    assert field.to_python_value("21:00+00:00") == datetime.time(21, 0, tzinfo=UTC)
    with pytest.raises(ValidationError):
        field.to_python_value(datetime.timedelta(hours=25))
    with pytest.raises(ValidationError):
        field.to_db_value("noon")


def test_time_field_follows_the_time_zone_settings():
    """use_tz: aware times, a naive one in the configured zone (as Tortoise); else naive."""
    field = bound(TimeField())
    timezone.configure(timezone="Asia/Shanghai")
    value = field.to_python_value(datetime.time(9, 0))
    assert value.tzinfo == ZoneInfo("Asia/Shanghai") and value.tzinfo.zone == "Asia/Shanghai"
    assert field.to_python_value(datetime.time(9, 0, tzinfo=PLUS_2)).tzinfo is PLUS_2
    timezone.configure(use_tz=False)
    assert field.to_db_value(datetime.time(9, 0, tzinfo=PLUS_2)) == datetime.time(9, 0)
    assert field.to_python_value("09:00+02:00") == datetime.time(9, 0)


def test_timedelta_field_uses_microseconds():
    field = bound(TimeDeltaField())
    delta = datetime.timedelta(days=-2, hours=3, microseconds=5)
    stored = field.to_db_value(delta)
    assert stored == int(delta / datetime.timedelta(microseconds=1))
    assert type(stored) is int
    assert field.to_python_value(stored) == delta
    assert field.to_db_value(1500) == 1500
    with pytest.raises(ValidationError):
        field.to_db_value("an hour")


# --- JSON ----------------------------------------------------------------------------------------
def test_json_field_encodes_compact_text_with_extra_types():
    field = bound(JSONField())
    stored = field.to_db_value({"at": MOMENT, "id": uuid.UUID(int=1), "name": "café"})
    assert stored == '{"at":"2024-03-01T12:30:15.123456+00:00","id":"00000000-0000-0000-0000-000000000001","name":"café"}'
    assert field.to_db_value([1, 2]) == "[1,2]"


def test_json_field_refuses_decimals_with_a_type_error():
    """As Tortoise: a Decimal is not JSON; writing it as a string would lose its type."""
    field = bound(JSONField(), "payload")
    for value in (Decimal(0), {"price": Decimal("1.50")}):
        with pytest.raises(TypeError, match="Event.payload.*not JSON serializable"):
            field.to_db_value(value)
        with pytest.raises(ValidationError):
            field.to_db_value(value)
    with_encoder = bound(JSONField(encoder=lambda v: json.dumps(v, default=str)))
    assert with_encoder.to_db_value({"price": Decimal("1.50")}) == '{"price": "1.50"}'


def test_json_field_writes_a_pydantic_model_given_without_field_type():
    field = bound(JSONField())
    assert json.loads(field.to_db_value(Address(city="Oslo", zip=150))) == {"city": "Oslo", "zip": 150}
    dumped = []
    custom = bound(JSONField(encoder=lambda v: dumped.append(v) or json.dumps(v)))
    custom.to_db_value(Address(city="Oslo", zip=150))
    assert dumped == [{"city": "Oslo", "zip": 150}]  # model_dump() for a custom encoder


def test_json_field_takes_str_as_encoded_json():
    field = bound(JSONField(), "payload")
    assert field.to_db_value('{"a": 1}') == '{"a": 1}'
    with pytest.raises(ValidationError, match="Event.payload"):
        field.to_db_value("{not json")
    with pytest.raises(ValidationError):
        field.to_db_value({"s": {1, 2}})


def test_json_field_decodes_driver_text():
    field = bound(JSONField())
    assert field.to_python_value('{"a": [1, 2]}') == {"a": [1, 2]}
    assert field.to_python_value(b"[true]") == [True]
    already = {"b": 1}
    assert field.to_python_value(already) is already
    with pytest.raises(ValidationError):
        field.to_python_value("{oops")


def test_json_field_custom_encoder_and_decoder():
    field = bound(JSONField(encoder=lambda v: json.dumps(v, sort_keys=True), decoder=lambda s: {"raw": s}))
    assert field.to_db_value({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'
    assert field.to_python_value("x") == {"raw": "x"}


class Address(pydantic.BaseModel):
    city: str
    zip: int


def test_json_field_validates_into_a_pydantic_model():
    field = bound(JSONField(field_type=Address), "address")
    value = field.to_python_value('{"city": "Oslo", "zip": "150"}')
    assert value == Address(city="Oslo", zip=150)
    assert json.loads(field.to_db_value(value)) == {"city": "Oslo", "zip": 150}
    assert json.loads(field.to_db_value({"city": "Oslo", "zip": 1})) == {"city": "Oslo", "zip": 1}
    with pytest.raises(ValidationError, match="Event.address"):
        field.to_python_value('{"city": "Oslo"}')
    assert field.describe()["python_type"] == "Address"


def test_json_field_describes_its_python_type():
    assert bound(JSONField()).describe()["python_type"] == "Union[dict, list]"


# --- enums ---------------------------------------------------------------------------------------
class Status(str, enum.Enum):
    PENDING = "pending"
    SHIPPED = "shipped"


class Size(enum.Enum):
    SMALL = 1
    LARGE = 10


def test_char_enum_field_maps_members_and_values():
    field = bound(CharEnumField(Status), "status")
    assert field.max_length == len("pending")
    assert field.to_db_value(Status.SHIPPED) == "shipped"
    assert type(field.to_db_value(Status.SHIPPED)) is str
    assert field.to_db_value("pending") == "pending"
    assert field.to_python_value("shipped") is Status.SHIPPED
    assert field.description == "PENDING: pending\nSHIPPED: shipped"
    assert field.describe()["enum_values"] == ["pending", "shipped"]
    assert field.describe()["python_type"] == "Status"


def test_char_enum_field_rejects_unknown_values():
    field = bound(CharEnumField(Status), "status")
    with pytest.raises(ValidationError, match=r"Event\.status: 'lost' is not one of"):
        field.to_db_value("lost")
    with pytest.raises(ValidationError):
        field.to_python_value("lost")


def test_char_enum_field_with_non_string_values():
    field = bound(CharEnumField(Size))
    assert field.to_db_value(Size.LARGE) == "10"
    assert field.to_python_value("10") is Size.LARGE
    assert field.max_length == 2


def test_char_enum_field_with_str_type_is_a_plain_char_column():
    field = bound(CharEnumField(enum_type=str, max_length=20, default="user"), "role")
    assert field.field_type is str and field.enum_type is None
    assert field.get_db_type("postgres") == "VARCHAR(20)"
    assert field.to_db_value("user") == "user"
    assert field.to_python_value("admin") == "admin"
    assert field.default == "user"
    with pytest.raises(ValidationError):
        field.to_db_value("x" * 21)


def test_char_enum_field_checks_its_definition():
    with pytest.raises(ConfigurationError):
        CharEnumField(enum_type=str)
    with pytest.raises(ConfigurationError):
        CharEnumField(Status, max_length=3)
    with pytest.raises(ConfigurationError):
        CharEnumField(enum_type=int, max_length=3)


def test_int_enum_field_maps_members_and_values():
    field = bound(IntEnumField(Level), "level")
    assert field.to_db_value(Level.HIGH) == 2 and type(field.to_db_value(Level.HIGH)) is int
    assert field.to_db_value(1) == 1
    assert field.to_python_value(2) is Level.HIGH
    assert field.to_python_value("1") is Level.LOW
    assert field.get_db_type("mysql") == "SMALLINT"
    assert field.description == "LOW: 1\nHIGH: 2"
    with pytest.raises(ValidationError, match=r"Event\.level: 99 is not one of \[1, 2\]"):
        field.to_db_value(99)


def test_int_enum_field_checks_its_definition():
    class Words(enum.Enum):
        A = "a"

    class Huge(enum.IntEnum):
        BIG = 40000

    with pytest.raises(ConfigurationError):
        IntEnumField(Words)
    with pytest.raises(ConfigurationError):
        IntEnumField(Huge)
    assert IntEnumField(Level, primary_key=True).generated is False


# --- per-driver decoders -------------------------------------------------------------------------
# ``Dialect.decoder(field)`` gives ``field.db_decoder(dialect)``: a converter tuned for what
# that driver returns.  It must give exactly what ``to_python_value`` gives, for driver
# values and for anything else (which it hands over to the slow path).
class LocalDatetime(datetime.datetime):
    """A datetime subclass, as freezegun or pendulum give: its type must survive."""


def _driver_uuid():
    try:
        from asyncpg.pgproto.pgproto import UUID as AsyncpgUUID
    except ImportError:  # pragma: no cover - asyncpg is a dev dependency
        return []
    return [AsyncpgUUID("12345678-1234-5678-1234-567812345678")]


PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
DECODER_CASES = [
    (DatetimeField, {}, [
        "2024-03-10 12:30:45.123456+00:00", "2024-03-10 12:30:45.123456", "2024-03-10 12:30:45",
        "2024-03-10T12:30:45Z", "2024-03-10 12:30:45z", " 2024-03-10 12:30:45 ", "2024-03-10 14:30:45+02:00",
        "2024-11-03 05:30:00+00:00", "2024-11-03 06:30:00", "2024-03-31 01:30:00", "2024-03-10",
        "yesterday", "", 1710073845, 1710073845.5, True,
        datetime.datetime(2024, 3, 10, 12, 30), datetime.datetime(2024, 3, 10, 12, 30, tzinfo=UTC),
        datetime.datetime(2024, 3, 10, 12, 30, tzinfo=PLUS_2), datetime.datetime(2024, 11, 3, 1, 30, fold=1),
        datetime.datetime(2024, 3, 10, 12, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        LocalDatetime(2024, 3, 10, 12, 30), LocalDatetime(2024, 3, 10, 12, 30, tzinfo=UTC),
        datetime.date(2024, 3, 10), datetime.datetime.min, datetime.datetime.max,
    ]),
    (DateField, {}, [
        "2024-03-10", " 2024-03-10 ", "20240310", "2024-03-10 12:30:45", "2024-03-10T23:30:00+00:00",
        "bad", 5, datetime.date(2024, 3, 10), datetime.datetime(2024, 3, 10, 23, 0),
    ]),
    (TimeField, {}, [
        "12:30:45.123456", "12:30:45", "12:30:45+02:00", "12:30Z", " 12:30 ", "bad", 5,
        datetime.time(12, 30), datetime.time(12, 30, tzinfo=UTC), datetime.datetime(2024, 3, 10, 12, 30),
        datetime.timedelta(hours=12, microseconds=5), datetime.timedelta(0), datetime.timedelta(days=1),
        datetime.timedelta(seconds=-1),
    ]),
    (DecimalField, {"max_digits": 10, "decimal_places": 2}, [
        1234.5, 1234, 0.125, 1.005, 2.675, -0.0, 0, -7, 1e-9, 12345678.995, "12.345", " 3.5 ",
        Decimal("1.2"), Decimal("-0"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"),
        float("inf"), float("nan"), 10**9, 1e20, "x", True, [1],
        "12.34", "0.1", "-0.00", "1.e+5", "1E-3", "NaN", "-Infinity", "123456789.12", "1_0.5",
    ]),
    (BooleanField, {}, [0, 1, 2, -1, True, False, "true", " Yes ", "0", "", 1.0, 0.5, Decimal(1), "x", [1], b"1"]),
    (UUIDField, {}, [
        "12345678-1234-5678-1234-567812345678", "12345678-1234-5678-1234-56781234567A",
        "123456781234567812345678123456ab", "{12345678-1234-5678-1234-567812345678}",
        "urn:uuid:12345678-1234-5678-1234-567812345678", "1234567_-1234-5678-1234-567812345678",
        "12345678_1234_5678_1234_567812345678", "0x345678-1234-5678-1234-567812345678",
        " 2345678-1234-5678-1234-56781234567 ", "+2345678-1234-5678-1234-567812345678",
        "12345678-1234-5678-1234-56781234567", "not-a-uuid", "", b"12345678-1234-5678-1234-567812345678",
        uuid.UUID(int=7).bytes, uuid.UUID(int=7), 7, *_driver_uuid(),
    ]),
    (TimeDeltaField, {}, [123456789, 0, -5, 2**62, 1.5, Decimal(3), True, datetime.timedelta(1), "5"]),
    (JSONField, {}, ['{"a":1,"b":[1,2]}', "[]", "null", '"s"', b'{"a":1}', bytearray(b"[1]"), "bad", {"a": 1}, 5]),
    (CharEnumField, {"enum_type": Status}, ["pending", "shipped", "lost", Status.SHIPPED, 5, ""]),
    (CharEnumField, {"enum_type": Size}, ["1", "10", 10, Size.LARGE, Status.PENDING]),
    (IntEnumField, {"enum_type": Level}, [1, 2, 9, Level.HIGH, "2", 2.0, True, Size.SMALL]),
]


def _outcome(convert, value):
    """(kind, details) to compare two conversions: their result, or the error they raise."""
    try:
        result = convert(value)
    except Exception as exc:  # compared, not swallowed
        return "error", (type(exc), str(exc))
    details = (type(result), result)
    if isinstance(result, (datetime.datetime, datetime.time)):
        details += (result.tzinfo, result.fold)
    if isinstance(result, Decimal):
        details += (str(result),)  # the exponent and the sign of zero count
    if isinstance(result, uuid.UUID):
        details += (result.is_safe, hash(result))
    return "value", details


def _dialects():
    from tortoise.sql.dialects.mysql import MySQLDialect
    from tortoise.sql.dialects.postgres import PostgresDialect
    from tortoise.sql.dialects.sqlite import SqliteDialect

    return SqliteDialect(), PostgresDialect(), MySQLDialect()


@pytest.mark.parametrize("use_tz, zone", [(True, "UTC"), (True, "America/New_York"), (False, "Europe/Paris"), (False, "UTC")])
@pytest.mark.parametrize("cls, options, values", DECODER_CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_driver_decoders_give_what_to_python_value_gives(cls, options, values, use_tz, zone, far_system_timezone):
    timezone.configure(use_tz=use_tz, timezone=zone)
    field = bound(cls(**options))
    expected = _as_stored(field) if cls is DatetimeField and use_tz else field.to_python_value
    for dialect in _dialects():
        decode = dialect.decoder(field)
        if decode is None:  # the driver returns the field's type already
            continue
        for value in values:
            assert _outcome(decode, value) == _outcome(expected, value), (dialect.name, value)


def _as_stored(field):
    """``to_python_value``, except that a naive datetime is UTC: what a driver value means."""

    def convert(value):
        value = field._coerce(value)
        return field.to_python_value(value if value.tzinfo is not None else value.replace(tzinfo=UTC))

    return convert


ENCODER_CASES = [
    (DatetimeField, {}, [
        datetime.datetime(2024, 3, 10, 12, 30, tzinfo=UTC), datetime.datetime(2024, 3, 10, 12, 30, 0, 5, tzinfo=UTC),
        datetime.datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=UTC), datetime.datetime(2024, 3, 10, 12, 30),
        datetime.datetime(2024, 3, 10, 12, 30, tzinfo=PLUS_2), LocalDatetime(2024, 3, 10, 12, 30, tzinfo=UTC),
        "2024-03-10 12:30:45+00:00", datetime.date(2024, 3, 10), "bad",
    ]),
    (DecimalField, {"max_digits": 10, "decimal_places": 2}, [
        Decimal("1.2"), Decimal("1.005"), Decimal("-0"), Decimal("NaN"), Decimal("Infinity"), Decimal("123456789.5"),
        1.5, "3.25", "x",
    ]),
]


@pytest.mark.parametrize("use_tz, zone", [(True, "UTC"), (True, "America/New_York"), (False, "Europe/Paris")])
@pytest.mark.parametrize("cls, options, values", ENCODER_CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_driver_encoders_give_what_the_general_encoders_give(cls, options, values, use_tz, zone, monkeypatch):
    """``db_encoder`` shortcuts against ``to_db_value`` + the dialect's adaptation."""
    from tortoise.fields.base import Field

    timezone.configure(use_tz=use_tz, timezone=zone)
    field = bound(cls(**options))
    for dialect in _dialects():
        encode = dialect.encoder(field)
        with monkeypatch.context() as patch:
            patch.setattr(cls, "db_encoder", Field.db_encoder)
            general = dialect.encoder(field)
        for value in values:
            assert _outcome(encode, value) == _outcome(general, value), (dialect.name, value)


@pytest.mark.parametrize("use_tz", [True, False])
@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Europe/Paris", "Asia/Shanghai", "Australia/Lord_Howe"])
def test_datetime_reading_matches_replace_and_astimezone(use_tz, zone):
    """The fast paths (combine, fromutc) against the rule spelled with replace/astimezone,
    every 20 minutes around the 2024 daylight-saving changes, both folds."""
    timezone.configure(use_tz=use_tz, timezone=zone)
    local = timezone.get_default_timezone()

    def expected(value):  # stored values: naive ones are UTC
        if not use_tz:
            return value if value.tzinfo is None else value.astimezone(local).replace(tzinfo=None)
        value = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return value if value.tzinfo is local else value.astimezone(local)

    def expected_given(value):  # given values: naive ones are in the configured zone
        if use_tz and value.tzinfo is None:
            return value.replace(tzinfo=local)
        return expected(value)

    field = bound(DatetimeField())
    starts = [datetime.datetime(2024, month, day) for month, day in ((3, 9), (3, 30), (4, 6), (10, 5), (10, 26), (11, 2))]
    moments = [start + datetime.timedelta(minutes=20 * step) for start in starts for step in range(3 * 24 * 3)]
    moments += [datetime.datetime.min, datetime.datetime.max]
    for naive in moments:
        subclassed = LocalDatetime.combine(naive, naive.time())
        for value in (
            naive, naive.replace(fold=1), naive.replace(tzinfo=UTC), naive.replace(tzinfo=UTC, fold=1),
            naive.replace(tzinfo=PLUS_2), naive.replace(tzinfo=local), subclassed, subclassed.replace(tzinfo=UTC),
        ):
            assert _outcome(timezone.read_stored, value) == _outcome(expected, value), value
            assert _outcome(field.to_python_value, value) == _outcome(expected_given, value), value


def test_datetime_decoders_follow_the_time_zone_settings():
    """Decoders built under one setting (cached per query shape) read with the current
    one: Tortoise's tests change USE_TZ/TIMEZONE and reset the cache without init."""
    field = bound(DatetimeField())
    decoders = [dialect.decoder(field) for dialect in _dialects()]
    raw = ("2024-03-01 12:00:00+00:00", datetime.datetime(2024, 3, 1, 12, tzinfo=UTC), datetime.datetime(2024, 3, 1, 12))
    assert [decode(value).tzinfo for decode, value in zip(decoders, raw)] == [timezone.UTC_ZONE] * 3
    os.environ["TIMEZONE"] = "Asia/Shanghai"
    timezone._reset_timezone_cache()
    assert [decode(value).hour for decode, value in zip(decoders, raw)] == [20] * 3
    timezone.configure(use_tz=False)
    assert [decode(value).hour for decode, value in zip(decoders, raw)] == [20, 20, 12]  # naive: as stored


def test_uuid_parsed_from_text_is_a_plain_uuid():
    text = "12345678-1234-5678-1234-567812345678"
    value = bound(UUIDField()).to_python_value(text)
    assert type(value) is uuid.UUID and value == uuid.UUID(text) and value.is_safe is uuid.SafeUUID.unknown
    assert str(value) == text and hash(value) == hash(uuid.UUID(text))
    with pytest.raises(TypeError):
        value.int = 1  # still immutable


# --- validators ----------------------------------------------------------------------------------
def test_validator_base_is_abstract():
    with pytest.raises(TypeError):
        Validator()


def test_min_and_max_value_validators():
    MinValueValidator(0)(0)
    MaxValueValidator(Decimal("9.99"))(Decimal("9.99"))
    with pytest.raises(ValidationError, match="less than the minimum 0"):
        MinValueValidator(0)(-1)
    with pytest.raises(ValidationError, match="greater than the maximum 10"):
        MaxValueValidator(10)(10.5)
    with pytest.raises(ValidationError, match="expected a number"):
        MinValueValidator(0)("five")
    with pytest.raises(ConfigurationError):
        MinValueValidator("0")


def test_length_validators():
    MaxLengthValidator(3)("abc")
    MinLengthValidator(2)([1, 2])
    with pytest.raises(ValidationError, match="Length of .* 4 > 3: the maximum is 3"):
        MaxLengthValidator(3)("abcd")
    with pytest.raises(ValidationError, match="Length of .* 1 < 2: the minimum is 2"):
        MinLengthValidator(2)("a")
    with pytest.raises(ValidationError, match="has no length"):
        MaxLengthValidator(3)(12)


def test_regex_validator():
    import re

    validator = RegexValidator(r"[a-z]+\d", re.IGNORECASE)
    validator("Abc1")
    with pytest.raises(ValidationError, match="does not match the pattern"):
        validator("1abc")
    with pytest.raises(ValidationError, match="not a string"):
        validator(5)


@pytest.mark.parametrize("allow_negative, good, bad", [
    (False, ["1", "1,22,333"], ["", "1,", ",1", "1,-2", "a,b", "1, 2", "1,2\n"]),
    (True, ["-1", "1,-22,333"], ["--1", "1,,2"]),
])
def test_comma_separated_integer_list_validator(allow_negative, good, bad):
    validator = CommaSeparatedIntegerListValidator(allow_negative=allow_negative)
    for value in good:
        validator(value)
    for value in bad:
        with pytest.raises(ValidationError, match="comma-separated list"):
            validator(value)


def test_ip_address_validators():
    validate_ipv4_address("192.168.0.1")
    validate_ipv6_address("2001:db8::1")
    validate_ipv46_address("10.0.0.1")
    validate_ipv46_address("::1")
    with pytest.raises(ValidationError, match="IPv4 address"):
        validate_ipv4_address("256.1.1.1")
    with pytest.raises(ValidationError, match="IPv6 address"):
        validate_ipv6_address("192.168.0.1")
    with pytest.raises(ValidationError, match="IPv4 or IPv6"):
        validate_ipv46_address("localhost")
    with pytest.raises(ValidationError):
        validate_ipv4_address(3232235521)


def test_field_validate_runs_validators_and_names_the_field():
    field = bound(IntField(validators=[MinValueValidator(0)]), "stock")
    field.validate(3)
    with pytest.raises(ValidationError, match=r"Event\.stock: -1 is less than the minimum 0"):
        field.validate(-1)


# --- timezone helpers ----------------------------------------------------------------------------
def test_timezone_defaults():
    assert timezone.get_use_tz() is True
    assert timezone.get_timezone() == "UTC"
    assert timezone.get_default_timezone() == ZoneInfo("UTC")
    assert timezone.get_default_timezone().zone == "UTC"


@pytest.mark.parametrize("raw, expected", [("True", True), ("true", True), ("1", True),
                                           ("False", False), ("false", False), ("0", False)])
def test_use_tz_is_read_from_the_environment(raw, expected):
    os.environ["USE_TZ"] = raw
    timezone.configure()
    assert timezone.get_use_tz() is expected


def test_configure_writes_the_environment():
    timezone.configure(use_tz=False, timezone="Europe/Paris")
    assert os.environ["USE_TZ"] == "False" and os.environ["TIMEZONE"] == "Europe/Paris"
    assert timezone.get_use_tz() is False
    assert timezone.get_default_timezone() == ZoneInfo("Europe/Paris")
    with pytest.raises(ConfigurationError, match="Mars/Olympus"):
        timezone.configure(timezone="Mars/Olympus")
    assert timezone.get_timezone() == "Europe/Paris"


def test_parse_timezone_is_tolerant_of_case():
    assert timezone.parse_timezone("asia/shanghai").key == "Asia/Shanghai"
    assert timezone.parse_timezone("utc").key == "UTC"
    with pytest.raises(Exception):
        timezone.parse_timezone("No/Where")


def test_now_follows_use_tz():
    value = timezone.now()
    assert value.tzinfo is UTC
    assert abs(value - datetime.datetime.now(UTC)) < datetime.timedelta(seconds=5)
    timezone.configure(use_tz=False, timezone="Asia/Tokyo")
    value = timezone.now()
    assert value.tzinfo is None
    tokyo = datetime.datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert abs(value - tokyo) < datetime.timedelta(seconds=5)


def test_is_aware_and_is_naive():
    assert timezone.is_aware(MOMENT) and not timezone.is_naive(MOMENT)
    assert timezone.is_naive(datetime.datetime(2024, 1, 1))
    assert timezone.is_aware(datetime.time(1, 0, tzinfo=UTC))
    assert timezone.is_naive(datetime.time(1, 0))


def test_make_aware_and_make_naive():
    timezone.configure(timezone="Asia/Shanghai")
    naive = datetime.datetime(2024, 1, 1, 8, 0)
    aware = timezone.make_aware(naive)
    assert aware.tzinfo == ZoneInfo("Asia/Shanghai") and aware.astimezone(UTC).hour == 0
    assert timezone.make_aware(naive, "UTC").utcoffset() == datetime.timedelta(0)
    assert timezone.make_naive(aware.astimezone(UTC)) == naive
    assert timezone.make_naive(aware, "UTC") == datetime.datetime(2024, 1, 1, 0, 0)
    with pytest.raises(ValueError):
        timezone.make_aware(aware)
    with pytest.raises(ValueError):
        timezone.make_naive(naive)


def test_localtime():
    timezone.configure(timezone="America/New_York")
    local = timezone.localtime(MOMENT)
    assert local == MOMENT and local.hour == 7 and local.tzinfo == ZoneInfo("America/New_York")
    assert timezone.localtime(MOMENT, "Asia/Tokyo").hour == 21
    assert timezone.localtime().tzinfo == ZoneInfo("America/New_York")
    with pytest.raises(ValueError):
        timezone.localtime(datetime.datetime(2024, 1, 1))


def test_subclasses_that_convert_differently_lose_the_unchanged_type_shortcuts():
    class Cents(IntField):
        def db_encoder(self, dialect, general):
            return lambda value: general(value) * 100

    class Lowered(CharField):
        def to_python_value(self, value):
            return None if value is None else str(value).lower()

    assert IntField.db_type_unchanged is int and Cents.db_type_unchanged is None
    assert Cents.python_type_unchanged is int  # its to_python_value is IntField's
    assert CharField.python_type_unchanged is str and Lowered.python_type_unchanged is None
    assert Lowered.db_type_unchanged is str


def test_auto_flags_are_kept_as_declared():
    from tortoise.fields import TimeField

    for kind in (DatetimeField, TimeField):
        field = kind(auto_now=True)
        assert (field.auto_now, field.auto_now_add) == (True, False)
        assert field.constraints == {"readOnly": True}
        assert (kind(auto_now_add=True).auto_now, kind(auto_now_add=True).auto_now_add) == (False, True)


def test_a_generated_int_enum_field_needs_positive_members():
    from enum import IntEnum

    from tortoise.fields import IntEnumField

    class Signed(IntEnum):
        below = -1
        above = 2

    assert IntEnumField(Signed).enum_type is Signed
    with pytest.raises(ConfigurationError, match=r"The valid range of IntEnumField's values is 1\.\.32767!"):
        IntEnumField(Signed, generated=True)
