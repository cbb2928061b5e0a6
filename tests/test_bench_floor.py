"""benchmarks/sqlite_floor.py makes of a row what Aldabra makes of it (or its floor would
measure less work than the ORM does)."""
from __future__ import annotations

import datetime

from benchmarks import sqlite_floor
from tortoise import fields, timezone


def test_the_floor_builds_the_values_aldabra_reads(tmp_path):
    conn = sqlite_floor._database(str(tmp_path / "floor.sqlite3"))
    row = conn.execute(sqlite_floor.SQL, (1,)).fetchone()
    expected = fields.DatetimeField().to_python_value(datetime.datetime.fromisoformat(row[1]))
    obj = sqlite_floor.instance(row)
    assert vars(obj) == {"id": row[0], "timestamp": expected, "level": 1, "text": row[3], "_saved_in_db": True}
    assert sqlite_floor.as_dict(row) == {"id": row[0], "timestamp": expected, "level": 1, "text": row[3]}
    assert obj.timestamp.tzinfo.key == str(timezone.get_default_timezone()) == "UTC"
    for mode in ("fetch", "instances", "dicts"):
        sqlite_floor.run(mode, 2, str(tmp_path / f"{mode}.sqlite3"))
