"""ORM operations through the fault proxy: multi-row writes are all or nothing when the
connection drops mid-way, and a load of tasks rides out a simulated server restart with
every committed row present exactly once."""
from __future__ import annotations

import asyncio
import collections
import time

import pytest

from tests.reliability.conftest import pooled_only, proxied_url
from tests.reliability.models import Entry, Post, Tag
from tortoise.exceptions import DBConnectionError, TransactionManagementError
from tortoise.transactions import in_transaction

pytestmark = pooled_only
CONNECTION_FAULTS = (DBConnectionError, TransactionManagementError)


@pytest.fixture
async def proxy_orm(proxy, other_orm):
    """The ORM with tests/reliability/models.py on a fresh database behind the proxy."""
    await other_orm.init_models("tests.reliability.models", db_url=proxied_url(proxy, reconnect_timeout=5))
    yield proxy
    proxy.heal()


async def keys() -> list[str]:
    return sorted(await Entry.all().values_list("key", flat=True))


async def test_bulk_create_in_batches_is_all_or_nothing(proxy_orm):
    entries = [Entry(key=f"bc-{i:03d}") for i in range(200)]
    proxy_orm.drop_when(b"bc-150")
    with pytest.raises(CONNECTION_FAULTS):
        await Entry.bulk_create(entries, batch_size=20)
    assert await Entry.all().count() == 0
    await Entry.bulk_create([Entry(key=f"bc-{i:03d}") for i in range(200)], batch_size=20)
    assert await keys() == [f"bc-{i:03d}" for i in range(200)]


async def test_single_statement_bulk_create_whose_answer_was_lost(proxy_orm):
    proxy_orm.drop_when(b"one-7", after=True)
    with pytest.raises(DBConnectionError):
        await Entry.bulk_create([Entry(key=f"one-{i}") for i in range(10)])
    assert await keys() == sorted(f"one-{i}" for i in range(10))  # applied once, not repeated


async def test_bulk_update_in_batches_is_all_or_nothing(proxy_orm):
    await Entry.bulk_create([Entry(key=f"old-{i:03d}") for i in range(100)])
    entries = await Entry.all().order_by("id")
    for i, entry in enumerate(entries):
        entry.key, entry.value = f"new-{i:03d}", 1
    proxy_orm.drop_when(b"new-055")
    with pytest.raises(CONNECTION_FAULTS):
        await Entry.bulk_update(entries, fields=["key", "value"], batch_size=10)
    assert await keys() == [f"old-{i:03d}" for i in range(100)]
    assert await Entry.filter(value=1).count() == 0
    await Entry.bulk_update(entries, fields=["key", "value"], batch_size=10)
    assert await Entry.filter(value=1).count() == 100


async def test_m2m_set_is_all_or_nothing(proxy_orm):
    tags = [await Tag.create(name=f"t{i}") for i in range(5)]
    post = await Post.create(title="p")
    await post.tags.add(tags[0], tags[1])
    proxy_orm.drop_when(b"post_tag_link", after=True)  # the clearing DELETE ran, then the link died
    with pytest.raises(CONNECTION_FAULTS):
        await post.tags.set(tags[2:])
    assert sorted(t.name for t in await post.tags.all()) == ["t0", "t1"]
    await post.tags.set(tags[2:])
    assert sorted(t.name for t in await post.tags.all()) == ["t2", "t3", "t4"]


async def test_load_rides_out_a_server_restart(proxy_orm):
    """50 tasks write for ~2 s; at 0.5 s every connection is cut and new ones are refused
    for 0.7 s (a restart as the client sees it)."""
    proxy = proxy_orm
    committed: collections.Counter = collections.Counter()
    maybe: set[str] = set()
    failures: collections.Counter = collections.Counter()
    deadline = time.monotonic() + 2.0

    async def worker(t: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            batch = [f"w{t}-{n}"] if n % 3 else [f"w{t}-{n}a", f"w{t}-{n}b"]
            try:
                if len(batch) == 1:
                    await Entry.create(key=batch[0])
                else:
                    async with in_transaction():
                        for key in batch:
                            await Entry.create(key=key)
                committed.update(batch)
            except CONNECTION_FAULTS as exc:
                failures[type(exc).__name__] += 1
                assert "127.0.0.1" in str(exc)
                maybe.update(batch)
            await asyncio.sleep(0.01)

    async def restart() -> None:
        await asyncio.sleep(0.5)
        proxy.drop_all()
        proxy.refusing = True
        await asyncio.sleep(0.7)
        proxy.heal()

    await asyncio.wait_for(asyncio.gather(restart(), *(worker(t) for t in range(50))), 25)
    stored = collections.Counter(await Entry.all().values_list("key", flat=True))
    assert all(count == 1 for count in stored.values()), "a row was written twice"
    assert set(committed) <= set(stored), "a committed row was lost"
    assert set(stored) <= set(committed) | maybe
    for key in maybe:  # a multi-row transaction is never half there
        if key.endswith("a"):
            assert (key in stored) == (key[:-1] + "b" in stored)
    # only statements that were in flight when the connections were cut may fail
    assert sum(failures.values()) <= 50, failures
    started = time.monotonic()
    await Entry.create(key="after")
    assert time.monotonic() - started < 2
