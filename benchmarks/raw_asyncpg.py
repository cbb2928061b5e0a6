"""Raw PostgreSQL side: asyncpg, a pool of ``plan.concurrency`` connections, that many tasks.

Single-row statements go through ``pool.fetch/fetchval/execute`` (acquire, run, release --
asyncpg's prepared-statement cache does the rest); a transaction holds one acquired
connection; bulk inserts use ``executemany`` (pipelined).
"""
from __future__ import annotations

from typing import Any

from benchmarks.raw_base import RawSide
from benchmarks.workload import Plan, run_concurrently


def _affected(status: str) -> int:
    return int(status.rsplit(" ", 1)[1])


class AsyncpgSide(RawSide):
    label = "asyncpg"
    dialect = "postgres"

    def __init__(self, plan: Plan, dsn: str) -> None:
        super().__init__(plan)
        self.dsn = dsn
        self.pool: Any = None

    async def open(self) -> None:
        import asyncpg

        size = max(1, self.plan.concurrency)
        self.pool = await asyncpg.create_pool(self.dsn, min_size=size, max_size=size)

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def _reset(self) -> None:
        await self.pool.execute(self.st.reset)

    async def _load_write_rows(self) -> list[int]:
        async with self.pool.acquire() as con:
            await con.executemany(self.st.insert_many, self.write_params)
            return [r[0] for r in await con.fetch(self.st.write_ids)]

    # --- timed operations --------------------------------------------------------------------
    async def op_insert_single(self) -> int:
        fetchval, sql = self.pool.fetchval, self.st.insert

        async def work(chunk):
            for p in chunk:
                await fetchval(sql, *p)

        await run_concurrently(self.insert_params, self.plan.concurrency, work)
        return len(self.insert_params)

    async def op_insert_tx(self) -> int:
        pool, sql = self.pool, self.st.insert

        async def work(chunk):
            async with pool.acquire() as con:
                async with con.transaction():
                    for p in chunk:
                        await con.fetchval(sql, *p)

        await run_concurrently(self.insert_params, self.plan.concurrency, work)
        return len(self.insert_params)

    async def op_bulk_insert(self) -> int:
        pool, sql = self.pool, self.st.insert_many

        async def work(chunk):
            async with pool.acquire() as con:
                await con.executemany(sql, chunk)

        await run_concurrently(self.bulk_params, self.plan.concurrency, work)
        return len(self.bulk_params)

    async def _fetch_all(self, sql: str, params_list: list[tuple]) -> int:
        fetch, counts = self.pool.fetch, []

        async def work(chunk):
            n = 0
            for p in chunk:
                n += len(await fetch(sql, *p))
            counts.append(n)

        await run_concurrently(params_list, self.plan.concurrency, work)
        return sum(counts)

    async def op_filter_large(self) -> int:
        return await self._fetch_all(self.st.filter_large, self.large_params)

    async def op_filter_offset(self) -> int:
        return await self._fetch_all(self.st.filter_offset, self.offset_params)

    async def op_get_pk(self) -> int:
        return await self._fetch_all(self.st.get_pk, self.get_params)

    async def op_values(self) -> int:
        return await self._fetch_all(self.st.filter_large, self.large_params)

    async def op_values_list(self) -> int:
        return await self._fetch_all(self.st.values_list, self.large_params)

    async def _write_each(self, sql: str, params_list: list[tuple]) -> int:
        execute, counts = self.pool.execute, []

        async def work(chunk):
            n = 0
            for p in chunk:
                n += _affected(await execute(sql, *p))
            counts.append(n)

        await run_concurrently(params_list, self.plan.concurrency, work)
        return sum(counts)

    async def op_update_whole(self) -> int:
        return await self._write_each(self.st.update_whole, self.update_whole_params)

    async def op_update_fields(self) -> int:
        return await self._write_each(self.st.update_fields, self.update_fields_params)

    async def op_delete(self) -> int:
        return await self._write_each(self.st.delete, self.delete_params)
