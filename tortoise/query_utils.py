"""Tortoise's 0.x/1.x home of query helpers: ``Q`` and ``Prefetch`` import from here too."""
from tortoise.expressions import Q
from tortoise.prefetch import Prefetch

__all__ = ["Q", "Prefetch"]
