"""Tortoise 1.x's programmatic migration API: ``await migrate(config=...)``.

The same plan and executor as the ``tortoise migrate`` command (``tortoise.cli``), for
applications that migrate at start-up instead of running the command.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Sequence

from tortoise.cli.cli import migrate_api
from tortoise.config import load_config
from tortoise.config_types import as_mapping
from tortoise.migrations.graph import MigrationKey


async def migrate(
    *,
    config: Any = None,
    config_file: str | os.PathLike[str] | None = None,
    app_labels: Sequence[str] | None = None,
    target: str | None = None,
    fake: bool = False,
    direction: str = "both",
    echo: Callable[[str], None] = print,
) -> list[MigrationKey]:
    """Apply (or, towards an earlier ``target``, unapply) migrations; the ones run, in order.

    ``config`` is a config dict or a ``TortoiseConfig``, or ``config_file`` names a JSON/YAML
    file; only apps whose config names their ``"migrations"`` package are migrated (as in
    Tortoise, nothing is inferred here).  ``target`` is ``"app"`` (its latest migration) or
    ``"app.migration_name"``;
    ``direction`` ``"forward"`` only applies, ``"both"`` also unapplies to reach the target.
    """
    parsed = load_config(config=as_mapping(config), config_file=config_file).to_dict()
    known = list(parsed["apps"])
    wanted = list(app_labels or []) + ([target.split(".", 1)[0]] if target else [])
    for label in wanted:
        if label not in known:
            raise ValueError(f"Unknown app label {label!r}: the configured apps are {', '.join(known)}")
    if target is not None and "." not in target:
        target = f"{target}.__latest__"
    return await migrate_api(parsed, list(app_labels) if app_labels else None, target, direction, fake, echo)


__all__ = ["migrate"]
