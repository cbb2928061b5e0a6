"""The programmatic ``Command`` API, as seed 004 and frameworks (Unfazed) drive it."""
from __future__ import annotations

import sys
import textwrap

import pytest

from aerich import Command
from aerich.enums import Color
from aerich.exceptions import DowngradeError
from tests.conftest import unique_name
from tortoise import Tortoise
from tortoise.exceptions import ConfigurationError

MODELS = """
from tortoise import fields
from tortoise.models import Model


class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
"""


@pytest.fixture
def config(project, monkeypatch):
    """A Tortoise config whose models live in a module unique to the test."""
    module = unique_name("cmdmodels_")
    (project.path / f"{module}.py").write_text(textwrap.dedent(MODELS))
    monkeypatch.syspath_prepend(str(project.path))
    monkeypatch.chdir(project.path)
    yield {
        "connections": {"default": project.db_url},
        "apps": {"models": {"models": [module, "aerich.models"], "default_connection": "default"}},
    }
    sys.modules.pop(module, None)


async def test_async_with_and_unfazed_string_flags(project, config, other_orm):
    async with Command(config, location="./migrations", app="models") as command:
        assert await command.init_db(safe="True") is True
        [version] = await command.history()
        assert version.startswith("0_") and version.endswith("_init.py")
        assert await command.heads() == []
        empty = await command.migrate("custom", empty=True)
        assert empty.startswith("1_") and empty.endswith("_custom.py")
        assert await command.heads() == [empty]
        assert await command.upgrade(run_in_transaction=True) == [empty]
        assert await command.history() == [version, empty]
        assert await command.migrate("nothing") is None
        assert await command.downgrade(version=-1, delete=False, fake=False) == [empty]
        with pytest.raises(DowngradeError):
            await command.downgrade(version=0, delete=False)
    assert not Tortoise._inited  # the Command opened the ORM, so it closed it
    assert await project.rows("SELECT name FROM author") == []
    assert Color.green == "green"


async def test_prior_tortoise_init_in_the_same_process(project, config, other_orm):
    await Tortoise.init(config=config)
    command = Command(tortoise_config=config, app="models")
    await command.init()
    await command.init_db(safe=True)
    model = Tortoise.get_model("models", "Author")
    await model.create(name="kept")  # the application's ORM still works
    await command.close()
    assert Tortoise._inited
    assert [a.name for a in await model.all()] == ["kept"]
    await Tortoise.close_connections()


async def test_seed_004_programmatic_upgrade(project, config, other_orm):
    """Seed 004: ``Command(tortoise_config=..., app="models")``, ``init()``, ``upgrade(run_in_transaction=True)``."""
    async with Command(tortoise_config=config, app="models") as command:
        await command.migrate()
    command = Command(tortoise_config=config, app="models")
    await command.init()
    applied = await command.upgrade(run_in_transaction=True)
    await command.close()
    assert len(applied) == 1 and applied[0].endswith("_init.py")
    assert await project.rows("SELECT name FROM author") == []


async def test_config_without_aerich_models_is_refused(project, config, other_orm):
    config["apps"]["models"]["models"].remove("aerich.models")
    with pytest.raises(ConfigurationError, match="aerich.models"):
        await Command(config).init()


async def test_inspectdb_with_custom_field_mapping(project, config, other_orm):
    custom = {"VARCHAR(50)": "TextField", "character varying(50)": "TextField"}  # as each catalog spells it
    async with Command(config, inspectdb_fields=custom) as command:
        await command.init_db(safe=True)
        text = await command.inspectdb(["author"])
    assert "    name = fields.TextField()" in text
