"""Rewrite user-written ``$1``-style placeholders into the dialect's style (raw SQL)."""
from __future__ import annotations

import re
from typing import Any, Sequence

from tortoise.exceptions import ParamsError
from tortoise.sql.dialects.base import Dialect

_NUMBERED = re.compile(r"'(?:[^']|'')*'|\$(\d+)")


def adapt_placeholders(sql: str, params: Sequence[Any], dialect: Dialect) -> tuple[str, list[Any]]:
    """``WHERE a > $1`` works on every database: numbered marks are renumbered or reordered.

    SQL using the dialect's own style (``?`` on SQLite, ``%s`` on MySQL) passes unchanged.
    String literals are left alone.
    """
    params = [dialect.adapt_param(p) for p in params]
    if dialect.param_style == "numeric" or "$" not in sql:
        return sql, params
    ordered: list[Any] = []

    def replace(match: re.Match) -> str:
        if match.group(1) is None:
            return match.group(0)
        index = int(match.group(1)) - 1
        if not 0 <= index < len(params):
            raise ParamsError(f"raw SQL uses ${index + 1} but {len(params)} parameter(s) were given")
        ordered.append(params[index])
        return dialect.placeholder(len(ordered) - 1)

    return _NUMBERED.sub(replace, sql), ordered
