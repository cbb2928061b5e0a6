"""Every kind of change written by ``makemigrations`` as native operations, applied up and
down on a table holding rows, with ``makemigrations --check`` clean after each step."""
from __future__ import annotations

BASE = """
class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)

class Post(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)
    author = fields.ForeignKeyField("blog.Author", related_name="posts")
"""

STEPS = [  # (name, models, extra makemigrations arguments, operation written)
    ("index", BASE.replace("max_length=100)", "max_length=100, index=True)"), [], "AlterField"),
    ("together", BASE + "\n    class Meta:\n        unique_together = ((\"title\", \"author\"),)\n", [], "AddConstraint"),
    ("on_delete", BASE.replace('related_name="posts")', 'related_name="posts", on_delete=fields.SET_NULL, null=True)'), [], "AddConstraint"),
    ("table", BASE + "\n    class Meta:\n        table = \"article\"\n        table_description = \"Posts\"\n", [], "AlterModelOptions"),
    ("tags", BASE + "\nclass Tag(Model):\n    id = fields.IntField(primary_key=True)\n    posts = fields.ManyToManyField(\"blog.Post\", related_name=\"tags\")\n", [], "CreateModel"),
    ("writer", BASE.replace("class Author(", "class Writer(").replace("blog.Author", "blog.Writer"), ["--rename", "Author:Writer"], "RenameModel"),
    # a renamed key column takes its constraint along (no constraint operations written)
    ("writer_key", BASE.replace("author = fields.ForeignKeyField", "writer = fields.ForeignKeyField"), ["--rename", "Post.author_id:writer_id"], "RenameField"),
    # the class is renamed, the table keeps its name: the default table follows the model on
    # replay, so the migration names the table again
    ("kept", BASE.replace("class Author(", "class Writer(").replace("blog.Author", "blog.Writer").replace(
        "max_length=50)\n", "max_length=50)\n\n    class Meta:\n        table = \"author\"\n", 1), ["--rename", "Author:Writer"], "AlterModelOptions"),
]


async def test_each_change_up_and_down_keeps_the_rows(project) -> None:
    project.models(BASE)
    project.tortoise("makemigrations")
    project.tortoise("migrate")
    await project.execute("INSERT INTO author (name) VALUES ('ann')")
    await project.execute("INSERT INTO post (title, author_id) VALUES ('first', 1)")
    for name, models, extra, kind in STEPS:
        project.models(models)
        project.tortoise("makemigrations", "-n", name, *extra)
        migration = f"0002_{name}"
        text = (project.path / "blog" / "migrations" / f"{migration}.py").read_text()
        assert f"migrations.{kind}(" in text, migration
        assert name != "writer_key" or "Constraint" not in text, text
        project.tortoise("migrate")
        assert project.tortoise("makemigrations", "--check").returncode == 0, migration
        table = "article" if name == "table" else "post"
        assert await project.rows(f"SELECT title FROM {table}") == [{"title": "first"}], migration
        project.tortoise("downgrade", "blog", "0001_initial")
        assert await project.rows("SELECT title, author_id FROM post") == [{"title": "first", "author_id": 1}], migration
        assert await project.rows("SELECT name FROM author") == [{"name": "ann"}], migration
        (project.path / "blog" / "migrations" / f"{migration}.py").unlink()  # each step starts from BASE again
        project.models(BASE)
        assert project.tortoise("makemigrations", "--check").returncode == 0, migration
