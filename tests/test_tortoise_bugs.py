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
