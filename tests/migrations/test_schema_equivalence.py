"""A database brought up only from migrations has the schema ``generate_schemas()`` makes.

Models v1 are created with ``init-db``, changed to v2 with ``migrate``/``upgrade``; a
second, empty database gets every migration file with ``upgrade``; a third gets
``generate_schemas()`` of v2.  The three catalogs (columns, types, nullability,
defaults, keys, indexes and their names) must be equal.
"""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import TEST_DB
from tests.migrations.conftest import GENERATE, catalog, fresh_url, raw_client

V1 = '''
class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50, unique=True, description="shown name")
    rating = fields.IntField(default=0)
    joined = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table_description = "writers"


class Tag(Model):
    id = fields.IntField(primary_key=True)
    label = fields.CharField(max_length=20, db_index=True)


class Book(Model):
    id = fields.BigIntField(primary_key=True)
    title = fields.CharField(max_length=100)
    price = fields.DecimalField(max_digits=8, decimal_places=2, null=True)
    author = fields.ForeignKeyField("models.Author", related_name="books")
    data = fields.JSONField(null=True)

    class Meta:
        unique_together = (("title", "author"),)
'''

V2 = '''
class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=80, unique=True, description="display name")
    rating = fields.IntField(default=0, db_index=True)
    joined = fields.DatetimeField(auto_now_add=True)
    email = fields.CharField(max_length=100, null=True, unique=True)

    class Meta:
        table_description = "authors of books"


class Tag(Model):
    id = fields.IntField(primary_key=True)
    label = fields.CharField(max_length=20)
    slug = fields.CharField(max_length=20, default="x")


class Book(Model):
    id = fields.BigIntField(primary_key=True)
    title = fields.CharField(max_length=100)
    price = fields.DecimalField(max_digits=10, decimal_places=2, default=0)
    author = fields.ForeignKeyField("models.Author", related_name="books", on_delete=fields.RESTRICT)
    editor = fields.ForeignKeyField("models.Author", related_name="edited", null=True, on_delete=fields.SET_NULL)
    tags = fields.ManyToManyField("models.Tag", related_name="books")
    pages = fields.SmallIntField(null=True)

    class Meta:
        table = "books"
        unique_together = (("title", "pages"),)
        indexes = (("title", "price"),)
'''

async def test_migrated_fresh_and_generated_schemas_are_equal(project, tmp_path):
    project.models(V1)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    project.models(V2)
    project.aerich("migrate", "--name", "v2", "--no-input", "--no-rename")
    project.aerich("upgrade")
    migrated = await catalog(project.db_url)

    others = []
    for kind in ("fresh", "generated"):
        folder = tmp_path / kind
        folder.mkdir()
        url = fresh_url(folder)
        if TEST_DB != "sqlite":
            await raw_client(url).db_create()
        others.append(url)
        project.db_url = url
        project.settings()
        if kind == "fresh":
            project.aerich("upgrade")
        else:
            result = subprocess.run([sys.executable, "-c", GENERATE], cwd=project.path, capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
    try:
        fresh, generated = [await catalog(url) for url in others]
    finally:
        if TEST_DB != "sqlite":
            for url in others:
                await raw_client(url).db_delete()
    assert set(generated) - {"<relations>"} == {"aerich", "author", "tag", "books", "books_tag"}
    assert fresh == generated
    assert migrated == generated
