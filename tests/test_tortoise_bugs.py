"""Regressions found by running Tortoise ORM's own test suite (issue 10, item 3)."""
from __future__ import annotations

from tortoise import connections

from tests.testmodels import Author


async def test_force_update_keeps_an_unset_auto_now_add_column():
    ann = await Author.create(username="ann", password_hash="h")
    created = (await Author.get(pk=ann.pk)).created_at
    replacement = Author(id=ann.pk, username="ann2", password_hash="h2")
    await replacement.save(force_update=True)
    stored = await Author.get(pk=ann.pk)
    assert (stored.username, stored.password_hash) == ("ann2", "h2")
    assert stored.created_at == created


async def test_execute_script_runs_several_statements_on_one_line():
    db = connections.get("default")
    await db.execute_script(
        "CREATE TABLE script_a (id INT PRIMARY KEY); CREATE TABLE script_b (id INT PRIMARY KEY);"
        " INSERT INTO script_a (id) VALUES (1); INSERT INTO script_b (id) VALUES (2);"
    )
    try:
        await db.execute_script("INSERT INTO script_a (id) VALUES (3); UPDATE script_b SET id = 4 WHERE id = 2")
        assert [r["id"] for r in await db.execute_query_dict("SELECT id FROM script_a ORDER BY id")] == [1, 3]
        assert [r["id"] for r in await db.execute_query_dict("SELECT id FROM script_b")] == [4]
    finally:
        await db.execute_script("DROP TABLE script_a; DROP TABLE script_b;")


COMMENT_QUERIES = {
    "mysql": (
        "SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'compat_documented'",
        "SELECT COLUMN_COMMENT AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
        "AND TABLE_NAME = 'compat_documented' AND COLUMN_NAME = 'title'",
    ),
    "postgres": (
        "SELECT obj_description('compat_documented'::regclass, 'pg_class') AS c",
        "SELECT col_description('compat_documented'::regclass, 2) AS c",
    ),
}


async def test_descriptions_become_table_and_column_comments(other_orm):
    await other_orm.init_models("tests.compat_models")
    db = connections.get("default")
    queries = COMMENT_QUERIES.get(db.capabilities.dialect)
    if queries is None:  # SQLite has no comments: the descriptions only must not break DDL
        assert await db.execute_query_dict("SELECT COUNT(*) AS n FROM compat_documented") == [{"n": 0}]
        return
    table_sql, column_sql = queries
    assert (await db.execute_query_dict(table_sql))[0]["c"] == "Books with notes"
    assert (await db.execute_query_dict(column_sql))[0]["c"] == "Shown on the cover"


IGNORE_CONFLICTS_SCRIPT = """
import asyncio, sys
from tortoise import Tortoise

async def main():
    await Tortoise.init(db_url=sys.argv[1], modules={"models": ["tests.testmodels"]}, _create_db=True)
    try:
        await Tortoise.generate_schemas()
        from tests.testmodels import Country
        await Country.bulk_create([Country(code="FR", name="a"), Country(code="FR", name="b")], ignore_conflicts=True)
        print(await Country.all().count())
    finally:
        await Tortoise._drop_databases()

asyncio.run(main())
"""


def test_bulk_create_ignore_conflicts_prints_nothing_to_stderr():
    """An application without logging set up must not get the driver's warnings on stderr."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import fresh_db_url

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", IGNORE_CONFLICTS_SCRIPT, fresh_db_url()],
        capture_output=True, text=True, cwd=root, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    assert done.stderr == ""


async def test_related_query_name_is_usable_in_lookups(other_orm):
    await other_orm.init_models("tests.compat_models")
    from tests.compat_models import Publisher, Title

    acme, zed = await Publisher.create(name="acme"), await Publisher.create(name="zed")
    await Title.create(name="dune", publisher=acme)
    await Title.create(name="emma", publisher=zed)
    assert await Publisher.filter(title__name="dune").values_list("name", flat=True) == ["acme"]
    assert await Publisher.filter(title__name__startswith="e").values_list("name", flat=True) == ["zed"]
    assert await Publisher.filter(titles__name="emma").values_list("name", flat=True) == ["zed"]
    assert [t.name for t in await acme.titles.all()] == ["dune"]  # the manager keeps related_name


async def test_many_to_many_between_uuid_keys(other_orm):
    await other_orm.init_models("tests.compat_models")
    from tests.compat_models import Card, Label

    card = await Card.create()
    red, blue = await Label.create(name="red"), await Label.create(name="blue")
    await card.labels.add(red, blue)
    await card.labels.add(red)  # already there: nothing added twice
    assert sorted(await card.labels.all().values_list("name", flat=True)) == ["blue", "red"]
    assert [c.pk for c in await red.cards.all()] == [card.pk]
    await card.labels.remove(red)
    assert await card.labels.all().values_list("name", flat=True) == ["blue"]
    await card.labels.clear()
    assert await card.labels.all().count() == 0


async def test_many_to_many_to_a_model_keyed_by_a_one_to_one(other_orm):
    await other_orm.init_models("tests.compat_models")
    from tests.compat_models import Badge, Publisher, Wall

    badge = await Badge.create(owner=await Publisher.create(name="acme"))
    wall = await Wall.create()
    await wall.badges.add(badge)
    assert [b.pk for b in await wall.badges.all()] == [badge.pk]
