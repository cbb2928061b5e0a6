"""Raw MySQL/MariaDB side: asyncmy, a pool of ``plan.concurrency`` connections, that many tasks.

Each statement acquires a pooled connection, runs on a cursor and releases it (what an
application using the pool directly writes); connections are in autocommit mode, a
transaction is BEGIN ... COMMIT on one acquired connection; bulk inserts use
``executemany`` (asyncmy rewrites it into multi-row INSERTs).
"""
from __future__ import annotations

from typing import Any

from benchmarks.raw_base import RawSide
from benchmarks.workload import Plan, run_concurrently


class AsyncmySide(RawSide):
    label = "asyncmy"
    dialect = "mysql"

    def __init__(self, plan: Plan, conn_kwargs: dict[str, Any]) -> None:
        super().__init__(plan)
        self.conn_kwargs = conn_kwargs
        self.pool: Any = None

    async def open(self) -> None:
        import asyncmy

        size = max(1, self.plan.concurrency)
        self.pool = await asyncmy.create_pool(
            minsize=size, maxsize=size, autocommit=True, charset="utf8mb4", **self.conn_kwargs
        )

    async def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            await self.pool.wait_closed()

    async def _reset(self) -> None:
        async with self.pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.execute(self.st.reset)

    async def _load_write_rows(self) -> list[int]:
        async with self.pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.executemany(self.st.insert_many, self.write_params)
                await cur.execute(self.st.write_ids)
                return [r[0] for r in await cur.fetchall()]

    # --- timed operations --------------------------------------------------------------------
    async def op_insert_single(self) -> int:
        pool, sql = self.pool, self.st.insert

        async def work(chunk):
            for p in chunk:
                async with pool.acquire() as conn:
                    async with conn.cursor() as cur:
                        await cur.execute(sql, p)
                        cur.lastrowid

        await run_concurrently(self.insert_params, self.plan.concurrency, work)
        return len(self.insert_params)

    async def op_insert_tx(self) -> int:
        pool, sql = self.pool, self.st.insert

        async def work(chunk):
            async with pool.acquire() as conn:
                await conn.begin()
                try:
                    async with conn.cursor() as cur:
                        for p in chunk:
                            await cur.execute(sql, p)
                            cur.lastrowid
                except BaseException:
                    await conn.rollback()
                    raise
                await conn.commit()

        await run_concurrently(self.insert_params, self.plan.concurrency, work)
        return len(self.insert_params)

    async def op_bulk_insert(self) -> int:
        pool, sql = self.pool, self.st.insert_many

        async def work(chunk):
            async with pool.acquire() as conn:
                async with conn.cursor() as cur:
                    await cur.executemany(sql, chunk)

        await run_concurrently(self.bulk_params, self.plan.concurrency, work)
        return len(self.bulk_params)

    async def _fetch_all(self, sql: str, params_list: list[tuple]) -> int:
        pool, counts = self.pool, []

        async def work(chunk):
            n = 0
            for p in chunk:
                async with pool.acquire() as conn:
                    async with conn.cursor() as cur:
                        await cur.execute(sql, p)
                        n += len(await cur.fetchall())
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
        pool, counts = self.pool, []

        async def work(chunk):
            n = 0
            for p in chunk:
                async with pool.acquire() as conn:
                    async with conn.cursor() as cur:
                        await cur.execute(sql, p)
                        n += 1  # MySQL reports *changed* rows; count statements
            counts.append(n)

        await run_concurrently(params_list, self.plan.concurrency, work)
        return sum(counts)

    async def op_update_whole(self) -> int:
        return await self._write_each(self.st.update_whole, self.update_whole_params)

    async def op_update_fields(self) -> int:
        return await self._write_each(self.st.update_fields, self.update_fields_params)

    async def op_delete(self) -> int:
        return await self._write_each(self.st.delete, self.delete_params)
