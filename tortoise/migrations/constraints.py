"""Constraints named in Tortoise 1.x migration files (``AddConstraint``)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UniqueConstraint:
    """Unique over several fields (``Meta.unique_together``); field names, not columns."""

    fields: tuple[str, ...]
    name: str | None = None
    condition: str | None = None


@dataclass(frozen=True)
class CheckConstraint:
    """A CHECK constraint; Aldabra's models have none, so files using it are refused."""

    check: str
    name: str
