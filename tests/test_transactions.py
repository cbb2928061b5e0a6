"""SPEC §7: in_transaction, atomic, savepoints, and the seeds' transaction styles."""
from __future__ import annotations

import asyncio

import pytest

from tortoise.transactions import atomic, in_transaction

from tests.testmodels import Item


async def names() -> list[str]:
    return sorted(await Item.all().values_list("name", flat=True))


class Boom(Exception):
    pass


async def test_in_transaction_commits():
    async with in_transaction() as conn:
        await Item.create(name="a")
        await Item.create(name="b", using_db=conn)
        assert await Item.all().count() == 2  # visible inside the transaction
    assert await names() == ["a", "b"]


async def test_in_transaction_with_connection_name():
    async with in_transaction("default"):
        await Item.create(name="a")
    assert await names() == ["a"]


async def test_exception_rolls_back_and_propagates():
    await Item.create(name="before")
    with pytest.raises(Boom):
        async with in_transaction():
            await Item.create(name="a")
            await Item.filter(name="before").update(qty=99)
            raise Boom()
    assert await names() == ["before"]
    assert (await Item.get(name="before")).qty == 0
    # the connection is clean afterwards
    await Item.create(name="after")
    assert await names() == ["after", "before"]


async def test_nested_transaction_is_a_savepoint():
    async with in_transaction():
        await Item.create(name="outer1")
        with pytest.raises(Boom):
            async with in_transaction():
                await Item.create(name="inner")
                raise Boom()
        await Item.create(name="outer2")
    assert await names() == ["outer1", "outer2"]


async def test_successful_inner_block_is_undone_by_outer_failure():
    with pytest.raises(Boom):
        async with in_transaction():
            await Item.create(name="outer")
            async with in_transaction():
                await Item.create(name="inner")
            raise Boom()
    assert await names() == []


async def test_two_levels_of_savepoints():
    async with in_transaction():
        await Item.create(name="l1")
        async with in_transaction():
            await Item.create(name="l2")
            with pytest.raises(Boom):
                async with in_transaction():
                    await Item.create(name="l3")
                    raise Boom()
            await Item.create(name="l2b")
    assert await names() == ["l1", "l2", "l2b"]


async def test_atomic_decorator():
    @atomic()
    async def create_two(fail: bool) -> str:
        await Item.create(name="x")
        await Item.create(name="y")
        if fail:
            raise Boom()
        return "done"

    with pytest.raises(Boom):
        await create_two(True)
    assert await names() == []
    assert await create_two(False) == "done"
    assert await names() == ["x", "y"]


async def test_atomic_decorator_with_connection_name():
    @atomic("default")
    async def create(name: str) -> None:
        await Item.create(name=name)
        if name == "bad":
            raise Boom()

    await create("good")
    with pytest.raises(Boom):
        await create("bad")
    assert await names() == ["good"]


async def test_in_transaction_as_decorator_seed_002_style():
    @in_transaction()
    async def transfer(fail: bool) -> None:
        await Item.filter(name="from").update(qty=0)
        await Item.filter(name="to").update(qty=10)
        if fail:
            raise ValueError("Insufficient balance")

    await Item.create(name="from", qty=10)
    await Item.create(name="to", qty=0)
    with pytest.raises(ValueError):
        await transfer(True)
    assert dict(await Item.all().values_list("name", "qty")) == {"from": 10, "to": 0}
    await transfer(False)
    assert dict(await Item.all().values_list("name", "qty")) == {"from": 0, "to": 10}


async def test_explicit_commit_inside_block_seed_003_style():
    async with in_transaction() as conn:
        await Item.create(name="a")
        await Item.create(name="b")
        await conn.commit()
    assert await names() == ["a", "b"]


async def test_exception_before_explicit_commit_rolls_back_seed_003_style():
    with pytest.raises(ValueError):
        async with in_transaction() as conn:
            user1 = await Item.create(name="user1")
            await Item.create(name="user2")
            if user1.name == "user1":
                raise ValueError("Something went wrong, rolling back transaction")
            await conn.commit()
    assert await names() == []


async def test_explicit_rollback_inside_block():
    async with in_transaction() as conn:
        await Item.create(name="discarded")
        await conn.rollback()
    assert await names() == []
    await Item.create(name="after")
    assert await names() == ["after"]


async def test_in_transaction_with_outer_connection_object_seed_001_style():
    async with in_transaction() as connection:
        await Item.create(name="outer")
        async with in_transaction(connection):
            await Item.create(name="inner")
    assert await names() == ["inner", "outer"]

    await Item.all().delete()
    async with in_transaction() as connection:
        await Item.create(name="outer")
        with pytest.raises(Boom):
            async with in_transaction(connection):
                await Item.create(name="inner")
                raise Boom()
    assert await names() == ["outer"]


async def test_cancelled_task_rolls_back_its_transaction():
    started = asyncio.Event()

    async def worker():
        async with in_transaction():
            await Item.create(name="half-written")
            started.set()
            await asyncio.sleep(3600)

    task = asyncio.create_task(worker())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await names() == []
    await Item.create(name="after")
    assert await names() == ["after"]


async def test_sequential_transactions_in_concurrent_tasks():
    async def worker(i: int) -> None:
        async with in_transaction():
            await Item.create(name=f"w{i}")
            await asyncio.sleep(0)
            await Item.filter(name=f"w{i}").update(qty=i)

    await asyncio.gather(*(worker(i) for i in range(5)))
    assert dict(await Item.all().values_list("name", "qty")) == {f"w{i}": i for i in range(5)}
