"""The ``tortoise`` console script on a temporary project, on the database under test."""
from __future__ import annotations

import json
import textwrap

import pytest

from tests.conftest import TEST_DIALECT

V1 = """
class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)

class Post(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)
    author = fields.ForeignKeyField("blog.Author", related_name="posts")
"""
V2 = V1 + "    rating = fields.IntField(default=0)\n"
V3 = V2.replace("title = fields.CharField(max_length=100)", "headline = fields.CharField(max_length=100)")


async def test_three_migrations_applied_downgraded_and_reapplied(project) -> None:
    project.models(V1)
    assert "Created migrations package blog.migrations" in project.tortoise("init").stdout
    project.tortoise("makemigrations")
    project.tortoise("migrate")
    await project.execute("INSERT INTO author (name) VALUES ('ann')")
    await project.execute("INSERT INTO post (title, author_id) VALUES ('first', 1)")

    project.models(V2)
    project.tortoise("makemigrations", "-n", "add rating")
    project.models(V3)
    refused = project.tortoise("makemigrations", ok=False)  # a rename is never guessed without a TTY
    assert refused.returncode != 0 and "Post.title" in refused.stderr and "--rename" in refused.stderr
    assert len(project.migration_files()) == 2
    project.tortoise("makemigrations", "--rename", "Post.title:headline", "--name", "headline")
    files = project.migration_files()
    assert files[0] == "0001_initial" and files[1] == "0002_add_rating" and files[2] == "0003_headline"
    assert "dependencies = [('blog', '0002_add_rating')]" in (project.path / "blog" / "migrations" / "0003_headline.py").read_text()

    out = project.tortoise("upgrade").stdout
    assert "Applying blog.0002_add_rating" in out and "Applying blog.0003_headline" in out
    assert await project.rows("SELECT headline, rating FROM post") == [{"headline": "first", "rating": 0}]
    assert project.tortoise("makemigrations", "--check").returncode == 0
    history = project.tortoise("history").stdout
    assert "blog 0001_initial" in history and "blog 0003_headline" in history
    assert "blog.0003_headline" in project.tortoise("heads").stdout

    out = project.tortoise("downgrade", "blog", "0001_initial").stdout
    assert "Unapplying blog.0003_headline" in out and "Unapplying blog.0002_add_rating" in out
    assert await project.rows("SELECT title FROM post") == [{"title": "first"}]
    assert not await project.has("SELECT rating FROM post")
    assert "blog 0002" not in project.tortoise("history").stdout

    project.tortoise("migrate", "blog")
    assert await project.rows("SELECT headline, rating FROM post") == [{"headline": "first", "rating": 0}]
    project.models(V3 + "    body = fields.TextField(null=True)\n")
    check = project.tortoise("makemigrations", "--check", ok=False)
    assert check.returncode == 1 and "Add field body to Post" in check.stdout
    assert len(project.migration_files()) == 3


async def test_migrate_to_a_named_migration_and_fake(project) -> None:
    project.models(V1)
    project.tortoise("makemigrations")
    project.models(V2)
    project.tortoise("makemigrations", "--name", "rating")
    project.tortoise("migrate", "blog.0001_initial")
    assert await project.has("SELECT title FROM post") and not await project.has("SELECT rating FROM post")
    project.tortoise("migrate", "blog", "0002", "--fake")
    assert not await project.has("SELECT rating FROM post")  # recorded only
    assert "blog 0002_rating" in project.tortoise("history").stdout
    project.tortoise("downgrade", "blog", "0001", "--fake")  # 0002 was never run: forget it only
    assert "blog 0002" not in project.tortoise("history").stdout and await project.has("SELECT title FROM post")
    project.tortoise("downgrade", "blog")  # to before the first
    assert not await project.has("SELECT id FROM post")
    assert "blog 0001" not in project.tortoise("history").stdout


async def test_sqlmigrate_prints_the_dialects_sql_without_running_it(project) -> None:
    project.models(V1)
    project.tortoise("makemigrations")
    project.models(V2)
    project.tortoise("makemigrations")
    forward = project.tortoise("sqlmigrate", "blog", "0001_initial").stdout
    auto_pk = {"sqlite": "AUTOINCREMENT", "postgres": "SERIAL", "mysql": "AUTO_INCREMENT"}[TEST_DIALECT]
    assert "CREATE TABLE" in forward and auto_pk in forward
    assert "rating" in project.tortoise("sqlmigrate", "blog", "0002").stdout  # ADD COLUMN, or a rebuild on SQLite
    backward = project.tortoise("sqlmigrate", "blog", "0001_initial", "--backward").stdout
    assert "DROP TABLE" in backward
    assert not await project.has("SELECT id FROM author")
    assert not await project.has("SELECT id FROM tortoise_migrations")


def _hand_written(project, name: str, body: str) -> None:
    folder = project.path / "blog" / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").touch()
    (folder / f"{name}.py").write_text("from tortoise import migrations\n\n\n" + textwrap.dedent(body))


async def test_bad_input_names_the_culprit_and_applies_nothing(project) -> None:
    project.models(V1)
    project.tortoise("makemigrations")
    result = project.tortoise("migrate", "nope", ok=False)
    assert result.returncode != 0 and "'nope'" in result.stderr and "blog" in result.stderr
    result = project.tortoise("migrate", "blog", "0099_missing", ok=False)
    assert result.returncode != 0 and "blog.0099_missing" in result.stderr and "0001_initial" in result.stderr
    result = project.tortoise("downgrade", ok=False)
    assert result.returncode != 0 and "app_label is required" in result.stderr

    _hand_written(project, "0002_a", "class Migration(migrations.Migration):\n    dependencies = [('blog', '0001_initial')]\n")
    _hand_written(project, "0002_b", "class Migration(migrations.Migration):\n    dependencies = [('blog', '0001_initial')]\n")
    result = project.tortoise("migrate", ok=False)
    assert result.returncode != 0 and "2 heads" in result.stderr and "blog.0002_a" in result.stderr and "blog.0002_b" in result.stderr
    assert not await project.has("SELECT id FROM author")

    _hand_written(project, "0001_initial", (project.path / "blog" / "migrations" / "0001_initial.py").read_text().split("\n", 3)[3]
                  .replace("class Migration(migrations.Migration):", "class Migration(migrations.Migration):\n    dependencies = [('blog', '0002_a')]"))
    result = project.tortoise("migrate", ok=False)
    assert result.returncode != 0 and "cycle" in result.stderr and "blog.0001_initial" in result.stderr
    assert not await project.has("SELECT id FROM author")


async def test_merge_migration_and_data_migrations(project) -> None:
    project.models(V1)
    project.tortoise("makemigrations")
    _hand_written(project, "0002_a", """
        class Migration(migrations.Migration):
            dependencies = [('blog', '0001_initial')]
            operations = [migrations.RunSQL("INSERT INTO author (name) VALUES ('sql')", reverse_sql="DELETE FROM author WHERE name = 'sql'")]
        """)
    _hand_written(project, "0002_b", """
        from blog.models import Author

        async def add(connection):
            await Author.create(name="python")

        async def remove(connection):
            await Author.filter(name="python").delete()

        class Migration(migrations.Migration):
            dependencies = [('blog', '0001_initial')]
            operations = [migrations.RunPython(add, remove)]
        """)
    assert project.tortoise("migrate", ok=False).returncode != 0  # two heads
    project.tortoise("makemigrations", "--empty", "blog", "-n", "merge")  # depends on both heads
    text = (project.path / "blog" / "migrations" / "0003_merge.py").read_text()
    assert "dependencies = [('blog', '0002_a'), ('blog', '0002_b')]" in text and "operations = []" in text
    project.tortoise("migrate")
    assert sorted(r["name"] for r in await project.rows("SELECT name FROM author")) == ["python", "sql"]
    assert "blog.0003_merge" in project.tortoise("heads").stdout
    project.tortoise("downgrade", "blog", "0001_initial")
    assert await project.rows("SELECT name FROM author") == []


async def test_config_from_environment_and_pyproject(project) -> None:
    project.models(V1)
    (project.path / "blog" / "migrations").mkdir()
    (project.path / "blog" / "migrations" / "__init__.py").touch()
    result = project.tortoise("makemigrations", config=False, env={"TORTOISE_ORM": "settings.TORTOISE_ORM"})
    assert "blog.0001_initial" in result.stdout
    (project.path / "pyproject.toml").write_text('[tool.tortoise]\ntortoise_orm = "settings.TORTOISE_ORM"\n')
    project.tortoise("migrate", config=False)
    assert await project.rows("SELECT name FROM author") == []
    missing = project.tortoise("heads", config=False, env={"TORTOISE_ORM": "nowhere.TORTOISE_ORM"}, ok=False)
    assert missing.returncode != 0 and "nowhere" in missing.stderr


async def test_config_from_a_json_file(project) -> None:
    """``--config-file`` names a JSON (or YAML) file holding the configuration, as in Tortoise 1.x."""
    project.models(V1)
    (project.path / "blog" / "migrations").mkdir()
    (project.path / "blog" / "migrations" / "__init__.py").touch()
    config = {"connections": {"default": project.db_url}, "apps": {"blog": {"models": ["blog.models"], "default_connection": "default"}}}
    project.write("orm.json", json.dumps(config))
    assert "blog.0001_initial" in project.tortoise("--config-file", "orm.json", "makemigrations", config=False).stdout
    project.tortoise("--config-file", "orm.json", "migrate", config=False)
    assert await project.rows("SELECT name FROM author") == []
    project.write("orm.toml", "")
    wrong = project.tortoise("--config-file", "orm.toml", "heads", config=False, ok=False)
    assert wrong.returncode != 0 and "orm.toml" in wrong.stderr and ".json" in wrong.stderr


async def test_shell_and_inspectdb(project) -> None:
    project.models(V1)
    project.tortoise("makemigrations")
    project.tortoise("migrate")
    out = project.tortoise("shell", input="await Author.create(name='from shell')\nprint('count', await Author.all().count())\n").stdout
    assert "count 1" in out
    models = project.tortoise("inspectdb", "post").stdout
    assert "class Post(" in models and "ForeignKeyField" in models


@pytest.mark.requires_dialect("sqlite", "postgres")
async def test_a_failing_migration_is_rolled_back(project) -> None:
    project.models(V1)
    project.tortoise("makemigrations")
    _hand_written(project, "0002_bad", """
        class Migration(migrations.Migration):
            dependencies = [('blog', '0001_initial')]
            operations = [migrations.RunSQL("CREATE TABLE extra (id INT)"), migrations.RunSQL("INSERT INTO nowhere VALUES (1)")]
        """)
    result = project.tortoise("migrate", ok=False)
    assert result.returncode != 0 and "0002_bad" in result.stderr and "nowhere" in result.stderr
    assert await project.has("SELECT id FROM author")  # 0001 stays applied
    assert not await project.has("SELECT id FROM extra")
    assert "0002_bad" not in project.tortoise("history").stdout


@pytest.mark.requires_dialect("mysql")
async def test_a_failing_migration_on_mysql_says_what_stays_applied_and_resumes(project) -> None:
    project.models(V1)
    project.tortoise("makemigrations")
    bad = """
        class Migration(migrations.Migration):
            dependencies = [('blog', '0001_initial')]
            operations = [migrations.RunSQL("CREATE TABLE extra (id INT)"), migrations.RunSQL("INSERT INTO nowhere VALUES (1)")]
        """
    _hand_written(project, "0002_bad", bad)
    result = project.tortoise("migrate", ok=False)
    assert result.returncode != 0 and "statement 2 of 2" in result.stderr and "stay applied" in result.stderr
    assert "0002_bad" not in project.tortoise("history").stdout
    _hand_written(project, "0002_bad", bad.replace("INSERT INTO nowhere VALUES (1)", "INSERT INTO extra VALUES (1)"))
    assert "Resuming" in project.tortoise("migrate").stdout  # the CREATE TABLE is not run twice
    assert await project.rows("SELECT id FROM extra") == [{"id": 1}]
    assert "blog 0002_bad" in project.tortoise("history").stdout
