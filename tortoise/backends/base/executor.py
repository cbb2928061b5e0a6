"""Tortoise's executor module, kept for the names libraries import from it.

Aldabra has no per-model executor objects: statements are compiled once per query shape
and cached on the models and in tortoise/sql.  ``EXECUTOR_CACHE`` stays importable for
libraries that clear it between ``Tortoise.init`` calls; nothing is stored in it.
"""
from typing import Any

EXECUTOR_CACHE: dict[Any, Any] = {}

__all__ = ["EXECUTOR_CACHE"]
