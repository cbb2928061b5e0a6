"""Time zone settings and helpers (``use_tz`` and ``timezone`` from ``Tortoise.init``).

As in Tortoise, the two settings live in the environment variables ``USE_TZ`` and
``TIMEZONE``.  They are read once and cached; ``configure()`` writes them and refreshes
the cache (call it with no arguments after changing the variables yourself).

The rule for DatetimeField values, the same on SQLite, PostgreSQL and MySQL:

* ``use_tz=True`` (the default): the database holds UTC.  A naive datetime given by the
  user is a wall-clock time of the configured ``timezone`` (as in Tortoise 1.1.9; saving
  one warns); a naive one returned by a driver (MySQL DATETIME, SQLite text) is UTC, as
  stored.  Values read back are aware, in the configured ``timezone`` as a ``ZoneInfo``
  of this module (also for UTC: ``value.tzinfo.zone == "UTC"``).
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


_combine = datetime.combine

#: the configured zone when it is UTC: what values are read back in (Tortoise returns its
#: ZoneInfo, with ``.zone``, rather than ``datetime.timezone.utc``)
UTC_ZONE = ZoneInfo("UTC")


def _stored_reader() -> tuple[Callable[[datetime], datetime], tzinfo | None]:
    """The reader for the current settings: a datetime as stored or as a driver returns it
    → the value read back.  A naive one is in UTC (what MySQL DATETIME and SQLite text
    without offset hold under ``use_tz``).  With it, what ``utc_read_as`` becomes.

    On CPython ``datetime.replace`` and ``astimezone`` cost ~0.7-0.9 µs (keyword parsing,
    generic offset handling), so plain datetimes take ``combine`` and ``zone.fromutc``,
    which give the same values (fold included) in a quarter of the time; subclasses and
    other offsets keep the generic calls, which preserve their type.
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

        return read_naive, None

    zone = get_default_timezone()
    if zone is UTC_ZONE:

        def read_utc(value: datetime) -> datetime:
            tz = value.tzinfo
            if tz is zone:
                return value
            if (tz is None or tz is UTC) and type(value) is datetime and not value.fold:
                return _combine(value, value.time(), zone)  # same instant, same wall clock
            return (value.replace(tzinfo=UTC) if tz is None else value).astimezone(zone)

        return read_utc, zone

    def read_zoned(value: datetime) -> datetime:
        tz = value.tzinfo
        if tz is zone:
            return value
        if (tz is None or tz is UTC) and type(value) is datetime:
            return zone.fromutc(_combine(value, value.time(), zone))
        return (value.replace(tzinfo=UTC) if tz is None else value).astimezone(zone)

    return read_zoned, None


def _read_stored_first(value: datetime) -> datetime:
    """``read_stored`` until the settings are read: builds the reader, installs it, applies it."""
    global read_stored, utc_read_as
    read_stored, utc_read_as = _stored_reader()
    return read_stored(value)


#: datetime as stored (naive = UTC) → the value read back under the current settings.
#: Rebound when the settings change: look it up on the module at each call (as the
#: per-driver decoders do), never import the name.
read_stored: Callable[[datetime], datetime] = _read_stored_first

#: The zone a plain datetime stored in UTC (naive, or aware in ``datetime.timezone.utc``)
#: is read back in when ``combine(value, value.time(), utc_read_as)`` is all that reading
#: it takes (``use_tz`` with the UTC zone, the default); None otherwise, and until
#: ``read_stored`` has run under the current settings.  Generated row makers check it per
#: value and call their decoder when it is None: a relabel written out costs ~1.7k
#: instructions, the decoder and ``read_stored`` calls another ~1.4k.  Look it up on the
#: module, like ``read_stored``.
utc_read_as: tzinfo | None = None


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
    global read_stored, utc_read_as
    for cached in (get_use_tz, get_timezone, get_default_timezone):
        cached.cache_clear()
    read_stored = _read_stored_first
    utc_read_as = None


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
