"""One A-K operation run N times by one task, for instruction counts under callgrind.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python -m benchmarks.instr --db mysql --op F --n 300
    (the same with --n 0; the difference over N is the operation's cost)

``--count`` does both runs and prints instructions per operation (D and G fetch ``ROWS``
rows: their per-row cost is (D - F) / ROWS, as in README.md).  Setup (schema, fixture rows, the loaded instances of I/J/K,
one warm-up operation so that statements are compiled) happens in both runs, so it
cancels out.  Each run gets its own database (dropped afterwards).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import re
import subprocess
import sys
import tempfile
import uuid
from typing import Any

URLS = {"postgres": "postgres://postgres@127.0.0.1:5432/", "mysql": "mysql://root@127.0.0.1:3306/"}
#: rows per level for D/G (the A-K suite's reads return ~200)
ROWS = 200
OPS = "ABDFGIJK"


async def _database(db: str) -> tuple[str, Any]:
    """(db_url, cleanup) for a fresh database."""
    name = f"aldabra_instr_{uuid.uuid4().hex[:8]}"
    if db == "sqlite":
        path = os.path.join("/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir(), name + ".sqlite3")

        async def drop() -> None:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.unlink(path + suffix)

        return f"sqlite://{path}", drop
    from benchmarks import run

    if db == "postgres":
        await run.pg_create(URLS[db], name)
        return f"{URLS[db]}{name}", lambda: run.pg_drop(URLS[db], name)
    await run.my_create(URLS[db], name)
    return f"{URLS[db]}{name}", lambda: run.my_drop(URLS[db], name)


async def main(db: str, op: str, n: int) -> None:
    from tortoise import Tortoise
    from tortoise.transactions import in_transaction

    url, drop = await _database(db)
    try:
        await Tortoise.init(db_url=url, modules={"models": ["benchmarks.journal_models.t1"]})
        await Tortoise.generate_schemas()
        from benchmarks.journal_models.t1 import Journal

        now = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
        count = max(n, 1) + 1
        # keys left to the database (PostgreSQL's sequence would not know of given ones)
        await Journal.bulk_create([Journal(level=i % 5, text=f"row {i}") for i in range(ROWS * 5)])
        first = (await Journal.all().order_by("id").first()).id
        loaded = []
        if op in "IJK":
            await Journal.bulk_create([Journal(level=9, text=f"loaded {i}", timestamp=now) for i in range(count)])
            loaded = await Journal.filter(level=9).order_by("id")

        async def one(i: int) -> None:
            if op == "A":
                await Journal.create(level=i % 5, text="new")
            elif op == "F":
                await Journal.get(id=first + i % (ROWS * 5))
            elif op == "D":
                list(await Journal.filter(level=i % 5).all())
            elif op == "G":
                await Journal.filter(level=i % 5).values()
            elif op == "I":
                obj = loaded[i]
                obj.level, obj.text = 8, "changed"
                await obj.save()
            elif op == "J":
                obj = loaded[i]
                obj.level = 7
                await obj.save(update_fields=["level"])
            elif op == "K":
                await loaded[i].delete()

        transactional = op in "BIJK"
        if op == "B":
            async def one(i: int) -> None:  # noqa: F811
                await Journal.create(level=i % 5, text="new")
        # warm-up: compile what the operation uses, open the connection
        if transactional:
            async with in_transaction():
                await one(count - 1)
        else:
            await one(count - 1)
        if transactional:  # transactions of 100 operations, as in the A-K suite
            for start in range(0, n, 100):
                async with in_transaction():
                    for i in range(start, min(n, start + 100)):
                        await one(i)
        else:
            for i in range(n):
                await one(i)
    finally:
        await Tortoise.close_connections()
        await drop()


def _instructions(db: str, op: str, n: int) -> int:
    return callgrind_total(["-m", "benchmarks.instr", "--db", db, "--op", op, "--n", str(n)])


def callgrind_total(python_args: list[str]) -> int:
    """Instructions of ``python python_args`` (both threads), counted by callgrind."""
    out = tempfile.mktemp(prefix="instr-", suffix=".out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, *python_args]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    try:
        with open(out) as f:
            total = re.search(r"^totals: (\d+)", f.read(), re.M)
        return int(total.group(1))
    finally:
        os.unlink(out)


def count(db: str, op: str, n: int) -> float:
    """Instructions per operation."""
    return (_instructions(db, op, n) - _instructions(db, op, 0)) / n


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "mysql"], default="sqlite")
    parser.add_argument("--op", choices=list(OPS), default="F")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--count", action="store_true", help="run under callgrind with N and 0, print per op")
    args = parser.parse_args()
    if args.count:
        per = count(args.db, args.op, args.n)
        print(f"{args.db} {args.op}: {per / 1000:.1f}k instructions per operation")
    else:
        asyncio.run(main(args.db, args.op, args.n))
