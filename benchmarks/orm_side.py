"""The ORM side of the benchmark: the public Tortoise ORM API, nothing else.

In-process, ``run.py`` drives :class:`OrmSide` against Aldabra (the ``tortoise`` package
of this repository).  Run as a *script* from another virtualenv, the same code measures
real Tortoise ORM::

    /tmp/tortoise-venv/bin/python benchmarks/orm_side.py --db-url URL --plan JSON

(run by path, ``sys.path[0]`` is ``benchmarks/`` so ``import tortoise`` finds the venv's
Tortoise ORM, not the repository's).  It prints one ``BENCH_JSON {...}`` line.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

try:  # package mode (python -m benchmarks.run)
    from benchmarks import workload as W
except ImportError:  # script mode from another virtualenv
    import workload as W  # type: ignore[no-redef]

SQLITE_PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "cache_size", "temp_store",
                  "mmap_size", "journal_size_limit", "locking_mode")


def import_bench_module(name: str) -> Any:
    """``benchmarks.<name>`` in package mode, ``<name>`` in script mode (another virtualenv)."""
    import importlib

    try:
        return importlib.import_module(f"benchmarks.{name}")
    except ImportError:
        return importlib.import_module(name)


class OrmBase:
    """What the ORM side of every suite shares: init/close, the interleaving protocol
    (``setup(op)`` untimed, ``run(op)`` timed, returning rows) and counting helpers."""

    #: module of the models, below ``benchmarks/``
    models_module = "bench_models"

    def __init__(self, plan: Any, db_url: str, label: str = "aldabra") -> None:
        self.plan = plan
        self.db_url = db_url
        self.label = label
        self.M: Any = None

    async def open(self) -> None:
        from tortoise import Tortoise

        self.M = import_bench_module(self.models_module)
        await Tortoise.init(db_url=self.db_url, modules={"models": [self.M.__name__]})

    async def close(self) -> None:
        from tortoise import Tortoise

        await Tortoise.close_connections()

    def describe(self) -> dict[str, Any]:
        import tortoise

        return {"label": self.label, "version": getattr(tortoise, "__version__", "?"),
                "path": getattr(tortoise, "__file__", "?")}

    async def sqlite_pragmas(self) -> dict[str, Any]:
        """The PRAGMAs of the ORM's SQLite connection (the raw sides copy them)."""
        from tortoise.connection import connections

        conn = connections.get("default")
        out = {}
        for name in SQLITE_PRAGMAS:
            rows = await conn.execute_query_dict(f"PRAGMA {name}")
            if rows:
                out[name] = next(iter(rows[0].values()))
        return out

    async def run(self, op: str) -> int:
        return await getattr(self, "op_" + op)()

    async def _count(self, items: list, query) -> int:
        """``len(await query(item))`` for every item, split over the concurrent tasks; the sum."""
        counts = []

        async def work(chunk):
            n = 0
            for item in chunk:
                n += len(await query(item))
            counts.append(n)

        await W.run_concurrently(items, self.plan.concurrency, work)
        return sum(counts)


class OrmSide(OrmBase):
    """The default suite (``workload.py``)."""

    def __init__(self, plan: W.Plan, db_url: str, label: str = "aldabra") -> None:
        super().__init__(plan, db_url, label)
        self.insert_rows = plan.insert_rows()
        self.bulk_rows = plan.bulk_rows()
        self.write_rows = plan.write_rows()
        self.updates = plan.updates()
        self.get_ids = plan.get_ids()
        self.offsets = plan.offsets()
        self.large = list(range(plan.large_queries))
        self.loaded: list[tuple[Any, dict[str, Any]]] = []

    async def check(self) -> list[str]:
        """Read the fixture back through the ORM; list what does not match the source data."""
        BenchItem = self.M.BenchItem
        problems = []
        for pk in (1, 2, self.plan.rows):
            obj = await BenchItem.get(pk=pk)
            want = W.make_row(pk)
            for key, value in want.items():
                got = getattr(obj, key)
                if isinstance(got, _dt.datetime) and got.tzinfo is not None:
                    got = got.astimezone(_dt.timezone.utc).replace(tzinfo=None)
                if got != value or type(got) is not type(value):
                    problems.append(f"BenchItem(pk={pk}).{key}: got {got!r}, want {value!r}")
        count = await BenchItem.filter(active=True).count()
        if count != self.plan.active_count():
            problems.append(f"filter(active=True).count() = {count}, want {self.plan.active_count()}")
        return problems

    # --- untimed preparation ---------------------------------------------------------------
    async def setup(self, op: str) -> None:
        BenchWrite = self.M.BenchWrite
        if op in W.RESET_OPS or op in W.LOADED_OPS:
            await BenchWrite.all().delete()
        if op in W.LOADED_OPS:
            await BenchWrite.bulk_create([BenchWrite(**row) for row in self.write_rows])
            objs = await BenchWrite.all().order_by("id")
            self.loaded = list(zip(objs, self.updates))

    # --- timed operations --------------------------------------------------------------------
    async def op_insert_single(self) -> int:
        create = self.M.BenchWrite.create

        async def work(chunk):
            for kw in chunk:
                await create(**kw)

        await W.run_concurrently(self.insert_rows, self.plan.concurrency, work)
        return len(self.insert_rows)

    async def op_insert_tx(self) -> int:
        from tortoise.transactions import in_transaction

        create = self.M.BenchWrite.create

        async def work(chunk):
            async with in_transaction():
                for kw in chunk:
                    await create(**kw)

        await W.run_concurrently(self.insert_rows, self.plan.concurrency, work)
        return len(self.insert_rows)

    async def op_bulk_insert(self) -> int:
        BenchWrite = self.M.BenchWrite

        async def work(chunk):
            await BenchWrite.bulk_create([BenchWrite(**kw) for kw in chunk])

        await W.run_concurrently(self.bulk_rows, self.plan.concurrency, work)
        return len(self.bulk_rows)

    async def op_filter_large(self) -> int:
        BenchItem = self.M.BenchItem
        return await self._count(self.large, lambda _: BenchItem.filter(active=True))

    async def op_filter_offset(self) -> int:
        BenchItem = self.M.BenchItem
        return await self._count(
            self.offsets,
            lambda o: BenchItem.filter(active=True).order_by("id").offset(o).limit(W.PAGE),
        )

    async def op_get_pk(self) -> int:
        get = self.M.BenchItem.get
        counts = []

        async def work(chunk):
            n = 0
            for pk in chunk:
                await get(pk=pk)
                n += 1
            counts.append(n)

        await W.run_concurrently(self.get_ids, self.plan.concurrency, work)
        return sum(counts)

    async def op_values(self) -> int:
        BenchItem = self.M.BenchItem
        return await self._count(self.large, lambda _: BenchItem.filter(active=True).values())

    async def op_values_list(self) -> int:
        BenchItem = self.M.BenchItem
        cols = W.VALUES_LIST_COLUMNS
        return await self._count(self.large, lambda _: BenchItem.filter(active=True).values_list(*cols))

    async def op_update_whole(self) -> int:
        async def work(chunk):
            for obj, upd in chunk:
                obj.name = upd["name"]
                obj.level = upd["level"]
                await obj.save()

        await W.run_concurrently(self.loaded, self.plan.concurrency, work)
        return len(self.loaded)

    async def op_update_fields(self) -> int:
        async def work(chunk):
            for obj, upd in chunk:
                obj.level = upd["level"]
                await obj.save(update_fields=["level"])

        await W.run_concurrently(self.loaded, self.plan.concurrency, work)
        return len(self.loaded)

    async def op_delete(self) -> int:
        async def work(chunk):
            for obj, _ in chunk:
                await obj.delete()

        await W.run_concurrently(self.loaded, self.plan.concurrency, work)
        return len(self.loaded)


def make_side(suite: str, plan: dict[str, Any], db_url: str, label: str) -> OrmBase:
    """The ORM side of ``suite`` ("default" or "ak") for a plan given as a dict."""
    if suite == "ak":
        journal = import_bench_module("journal")
        side_cls = import_bench_module("orm_journal").JournalOrmSide
        return side_cls(journal.JournalPlan(**plan), db_url, label)
    return OrmSide(W.Plan(**plan), db_url, label)


async def _script_main(argv: list[str] | None = None) -> None:
    import argparse
    import json

    ap = argparse.ArgumentParser(description="ORM side of the Aldabra benchmark (subprocess mode)")
    ap.add_argument("--db-url", required=True)
    ap.add_argument("--plan", required=True, help="Plan as JSON")
    ap.add_argument("--ops", default=",".join(W.OP_KEYS))
    ap.add_argument("--label", default="tortoise")
    ap.add_argument("--suite", default="default", choices=("default", "ak"))
    args = ap.parse_args(argv)
    side = make_side(args.suite, json.loads(args.plan), args.db_url, args.label)
    plan = side.plan
    out: dict[str, Any] = {"describe": None, "results": {}, "check": [], "error": None}
    try:
        await side.open()
        out["describe"] = side.describe()
        out["check"] = await side.check()
        for op in args.ops.split(","):
            out["results"][op] = (await W.measure(side, op, plan)).to_dict()
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        try:
            await side.close()
        except Exception:
            pass
    print("BENCH_JSON " + json.dumps(out), flush=True)


if __name__ == "__main__":
    import asyncio

    asyncio.run(_script_main())
