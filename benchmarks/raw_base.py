"""What every raw-driver side shares: the data, already turned into driver parameters.

A raw-driver application has its values at hand as driver parameters; the benchmark
prepares them outside the timed region (once, or in the untimed ``setup`` for values that
depend on generated ids), so the raw numbers are the cost of the driver call itself --
the anchor the ORM is measured against.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Sequence

from benchmarks.rawsql import READ_TABLE, ddl, quote, row_params, statements, to_db
from benchmarks.workload import LOADED_OPS, PAGE, RESET_OPS, Plan, run_concurrently

#: what one task does with its chunk of parameter tuples: ``work(sql, chunk) -> count``
ChunkWork = Callable[[str, Sequence[tuple]], Awaitable[int]]
#: what a suite asks a driver to run for one operation: (the ``RawSide`` chunk method,
#: statement, parameters split over the tasks, whether the parameters are batches)
OpWork = tuple[str, str, Sequence[Any], bool]

#: operation -> (what one task does with its chunk, statement in ``Statements``, parameters):
#: the timed operations, the same for every driver
OP_WORK: dict[str, tuple[str, str, str]] = {
    "insert_single": ("_insert_chunk", "insert", "insert_params"),
    "insert_tx": ("_insert_tx_chunk", "insert", "insert_params"),
    "bulk_insert": ("_insert_many_chunk", "insert_many", "bulk_params"),
    "filter_large": ("_fetch_chunk", "filter_large", "large_params"),
    "filter_offset": ("_fetch_chunk", "filter_offset", "offset_params"),
    "get_pk": ("_fetch_chunk", "get_pk", "get_params"),
    "values": ("_fetch_chunk", "filter_large", "large_params"),
    "values_list": ("_fetch_chunk", "values_list", "large_params"),
    "update_whole": ("_write_chunk", "update_whole", "update_whole_params"),
    "update_fields": ("_write_chunk", "update_fields", "update_fields_params"),
    "delete": ("_write_chunk", "delete", "delete_params"),
}


class ClassicWork:
    """The raw side of the default suite: its statements and prepared parameters."""

    def __init__(self, dialect: str, plan: Plan) -> None:
        d = dialect
        self.plan = plan
        self.st = statements(d)
        self.insert_params = [row_params(d, r) for r in plan.insert_rows()]
        self.bulk_params = [row_params(d, r) for r in plan.bulk_rows()]
        self.write_params = [row_params(d, r) for r in plan.write_rows()]
        self.updates = plan.updates()
        self.true = to_db(d, True)
        self.get_params = [(i,) for i in plan.get_ids()]
        self.offset_params = [(self.true, PAGE, o) for o in plan.offsets()]
        self.large_params = [(self.true,)] * plan.large_queries
        # filled by setup() for update/delete runs
        self.update_whole_params: list[tuple] = []
        self.update_fields_params: list[tuple] = []
        self.delete_params: list[tuple] = []

    async def fill(self, side: "RawSide") -> None:
        """Create both tables and load the read fixture (explicit ids 1..rows); untimed, once."""
        d = side.dialect
        for stmt in ddl(d):
            await side._execute(stmt)
        rows = [(i, *row_params(d, r)) for i, r in enumerate(self.plan.fixture_rows(), 1)]
        await side._insert_many_chunk(self.st.insert_fixture, rows)
        await side._execute(f"ANALYZE {quote(d, READ_TABLE)}" if d != "mysql" else f"ANALYZE TABLE {quote(d, READ_TABLE)}")

    async def setup(self, side: "RawSide", op: str) -> None:
        if op in RESET_OPS or op in LOADED_OPS:
            await side._execute(self.st.reset)
        if op in LOADED_OPS:
            await side._insert_many_chunk(self.st.insert_many, self.write_params)
            ids = [r[0] for r in await side._fetch_all(self.st.write_ids)]
            self._prepare_loaded(ids)

    def _prepare_loaded(self, ids: list[int]) -> None:
        whole, fields = [], []
        for row_id, row, upd in zip(ids, self.write_params, self.updates):
            new = list(row)
            new[0] = upd["name"]
            new[2] = upd["level"]
            whole.append((*new, row_id))
            fields.append((upd["level"], row_id))
        self.update_whole_params = whole
        self.update_fields_params = fields
        self.delete_params = [(row_id,) for row_id in ids]

    def work(self, op: str) -> OpWork:
        chunk, sql, params = OP_WORK[op]
        return chunk, getattr(self.st, sql), getattr(self, params), False


class RawSide:
    """One raw driver running one suite's operations (its ``work``: statements and parameters).

    A timed operation is a statement over prepared parameters, split over
    ``plan.concurrency`` tasks (``RawWork.work``).  A driver supplies what one task does
    with its chunk of parameters (the ``_..._chunk`` methods), plus opening, closing and
    two untimed helpers (``_execute``, ``_fetch_all``)."""

    label = "raw"
    dialect = "sqlite"

    def __init__(self, make_work: Callable[[str], Any]) -> None:
        self.work = make_work(self.dialect)
        self.plan = self.work.plan

    async def open(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    # --- untimed preparation ---------------------------------------------------------------
    async def _execute(self, sql: str, params: tuple = ()) -> None:
        raise NotImplementedError

    async def _fetch_all(self, sql: str, params: tuple = ()) -> list:
        raise NotImplementedError

    async def setup(self, op: str) -> None:
        await self.work.setup(self, op)

    async def run(self, op: str) -> int:
        chunk, sql, params, batched = self.work.work(op)
        work = getattr(self, chunk)
        if batched:
            work = _each_batch(work)
        return await self._in_tasks(work, sql, params)

    def describe(self) -> dict[str, Any]:
        return {"label": self.label}

    # --- what one task does with its chunk (driver-specific) ------------------------------------
    async def _insert_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        """Each row alone (autocommit), reading its new id; return the rows inserted."""
        raise NotImplementedError

    async def _insert_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        """The same inserts inside one transaction on one connection."""
        raise NotImplementedError

    async def _insert_many_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        """One ``executemany`` of the chunk."""
        raise NotImplementedError

    async def _fetch_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        """One query per parameter tuple, all rows fetched; return the rows fetched."""
        raise NotImplementedError

    async def _write_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        """One UPDATE/DELETE per parameter tuple; return the rows affected."""
        raise NotImplementedError

    async def _write_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        """The same UPDATEs/DELETEs inside one transaction on one connection."""
        raise NotImplementedError

    async def _in_tasks(self, work: ChunkWork, sql: str, params_list: Sequence[Any]) -> int:
        """``work(sql, chunk)`` on ``plan.concurrency`` concurrent tasks; the sum of their counts."""
        counts: list[int] = []

        async def task(chunk: Sequence[Any]) -> None:
            counts.append(await work(sql, chunk))

        await run_concurrently(params_list, self.plan.concurrency, task)
        return sum(counts)


def _each_batch(work: ChunkWork) -> ChunkWork:
    """``work`` once per batch of a chunk of batches (B: a transaction each, C: an executemany each)."""

    async def batches(sql: str, chunk: Sequence[Sequence[tuple]]) -> int:
        n = 0
        for batch in chunk:
            n += await work(sql, batch)
        return n

    return batches
