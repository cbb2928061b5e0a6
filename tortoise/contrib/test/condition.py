"""Conditions for ``requireCapability``: ``dialect=NotEQ("mssql")``, ``dialect=In("mysql", "postgres")``."""
from __future__ import annotations

from typing import Any


class Condition:
    """A test on one capability value."""

    def matches(self, value: Any) -> bool:
        raise NotImplementedError


class NotEQ(Condition):
    def __init__(self, value: Any) -> None:
        self.value = value

    def matches(self, value: Any) -> bool:
        return value != self.value

    def __repr__(self) -> str:
        return f"not {self.value!r}"


class In(Condition):
    def __init__(self, *values: Any) -> None:
        self.values = values

    def matches(self, value: Any) -> bool:
        return value in self.values

    def __repr__(self) -> str:
        return f"one of {self.values!r}"


class NotIn(In):
    def matches(self, value: Any) -> bool:
        return value not in self.values

    def __repr__(self) -> str:
        return f"none of {self.values!r}"


def matches(expected: Any, value: Any) -> bool:
    """``expected`` is a Condition, a plain value, or a string ``"!value"`` (not equal)."""
    if isinstance(expected, Condition):
        return expected.matches(value)
    if isinstance(expected, str) and expected.startswith("!"):
        return value != expected[1:]
    return value == expected


__all__ = ["Condition", "NotEQ", "In", "NotIn", "matches"]
