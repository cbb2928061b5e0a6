"""The autodetector and schema editor on states, without running SQL.

The states come from the suite's models (``tests.testmodels``, every field kind), so a
state built twice, or encoded into a migration file and read back, must diff to nothing.
"""
from __future__ import annotations

import copy

import pytest

from tortoise import Tortoise
from tortoise.migrations import changes as ops
from tortoise.migrations.autodetector import RenameRequired, diff
from tortoise.migrations.state import DIALECTS, decode, encode, state_from_models
from tortoise.sql.schema_editor import editor_for


@pytest.fixture
def state(orm):
    return state_from_models(list(Tortoise.apps["models"].values()))


def kinds(operations):
    return [(op.kind, op.key) for op in operations]


def test_same_models_diff_to_nothing(state):
    assert diff(state, state_from_models(list(Tortoise.apps["models"].values()))) == ([], [])
    assert diff(state, decode(encode(state))) == ([], [])


def test_initial_state_creates_referenced_tables_first(state):
    empty = {"format": state["format"], "tables": {}}
    forward, _ = diff(empty, state)
    order = [op.key for op in forward]
    assert all(isinstance(op, ops.CreateTable) for op in forward)
    assert order.index("Author") < order.index("Article")
    for key in order:
        for fk in state["tables"][key]["fks"]:
            target = next(k for k, t in state["tables"].items() if t["table"] == fk["to_table"])
            assert order.index(target) <= order.index(key)


def test_on_delete_change_is_drop_and_add_of_the_foreign_key(state):
    new = copy.deepcopy(state)
    new["tables"]["Article"]["fks"][0]["on_delete"] = "SET NULL"
    forward, backward = diff(state, new)
    assert kinds(forward) == [("DropForeignKey", "Article"), ("AddForeignKey", "Article")]
    assert kinds(backward) == kinds(forward)


def test_removed_and_added_column_need_a_decision(state):
    new = copy.deepcopy(state)
    column = next(c for c in new["tables"]["Author"]["columns"] if c["name"] == "email")
    column.update(name="full_name", field="full_name")
    with pytest.raises(RenameRequired) as info:
        diff(state, new)
    assert "Author.email -> Author.full_name" in str(info.value) and "--rename Author.email:full_name" in str(info.value)
    forward, backward = diff(state, new, renames={"Author.email": "full_name"})
    assert [op for op in forward if op.kind in ("RenameColumn", "DropColumn", "AddColumn")] == [ops.RenameColumn("Author", "email", "full_name")]
    assert ops.RenameColumn("Author", "full_name", "email") in backward
    dropped, _ = diff(state, new, allow_drop=True)
    assert {op.kind for op in dropped} >= {"DropColumn", "AddColumn"}
    asked = []
    forward, _ = diff(state, new, ask=lambda q: asked.append(q) or True)
    assert asked == ["Rename Author.email to Author.full_name?"] and ops.RenameColumn("Author", "email", "full_name") in forward


def test_unique_and_index_changes(state):
    new = copy.deepcopy(state)
    column = next(c for c in new["tables"]["Author"]["columns"] if c["name"] == "email")
    column["unique"] = True
    new["tables"]["Author"]["indexes"].append({"columns": ["email", "age"], "unique": False})
    forward, backward = diff(state, new)
    assert sorted(op.kind for op in forward) == ["AddIndex", "AddUnique"]
    assert sorted(op.kind for op in backward) == ["DropIndex", "DropUnique"]



def test_a_renamed_or_partial_index_is_created_again_under_its_new_shape(state):
    old = copy.deepcopy(state)
    old["tables"]["Author"]["indexes"].append({"columns": ["email"], "unique": False})
    new = copy.deepcopy(old)
    new["tables"]["Author"]["indexes"][-1].update(name="ix_author_email", condition=[["age", None]])
    forward, backward = diff(old, new)
    assert [op.kind for op in forward] == ["DropIndex", "AddIndex"]
    assert (forward[1].name, forward[1].condition) == ("ix_author_email", (("age", None),))
    sql = editor_for(DIALECTS["postgres"]).operation_sql(forward[1], old["tables"], new["tables"])
    assert sql == ['CREATE INDEX "ix_author_email" ON "t_author" ("email") WHERE "age" IS NULL']
    assert [op.kind for op in backward] == ["DropIndex", "AddIndex"] and backward[0].name == "ix_author_email"

@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_sql_per_dialect_for_a_type_change(state, dialect):
    new = copy.deepcopy(state)
    column = next(c for c in new["tables"]["Author"]["columns"] if c["name"] == "email")
    column["types"] = {name: "VARCHAR(300)" for name in DIALECTS}
    forward, _ = diff(state, new)
    sql = editor_for(DIALECTS[dialect]).migration_sql(forward, state, new)
    table = state["tables"]["Author"]["table"]
    expected = {
        "postgres": f'ALTER TABLE "{table}" ALTER COLUMN "email" TYPE VARCHAR(300) USING "email"::VARCHAR(300)',
        "mysql": f"ALTER TABLE `{table}` MODIFY COLUMN `email` VARCHAR(300)",
        "sqlite": f'INSERT INTO "__new__{table}"',
    }[dialect]
    assert any(statement.startswith(expected) for statement in sql), sql
    if dialect == "sqlite":  # the rebuild: create, copy, drop, rename, indexes
        assert sql[0].startswith(f'CREATE TABLE "__new__{table}"')
        assert sql[2:4] == [f'DROP TABLE "{table}"', f'ALTER TABLE "__new__{table}" RENAME TO "{table}"']


def test_m2m_through_table_is_created_after_its_targets_and_dropped(state):
    new = copy.deepcopy(state)
    key_type = dict(state["tables"]["Author"]["columns"][0], auto=False, pk=False)

    def key(name):
        return dict(key_type, name=name, field=name, types={d: "INT" for d in DIALECTS})

    new["tables"]["m2m:article_author"] = {
        "model": None, "table": "article_author", "description": None,
        "columns": [key("article_id"), key("author_id")],
        "fks": [
            {"column": "article_id", "to_table": "t_article", "to_column": "id", "on_delete": "CASCADE"},
            {"column": "author_id", "to_table": "t_author", "to_column": "id", "on_delete": "CASCADE"},
        ],
        "indexes": [{"columns": ["article_id", "author_id"], "unique": True}],
        "unique_together": [],
    }
    forward, backward = diff(state, new)
    assert kinds(forward) == [("CreateTable", "m2m:article_author")]
    assert kinds(backward) == [("DropTable", "m2m:article_author")]
    empty = {"format": state["format"], "tables": {}}
    order = [op.key for op in diff(empty, new)[0]]
    assert order.index("m2m:article_author") > max(order.index("Author"), order.index("Article"))
    sql = editor_for(DIALECTS["postgres"]).migration_sql(forward, state, new)
    assert sql[-1] == 'CREATE UNIQUE INDEX "uidx_article_author_article_id_author_id" ON "article_author" ("article_id","author_id")'


def test_comment_only_change_needs_no_sqlite_rebuild(state):
    new = copy.deepcopy(state)
    next(c for c in new["tables"]["Author"]["columns"] if c["name"] == "email")["description"] = "where to write"
    forward, _ = diff(state, new)
    assert kinds(forward) == [("AlterColumn", "Author")]
    assert editor_for(DIALECTS["sqlite"]).migration_sql(forward, state, new) == []
    assert editor_for(DIALECTS["postgres"]).migration_sql(forward, state, new) == [
        'COMMENT ON COLUMN "t_author"."email" IS \'where to write\''
    ]


def test_db_default_expressions_are_rendered_per_dialect_and_compared():
    import tests.compat_models as compat_models
    from tortoise.migrations.state import model_table

    table = model_table(compat_models.Counter)
    by_name = {c["name"]: c for c in table["columns"]}
    rendered = {name: editor_for(d).column_sql(by_name["moment"]) for name, d in DIALECTS.items()}
    assert rendered["mysql"].endswith("DEFAULT '2020-05-20 12:30:00'")  # naive UTC: MySQL refuses offsets
    assert rendered["postgres"].endswith("DEFAULT '2020-05-20 12:30:00+00:00'")
    assert editor_for(DIALECTS["mysql"]).column_sql(by_name["stamped"]).endswith("DEFAULT CURRENT_TIMESTAMP(6)")
    old = {"format": "aldabra-1", "tables": {"Counter": table}}
    new = copy.deepcopy(old)
    new["tables"]["Counter"]["columns"][-1]["default_sql"] = {d: "1" for d in DIALECTS}
    forward, _ = diff(old, new)
    assert forward == [ops.AlterColumn("Counter", "zero", ("default",), "zero")]
    assert editor_for(DIALECTS["postgres"]).operation_sql(forward[0], old["tables"], new["tables"]) == [
        'ALTER TABLE "compat_counter" ALTER COLUMN "zero" SET DEFAULT 1'
    ]
