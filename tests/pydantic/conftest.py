"""The pydantic tests run on their own models (tests/pydantic/models.py) and seed 004's, on a fresh database
of the kind under test, set up once for the whole directory: the main ORM is suspended
meanwhile and restored afterwards."""
from __future__ import annotations

import pytest

from tests.conftest import OtherORM
from tests.pydantic import models
from tests.seed_models import seed04
from tortoise import Tortoise


@pytest.fixture(scope="package")
async def pydantic_orm(orm):
    await Tortoise.close_connections()
    other = OtherORM()
    try:
        await other.init_models("tests.pydantic.models", "tests.seed_models.seed04")
        yield
    finally:
        await other.undo()


@pytest.fixture
async def _clean_db(pydantic_orm):
    """Replaces the main harness's fixture: empty the pydantic models' tables instead."""
    for model in models.DELETE_ORDER:
        await model.all().delete()
    for model in (seed04.OrderLine, seed04.Order, seed04.Product, seed04.Tag, seed04.Category, seed04.User):
        await model.all().delete()


class QueryCounter:
    """Counts the statements the default connection runs (its ``_run`` funnel is wrapped)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tortoise.connection import connections

        self.count = 0
        client = connections.get("default")
        run = client._run

        async def counting_run(job, *args):
            self.count += 1
            return await run(job, *args)

        monkeypatch.setattr(client, "_run", counting_run)

    def reset(self) -> None:
        self.count = 0


@pytest.fixture
def queries(monkeypatch):
    return QueryCounter(monkeypatch)
