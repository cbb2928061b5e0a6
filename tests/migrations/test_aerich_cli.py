"""The Aerich command sequences of the seed documents, through the real ``aerich`` script."""
from __future__ import annotations

import pytest

USER = """
class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=50, unique=True)
    email = fields.CharField(max_length=100)

    class Meta:
        table = "users"
"""

USER_BIO = USER.replace('email = fields.CharField(max_length=100)', 'email = fields.CharField(max_length=100)\n    bio = fields.TextField(null=True)')


async def test_seed_000_init_then_migrate_and_upgrade_without_init_db(project):
    """Seed 000: `aerich init -t settings.TORTOISE_ORM`, then straight `migrate` and `upgrade`."""
    project.models(USER)
    out = project.aerich("init", "-t", "settings.TORTOISE_ORM").stdout
    assert "Success writing aerich config to pyproject.toml" in out
    assert '[tool.aerich]\ntortoise_orm = "settings.TORTOISE_ORM"' in (project.path / "pyproject.toml").read_text()
    out = project.aerich("migrate").stdout
    [first] = project.migrations()
    assert first.startswith("0_") and first.endswith("_init.py") and first in out
    out = project.aerich("upgrade").stdout
    assert f"Success upgrading to {first}" in out
    await project.execute("INSERT INTO users (username, email) VALUES ('ann', 'a@x')")
    assert [r["username"] for r in await project.rows("SELECT username FROM users")] == ["ann"]
    assert project.aerich("upgrade").stdout.strip() == "No upgrade items found"
    assert project.aerich("migrate").stdout.strip() == "No changes detected"
    assert project.migrations() == [first]
    rows = await project.rows("SELECT version, app FROM aerich")
    assert rows == [{"version": first, "app": "models"}]


async def test_seed_004_sequence(project):
    """init, init-db, migrate --name, upgrade, history, heads, downgrade (seeds 001 and 004)."""
    project.models(USER)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    out = project.aerich("init-db").stdout
    assert 'Success generating initial migration file for app "models"' in out
    [init] = project.migrations()
    await project.execute("INSERT INTO users (username, email) VALUES ('ann', 'a@x')")

    project.models(USER_BIO)
    out = project.aerich("migrate", "--name", "add_user_bio_field").stdout
    second = [m for m in project.migrations() if m != init][0]
    assert second.startswith("1_") and second.endswith("_add_user_bio_field.py")
    assert f"Success creating migration file {second}" in out
    assert project.aerich("heads").stdout.split() == [second]
    assert f"Success upgrading to {second}" in project.aerich("upgrade", "--transaction").stdout
    assert project.aerich("heads").stdout.strip() == "No available heads."
    assert project.aerich("history").stdout.split() == [init, second]
    await project.execute("UPDATE users SET bio='hi'")

    refused = project.aerich("downgrade", input="n\n", ok=False)
    assert refused.returncode != 0 and "bio" in [r for r in (await project.rows("SELECT * FROM users"))[0]]
    out = project.aerich("downgrade", "--yes").stdout
    assert f"Success downgrading to {second}" in out
    rows = await project.rows("SELECT * FROM users")
    assert rows == [{"id": 1, "username": "ann", "email": "a@x"}]
    assert project.aerich("heads").stdout.split() == [second]
    project.aerich("upgrade")
    assert "bio" in (await project.rows("SELECT * FROM users"))[0]


async def test_empty_migration_and_downgrade_to_version_with_delete(project):
    project.models(USER)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    out = project.aerich("migrate", "--name", "custom_migration", "--empty").stdout
    assert "_custom_migration.py" in out
    project.models(USER_BIO)
    project.aerich("migrate", "--name", "bio")
    project.aerich("upgrade")
    assert len(project.migrations()) == 3
    # reverting down to the first migration is refused before anything runs
    failed = project.aerich("downgrade", "-v", "0", "--delete", "--yes", ok=False)
    assert failed.returncode != 0 and "first migration" in failed.stderr
    assert len(project.migrations()) == 3
    assert project.aerich("heads").stdout.strip() == "No available heads."
    out = project.aerich("downgrade", "-v", "2", "--delete", "--yes").stdout
    assert "Success downgrading to 2_" in out
    assert len(project.migrations()) == 2
    await project.execute("INSERT INTO users (username, email) VALUES ('ann', 'a@x')")
    assert "bio" not in (await project.rows("SELECT * FROM users"))[0]
    out = project.aerich("downgrade", "-v", "1", "--yes").stdout  # the empty one: nothing to run
    assert "Success downgrading to 1_" in out
    assert project.aerich("heads").stdout.split() == project.migrations()[1:]


async def test_downgrade_of_first_migration_is_refused(project):
    project.models(USER)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    result = project.aerich("downgrade", "--yes", ok=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert await project.rows("SELECT * FROM users") == []


async def test_reset_then_start_over(project):
    """Seed 003's `reset`: the app's history and files go after confirmation; init-db again."""
    project.models(USER)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    assert project.aerich("reset", input="n\n", ok=False).returncode == 1
    assert len(project.migrations()) == 1
    out = project.aerich("reset", input="y\n").stdout
    assert "Success resetting app 'models'" in out
    assert project.migrations() == []
    assert await project.rows("SELECT * FROM aerich") == []
    project.aerich("init-db")  # tables exist already: created IF NOT EXISTS, history recorded again
    assert len(await project.rows("SELECT * FROM aerich")) == 1


async def test_fake_upgrade_and_downgrade_only_record(project):
    project.models(USER)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    project.models(USER_BIO)
    project.aerich("migrate", "--name", "bio")
    assert "(fake)" in project.aerich("upgrade", "--fake").stdout
    await project.execute("INSERT INTO users (username, email) VALUES ('ann', 'a@x')")
    assert "bio" not in (await project.rows("SELECT * FROM users"))[0]  # not run
    assert project.aerich("heads").stdout.strip() == "No available heads."
    project.aerich("downgrade", "--fake", "--yes")
    assert len(project.migrations()) == 2 and len(project.aerich("heads").stdout.split()) == 1
    project.aerich("upgrade")
    assert "bio" in (await project.rows("SELECT * FROM users"))[0]


async def test_app_and_config_options(project):
    project.models(USER)
    project.write("blog.py", "from tortoise import fields\nfrom tortoise.models import Model\n\n\nclass Post(Model):\n    title = fields.CharField(max_length=20)\n")
    project.write(
        "settings.py",
        f'TORTOISE_ORM = {{"connections": {{"default": "{project.db_url}"}}, "apps": {{'
        '"models": {"models": ["models", "aerich.models"], "default_connection": "default"}, '
        '"blog": {"models": ["blog"], "default_connection": "default"}}}\n',
    )
    out = project.aerich("-c", "aerich.toml", "init", "-t", "settings.TORTOISE_ORM", "--location", "./db_migrations").stdout
    assert "aerich.toml" in out and not (project.path / "pyproject.toml").exists()
    project.aerich("-c", "aerich.toml", "--app", "blog", "init-db")
    assert [p.name.split("_", 2)[2] for p in (project.path / "db_migrations" / "blog").glob("*.py")] == ["init.py"]
    assert not (project.path / "db_migrations" / "models").exists()
    await project.execute("INSERT INTO post (title) VALUES ('p')")
    assert [r["app"] for r in await project.rows("SELECT app FROM aerich")] == ["blog"]
    assert project.aerich("-c", "aerich.toml", "heads").stdout.strip() == "No available heads."  # none for "models" yet
    project.aerich("-c", "aerich.toml", "init-db")
    assert sorted(r["app"] for r in await project.rows("SELECT app FROM aerich")) == ["blog", "models"]
    assert "users" in project.aerich("-c", "aerich.toml", "inspectdb", "-t", "users").stdout


async def test_seed_001_package_layout(project):
    """Seed 001: the config in a package module (`aerich init -t app.db_config.TORTOISE_ORM`)."""
    package = project.path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("from tortoise import fields\nfrom tortoise.models import Model\n" + USER)
    (package / "db_config.py").write_text(
        f'TORTOISE_ORM = {{"connections": {{"default": "{project.db_url}"}}, '
        '"apps": {"models": {"models": ["app.models", "aerich.models"], "default_connection": "default"}}}\n'
    )
    project.aerich("init", "-t", "app.db_config.TORTOISE_ORM")
    project.aerich("init-db")
    (package / "models.py").write_text("from tortoise import fields\nfrom tortoise.models import Model\n" + USER_BIO)
    assert "_add_user_table.py" in project.aerich("migrate", "--name", "add_user_table").stdout
    assert "Success upgrading to 1_" in project.aerich("upgrade").stdout
    await project.execute("INSERT INTO users (username, email, bio) VALUES ('ann', 'a@x', 'b')")


async def test_init_migrations_and_in_transaction_values(project):
    """Aerich 0.10's `init-migrations` and `upgrade -i/--in-transaction BOOLEAN`."""
    project.models(USER)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    out = project.aerich("init-migrations").stdout
    [first] = project.migrations()
    assert first in out
    assert project.aerich("heads").stdout.split() == [first]  # nothing touched the database
    assert f"Success upgrading to {first}" in project.aerich("upgrade", "-i", "False").stdout
    project.models(USER_BIO)
    project.aerich("migrate", "--name", "bio", "--offline")
    assert "Success upgrading to 1_" in project.aerich("upgrade", "--in-transaction", "true").stdout
    assert project.aerich("upgrade", "-i", "maybe", ok=False).returncode == 2
    await project.execute("INSERT INTO users (username, email, bio) VALUES ('ann', 'a@x', 'hi')")
    assert [r["bio"] for r in await project.rows("SELECT bio FROM users")] == ["hi"]
