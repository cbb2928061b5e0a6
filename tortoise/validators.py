"""Field validators: callables that raise ValidationError for unacceptable values.

Pass them as ``validators=[...]`` on any field; they run when a model is saved.  The
field adds its own name to the message, so messages here only describe the value.
"""
from __future__ import annotations

import abc
import ipaddress
import re
from decimal import Decimal
from typing import Any

from tortoise.exceptions import ConfigurationError, ValidationError

__all__ = [
    "DomainNameValidator",
    "EmailValidator",
    "URLValidator",
    "InvalidDomainName",
    "InvalidEmailAddress",
    "InvalidScheme",
    "InvalidURL",
    "validate_domain_name",
    "validate_email",
    "validate_url",
    "CommaSeparatedIntegerListValidator",
    "MaxLengthValidator",
    "MaxValueValidator",
    "MinLengthValidator",
    "MinValueValidator",
    "RegexValidator",
    "Validator",
    "validate_ipv46_address",
    "validate_ipv4_address",
    "validate_ipv6_address",
]


class Validator(abc.ABC):
    """Base class of validators: calling one with a value raises ValidationError or not."""

    @abc.abstractmethod
    def __call__(self, value: Any) -> None: ...


class RegexValidator(Validator):
    """The value must be a string matching ``pattern`` from its start."""

    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0) -> None:
        self.regex = re.compile(pattern, flags)

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            raise ValidationError(f"{value!r} is not a string; expected text matching {self.regex.pattern!r}")
        if not self.regex.match(value):
            raise ValidationError(f"{value!r} does not match the pattern {self.regex.pattern!r}")


def _length(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        raise ValidationError(f"{value!r} has no length; expected a string or a sequence") from None


class MaxLengthValidator(Validator):
    """``len(value)`` must be at most ``max_length``."""

    def __init__(self, max_length: int) -> None:
        if not isinstance(max_length, int) or max_length < 0:
            raise ConfigurationError(f"max_length must be a non-negative integer, got {max_length!r}")
        self.max_length = max_length

    def __call__(self, value: Any) -> None:
        length = _length(value)
        if length > self.max_length:
            raise ValidationError(f"Length of {value!r} {length} > {self.max_length}: the maximum is {self.max_length}")


class MinLengthValidator(Validator):
    """``len(value)`` must be at least ``min_length``."""

    def __init__(self, min_length: int) -> None:
        if not isinstance(min_length, int) or min_length < 0:
            raise ConfigurationError(f"min_length must be a non-negative integer, got {min_length!r}")
        self.min_length = min_length

    def __call__(self, value: Any) -> None:
        length = _length(value)
        if length < self.min_length:
            raise ValidationError(f"Length of {value!r} {length} < {self.min_length}: the minimum is {self.min_length}")


def _check_bound(bound: Any, name: str) -> None:
    if isinstance(bound, bool) or not isinstance(bound, (int, float, Decimal)):
        raise ConfigurationError(f"{name} must be a number, got {bound!r}")


def _compare_error(value: Any, bound: Any) -> ValidationError:
    return ValidationError(f"{value!r} cannot be compared with {bound!r}; expected a number")


class MinValueValidator(Validator):
    """The value must be greater than or equal to ``min_value``."""

    def __init__(self, min_value: int | float | Decimal) -> None:
        _check_bound(min_value, "min_value")
        self.min_value = min_value

    def __call__(self, value: Any) -> None:
        try:
            too_small = value < self.min_value
        except TypeError:
            raise _compare_error(value, self.min_value) from None
        if too_small:
            raise ValidationError(f"{value!r} is less than the minimum {self.min_value}")


class MaxValueValidator(Validator):
    """The value must be less than or equal to ``max_value``."""

    def __init__(self, max_value: int | float | Decimal) -> None:
        _check_bound(max_value, "max_value")
        self.max_value = max_value

    def __call__(self, value: Any) -> None:
        try:
            too_big = value > self.max_value
        except TypeError:
            raise _compare_error(value, self.max_value) from None
        if too_big:
            raise ValidationError(f"{value!r} is greater than the maximum {self.max_value}")


class CommaSeparatedIntegerListValidator(Validator):
    """The value must look like "1,2,3" (with ``allow_negative``, "-1,2" too)."""

    def __init__(self, allow_negative: bool = False) -> None:
        sign = "-?" if allow_negative else ""
        self.allow_negative = allow_negative
        self.regex = re.compile(rf"{sign}\d+(?:,{sign}\d+)*\Z")

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or not self.regex.match(value):
            kind = "integers" if self.allow_negative else "non-negative integers"
            raise ValidationError(f"{value!r} is not a comma-separated list of {kind}")


def _ip_address(value: Any, parse: Any, kind: str) -> None:
    try:
        if not isinstance(value, str):
            raise ValueError
        parse(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a valid {kind} address.") from None


def validate_ipv4_address(value: Any) -> None:
    """The value must be an IPv4 address such as "192.168.0.1"."""
    _ip_address(value, ipaddress.IPv4Address, "IPv4")


def validate_ipv6_address(value: Any) -> None:
    """The value must be an IPv6 address such as "2001:db8::1"."""
    _ip_address(value, ipaddress.IPv6Address, "IPv6")


def validate_ipv46_address(value: Any) -> None:
    """The value must be an IPv4 or an IPv6 address."""
    _ip_address(value, ipaddress.ip_address, "IPv4 or IPv6")


from tortoise.net_validators import (  # noqa: E402  (their home is tortoise.validators)
    DomainNameValidator,
    EmailValidator,
    InvalidDomainName,
    InvalidEmailAddress,
    InvalidScheme,
    InvalidURL,
    URLValidator,
    validate_domain_name,
    validate_email,
    validate_url,
)
