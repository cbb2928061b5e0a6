"""The CPython floor under SQLite's many-row reads (A-K D and G), in instructions per row.

    .venv/bin/python -m benchmarks.sqlite_floor     # needs valgrind

Three ways through the same 200 rows of a TEST=1 ``journal`` table (id, ISO timestamp
text, level, text): ``fetch``, what ``sqlite3``'s ``execute().fetchall()`` costs (all that
aiosqlite does with them); ``instances`` and ``dicts``, what the plainest Python adds to
make model instances or dicts of them (``object.__new__`` and ``__dict__`` stores, the
timestamp through ``fromisoformat`` and ``combine`` into the configured zone).  Compare
with ``python -m benchmarks.instr --db sqlite --op D --count`` over 200 rows.
"""
from __future__ import annotations

import datetime
import os
import sqlite3
import sys
import tempfile
from zoneinfo import ZoneInfo

ROWS = 200
SQL = 'SELECT "id", "timestamp", "level", "text" FROM "journal" WHERE "level" = ?'
_zone = ZoneInfo("UTC")
_parse = datetime.datetime.fromisoformat
_combine = datetime.datetime.combine


class Journal:
    pass


def instance(row: tuple) -> Journal:
    v0, v1, v2, v3 = row
    v1 = _parse(v1)
    v1 = _combine(v1, v1.time(), _zone)
    obj = object.__new__(Journal)
    d = obj.__dict__
    d["id"], d["timestamp"], d["level"], d["text"], d["_saved_in_db"] = v0, v1, v2, v3, True
    return obj


def as_dict(row: tuple) -> dict:
    v0, v1, v2, v3 = row
    v1 = _parse(v1)
    return {"id": v0, "timestamp": _combine(v1, v1.time(), _zone), "level": v2, "text": v3}


def _database(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE IF NOT EXISTS "journal" ("id" INTEGER PRIMARY KEY, "timestamp" TEXT, "level" INT, "text" TEXT)')
    start = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
    rows = [((start + datetime.timedelta(seconds=i)).isoformat(" ", "microseconds"), i % 5, f"row {i}") for i in range(ROWS * 5)]
    conn.executemany('INSERT INTO "journal" ("timestamp", "level", "text") VALUES (?, ?, ?)', rows)
    conn.commit()
    return conn


def run(mode: str, n: int, path: str) -> None:
    conn = _database(path)
    rows = conn.execute(SQL, (1,)).fetchall()
    make = {"instances": instance, "dicts": as_dict}.get(mode)
    for i in range(n):
        if make is None:
            conn.execute(SQL, (i % 5,)).fetchall()
        else:
            [make(r) for r in rows]


def per_row(mode: str, n: int = 40) -> float:
    from benchmarks.instr import callgrind_total

    with tempfile.TemporaryDirectory() as tmp:
        def total(k: int) -> int:
            path = os.path.join(tmp, f"{mode}-{k}.sqlite3")
            return callgrind_total(["-m", "benchmarks.sqlite_floor", "--run", mode, str(k), path])

        return (total(n) - total(0)) / n / ROWS


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        run(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        for mode in ("fetch", "instances", "dicts"):
            print(f"{mode:10s} {per_row(mode) / 1000:.1f}k instructions per row")
