"""PostgreSQL functions usable in annotate()/order_by()."""
from __future__ import annotations

from typing import Any

from tortoise.expressions import Expression
from tortoise.sql import nodes


class Random(Expression):
    """``RANDOM()``: a float in [0, 1), e.g. ``annotate(r=Random()).order_by("r")``."""

    def resolve(self, resolver: Any) -> nodes.Node:
        return nodes.Func("RANDOM", [])


__all__ = ["Random"]
