"""Migration files in Tortoise 1.x's own style (field instances, ``Index`` objects,
``UniqueConstraint``, RenameIndex, RenameConstraint, CreateSchema …), written by hand as
Tortoise writes them, applied and reverted through the real ``tortoise`` script."""
from __future__ import annotations

import textwrap

import pytest

from tests.conftest import TEST_DIALECT, unique_name
from tortoise.sql.introspection import describe_table

HEADER = """\
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

PK = dict(generated=True, primary_key=True, unique=True, db_index=True)

"""

INITIAL = """
class Migration(migrations.Migration):
    initial = True
    operations = [
        ops.CreateModel(
            name="Author",
            fields=[("id", fields.IntField(**PK)), ("name", fields.CharField(max_length=50)),
                    ("email", fields.CharField(null=True, max_length=100))],
            options={"table": "author", "app": "blog", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Post",
            fields=[("id", fields.IntField(**PK)), ("title", fields.CharField(max_length=100)),
                    ("author", fields.ForeignKeyField("blog.Author", source_field="author_id", db_constraint=True, to_field="id",
                                                      related_name="posts", on_delete=OnDelete.CASCADE))],
            options={"table": "post", "app": "blog", "indexes": [Index(fields=["title"], name="ix_post_title")], "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
"""

CHANGES = """
class Migration(migrations.Migration):
    dependencies = [("blog", "0001_initial")]
    operations = [
        ops.CreateModel(name="Tag", fields=[("id", fields.IntField(**PK)), ("label", fields.CharField(max_length=20))],
                        options={"table": "tag", "app": "blog", "pk_attr": "id"}, bases=["Model"]),
        ops.RenameIndex(model_name="Post", new_name="ix_post_headline", old_name="ix_post_title"),
        ops.AddConstraint(model_name="Author", constraint=UniqueConstraint(fields=("name", "email"))),
        ops.AddIndex(model_name="Author", index=Index(fields=["email"])),
        ops.AlterField(model_name="Post", name="author",
                       field=fields.ForeignKeyField("blog.Author", null=True, related_name="posts", on_delete=OnDelete.SET_NULL)),
        ops.AddField(model_name="Post", name="tags", field=fields.ManyToManyField("blog.Tag", related_name="posts")),
    ]
"""

REMOVALS = """
class Migration(migrations.Migration):
    dependencies = [("blog", "0002_changes")]
    operations = [
        ops.RemoveIndex(model_name="Author", fields=["email"]),
        ops.RemoveConstraint(model_name="Author", fields=["name", "email"]),
    ]
"""

V1 = """
from tortoise.indexes import Index

class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
    email = fields.CharField(max_length=100, null=True)

class Post(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)
    author = fields.ForeignKeyField("blog.Author", related_name="posts")

    class Meta:
        indexes = [Index(fields=("title",), name="ix_post_title")]
"""

V2 = """
from tortoise.indexes import Index

class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
    email = fields.CharField(max_length=100, null=True)

    class Meta:
        unique_together = (("name", "email"),)
        indexes = [("email",)]

class Tag(Model):
    id = fields.IntField(primary_key=True)
    label = fields.CharField(max_length=20)

class Post(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)
    author = fields.ForeignKeyField("blog.Author", related_name="posts", null=True, on_delete=fields.SET_NULL)
    tags = fields.ManyToManyField("blog.Tag", related_name="posts")

    class Meta:
        indexes = [Index(fields=("title",), name="ix_post_headline")]
"""

V3 = V2.replace('        unique_together = (("name", "email"),)\n        indexes = [("email",)]\n', "        pass\n")


def write(project, name: str, body: str) -> None:
    folder = project.path / "blog" / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").touch()
    (folder / f"{name}.py").write_text(HEADER + textwrap.dedent(body))


async def index_names(project, table: str) -> set[str]:
    return {i["name"] for i in (await describe_table(await project.connect(), table))["indexes"] if i["name"]}


async def unique_names(project, table: str) -> set[str]:
    """Names of the table's unique constraints (PostgreSQL) or unique indexes (MySQL)."""
    if TEST_DIALECT == "postgres":
        mark = (await project.connect()).dialect.placeholder(0)
        rows = await project.rows(f"SELECT conname FROM pg_constraint WHERE conrelid = CAST({mark} AS regclass) AND contype = 'u'", [table])
        return {r["conname"] for r in rows}
    return {i["name"] for i in (await describe_table(await project.connect(), table))["indexes"] if i["unique"]}


async def test_tortoise_style_operations_apply_match_the_models_and_revert(project) -> None:
    write(project, "0001_initial", INITIAL)
    project.models(V1)
    project.tortoise("migrate")
    assert project.tortoise("makemigrations", "--check").returncode == 0
    assert "ix_post_title" in await index_names(project, "post")
    await project.execute("INSERT INTO author (name, email) VALUES ('ann', 'a@x')")

    write(project, "0002_changes", CHANGES)
    project.tortoise("migrate")
    project.models(V2)
    assert project.tortoise("makemigrations", "--check").stdout.strip() == "No changes detected"
    names = await index_names(project, "post")
    assert "ix_post_headline" in names and "ix_post_title" not in names
    await project.execute("INSERT INTO post (title, author_id) VALUES ('orphan', NULL)")  # the FK is nullable now
    await project.execute("INSERT INTO tag (label) VALUES ('t')")
    await project.execute("INSERT INTO post_tag (post_id, tag_id) VALUES (1, 1)")
    duplicate = project.rows("INSERT INTO author (name, email) VALUES ('ann', 'a@x')")
    with pytest.raises(Exception):
        await duplicate  # unique together

    write(project, "0003_removals", REMOVALS)
    project.tortoise("migrate")
    project.models(V3)
    assert project.tortoise("makemigrations", "--check").returncode == 0
    await project.execute("INSERT INTO author (name, email) VALUES ('ann', 'a@x')")

    await project.execute("DELETE FROM author WHERE id > 1")  # the unique group comes back
    project.tortoise("downgrade", "blog", "0002_changes")
    await project.execute("DELETE FROM post_tag")
    await project.execute("UPDATE post SET author_id = 1")  # the key becomes required again
    project.tortoise("downgrade", "blog", "0001_initial")
    assert "ix_post_title" in await index_names(project, "post")
    assert not await project.has("SELECT post_id FROM post_tag") and not await project.has("SELECT id FROM tag")
    assert await project.rows("SELECT title, author_id FROM post") == [{"title": "orphan", "author_id": 1}]


def test_operations_refuse_what_they_cannot_mean(project) -> None:
    write(project, "0001_initial", INITIAL + """
Migration.operations.append(ops.RemoveConstraint(model_name="Author", name="only_a_name"))
""")
    project.models(V1)
    result = project.tortoise("migrate", ok=False)
    assert result.returncode != 0 and "RemoveConstraint on 'Author'" in result.stderr and "only_a_name" in result.stderr
    write(project, "0001_initial", INITIAL + """
Migration.operations.append(ops.RemoveIndex(model_name="Post", name="no_such_index"))
""")
    result = project.tortoise("migrate", ok=False)
    assert result.returncode != 0 and "'Post' has no index no_such_index" in result.stderr and "ix_post_title" in result.stderr
    write(project, "0001_initial", INITIAL + """
Migration.operations += [
    ops.AddField(model_name="Post", name="readers", field=fields.ManyToManyField("blog.Author", related_name="read", through="post_readers")),
    ops.AddField(model_name="Post", name="editors", field=fields.ManyToManyField("blog.Author", related_name="edited", through="post_editors")),
    ops.RemoveField(model_name="Post", name="readers"),
]
""")
    result = project.tortoise("migrate", ok=False)  # the state does not say which through table was the readers'
    assert result.returncode != 0 and "Post.readers: cannot tell which through table" in result.stderr
    assert "post_readers" in result.stderr and "post_editors" in result.stderr
    assert not project.tortoise("history").stdout.count("0001")


SCHEMA_AND_RENAME = """
class Migration(migrations.Migration):
    dependencies = [("blog", "0002_changes")]
    operations = [
        ops.CreateSchema("{schema}"),
        ops.RenameConstraint(model_name="Author", old_name="uid_author_name_email", new_name="author_name_email_uniq"),
    ]
"""


async def test_create_schema_and_rename_constraint(project) -> None:
    schema = unique_name("extra")
    write(project, "0001_initial", INITIAL)
    write(project, "0002_changes", CHANGES)
    write(project, "0003_more", SCHEMA_AND_RENAME.format(schema=schema))
    project.models(V2)
    if TEST_DIALECT == "sqlite":
        result = project.tortoise("migrate", ok=False)
        assert result.returncode != 0 and f"SQLite has no schemas: cannot create schema {schema!r}" in result.stderr
        assert "(no migrations applied)" in project.tortoise("history").stdout  # refused before running any
        return
    project.tortoise("migrate")
    assert project.tortoise("makemigrations", "--check").returncode == 0
    assert "author_name_email_uniq" in await unique_names(project, "author")
    mark = (await project.connect()).dialect.placeholder(0)
    catalog = f"SELECT schema_name FROM information_schema.schemata WHERE schema_name = {mark}"
    assert await project.rows(catalog, [schema]) == [{"schema_name": schema}]
    project.tortoise("downgrade", "blog", "0002_changes")
    assert "uid_author_name_email" in await unique_names(project, "author")
    assert await project.rows(catalog, [schema]) == []


DATA = """
async def add_authors(apps, schema_editor):
    Author = apps.get_model("blog.Author")
    await Author.create(name="from apps")
    await schema_editor.client.execute_query("INSERT INTO author (name) VALUES ('from client')")


async def remove_authors(apps, schema_editor):
    await apps.get_model("blog", "Author").filter(name__startswith="from ").delete()


class Migration(migrations.Migration):
    dependencies = [("blog", "0001_initial")]
    operations = [
        ops.RunPython(add_authors, remove_authors, atomic=True),
        ops.RunSQL(
            [("INSERT INTO author (name, email) VALUES ({a}, {b})", ["bound", "b@x"]), "UPDATE author SET email = 'set' WHERE email IS NULL"],
            reverse_sql=["UPDATE author SET email = NULL WHERE email = 'set'", ("DELETE FROM author WHERE name = {a}", ["bound"])],
            atomic=True,
        ),
        ops.RunPython(ops.RunPython.noop, ops.RunPython.noop),
    ]
"""


async def test_data_migrations_in_tortoise_style(project) -> None:
    """``RunPython`` code taking ``(apps, schema_editor)``; ``RunSQL`` with ``(sql, params)`` pairs."""
    dialect = (await project.connect()).dialect
    write(project, "0001_initial", INITIAL)
    write(project, "0002_data", DATA.format(a=dialect.placeholder(0), b=dialect.placeholder(1)))
    project.models(V1)
    printed = project.tortoise("sqlmigrate", "blog", "0002_data").stdout
    assert "-- params: ['bound', 'b@x']" in printed and "add_authors" in printed
    project.tortoise("migrate")
    rows = await project.rows("SELECT name, email FROM author ORDER BY name")
    assert [tuple(r.values()) for r in rows] == [("bound", "b@x"), ("from apps", "set"), ("from client", "set")]
    project.tortoise("downgrade", "blog", "0001_initial")
    assert await project.rows("SELECT name FROM author") == []


RENAMES = """
class Migration(migrations.Migration):
    dependencies = [("blog", "0002_changes")]
    operations = [
        ops.RenameField(model_name="Author", old_name="email", new_name="mail"),
        ops.RenameField(model_name="Post", old_name="title", new_name="headline"),
        ops.RenameField(model_name="Post", old_name="author", new_name="writer"),
    ]
"""

V4 = (V2.replace('("name", "email")', '("name", "mail")').replace('[("email",)]', '[("mail",)]')
      .replace("email = fields", "mail = fields").replace("title = fields", "headline = fields")
      .replace('Index(fields=("title",)', 'Index(fields=("headline",)').replace("author = fields", "writer = fields"))


async def test_renamed_fields_take_their_keys_indexes_and_unique_groups_along(project) -> None:
    """Tortoise 1.x writes a rename as RenameField alone: what names the column follows it."""
    write(project, "0001_initial", INITIAL)
    write(project, "0002_changes", CHANGES)
    project.models(V2)
    project.tortoise("migrate")
    await project.execute("INSERT INTO author (name, email) VALUES ('ann', 'a@x')")
    await project.execute("INSERT INTO post (title, author_id) VALUES ('first', 1)")
    write(project, "0003_renames", RENAMES)
    project.models(V4)
    project.tortoise("migrate")
    assert project.tortoise("makemigrations", "--check").stdout.strip() == "No changes detected"
    assert await project.rows("SELECT headline, writer_id FROM post") == [{"headline": "first", "writer_id": 1}]
    assert await project.rows("SELECT name, mail FROM author") == [{"name": "ann", "mail": "a@x"}]
    with pytest.raises(Exception):
        await project.execute("INSERT INTO author (name, mail) VALUES ('ann', 'a@x')")  # still unique together
    project.tortoise("downgrade", "blog", "0002_changes")
    assert await project.rows("SELECT title, author_id FROM post") == [{"title": "first", "author_id": 1}]
    assert await project.rows("SELECT name, email FROM author") == [{"name": "ann", "email": "a@x"}]
