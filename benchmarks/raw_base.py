"""What every raw-driver side shares: the data, already turned into driver parameters.

A raw-driver application has its values at hand as driver parameters; the benchmark
prepares them outside the timed region (once, or in the untimed ``setup`` for values that
depend on generated ids), so the raw numbers are the cost of the driver call itself --
the anchor the ORM is measured against.
"""
from __future__ import annotations

from typing import Any

from benchmarks.rawsql import row_params, statements, to_db
from benchmarks.workload import LOADED_OPS, PAGE, RESET_OPS, Plan


class RawSide:
    label = "raw"
    dialect = "sqlite"

    def __init__(self, plan: Plan) -> None:
        d = self.dialect
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

    async def open(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    # --- untimed preparation ---------------------------------------------------------------
    async def _reset(self) -> None:
        raise NotImplementedError

    async def _load_write_rows(self) -> list[int]:
        """Fill the (empty) write table with ``write_params``; return the new ids in order."""
        raise NotImplementedError

    async def setup(self, op: str) -> None:
        if op in RESET_OPS:
            await self._reset()
        elif op in LOADED_OPS:
            await self._reset()
            ids = await self._load_write_rows()
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

    async def run(self, op: str) -> int:
        return await getattr(self, "op_" + op)()

    def describe(self) -> dict[str, Any]:
        return {"label": self.label}
