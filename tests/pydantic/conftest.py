"""The pydantic tests run on their own models (tests/pydantic/models.py), on a fresh database
of the kind under test, set up once for the whole directory: the main ORM is suspended
meanwhile and restored afterwards."""
from __future__ import annotations

import pytest

from tests.conftest import OtherORM
from tests.pydantic import models
from tortoise import Tortoise


@pytest.fixture(scope="package")
async def pydantic_orm(orm):
    await Tortoise.close_connections()
    other = OtherORM()
    try:
        await other.init_models("tests.pydantic.models")
        yield
    finally:
        await other.undo()


@pytest.fixture
async def _clean_db(pydantic_orm):
    """Replaces the main harness's fixture: empty the pydantic models' tables instead."""
    for model in models.DELETE_ORDER:
        await model.all().delete()
