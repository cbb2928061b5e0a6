"""The ORM side of the A-K suite (``journal.py``): what the orm-benchmarks scripts do.

Public Tortoise ORM API only; runs in-process against Aldabra and, through
``orm_side.py --suite ak`` from another virtualenv, against real Tortoise ORM.
"""
from __future__ import annotations

from typing import Any

try:  # package mode (python -m benchmarks.run)
    from benchmarks import journal as J
    from benchmarks import workload as W
    from benchmarks.orm_side import OrmBase
except ImportError:  # script mode from another virtualenv
    import journal as J  # type: ignore[no-redef]
    import workload as W  # type: ignore[no-redef]
    from orm_side import OrmBase  # type: ignore[no-redef]


class JournalOrmSide(OrmBase):
    def __init__(self, plan: J.JournalPlan, db_url: str, label: str = "aldabra") -> None:
        super().__init__(plan, db_url, label)
        self.models_module = f"journal_models.t{plan.test}"
        self.new = {op: plan.new_rows(op) for op in J.INSERT_OPS}
        self.levels = plan.level_queries()
        self.pages = plan.pages()
        self.gets = plan.get_ids()
        #: filled by setup() for I/J/K: per task, (index among the loaded rows, instance)
        self.loaded: list[list[tuple[int, Any]]] = []

    @property
    def Journal(self) -> Any:
        return self.M.Journal

    async def create_schema(self) -> None:
        from tortoise import Tortoise

        await Tortoise.generate_schemas()

    async def check(self) -> list[str]:
        """Read a few fixture rows back; list what does not match the source data."""
        problems = []
        for row in self.plan.fixture_rows()[:3]:
            obj = await self.Journal.get(id=row["id"])
            for key in ("level", "text", "timestamp"):
                got, want = getattr(obj, key), row[key]
                if key == "timestamp" and got.tzinfo is None:
                    want = want.replace(tzinfo=None)
                if got != want:
                    problems.append(f"Journal(id={row['id']}).{key}: got {got!r}, want {want!r}")
        return problems

    # --- untimed preparation ---------------------------------------------------------------
    async def setup(self, op: str) -> None:
        Journal, n = self.Journal, self.plan.iterations
        await Journal.filter(id__gt=n).delete()
        if op in J.LOADED_OPS:
            await Journal.bulk_create([Journal(**row) for row in self.plan.loaded_rows()])
            objs = await Journal.filter(id__gt=n).order_by("id")
            self.loaded = self.plan.per_task(list(enumerate(objs)))

    # --- timed operations: writes ----------------------------------------------------------------
    async def _each_task(self, items: list, work) -> int:
        """``work(chunk)`` on the concurrent tasks; the rows written (``plan.iterations``)."""
        await W.run_concurrently(items, self.plan.concurrency, work)
        return self.plan.iterations

    async def op_A(self) -> int:
        create = self.Journal.create

        async def work(chunk):
            for kw in chunk:
                await create(**kw)

        return await self._each_task(self.new["A"], work)

    async def op_B(self) -> int:
        from tortoise.transactions import in_transaction

        create = self.Journal.create

        async def work(batches):
            for batch in batches:
                async with in_transaction():
                    for kw in batch:
                        await create(**kw)

        return await self._each_task(self.plan.batches(self.new["B"]), work)

    async def op_C(self) -> int:
        Journal = self.Journal

        async def work(batches):
            for batch in batches:
                await Journal.bulk_create([Journal(**kw) for kw in batch])

        return await self._each_task(self.plan.batches(self.new["C"]), work)

    async def _in_transactions(self, change) -> int:
        """I/J/K: every task changes its loaded rows inside one transaction."""
        from tortoise.transactions import in_transaction

        async def work(parts):
            for part in parts:
                async with in_transaction():
                    for i, obj in part:
                        await change(i, obj)

        return await self._each_task(self.loaded, work)

    async def op_I(self) -> int:
        async def change(i, obj):
            for key, value in self.plan.update(i, obj.text).items():
                setattr(obj, key, value)
            await obj.save()

        return await self._in_transactions(change)

    async def op_J(self) -> int:
        async def change(i, obj):
            obj.level = self.plan.update(i, obj.text)["level"]
            await obj.save(update_fields=["level"])

        return await self._in_transactions(change)

    async def op_K(self) -> int:
        async def change(i, obj):
            await obj.delete()

        return await self._in_transactions(change)

    # --- timed operations: reads -------------------------------------------------------------------
    async def op_D(self) -> int:
        Journal = self.Journal

        async def query(lvl):
            return list(await Journal.filter(level=lvl).all())

        return await self._count(self.levels, query)

    async def op_E(self) -> int:
        Journal = self.Journal
        return await self._count(self.pages, lambda p: Journal.filter(level=p[0]).limit(J.PAGE).offset(p[1]))

    async def op_F(self) -> int:
        get = self.Journal.get

        async def query(pk):
            return [await get(id=pk)]

        return await self._count(self.gets, query)

    async def op_G(self) -> int:
        Journal = self.Journal
        return await self._count(self.levels, lambda lvl: Journal.filter(level=lvl).values())

    async def op_H(self) -> int:
        Journal = self.Journal
        return await self._count(self.levels, lambda lvl: Journal.filter(level=lvl).values_list())

    # --- general-path shapes (same rows as a fast-path operation: journal.SAME_ROWS) -----------------
    async def op_or(self) -> int:
        from tortoise.expressions import Q

        Journal = self.Journal
        return await self._count(self.levels, lambda lvl: Journal.filter(Q(level=lvl) | Q(level=J.NO_LEVEL)))

    async def op_in(self) -> int:
        Journal = self.Journal
        return await self._count(self.levels, lambda lvl: Journal.filter(level__in=[lvl, J.NO_LEVEL]))

    async def op_join(self) -> int:
        Journal = self.Journal
        return await self._count(self.levels, lambda lvl: Journal.filter(parent__level=lvl))

    async def op_group(self) -> int:
        from tortoise.functions import Count

        Journal = self.Journal
        return await self._count(
            self.levels,
            lambda lvl: Journal.filter(level=lvl).annotate(n=Count("id")).group_by("text").values("text", "n"),
        )

    async def op_order2(self) -> int:
        Journal = self.Journal
        return await self._count(self.levels, lambda lvl: Journal.filter(level=lvl).order_by("-timestamp", "id"))
