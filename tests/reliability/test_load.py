"""1,000 concurrent tasks on a pool of 10: mixed reads, writes, transactions and
savepoints for a bounded time; no deadlock, no leaked connection, no lost or doubled write."""
from __future__ import annotations

import asyncio
import collections
import time

from tests.reliability.conftest import assert_pool_whole, client_on_fresh_db, insert_sql, pooled_only

pytestmark = pooled_only


class Rollback(Exception):
    pass


async def test_thousand_tasks_on_a_pool_of_ten():
    db = await client_on_fresh_db(maxsize=10)
    insert, ph = insert_sql(db), db.dialect.placeholder
    expected: collections.Counter = collections.Counter()
    done = 0
    deadline = time.monotonic() + 4

    async def task(t: int) -> None:
        nonlocal done
        n = 0
        while time.monotonic() < deadline:
            n += 1
            kind = (t + n) % 4
            if kind == 0:
                await db.execute_insert(insert, (f"{t}-{n}",))
                expected[f"{t}-{n}"] += 1
            elif kind == 1:
                rows = await db.fetch_rows(f"SELECT COUNT(*) FROM item WHERE name = {ph(0)}", (f"{t}-{n - 1}",))
                assert rows[0][0] == expected[f"{t}-{n - 1}"]
            elif kind == 2:
                async with db._in_transaction() as tx:
                    await tx.execute_insert(insert, (f"{t}-{n}-a",))
                    try:
                        async with tx._in_transaction() as sp:
                            await sp.execute_insert(insert, (f"{t}-{n}-gone",))
                            raise Rollback
                    except Rollback:
                        pass
                    await tx.execute_insert(insert, (f"{t}-{n}-b",))
                expected.update([f"{t}-{n}-a", f"{t}-{n}-b"])
            else:
                async with db._in_transaction() as tx:
                    changed = await tx.execute_write(
                        f"UPDATE item SET name = {ph(0)} WHERE name = {ph(1)}", (f"{t}-{n}-x", f"{t}-{n - 3}")
                    )
                if changed:
                    expected[f"{t}-{n - 3}"] -= 1
                    expected[f"{t}-{n}-x"] += 1
        done += 1

    try:
        await asyncio.wait_for(asyncio.gather(*(task(t) for t in range(1000))), 60)
        assert done == 1000
        stored = collections.Counter(row[0] for row in await db.fetch_rows("SELECT name FROM item"))
        assert stored == +expected
        await assert_pool_whole(db)
    finally:
        await db.db_delete()
