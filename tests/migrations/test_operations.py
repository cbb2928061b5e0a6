"""Each kind of schema change, applied forward and backward on a table holding rows.

Every test starts from models v1 (``init-db``), inserts rows, migrates to v2 through the
``aerich`` script, checks the rows and the schema, then downgrades and checks again.
"""
from __future__ import annotations

import pytest

from tests.conftest import TEST_DB
from tortoise.sql.introspection import describe_table


async def start(project, models: str, *rows: str) -> None:
    project.models(models)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    for sql in rows:
        await project.execute(sql)


def step(project, models: str, *options: str) -> str:
    project.models(models)
    out = project.aerich("migrate", "--name", "step", *options).stdout
    assert "Success creating migration file" in out, out
    project.aerich("upgrade")
    return out


def back(project) -> None:
    assert "Success downgrading" in project.aerich("downgrade", "--yes").stdout


async def table(project, name: str) -> dict:
    return await describe_table(await project.connect(), name)


async def columns(project, name: str) -> dict:
    return {c["name"]: c for c in (await table(project, name))["columns"]}


async def values(project, sql: str) -> list:
    return [tuple(r.values()) for r in await project.rows(sql)]


ITEM = """
class Item(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
{extra}
"""


def item(extra: str = "") -> str:
    return ITEM.format(extra=extra)


async def test_add_and_drop_column(project):
    await start(project, item(), "INSERT INTO item (name) VALUES ('a')", "INSERT INTO item (name) VALUES ('b')")
    step(project, item("    size = fields.IntField(default=3)\n    note = fields.TextField(null=True)"))
    assert await values(project, "SELECT name, size, note FROM item ORDER BY id") == [("a", 3, None), ("b", 3, None)]
    back(project)
    assert set(await columns(project, "item")) == {"id", "name"}
    assert await values(project, "SELECT id, name FROM item ORDER BY id") == [(1, "a"), (2, "b")]


async def test_rename_column_keeps_values(project):
    await start(project, item(), "INSERT INTO item (name) VALUES ('a')")
    renamed = ITEM.replace("name = ", "title = ").format(extra="")
    project.models(renamed)
    refused = project.aerich("migrate", "--name", "step", ok=False)
    assert refused.returncode != 0 and "--rename Item.name:title" in refused.stderr
    assert len(project.migrations()) == 1  # nothing written
    step(project, renamed, "--rename", "Item.name:title")
    assert await values(project, "SELECT title FROM item") == [("a",)]
    back(project)
    assert await values(project, "SELECT name FROM item") == [("a",)]


async def test_type_change(project):
    await start(project, item("    qty = fields.IntField()"), "INSERT INTO item (name, qty) VALUES ('abc', 7)")
    step(project, ITEM.replace("max_length=50", "max_length=200").format(extra="    qty = fields.BigIntField()"))
    cols = await columns(project, "item")
    assert "200" in cols["name"]["type"] and "big" in cols["qty"]["type"]
    assert await values(project, "SELECT name, qty FROM item") == [("abc", 7)]
    back(project)
    cols = await columns(project, "item")
    assert "50" in cols["name"]["type"] and "big" not in cols["qty"]["type"]
    assert await values(project, "SELECT name, qty FROM item") == [("abc", 7)]


async def test_null_to_not_null_with_default(project):
    await start(project, item("    note = fields.CharField(max_length=20, null=True)"),
                "INSERT INTO item (name, note) VALUES ('a', NULL)", "INSERT INTO item (name, note) VALUES ('b', 'kept')")
    step(project, item("    note = fields.CharField(max_length=20, default='none')"))
    assert not (await columns(project, "item"))["note"]["null"]
    assert await values(project, "SELECT note FROM item ORDER BY id") == [("none",), ("kept",)]
    back(project)
    assert (await columns(project, "item"))["note"]["null"]
    await project.execute("INSERT INTO item (name, note) VALUES ('c', NULL)")
    assert await values(project, "SELECT note FROM item ORDER BY id") == [("none",), ("kept",), (None,)]


async def test_unique_and_index(project):
    await start(project, item("    code = fields.CharField(max_length=10)"), "INSERT INTO item (name, code) VALUES ('a', 'x1')")
    step(project, ITEM.replace("max_length=50)", "max_length=50, db_index=True)").format(extra="    code = fields.CharField(max_length=10, unique=True)"))
    info = await table(project, "item")
    assert {c["name"] for c in info["columns"] if c["unique"]} == {"code"}
    assert ["name"] in [i["columns"] for i in info["indexes"] if not i["unique"]]
    with pytest.raises(Exception):
        await project.execute("INSERT INTO item (name, code) VALUES ('b', 'x1')")
    back(project)
    info = await table(project, "item")
    assert not any(c["unique"] for c in info["columns"]) and ["name"] not in [i["columns"] for i in info["indexes"]]
    await project.execute("INSERT INTO item (name, code) VALUES ('b', 'x1')")
    assert await values(project, "SELECT code FROM item ORDER BY id") == [("x1",), ("x1",)]


OWNED = """
class Owner(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)


class Item(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
{extra}
"""


async def test_foreign_key_add_drop_and_on_delete_change(project):
    await start(project, OWNED.format(extra=""), "INSERT INTO owner (name) VALUES ('o')", "INSERT INTO item (name) VALUES ('a')")
    step(project, OWNED.format(extra='    owner = fields.ForeignKeyField("models.Owner", null=True, on_delete=fields.CASCADE)'))
    assert [fk["on_delete"] for fk in (await table(project, "item"))["fks"]] == ["CASCADE"]
    await project.execute("UPDATE item SET owner_id = 1")
    step(project, OWNED.format(extra='    owner = fields.ForeignKeyField("models.Owner", null=True, on_delete=fields.SET_NULL)'))
    assert [fk["on_delete"] for fk in (await table(project, "item"))["fks"]] == ["SET NULL"]
    assert await values(project, "SELECT name, owner_id FROM item") == [("a", 1)]
    back(project)  # SET NULL -> CASCADE
    assert [fk["on_delete"] for fk in (await table(project, "item"))["fks"]] == ["CASCADE"]
    assert await values(project, "SELECT name, owner_id FROM item") == [("a", 1)]
    back(project)  # the FK column is gone, the rows stay
    assert (await table(project, "item"))["fks"] == []
    assert await values(project, "SELECT id, name FROM item") == [(1, "a")]


async def test_on_delete_change_takes_effect(project):
    await start(project, OWNED.format(extra='    owner = fields.ForeignKeyField("models.Owner", null=True)'),
                "INSERT INTO owner (name) VALUES ('o')", "INSERT INTO item (name, owner_id) VALUES ('a', 1)")
    step(project, OWNED.format(extra='    owner = fields.ForeignKeyField("models.Owner", null=True, on_delete=fields.SET_NULL)'))
    await project.execute("DELETE FROM owner")
    assert await values(project, "SELECT name, owner_id FROM item") == [("a", None)]


TAGGED = """
class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=20)


class Item(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
{extra}
"""


async def test_many_to_many_add_and_drop(project):
    await start(project, TAGGED.format(extra=""), "INSERT INTO tag (name) VALUES ('t')", "INSERT INTO item (name) VALUES ('a')")
    step(project, TAGGED.format(extra='    tags = fields.ManyToManyField("models.Tag", related_name="items")'))
    await project.execute("INSERT INTO item_tag (item_id, tag_id) VALUES (1, 1)")
    info = await table(project, "item_tag")
    assert {fk["to_table"] for fk in info["fks"]} == {"item", "tag"}
    assert [["item_id", "tag_id"]] == [i["columns"] for i in info["indexes"] if i["unique"]]
    with pytest.raises(Exception):
        await project.execute("INSERT INTO item_tag (item_id, tag_id) VALUES (1, 1)")
    back(project)
    assert "item_tag" not in [t for t in await _tables(project)]
    assert await values(project, "SELECT name FROM item") == [("a",)]


async def _tables(project) -> list[str]:
    from tortoise.sql.introspection import list_tables

    return await list_tables(await project.connect())


async def test_table_rename(project):
    await start(project, OWNED.format(extra='    owner = fields.ForeignKeyField("models.Owner", related_name="items")'),
                "INSERT INTO owner (name) VALUES ('o')", "INSERT INTO item (name, owner_id) VALUES ('a', 1)")
    step(project, OWNED.format(extra='    owner = fields.ForeignKeyField("models.Owner", related_name="items")\n\n    class Meta:\n        table = "goods"'))
    tables = await _tables(project)
    assert "goods" in tables and "item" not in tables
    assert await values(project, "SELECT name, owner_id FROM goods") == [("a", 1)]
    assert [fk["to_table"] for fk in (await table(project, "goods"))["fks"]] == ["owner"]
    back(project)
    assert await values(project, "SELECT name, owner_id FROM item") == [("a", 1)]


async def test_unique_together_change(project):
    base = item("    code = fields.CharField(max_length=10)\n    kind = fields.CharField(max_length=10)")
    await start(project, base, "INSERT INTO item (name, code, kind) VALUES ('a', 'c', 'k')")
    step(project, base + "\n    class Meta:\n        unique_together = (('code', 'kind'),)\n")
    with pytest.raises(Exception):
        await project.execute("INSERT INTO item (name, code, kind) VALUES ('b', 'c', 'k')")
    back(project)
    await project.execute("INSERT INTO item (name, code, kind) VALUES ('b', 'c', 'k')")
    assert await values(project, "SELECT name FROM item ORDER BY id") == [("a",), ("b",)]


DATA_MIGRATION = '''from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    rows = await db.execute_query_dict("SELECT id, name FROM item")
    for row in rows:
        await db.execute_query("UPDATE item SET name = {ph} WHERE id = {ph2}", [row["name"].upper(), row["id"]])
    return "UPDATE item SET name = CONCAT(name, '!') WHERE id = 1" if {mysql} else "UPDATE item SET name = name || '!' WHERE id = 1"


async def downgrade(db: BaseDBAsyncClient) -> str:
    await db.execute_query("UPDATE item SET name = LOWER(name)")
    return "UPDATE item SET name = REPLACE(name, '!', '')"


MODELS_STATE = {state}
'''


async def test_data_migration(project):
    await start(project, item(), "INSERT INTO item (name) VALUES ('a')", "INSERT INTO item (name) VALUES ('b')")
    out = project.aerich("migrate", "--name", "data", "--empty").stdout
    [name] = [m for m in project.migrations() if m.endswith("_data.py")]
    assert name in out
    path = project.path / "migrations" / "models" / name
    state = path.read_text().split("MODELS_STATE = ", 1)[1].strip()
    ph = {"sqlite": ("?", "?"), "postgres": ("$1", "$2"), "psycopg": ("$1", "$2"), "mysql": ("%s", "%s")}[TEST_DB]
    path.write_text(DATA_MIGRATION.format(ph=ph[0], ph2=ph[1], mysql=TEST_DB == "mysql", state=state))
    project.aerich("upgrade")
    assert await values(project, "SELECT name FROM item ORDER BY id") == [("A!",), ("B",)]
    back(project)
    assert await values(project, "SELECT name FROM item ORDER BY id") == [("a",), ("b",)]
    assert project.aerich("migrate").stdout.strip() == "No changes detected"


async def test_failed_migration_is_rolled_back(project):
    await start(project, item(), "INSERT INTO item (name) VALUES ('a')")
    project.aerich("migrate", "--name", "bad", "--empty")
    [name] = [m for m in project.migrations() if m.endswith("_bad.py")]
    path = project.path / "migrations" / "models" / name
    text = path.read_text().replace('return """\n        """', 'return """\n        UPDATE item SET name = \'changed\';\nTHIS IS NOT SQL;"""', 1)
    path.write_text(text)
    result = project.aerich("upgrade", ok=False)
    assert result.returncode == 1 and result.stderr.startswith(f"Error: {name}: statement 2 of 2 failed")
    assert project.aerich("heads").stdout.split() == [name]
    if TEST_DB != "mysql":
        assert await values(project, "SELECT name FROM item") == [("a",)]
        return
    # MySQL commits as it goes: statement 1 stays applied and is not run again on resume
    assert "resume at statement 2" in result.stderr
    assert await values(project, "SELECT name FROM item") == [("changed",)]
    await project.execute("UPDATE item SET name = 'by hand'")
    path.write_text(text.replace("THIS IS NOT SQL", "UPDATE item SET name = CONCAT(name, '+')"))
    out = project.aerich("upgrade").stdout
    assert f"Resuming {name} after statement 1 of 2" in out and f"Success upgrading to {name}" in out
    assert await values(project, "SELECT name FROM item") == [("by hand+",)]
    assert [r["version"] for r in await project.rows("SELECT version FROM aerich ORDER BY id")] == project.migrations()


async def test_model_class_rename(project):
    """Same table: nothing to ask.  A new table name too: a rename only when told."""
    await start(project, item(), "INSERT INTO item (name) VALUES ('a')")
    project.models(ITEM.replace("class Item", "class Thing").format(extra='\n    class Meta:\n        table = "item"'))
    assert project.aerich("migrate", "--name", "same").stdout.strip() == "No changes detected"
    project.models(ITEM.replace("class Item", "class Product").format(extra=""))
    refused = project.aerich("migrate", "--name", "step", ok=False)
    assert "possible model rename(s): Item -> Product" in refused.stderr and "--rename Item:Product" in refused.stderr
    step(project, ITEM.replace("class Item", "class Product").format(extra=""), "--rename", "Item:Product")
    assert await values(project, "SELECT id, name FROM product") == [(1, "a")]
    back(project)
    assert await values(project, "SELECT id, name FROM item") == [(1, "a")]
