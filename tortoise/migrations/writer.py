"""Writer: migration modules in Aerich's file format.

A file is a Python module named ``{n}_{timestamp}_{name}.py`` with ``async def
upgrade(db) -> str`` and ``async def downgrade(db) -> str`` returning the SQL to run
(a data migration adds Python before the ``return``, using ``db`` or the ORM), a
``RUN_IN_TRANSACTION`` flag and ``MODELS_STATE``, the schema state after the migration.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from tortoise.migrations.state import encode

TEMPLATE = '''from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = {run_in_transaction}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        {upgrade}"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        {downgrade}"""


MODELS_STATE = (
{state}
)
'''

NAME = re.compile(r"^\w+$")


def _sql_block(statements: list[str]) -> str:
    text = "\n".join(s.rstrip().rstrip(";") + ";" for s in statements)
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _state_lines(state: dict[str, Any]) -> str:
    encoded = encode(state)
    return "\n".join(f'    "{encoded[i:i + 70]}"' for i in range(0, len(encoded), 70))


def render(upgrade: list[str], downgrade: list[str], state: dict[str, Any], run_in_transaction: bool = True) -> str:
    return TEMPLATE.format(
        run_in_transaction=run_in_transaction,
        upgrade=_sql_block(upgrade),
        downgrade=_sql_block(downgrade),
        state=_state_lines(state),
    )


def file_name(number: int, name: str, now: datetime.datetime | None = None) -> str:
    if not NAME.match(name):
        raise ValueError(f"migration name {name!r} must be letters, digits and underscores")
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d%H%M%S")
    return f"{number}_{stamp}_{name}.py"


def write(folder: Path, number: int, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(number, name)
    path.write_text(text)
    return path


# Tortoise 1.x's writer (native migration modules) is importable from here as well.
from tortoise.migrations.native_writer import MigrationWriter  # noqa: E402,F401
from tortoise.migrations.values import ImportManager, render_value  # noqa: E402,F401
