"""What is measured and how: the operations, the data, the sizes and the timing harness.

This module imports nothing but the standard library, so that the ORM side
(``orm_side.py``) can run in another virtualenv (real Tortoise ORM) from a plain
script path.  Every side of the benchmark -- raw drivers and ORMs -- gets its data,
sizes and timing from here, so all sides do exactly the same work.
"""
from __future__ import annotations

import datetime as _dt
import gc
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Awaitable, Callable, Sequence

#: (key, what the ORM side does, kind).  Kind "read" has the 1.5x target, "write" 2x.
OPS: list[tuple[str, str, str]] = [
    ("insert_single", "Model.create(), autocommit", "write"),
    ("insert_tx", "in_transaction() + Model.create()", "write"),
    ("bulk_insert", "Model.bulk_create(objs)", "write"),
    ("filter_large", "await Model.filter(active=True)", "read"),
    ("filter_offset", "filter().order_by().offset().limit(20)", "read"),
    ("get_pk", "Model.get(pk=)", "read"),
    ("values", "filter(active=True).values()", "read"),
    ("values_list", "filter(active=True).values_list(3 cols)", "read"),
    ("update_whole", "obj.save()", "write"),
    ("update_fields", "obj.save(update_fields=['level'])", "write"),
    ("delete", "obj.delete()", "write"),
]
OP_KEYS = [key for key, _, _ in OPS]
OP_KIND = {key: kind for key, _, kind in OPS}
OP_DESC = {key: desc for key, desc, _ in OPS}
TARGET = {"read": 1.5, "write": 2.0}

#: ops whose timed run needs the write table empty beforehand
RESET_OPS = {"insert_single", "insert_tx", "bulk_insert"}
#: ops whose timed run needs ``plan.singles`` rows in the write table, loaded beforehand
LOADED_OPS = {"update_whole", "update_fields", "delete"}

#: the non-pk columns of both benchmark tables, in table order
COLUMNS = ("name", "email", "level", "created_at", "active", "price")
VALUES_LIST_COLUMNS = ("id", "name", "level")
PAGE = 20

_BASE_TIME = _dt.datetime(2024, 1, 1, 8, 30, 0)


def make_row(i: int, salt: int = 0) -> dict[str, Any]:
    """A typical application row; deterministic in ``i`` (``salt`` varies the values)."""
    j = i + salt * 7919
    return {
        "name": f"user {j:07d}",
        "email": f"user{j}@example.com",
        "level": j % 100,
        "created_at": _BASE_TIME + _dt.timedelta(seconds=j * 37, microseconds=(j * 1231) % 1_000_000),
        "active": i % 2 == 0,
        "price": Decimal(j % 100_000) / 100,
    }


@dataclass
class Plan:
    """Sizes of one benchmark run.  The same plan is used by every side."""

    rows: int = 5000  #: rows in the read table (bench_item); also the bulk_create size
    singles: int = 1000  #: single-row operations per timed run (inserts, gets, updates...)
    large_queries: int = 10  #: large filter()/values() queries per timed run
    reps: int = 5  #: timed runs at least; the best is kept
    warmup: int = 1  #: untimed runs before the timed ones
    max_reps: int = 20  #: more timed runs (up to this) while a side has < min_time timed
    min_time: float = 0.4  #: seconds of timed runs wanted per side (cheap ops get more reps)
    concurrency: int = 1  #: worker tasks sharing the work (10 for pooled databases)

    @classmethod
    def make(cls, rows: int | None, quick: bool, concurrency: int) -> "Plan":
        if quick:
            plan = cls(rows=2000, singles=300, large_queries=concurrency if concurrency > 1 else 4,
                       reps=3, warmup=1, max_reps=8, min_time=0.15, concurrency=concurrency)
        else:
            plan = cls(concurrency=concurrency)
        if concurrency > 1:
            plan.large_queries = max(plan.large_queries, concurrency)
        if rows:
            plan.rows = rows
            plan.singles = min(plan.singles, rows)
        return plan

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    # --- the data (identical for every side) ------------------------------------------
    def fixture_rows(self) -> list[dict[str, Any]]:
        """Rows of the read table; their ids are 1..rows."""
        return [make_row(i) for i in range(1, self.rows + 1)]

    def insert_rows(self) -> list[dict[str, Any]]:
        return [make_row(i, salt=1) for i in range(self.singles)]

    def bulk_rows(self) -> list[dict[str, Any]]:
        return [make_row(i, salt=2) for i in range(self.rows)]

    def write_rows(self) -> list[dict[str, Any]]:
        """Rows loaded (untimed) into the write table before update/delete runs."""
        return [make_row(i, salt=3) for i in range(self.singles)]

    def updates(self) -> list[dict[str, Any]]:
        """New (name, level) for the n-th loaded row in update runs."""
        return [{"name": f"renamed {i:07d}", "level": (i * 13) % 100} for i in range(self.singles)]

    def get_ids(self) -> list[int]:
        n = self.rows
        return [(i * 7919) % n + 1 for i in range(self.singles)]

    def offsets(self) -> list[int]:
        # small pages near the start of the result (a list view's first pages): the
        # server's cost of skipping rows stays small next to the per-query cost
        span = max(1, min(self.rows // 2 - PAGE, 500))
        return [(i * 97) % span for i in range(self.singles)]

    def active_count(self) -> int:
        return self.rows // 2  # make_row: active for even i in 1..rows


def split(items: Sequence[Any], parts: int) -> list[Sequence[Any]]:
    """Round-robin ``items`` over ``parts`` workers (no empty parts)."""
    parts = max(1, min(parts, len(items)))
    return [items[k::parts] for k in range(parts)]


async def run_concurrently(items: Sequence[Any], parts: int, worker: Callable[[Sequence[Any]], Awaitable[Any]]) -> None:
    """Run ``worker(chunk)`` for ``parts`` chunks of ``items`` as concurrent tasks."""
    if parts <= 1:
        await worker(items)
        return
    import asyncio

    await asyncio.gather(*(worker(chunk) for chunk in split(items, parts)))


@dataclass
class Measurement:
    seconds: float | None = None  #: best timed run
    rows: int = 0  #: rows processed by one run
    runs: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def rows_per_sec(self) -> float | None:
        if self.seconds is None or not self.seconds:
            return None
        return self.rows / self.seconds

    def to_dict(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "rows": self.rows, "runs": self.runs, "error": self.error}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Measurement":
        return cls(seconds=d.get("seconds"), rows=d.get("rows", 0), runs=d.get("runs", []), error=d.get("error"))


async def measure(side: Any, op: str, plan: Plan) -> Measurement:
    """Best-of-N timing of ``side.run(op)`` (see :func:`measure_many`)."""
    return (await measure_many([side], op, plan))[side.label]


async def measure_many(sides: Sequence[Any], op: str, plan: Plan) -> dict[str, Measurement]:
    """Best-of-N timing of ``side.run(op)`` for several sides, timed runs interleaved.

    ``side.setup(op)`` runs (untimed) before every run; ``side.run(op)`` returns the
    number of rows it inserted/returned/updated/deleted.  Each side warms up first
    (``plan.warmup`` untimed runs); then the timed runs go round-robin (side A, side B, ...,
    side A, ...), so a burst of load from elsewhere on the machine hits every side alike
    and the best-of-N ratios stay comparable.  ``plan.reps`` such rounds; then a side whose
    timed runs add up to less than ``plan.min_time`` seconds gets more, up to ``plan.max_reps``
    runs in all (short runs are the noisiest, and they are cheap).
    """
    results = {side.label: Measurement() for side in sides}
    live = list(sides)

    async def one(side: Any, timed: bool) -> None:
        m = results[side.label]
        try:
            await side.setup(op)
            gc.collect()
            t0 = time.perf_counter()
            rows = await side.run(op)
            elapsed = time.perf_counter() - t0
        except Exception as exc:  # a missing feature must not kill the whole table
            m.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            m.seconds = None
            live.remove(side)
            return
        m.rows = rows
        if timed:
            m.runs.append(elapsed)
            m.seconds = min(m.runs)

    for side in list(live):
        for _ in range(plan.warmup):
            if side in live:
                await one(side, timed=False)
    for _ in range(plan.reps):
        for side in list(live):
            await one(side, timed=True)
    # extra runs, only for the sides whose runs are short (cheap operations, fast sides)
    for _ in range(plan.reps, plan.max_reps):
        short = [s for s in live if sum(results[s.label].runs) < plan.min_time]
        if not short:
            break
        for side in short:
            await one(side, timed=True)
    return results
