"""Time zone settings and helpers (``use_tz`` and ``timezone`` from ``Tortoise.init``).

As in Tortoise, the two settings live in the environment variables ``USE_TZ`` and
``TIMEZONE``.  They are read once and cached; ``configure()`` writes them and refreshes
the cache (call it with no arguments after changing the variables yourself).

The rule for DatetimeField values, the same on SQLite, PostgreSQL and MySQL:

* ``use_tz=True`` (the default): the database holds UTC.  A naive datetime, whether
  given by the user or returned by a driver (MySQL DATETIME, SQLite text), means UTC.
  Values read back are aware, in the configured ``timezone``.
* ``use_tz=False``: the database holds naive wall-clock times of the configured
  ``timezone``.  Aware values are converted to that zone and their tzinfo dropped;
  values read back are naive.
"""
from __future__ import annotations

import functools
import os
from datetime import datetime, time, timezone as _dt_timezone, tzinfo
from typing import Callable
from zoneinfo import ZoneInfo as _ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from tortoise.exceptions import ConfigurationError

__all__ = [
    "UTC",
    "ZoneInfo",
    "configure",
    "get_default_timezone",
    "get_timezone",
    "get_use_tz",
    "is_aware",
    "is_naive",
    "localtime",
    "make_aware",
    "make_naive",
    "now",
    "parse_timezone",
]

UTC = _dt_timezone.utc

_FALSE_WORDS = frozenset({"false", "0", "no", "off", ""})


class ZoneInfo(_ZoneInfo):
    """A ``zoneinfo.ZoneInfo`` that also answers pytz's ``.zone``.

    It equals the stdlib ZoneInfo of the same key (the stdlib compares by identity).
    """

    @property
    def zone(self) -> str:
        return self.key

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _ZoneInfo) and self.key is not None:
            return self.key == other.key
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.key)


def parse_timezone(name: str) -> tzinfo:
    """The zone called ``name``; tolerant of case as pytz was ("asia/shanghai", "utc")."""
    if name.upper() == "UTC":
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        styled = "/".join(part if part.isupper() else part.title() for part in name.split("/"))
        if styled == name:
            raise
        return ZoneInfo(styled)


@functools.cache
def get_use_tz() -> bool:
    """Whether datetimes are stored as UTC and returned aware (env ``USE_TZ``, default True)."""
    return os.environ.get("USE_TZ", "True").strip().lower() not in _FALSE_WORDS


@functools.cache
def get_timezone() -> str:
    """Name of the configured time zone (env ``TIMEZONE``, default "UTC")."""
    return os.environ.get("TIMEZONE") or "UTC"


@functools.cache
def get_default_timezone() -> tzinfo:
    """The configured time zone as a ZoneInfo."""
    return parse_timezone(get_timezone())


@functools.cache
def _reading_timezone() -> tzinfo:
    """Zone of values read from the database; ``datetime.timezone.utc`` for UTC.

    Drivers and ``datetime.fromisoformat`` already give ``timezone.utc``, so values
    need no conversion in the common case and every backend returns the same tzinfo.
    """
    zone = get_default_timezone()
    return UTC if getattr(zone, "key", None) == "UTC" else zone


_combine = datetime.combine


@functools.cache
def _datetime_reader() -> Callable[[datetime], datetime]:
    """datetime (from a driver or a user) → the value read back under the current settings.

    The rule of the module docstring, built once per settings (``configure`` clears it):
    DatetimeField's ``to_python_value`` and its per-driver decoders share it.  On CPython
    ``datetime.replace`` and ``astimezone`` cost ~0.7-0.9 µs (keyword parsing, generic
    offset handling), so plain datetimes take ``combine`` and ``zone.fromutc``, which give
    the same values (fold included) in a quarter of the time; subclasses and other
    offsets keep the generic calls, which preserve their type.
    """
    if not get_use_tz():
        local = get_default_timezone()

        def read_naive(value: datetime) -> datetime:
            tz = value.tzinfo
            if tz is None:
                return value
            if tz is UTC and type(value) is datetime:
                value = local.fromutc(_combine(value, value.time(), local))
                return _combine(value, value.time())
            return value.astimezone(local).replace(tzinfo=None)

        return read_naive

    zone = _reading_timezone()
    if zone is UTC:

        def read_utc(value: datetime) -> datetime:
            tz = value.tzinfo
            if tz is UTC:
                return value
            if tz is None:
                if type(value) is datetime:
                    return _combine(value, value.time(), UTC)
                return value.replace(tzinfo=UTC)
            return value.astimezone(UTC)

        return read_utc

    def read_zoned(value: datetime) -> datetime:
        tz = value.tzinfo
        if tz is zone:
            return value
        if (tz is None or tz is UTC) and type(value) is datetime:
            return zone.fromutc(_combine(value, value.time(), zone))
        return (value.replace(tzinfo=UTC) if tz is None else value).astimezone(zone)

    return read_zoned


def configure(use_tz: bool | None = None, timezone: str | None = None) -> None:
    """Set ``use_tz`` / ``timezone`` (those given) and refresh the cached settings."""
    if timezone is not None:
        try:
            parse_timezone(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(f"unknown time zone {timezone!r}") from None
        os.environ["TIMEZONE"] = timezone
    if use_tz is not None:
        os.environ["USE_TZ"] = str(bool(use_tz))
    _reset_timezone_cache()


def _reset_timezone_cache() -> None:
    """Forget the cached settings: the next read takes USE_TZ / TIMEZONE from the environment."""
    for cached in (get_use_tz, get_timezone, get_default_timezone, _reading_timezone, _datetime_reader):
        cached.cache_clear()


def _zone(timezone: str | tzinfo | None) -> tzinfo:
    if timezone is None:
        return get_default_timezone()
    if isinstance(timezone, str):
        return parse_timezone(timezone)
    return timezone


def now() -> datetime:
    """The current time: aware UTC when ``use_tz``, else naive in the configured zone."""
    if get_use_tz():
        return datetime.now(UTC)
    return datetime.now(get_default_timezone()).replace(tzinfo=None)


def is_aware(value: datetime | time) -> bool:
    """True when ``value`` carries a usable UTC offset."""
    return value.utcoffset() is not None


def is_naive(value: datetime | time) -> bool:
    """True when ``value`` has no usable UTC offset."""
    return not is_aware(value)


def localtime(value: datetime | None = None, timezone: str | tzinfo | None = None) -> datetime:
    """Convert an aware datetime (default: now) to ``timezone`` (default: the configured one).

    :raises ValueError: when ``value`` is naive.
    """
    if value is None:
        value = datetime.now(UTC)
    if is_naive(value):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return value.astimezone(_zone(timezone))


def make_aware(value: datetime, timezone: str | tzinfo | None = None) -> datetime:
    """Attach ``timezone`` (default: the configured one) to a naive datetime.

    :raises ValueError: when ``value`` is already aware.
    """
    if is_aware(value):
        raise ValueError(f"make_aware expects a naive datetime, got {value!r}")
    return value.replace(tzinfo=_zone(timezone))


def make_naive(value: datetime, timezone: str | tzinfo | None = None) -> datetime:
    """Convert an aware datetime to ``timezone`` (default: the configured one) and drop it.

    :raises ValueError: when ``value`` is naive.
    """
    if is_naive(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(_zone(timezone)).replace(tzinfo=None)
