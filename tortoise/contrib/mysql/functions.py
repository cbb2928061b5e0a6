"""MySQL functions usable in annotate()/order_by()."""
from __future__ import annotations

from typing import Any

from tortoise.expressions import Expression
from tortoise.sql import nodes


class Rand(Expression):
    """``RAND([seed])``: a float in [0, 1)."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def resolve(self, resolver: Any) -> nodes.Node:
        return nodes.Func("RAND", [] if self.seed is None else [nodes.Param(self.seed)])


__all__ = ["Rand"]
