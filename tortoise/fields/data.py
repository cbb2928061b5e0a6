"""Data fields: the one place where Python values and database values are converted.

``to_db_value`` returns a dialect-neutral Python value (int, float, str, bool, Decimal,
datetime/date/time, bytes, JSON text); dialects adapt it further for their driver.
``to_python_value`` accepts whatever a driver returns (or what a user assigns) and gives
the field's Python type.  Both check the common case first: they run once per value.
``db_decoder(dialect)`` builds, once per query shape, a converter that tries first what
that dialect's driver returns (ISO text from SQLite, 0/1 for booleans, timedelta for
MySQL TIME…) and gives exactly what ``to_python_value`` gives, which it falls back to.
Wrong values raise ValidationError naming the field and the value.
"""
from __future__ import annotations

import datetime
import json
import sys
import uuid
import warnings
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from enum import Enum
from typing import Any, Callable, Iterable

from tortoise import timezone
from tortoise.exceptions import (
    ConfigurationError,
    InvalidJSONError,
    InvalidValueError,
    NotJSONSerializableError,
    ValidationError,
)
from tortoise.fields.base import Field
from tortoise.timezone import UTC, UTC_ZONE, get_default_timezone, get_use_tz

__all__ = [
    "BigIntField",
    "BinaryField",
    "BooleanField",
    "CharEnumField",
    "CharEnumFieldInstance",
    "CharField",
    "DateField",
    "DatetimeField",
    "DecimalField",
    "FloatField",
    "IntEnumField",
    "IntEnumFieldInstance",
    "IntField",
    "JSONField",
    "SmallIntField",
    "TextField",
    "TimeDeltaField",
    "TimeField",
    "UUIDField",
]

def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _invalid(field: Field, value: Any, expected: str) -> InvalidValueError:
    return InvalidValueError(f"{field.qualified_name}: {_short(value)} is not {expected}")


def _lookup_decoder(
    table: dict[Any, Any], key_type: type, fallback: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """Decoder for values the driver gives as keys of ``table`` (0/1, enum values).

    Only values of exactly ``key_type`` are looked up (an enum member hashes by name);
    the rest, and unknown keys, go to ``fallback``, which converts or raises.
    """
    get = table.get

    def decode(value: Any) -> Any:
        if type(value) is key_type:
            result = get(value)
            if result is not None:
                return result
        return fallback(value)

    return decode


# --- integers -----------------------------------------------------------------------------
class _IntegerField(Field[int]):
    """Shared by the integer fields; a primary key is generated unless told otherwise."""

    field_type = int
    python_type_unchanged = db_type_unchanged = int
    allows_generated = True
    MIN = 0
    MAX = 0

    def __init__(
        self, primary_key: bool | None = None, generated: bool | None = None, **kwargs: Any
    ) -> None:
        pk = bool(primary_key if primary_key is not None else kwargs.get("pk", False))
        if generated is None:
            generated = pk and self.allows_generated
        super().__init__(primary_key=primary_key, generated=generated, **kwargs)

    @property
    def constraints(self) -> dict[str, Any]:
        return {"ge": self.MIN, "le": self.MAX}

    def to_db_value(self, value: Any, instance: Any = None) -> int | None:
        if type(value) is int or value is None:
            return value
        return self._coerce(value)

    def to_python_value(self, value: Any) -> int | None:
        if type(value) is int or value is None:
            return value
        return self._coerce(value)

    def _coerce(self, value: Any) -> int:
        """Ints (bool, IntEnum), whole floats/Decimals and numeric strings become int."""
        if isinstance(value, int):
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        elif isinstance(value, float) and value.is_integer():
            return int(value)
        elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return int(value)
        raise _invalid(self, value, "an integer")


class IntField(_IntegerField):
    """32-bit signed integer; ``IntField(primary_key=True)`` is an auto-incrementing key."""

    SQL_TYPE = "INT"
    MIN, MAX = -(2**31), 2**31 - 1


class BigIntField(_IntegerField):
    """64-bit signed integer."""

    SQL_TYPE = "BIGINT"
    MIN, MAX = -(2**63), 2**63 - 1


class SmallIntField(_IntegerField):
    """16-bit signed integer."""

    SQL_TYPE = "SMALLINT"
    MIN, MAX = -(2**15), 2**15 - 1


# --- other numbers ------------------------------------------------------------------------
class FloatField(Field[float]):
    """Double-precision float."""

    field_type = float
    python_type_unchanged = db_type_unchanged = float
    SQL_TYPE = "DOUBLE PRECISION"

    def to_db_value(self, value: Any, instance: Any = None) -> float | None:
        if type(value) is float or value is None:
            return value
        return self._coerce(value)

    def to_python_value(self, value: Any) -> float | None:
        if type(value) is float or value is None:
            return value
        return self._coerce(value)

    def _coerce(self, value: Any) -> float:
        if isinstance(value, (int, float, Decimal, str)):
            try:
                return float(value)
            except ValueError:
                pass
        raise _invalid(self, value, "a number")


class DecimalField(Field[Decimal]):
    """Exact decimal with ``max_digits`` digits, ``decimal_places`` of them after the point.

    Values are quantized to ``decimal_places`` (rounding half up, as the databases do);
    a value with too many digits before the point raises ValidationError.  SQLite keeps
    DECIMAL columns with NUMERIC affinity, so it returns floats (exact to ~15 digits).
    """

    field_type = Decimal

    def __init__(self, max_digits: int, decimal_places: int, **kwargs: Any) -> None:
        max_digits, decimal_places = int(max_digits), int(decimal_places)
        if max_digits < 1:
            raise ConfigurationError("DecimalField: 'max_digits' must be >= 1")
        if not 0 <= decimal_places <= max_digits:
            raise ConfigurationError("DecimalField: 'decimal_places' must be >= 0 and at most 'max_digits'")
        super().__init__(**kwargs)
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.SQL_TYPE = f"DECIMAL({max_digits},{decimal_places})"
        self._quantum = Decimal(1).scaleb(-decimal_places)
        self._context = Context(prec=max_digits, rounding=ROUND_HALF_UP)

    def to_db_value(self, value: Any, instance: Any = None) -> Decimal | None:
        return None if value is None else self._quantize(value)

    def to_python_value(self, value: Any) -> Decimal | None:
        return None if value is None else self._quantize(value)

    def db_encoder(self, dialect: Any, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return dialect.decimal_encoder(self._context.quantize, self._quantum, general)

    def db_decoder(self, dialect: Any) -> Callable[[Any], Decimal]:
        """Drivers never give None here, so the quantizing itself (``_quantize``), or the
        dialect's shortcut for what its driver returns."""
        return dialect.decimal_decoder(self._context.quantize, self._quantum, self._quantize)

    def _quantize(self, value: Any) -> Decimal:
        try:
            # repr() of a float is its shortest exact spelling: 0.1 -> "0.1"
            number = value if type(value) is Decimal else Decimal(
                repr(value) if isinstance(value, float) else value
            )
            # x.quantize(q, context=c) without the keyword parsing: 120 ns instead of 340 ns
            result = self._context.quantize(number, self._quantum)
        except (InvalidOperation, TypeError, ValueError):
            raise _invalid(self, value, f"a number that fits {self.SQL_TYPE}") from None
        if result.is_nan():
            raise _invalid(self, value, "a finite number")
        return result


# --- booleans -----------------------------------------------------------------------------
_BOOLEANS: dict[Any, bool] = {
    True: True, False: False,  # also matches 1 and 0
    "true": True, "t": True, "yes": True, "y": True, "on": True, "1": True,
    "false": False, "f": False, "no": False, "n": False, "off": False, "0": False,
}
_INT_BOOLEANS = {0: False, 1: True}


class BooleanField(Field[bool]):
    """Boolean; accepts 0/1 (SQLite, MySQL) and words such as "true"/"false"/"yes"/"no"."""

    field_type = bool
    python_type_unchanged = db_type_unchanged = bool
    SQL_TYPE = "BOOL"

    def to_db_value(self, value: Any, instance: Any = None) -> bool | None:
        if value is True or value is False or value is None:
            return value
        return self._coerce(value)

    def to_python_value(self, value: Any) -> bool | None:
        if value is True or value is False or value is None:
            return value
        return self._coerce(value)

    def db_decoder(self, dialect: Any) -> Callable[[Any], bool]:
        """SQLite and MySQL return 0/1 (PostgreSQL's bools need no decoder)."""
        return _lookup_decoder(_INT_BOOLEANS, int, self.to_python_value)

    def _coerce(self, value: Any) -> bool:
        try:
            return _BOOLEANS[value.strip().lower() if isinstance(value, str) else value]
        except (KeyError, TypeError):
            raise _invalid(self, value, "a boolean (True/False, 1/0, 'true'/'false')") from None


# --- text ---------------------------------------------------------------------------------
def _to_text(field: Field, value: Any) -> str:
    """Strings stay; enum members give their value; numbers and UUIDs are spelled out."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return str.__str__(value)  # a plain str even for str subclasses
    if isinstance(value, (int, float, Decimal, uuid.UUID)):
        return str(value)
    raise _invalid(field, value, "a string")


class CharField(Field[str]):
    """String of at most ``max_length`` characters (VARCHAR)."""

    field_type = str
    python_type_unchanged = db_type_unchanged = str

    def __init__(self, max_length: int, **kwargs: Any) -> None:
        max_length = int(max_length)
        if max_length < 1:
            raise ConfigurationError("CharField: 'max_length' must be >= 1")
        super().__init__(**kwargs)
        self.max_length = max_length
        self.SQL_TYPE = f"VARCHAR({max_length})"

    @property
    def constraints(self) -> dict[str, Any]:
        return {"max_length": self.max_length}

    def to_db_value(self, value: Any, instance: Any = None) -> str | None:
        if type(value) is not str:
            if value is None:
                return None
            value = _to_text(self, value)
        if len(value) > self.max_length:
            raise ValidationError(
                f"{self.qualified_name}: {_short(value)} has {len(value)} characters;"
                f" max_length is {self.max_length}"
            )
        return value

    def to_python_value(self, value: Any) -> str | None:
        if type(value) is str or value is None:
            return value
        return _to_text(self, value)


class TextField(Field[str]):
    """Unbounded text.  It cannot be unique or indexed (MySQL cannot index TEXT)."""

    field_type = str
    python_type_unchanged = db_type_unchanged = str
    indexable = False
    SQL_TYPE = "TEXT"

    index_hint = ", consider CharField(max_length=...)"

    def __init__(self, primary_key: bool | None = None, **kwargs: Any) -> None:
        if primary_key or kwargs.get("pk"):  # warned even when a contradicting pk= is then refused
            warnings.warn("TextField as a PrimaryKey is Deprecated, use CharField instead", DeprecationWarning, stacklevel=2)
        super().__init__(primary_key=primary_key, **kwargs)

    def to_db_value(self, value: Any, instance: Any = None) -> str | None:
        if type(value) is str or value is None:
            return value
        return _to_text(self, value)

    to_python_value = to_db_value  # type: ignore[assignment]


# UUID is immutable through __setattr__; its __init__ fills the two slots directly.
_UUID, _new_uuid = uuid.UUID, object.__new__
_set_uuid_int = uuid.UUID.__dict__["int"].__set__
_set_uuid_is_safe = uuid.UUID.__dict__["is_safe"].__set__
_SAFE_UNKNOWN = uuid.SafeUUID.unknown


def _uuid_from_int(number: int) -> uuid.UUID:
    """``uuid.UUID(int=number)`` without its argument parsing (0.26 µs instead of 1 µs);
    ``number`` must already be in range (from 32 hex digits or from another UUID)."""
    value = _new_uuid(_UUID)
    _set_uuid_int(value, number)
    _set_uuid_is_safe(value, _SAFE_UNKNOWN)
    return value


class UUIDField(Field[uuid.UUID]):
    """UUID, stored as its 36-character text (native UUID on PostgreSQL).

    As a primary key it defaults to ``uuid.uuid4``.  ``to_db_value`` returns the text.
    """

    field_type = uuid.UUID
    SQL_TYPE = "CHAR(36)"

    def __init__(self, **kwargs: Any) -> None:
        if (kwargs.get("primary_key") or kwargs.get("pk")) and "default" not in kwargs:
            kwargs["default"] = uuid.uuid4
        super().__init__(**kwargs)

    def to_db_value(self, value: Any, instance: Any = None) -> str | None:
        if value is None:
            return None
        if isinstance(value, uuid.UUID):
            return str(value)
        return str(self._parse(value))

    def to_python_value(self, value: Any) -> uuid.UUID | None:
        if type(value) is uuid.UUID or value is None:
            return value
        if isinstance(value, uuid.UUID):  # e.g. asyncpg's own UUID class
            return _uuid_from_int(value.int)
        return self._parse(value)

    def _parse(self, value: Any) -> uuid.UUID:
        if type(value) is str:
            # What uuid.UUID(text) does once "urn:", "uuid:" and braces are gone, which
            # they are when int() accepts the digits.
            digits = value.replace("-", "")
            if len(digits) == 32:
                try:
                    return _uuid_from_int(int(digits, 16))
                except ValueError:
                    pass
        try:
            if isinstance(value, (bytes, bytearray)) and len(value) == 16:
                return uuid.UUID(bytes=bytes(value))
            if isinstance(value, bytes):
                value = value.decode("ascii")
            return uuid.UUID(value)
        except (TypeError, ValueError, AttributeError):
            raise _invalid(self, value, "a UUID") from None


class BinaryField(Field[bytes]):
    """Raw bytes (BLOB); bytearray and memoryview are accepted and given back as bytes."""

    field_type = bytes
    indexable = False
    SQL_TYPE = "BLOB"

    def to_db_value(self, value: Any, instance: Any = None) -> bytes | None:
        if type(value) is bytes or value is None:
            return value
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        raise _invalid(self, value, "bytes")

    to_python_value = to_db_value  # type: ignore[assignment]


# --- dates and times ----------------------------------------------------------------------
def _parse_datetime(text: str) -> datetime.datetime:
    text = text.strip()
    if text[-1:] in ("Z", "z"):  # fromisoformat before Python 3.11 does not know "Z"
        text = text[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(text)


_combine = datetime.datetime.combine


class _AutoNow:
    """``auto_now`` (stamped on every save) and ``auto_now_add`` (stamped on create) for
    the date/time fields: ``stamp``/``stamp_all`` before a save, and ``to_db_value`` when
    given the instance."""

    def __init__(self, auto_now: bool = False, auto_now_add: bool = False, **kwargs: Any) -> None:
        if auto_now and auto_now_add:
            raise ConfigurationError(f"{type(self).__name__}: You can choose only 'auto_now' or 'auto_now_add', not both")
        super().__init__(**kwargs)  # type: ignore[call-arg]
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add  # as declared; auto_now also stamps new rows

    @property
    def _stamped(self) -> bool:
        return self.auto_now or self.auto_now_add

    @property
    def constraints(self) -> dict[str, Any]:
        return {"readOnly": True} if self._stamped else {}

    def describe(self, serializable: bool = True) -> dict[str, Any]:
        desc = super().describe(serializable)  # type: ignore[misc]
        desc["auto_now"] = self.auto_now
        desc["auto_now_add"] = self.auto_now_add
        return desc

    def validate(self, value: Any) -> None:
        if value is None and self._stamped:
            return  # filled in by to_db_value when the instance is saved
        super().validate(value)  # type: ignore[misc]

    def _stamps(self, instance: Any) -> bool:
        """Whether saving ``instance`` (a model instance, not a class) sets the value now."""
        if not self._stamped or instance is None or isinstance(instance, type):
            return False
        return self.auto_now or getattr(instance, self.model_field_name, None) is None  # type: ignore[attr-defined]

    def stamp_all(self, instances: Iterable[Any]) -> None:
        """The current time on those of ``instances`` that saving stamps; instances saved
        by one statement get one time, as a database default would give them."""
        value = self.now_value()
        name = self.model_field_name  # type: ignore[attr-defined]
        for instance in instances:
            d = instance.__dict__
            if self.auto_now or d.get(name) is None:
                d[name] = value

    def now_value(self) -> Any:  # pragma: no cover - each field defines it
        """The current time as this field holds it."""
        raise NotImplementedError


class DatetimeField(_AutoNow, Field[datetime.datetime]):
    """Date and time.  ``auto_now``: set on every save; ``auto_now_add``: set on create.

    Time zones follow ``tortoise.timezone``: with ``use_tz`` (the default) ``to_db_value``
    returns an aware datetime in UTC and ``to_python_value`` an aware datetime in the
    configured timezone; a naive value given to either is a wall-clock time of that zone
    (``to_db_value`` warns about it, as Tortoise does).  The per-driver decoders read
    naive values as UTC, which is what the database holds.  Without ``use_tz`` all of
    them give naive datetimes in the configured timezone.  So values round-trip unchanged
    on every backend.
    """

    field_type = datetime.datetime
    SQL_TYPE = "TIMESTAMP"

    def to_db_value(self, value: Any, instance: Any = None) -> datetime.datetime | None:
        """The value to store; with a model ``instance``, auto_now(_add) stamps it first."""
        if self._stamps(instance):
            stamp = timezone.now()
            setattr(instance, self.model_field_name, self.to_python_value(stamp))
            return self.to_db_value(stamp)
        if value is None:
            return None
        if type(value) is not datetime.datetime:
            value = self._coerce(value)
        tz = value.tzinfo
        if get_use_tz():
            if tz is UTC or tz is UTC_ZONE:  # both UTC: drivers read the offset
                return value
            if tz is None:
                self._warn_naive(value)
                value = self._make_aware(value)
            return value.astimezone(UTC)
        return value if tz is None else value.astimezone(get_default_timezone()).replace(tzinfo=None)

    def to_python_value(self, value: Any) -> datetime.datetime | None:
        if value is None:
            return None
        if type(value) is not datetime.datetime:
            value = self._coerce(value)
        if value.tzinfo is None and get_use_tz():
            return self._make_aware(value)
        return timezone.read_stored(value)

    @staticmethod
    def _make_aware(value: datetime.datetime) -> datetime.datetime:
        """A naive datetime as a wall-clock time of the configured zone."""
        if type(value) is datetime.datetime:
            return _combine(value, value.time(), get_default_timezone())
        return value.replace(tzinfo=get_default_timezone())

    def _warn_naive(self, value: datetime.datetime) -> None:
        # the value stays out of the message, so that the default filter shows it once
        warnings.warn(
            f"{self.qualified_name} received a naive datetime while time zone support is active"
            f" (use_tz); it is taken as a time in {timezone.get_timezone()}",
            RuntimeWarning,
            stacklevel=3,
        )

    def db_encoder(self, dialect: Any, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Aware UTC datetimes under ``use_tz`` (what this field holds) may skip the generic
        steps; the dialect knows how its driver takes them."""
        return dialect.datetime_encoder(general)

    def db_decoder(self, dialect: Any) -> Callable[[Any], datetime.datetime]:
        """Values as stored: naive ones are UTC (``timezone.read_stored``, which follows
        the settings); ``_coerce`` takes what the driver's shortcut does not (padded text,
        dates, timestamps)."""
        return dialect.datetime_decoder(self._coerce)

    def now_value(self) -> datetime.datetime:
        return self.to_python_value(timezone.now())  # type: ignore[return-value]

    def _coerce(self, value: Any) -> datetime.datetime:
        """ISO text (SQLite), dates, POSIX timestamps and datetime subclasses → datetime."""
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return _parse_datetime(value)
            except ValueError:
                pass
        elif isinstance(value, datetime.date):
            return datetime.datetime(value.year, value.month, value.day)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return datetime.datetime.fromtimestamp(value, UTC)
            except (OverflowError, OSError, ValueError):
                pass
        raise _invalid(self, value, "a datetime or an ISO 8601 string")


class DateField(Field[datetime.date]):
    """Calendar date; a datetime given to it keeps only its date."""

    field_type = datetime.date
    SQL_TYPE = "DATE"

    def to_db_value(self, value: Any, instance: Any = None) -> datetime.date | None:
        if type(value) is datetime.date or value is None:
            return value
        return self._coerce(value)

    def to_python_value(self, value: Any) -> datetime.date | None:
        if type(value) is datetime.date or value is None:
            return value
        return self._coerce(value)

    def db_decoder(self, dialect: Any) -> Callable[[Any], datetime.date]:
        return dialect.date_decoder(self.to_python_value, self._coerce)

    def _coerce(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return datetime.date(value.year, value.month, value.day)
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                try:
                    return _parse_datetime(value).date()
                except ValueError:
                    pass
        raise _invalid(self, value, "a date or an ISO 8601 string")


_MIDNIGHT = datetime.datetime.min


class TimeField(_AutoNow, Field[datetime.time]):
    """Time of day; TIMETZ on PostgreSQL (as in Tortoise), TIME elsewhere.

    With ``use_tz`` (the default) values are aware, as in Tortoise: a naive time is a
    wall-clock time of the configured time zone and gets that zone.  PostgreSQL keeps
    the UTC offset, SQLite the text with it; MySQL's TIME holds the wall-clock time only,
    which comes back in the configured zone.  A zone with daylight saving gives a time
    no offset: PostgreSQL stores it with the zone's offset of the day it is written.
    Without ``use_tz`` values are naive: an aware time keeps its wall-clock value.
    MySQL drivers return TIME as a timedelta.  ``auto_now``/``auto_now_add`` stamp the
    wall-clock time of the configured zone.
    """

    field_type = datetime.time
    SQL_TYPE = "TIME"
    DB_TYPES = {"postgres": "TIMETZ"}

    def to_db_value(self, value: Any, instance: Any = None) -> datetime.time | None:
        if self._stamps(instance):
            value = self.now_value()
            setattr(instance, self.model_field_name, value)
            return value
        return self.to_python_value(value)

    def now_value(self) -> datetime.time:
        return self.to_python_value(timezone.localtime().time())  # type: ignore[return-value]

    def to_python_value(self, value: Any) -> datetime.time | None:
        if value is None:
            return None
        if not isinstance(value, datetime.time):
            value = self._coerce(value)
        if get_use_tz():
            return value if value.tzinfo is not None else value.replace(tzinfo=get_default_timezone())
        return value if value.tzinfo is None else value.replace(tzinfo=None)

    def db_encoder(self, dialect: Any, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return dialect.time_encoder(general)

    def db_decoder(self, dialect: Any) -> Callable[[Any], datetime.time]:
        return dialect.time_decoder(self.to_python_value)

    def _coerce(self, value: Any) -> datetime.time:
        if isinstance(value, datetime.datetime):
            return value.timetz()
        if isinstance(value, str):
            try:
                return datetime.time.fromisoformat(value.strip())
            except ValueError:
                raise _invalid(self, value, "a time or an ISO 8601 string") from None
        if isinstance(value, datetime.timedelta) and not value.days:  # 0 <= value < 1 day
            return (_MIDNIGHT + value).time()
        raise _invalid(self, value, "a time of day")


class TimeDeltaField(Field[datetime.timedelta]):
    """A duration, stored as a BIGINT count of microseconds (``to_db_value`` gives the int)."""

    field_type = datetime.timedelta
    SQL_TYPE = "BIGINT"

    def to_db_value(self, value: Any, instance: Any = None) -> int | None:
        if type(value) is datetime.timedelta:
            return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
        if value is None or type(value) is int:
            return value
        return self.to_db_value(self.to_python_value(value))

    def to_python_value(self, value: Any) -> datetime.timedelta | None:
        if type(value) is int:
            return datetime.timedelta(0, 0, value)  # positional: 300 ns instead of 500 ns
        if value is None or isinstance(value, datetime.timedelta):
            return value
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return datetime.timedelta(microseconds=int(value))
        raise _invalid(self, value, "a timedelta or a number of microseconds")


# --- JSON ---------------------------------------------------------------------------------
def json_default(value: Any) -> Any:
    """Fallback of the default JSON encoder: datetimes and UUIDs as strings, enums as their
    values, as Tortoise's orjson encoder writes them.  Not decimals: that would lose their
    type silently, and Tortoise refuses them too (give an ``encoder`` that writes them)."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_dumps(value: Any) -> str:
    """The default JSONField encoder: compact, UTF-8 kept, with ``json_default``."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_default)


def _is_pydantic_model(value: Any) -> bool:
    pydantic = sys.modules.get("pydantic")  # no model exists unless pydantic was imported
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


class JSONField(Field[Any]):
    """JSON document (dict, list or scalar), stored as JSON text.

    ``encoder``/``decoder`` replace json.dumps/json.loads.  ``field_type`` may be a
    pydantic model (or any type pydantic validates, e.g. ``list[Model]``): values read are
    validated into it, and its instances are dumped to JSON on write.  A ``str`` given to
    ``to_db_value`` is taken as JSON text already encoded (it must be valid JSON).
    A pydantic model given to a field without ``field_type`` is written as its JSON
    (``model_dump_json``, or ``model_dump`` passed to a custom ``encoder``), as Tortoise does.
    """

    field_type: Any = (dict, list)
    indexable = False
    SQL_TYPE = "JSON"

    def __class_getitem__(cls, item: Any) -> type:  # ``JSONField[dict | list]`` in annotations
        return cls

    def __init__(
        self,
        encoder: Callable[[Any], str] = json_dumps,
        decoder: Callable[[str | bytes], Any] = json.loads,
        field_type: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self._adapter = None
        if field_type is not None:
            from pydantic import TypeAdapter  # only needed when a model is declared

            self.field_type = field_type
            self._adapter = TypeAdapter(field_type)

    def describe(self, serializable: bool = True) -> dict[str, Any]:
        desc = super().describe(serializable)
        if self._adapter is None and serializable:
            desc["python_type"] = "Union[dict, list]"
        return desc

    def to_db_value(self, value: Any, instance: Any = None) -> str | None:
        if value is None:
            return None
        if isinstance(value, (str, bytes, bytearray)):
            self._decode(value)  # only checks that it is JSON
            return value if isinstance(value, str) else bytes(value).decode()
        try:
            if self._adapter is not None:
                value = self._adapter.dump_python(self._validate(value), mode="json")
            elif type(value) is not dict and type(value) is not list and _is_pydantic_model(value):
                if self.encoder is json_dumps:
                    return value.model_dump_json()
                value = value.model_dump()
            return self.encoder(value)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                raise
            raise NotJSONSerializableError(
                f"{self.qualified_name}: {_short(value)} is not JSON serializable ({exc})"
            ) from None

    def to_python_value(self, value: Any) -> Any:
        if isinstance(value, (str, bytes, bytearray)):
            value = self._decode(value)
        if self._adapter is None or value is None:
            return value
        return self._validate(value)

    def db_decoder(self, dialect: Any) -> Callable[[Any], Any]:
        """Every driver returns JSON text (a str); without a pydantic type, only decode it."""
        if self._adapter is not None:
            return self.to_python_value
        decode, convert = self._decode, self.to_python_value
        return lambda value: decode(value) if type(value) is str else convert(value)

    def _decode(self, text: str | bytes | bytearray) -> Any:
        try:
            return self.decoder(text)
        except ValueError:
            raise InvalidJSONError(f"{self.qualified_name}: {_short(text)} is not valid JSON") from None

    def _validate(self, value: Any) -> Any:
        from pydantic import ValidationError as PydanticValidationError

        try:
            return self._adapter.validate_python(value)  # type: ignore[union-attr]
        except PydanticValidationError as exc:
            expected = getattr(self.field_type, "__name__", self.field_type)
            raise _invalid(self, value, f"a valid {expected}: {exc}") from None


# --- enums --------------------------------------------------------------------------------
def _enum_description(enum_type: type[Enum]) -> str:
    return "\n".join(f"{member.name}: {member.value}" for member in enum_type)[:2048]


def _is_enum(enum_type: Any) -> bool:
    return isinstance(enum_type, type) and issubclass(enum_type, Enum)


class CharEnumFieldInstance(CharField):
    """Enum stored as the text of its values; reads give back the enum members.

    A plain ``str`` as ``enum_type`` gives an ordinary char column (values stay str).
    """

    def __init__(self, enum_type: type, description: str | None = None, max_length: int = 0,
                 **kwargs: Any) -> None:
        self.enum_type: type[Enum] | None = enum_type if _is_enum(enum_type) else None
        self._members: dict[str, Enum] = {}
        if self.enum_type is not None:
            self.field_type = enum_type
            self._members = {str(member.value): member for member in self.enum_type}
            if not self._members:
                raise ConfigurationError(f"CharEnumField: {enum_type.__name__} has no members")
            longest = max(map(len, self._members))
            max_length = max_length or longest
            if longest > max_length:
                raise ConfigurationError(
                    f"CharEnumField: max_length={max_length} is too short for the values of"
                    f" {enum_type.__name__} (longest is {longest})"
                )
            if description is None:
                description = _enum_description(self.enum_type)
        elif not (isinstance(enum_type, type) and issubclass(enum_type, str)):
            raise ConfigurationError(f"CharEnumField: enum_type must be an Enum, got {enum_type!r}")
        elif not max_length:
            raise ConfigurationError("CharEnumField: max_length is required without an Enum type")
        super().__init__(max_length=max_length, description=description, **kwargs)

    def describe(self, serializable: bool = True) -> dict[str, Any]:
        desc = super().describe(serializable)
        if self.enum_type is not None:
            desc["enum_values"] = list(self._members)
        return desc

    def to_db_value(self, value: Any, instance: Any = None) -> str | None:
        if self.enum_type is None or value is None:
            return super().to_db_value(value, instance)
        return str(self._member(value).value)

    def to_python_value(self, value: Any) -> Any:
        if self.enum_type is None or value is None:
            return super().to_python_value(value)
        return self._member(value)

    def db_decoder(self, dialect: Any) -> Callable[[Any], Any]:
        if self.enum_type is None:
            return super().db_decoder(dialect)
        return _lookup_decoder(self._members, str, self.to_python_value)

    def _member(self, value: Any) -> Enum:
        if isinstance(value, self.enum_type):  # type: ignore[arg-type]
            return value
        key = value.value if isinstance(value, Enum) else value
        try:
            return self._members[key if type(key) is str else str(key)]
        except KeyError:
            raise _invalid(self, value, f"one of {list(self._members)}") from None


class IntEnumFieldInstance(SmallIntField):
    """Integer enum stored as SMALLINT; reads give back the enum members."""

    allows_generated = False

    def __init__(self, enum_type: type[Enum], description: str | None = None, **kwargs: Any) -> None:
        if not _is_enum(enum_type):
            raise ConfigurationError(f"IntEnumField: enum_type must be an Enum, got {enum_type!r}")
        self._members: dict[int, Enum] = {}
        low = 1 if kwargs.get("generated") else self.MIN  # generated keys start at 1
        for member in enum_type:
            value = member.value
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigurationError(f"IntEnumField only supports integer enums! {member!r} does not have an integer value")
            if not low <= value <= self.MAX:
                raise ConfigurationError(
                    f"The valid range of IntEnumField's values is {low}..{self.MAX}! {member!r} is outside it (SMALLINT)"
                )
            self._members[int(value)] = member
        if description is None:
            description = _enum_description(enum_type)
        super().__init__(description=description, **kwargs)
        self.enum_type = enum_type
        self.field_type = enum_type

    def describe(self, serializable: bool = True) -> dict[str, Any]:
        desc = super().describe(serializable)
        desc["enum_values"] = list(self._members)
        return desc

    def to_db_value(self, value: Any, instance: Any = None) -> int | None:
        return None if value is None else int(self._member(value).value)

    def to_python_value(self, value: Any) -> Any:
        return None if value is None else self._member(value)

    def db_decoder(self, dialect: Any) -> Callable[[Any], Any]:
        return _lookup_decoder(self._members, int, self.to_python_value)

    def _member(self, value: Any) -> Enum:
        if isinstance(value, self.enum_type):
            return value
        key = value.value if isinstance(value, Enum) else value
        try:
            return self._members[self._coerce(key)]
        except (KeyError, ValidationError):
            raise _invalid(self, value, f"one of {list(self._members)}") from None


def CharEnumField(enum_type: type, description: str | None = None, max_length: int = 0,
                  **kwargs: Any) -> Any:
    """A field holding members of ``enum_type`` as text (VARCHAR).

    ``max_length`` defaults to the longest value; ``description`` to "name: value" lines.
    """
    return CharEnumFieldInstance(enum_type, description, max_length, **kwargs)


def IntEnumField(enum_type: type[Enum], description: str | None = None, **kwargs: Any) -> Any:
    """A field holding members of an integer ``enum_type`` (SMALLINT)."""
    return IntEnumFieldInstance(enum_type, description, **kwargs)
