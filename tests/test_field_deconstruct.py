"""Fields and database defaults written into migration files: ``deconstruct()``,
``render_value``/``ImportManager`` (Tortoise's ``tortoise.migrations.writer`` names), and
the ``ConnectionWrapper`` of Tortoise's client API."""
from __future__ import annotations

import asyncio
import datetime
import decimal
import enum
import importlib

import pytest

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient, ConnectionWrapper
from tortoise.fields.db_defaults import Now, RandomHex, SqlDefault
from tortoise.migrations.writer import ImportManager, render_value


class Shade(enum.Enum):
    DARK = "d"


def _rebuild(path: str, args: list, kwargs: dict) -> fields.Field:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)(*args, **kwargs)


@pytest.mark.parametrize(
    "field",
    [
        fields.IntField(primary_key=True),
        fields.IntField(db_default=0),
        fields.BooleanField(db_default=False),
        fields.IntField(null=True, db_default=None),
        fields.IntField(default=1, db_default=2, db_index=True, description="d"),
        fields.CharField(max_length=10, unique=True, db_default="x"),
        fields.DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal("1.5")),
        fields.DatetimeField(auto_now=True),
        fields.DatetimeField(db_default=Now()),
        fields.CharEnumField(Shade),
        fields.TextField(source_field="body_text"),
    ],
    ids=repr,
)
def test_deconstructed_fields_rebuild_equal(field) -> None:
    path, args, kwargs = field.deconstruct()
    assert _rebuild(path, args, kwargs).describe() == field.describe()


def test_deconstruct_keeps_only_what_differs_from_the_defaults() -> None:
    assert fields.IntField().deconstruct() == ("tortoise.fields.data.IntField", [], {})
    _, _, kwargs = fields.IntField(null=True, db_default=None).deconstruct()
    assert kwargs == {"null": True, "db_default": None}  # None is a database default, unlike "no db_default"
    now = Now()
    assert fields.DatetimeField(db_default=now).deconstruct()[2]["db_default"] is now
    fk = fields.ForeignKeyField("models.Tournament", related_name="events", on_delete=fields.SET_NULL, null=True)
    assert fk.deconstruct()[2] == {"model_name": "models.Tournament", "related_name": "events", "on_delete": fields.SET_NULL, "null": True}


def test_sql_defaults_deconstruct_to_their_constructor() -> None:
    assert SqlDefault("now()").deconstruct() == ("tortoise.fields.db_defaults.SqlDefault", ["now()"], {})
    assert Now().deconstruct() == ("tortoise.fields.db_defaults.Now", [], {})
    assert RandomHex().deconstruct() == ("tortoise.fields.db_defaults.RandomHex", [], {})


def test_render_value_writes_source_and_collects_its_imports() -> None:
    imports = ImportManager()
    values = [Now(), SqlDefault("gen_random_uuid()"), RandomHex(), fields.IntField(db_default=3), decimal.Decimal("1.50"),
              datetime.date(2020, 1, 2), Shade.DARK, (1,), {"k": [None, True]}]
    text = render_value(values, imports)
    assert text == (
        "[Now(), SqlDefault('gen_random_uuid()'), RandomHex(), IntField(db_default=3), Decimal('1.50'), "
        "datetime.date(2020, 1, 2), Shade.DARK, (1,), {'k': [None, True]}]"
    )
    assert imports.imports["tortoise.fields.db_defaults"] == {"Now", "RandomHex", "SqlDefault"}
    namespace: dict = {}
    exec(str(imports), namespace)  # the file's import lines make the text evaluate back
    rebuilt = eval(text, namespace)
    assert rebuilt[:3] == values[:3] and rebuilt[4:] == values[4:]
    assert rebuilt[3].deconstruct() == values[3].deconstruct()


def test_render_value_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match=r"cannot write .*object.* into a migration file: accepted are"):
        render_value(object(), ImportManager())


class _OneConnectionClient(BaseDBAsyncClient):
    """A client whose connection is an object opened on first use (no database involved)."""

    def __init__(self) -> None:
        super().__init__("wrapped")
        self._connection = None
        self.opened = 0

    async def create_connection(self, with_db: bool) -> None:
        self.opened += 1
        self._connection = object()


async def test_connection_wrapper_opens_once_and_serialises_its_users() -> None:
    client, lock = _OneConnectionClient(), asyncio.Lock()
    inside: list[int] = []
    seen = []

    async def use(n: int) -> None:
        async with ConnectionWrapper(lock, client) as conn:
            inside.append(n)
            assert len(inside) == 1  # nobody else holds the connection
            seen.append(conn)
            await asyncio.sleep(0)
            inside.remove(n)

    await asyncio.gather(*(use(n) for n in range(5)))
    assert client.opened == 1 and len(set(map(id, seen))) == 1 and not lock.locked()
