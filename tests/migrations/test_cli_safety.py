"""Bad input, interactive renames, concurrent upgrades and inspectdb, through the script."""
from __future__ import annotations

import asyncio
import os
import pty
import subprocess
import sys

import pytest

from tests.conftest import TEST_DB
from tests.migrations.conftest import AERICH

ITEM = """
class Item(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
"""


def one_line_error(result) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_unknown_tortoise_orm_path(project):
    error = one_line_error(project.aerich("init", "-t", "nowhere.TORTOISE_ORM", ok=False))
    assert "nowhere" in error
    assert not (project.path / "pyproject.toml").exists()


def test_config_without_aerich_models(project):
    project.models(ITEM)
    project.settings(modules='["models"]')
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    assert "aerich.models" in one_line_error(project.aerich("init-db", ok=False))
    assert project.migrations() == []


def test_commands_before_init(project):
    project.models(ITEM)
    assert "aerich init" in one_line_error(project.aerich("upgrade", ok=False))


def test_missing_migrations_folder(project):
    project.models(ITEM)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    (project.path / "migrations").rmdir()
    assert "migrations" in one_line_error(project.aerich("history", ok=False))


async def test_corrupt_migration_file_applies_nothing(project):
    project.models(ITEM)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("migrate")
    project.models(ITEM + "    size = fields.IntField(null=True)\n")
    project.aerich("migrate", "--name", "size")
    broken = project.path / "migrations" / "models" / project.migrations()[1]
    broken.write_text(broken.read_text().replace("async def upgrade", "async def upgrade(:"))
    error = one_line_error(project.aerich("upgrade", ok=False))
    assert broken.name in error
    assert project.aerich("heads").stdout.split() == project.migrations()  # nothing applied


async def test_downgrade_past_the_first_version(project):
    project.models(ITEM)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    assert "first migration" in one_line_error(project.aerich("downgrade", "-v", "0", "--yes", ok=False))
    assert "not applied" in one_line_error(project.aerich("downgrade", "-v", "7", "--yes", ok=False))
    assert await project.rows("SELECT * FROM item") == []


def test_check_reports_drift(project):
    project.models(ITEM)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    assert project.aerich("check").returncode == 0
    project.models(ITEM + "    size = fields.IntField(null=True)\n")
    assert project.aerich("check", ok=False).returncode == 1
    assert project.aerich("migrate", "--check", ok=False).returncode == 1
    assert len(project.migrations()) == 1


def run_with_tty(project, args: list[str], answer: str) -> tuple[int, str]:
    """Run the script with a terminal on stdin (interactive), answering one prompt."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(project.path)}
    proc = subprocess.Popen([AERICH, *args], cwd=project.path, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    os.write(master, answer.encode())
    out, err = proc.communicate(timeout=120)
    os.close(master)
    return proc.returncode, out.decode() + err.decode()


async def test_interactive_rename_is_asked(project):
    project.models(ITEM)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    await project.execute("INSERT INTO item (name) VALUES ('kept')")
    project.models(ITEM.replace("name =", "title ="))
    code, output = run_with_tty(project, ["migrate", "--name", "rename"], "y\n")
    assert code == 0 and "Rename Item.name to Item.title? [y/N]" in output
    project.aerich("upgrade")
    assert [r["title"] for r in await project.rows("SELECT title FROM item")] == ["kept"]


@pytest.mark.requires_dialect("postgres", "mysql")
async def test_concurrent_upgrades_apply_each_migration_once(project):
    project.models(ITEM)
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("migrate")
    for n in range(3):
        project.models(ITEM + "".join(f"    extra{i} = fields.IntField(null=True)\n" for i in range(n + 1)))
        project.aerich("migrate", "--name", f"extra{n}")
    env = {**os.environ, "PYTHONPATH": str(project.path)}
    procs = [
        await asyncio.create_subprocess_exec(AERICH, "upgrade", cwd=project.path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [await p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    applied = sum(out.decode().count("Success upgrading") for out, _ in results)
    assert applied == 4
    rows = await project.rows("SELECT version FROM aerich ORDER BY id")
    assert [r["version"] for r in rows] == project.migrations()


async def test_inspectdb(project):
    project.models("""
class Owner(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=40, unique=True)


class Pet(Model):
    id = fields.BigIntField(primary_key=True)
    nick = fields.CharField(max_length=20, null=True)
    weight = fields.DecimalField(max_digits=6, decimal_places=2)
    owner = fields.ForeignKeyField("models.Owner", on_delete=fields.SET_NULL, null=True)
""")
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("init-db")
    text = project.aerich("inspectdb", "-t", "pet", "-t", "owner").stdout
    assert "class Pet(Model):" in text and "class Owner(Model):" in text and "class Aerich" not in text
    assert "    name = fields.CharField(max_length=40, unique=True)" in text
    assert "    nick = fields.CharField(max_length=20, null=True)" in text
    assert "    weight = fields.DecimalField(max_digits=6, decimal_places=2)" in text
    pk = "IntField" if TEST_DB == "sqlite" else "BigIntField"  # SQLite's auto ids are INTEGER
    assert f"    id = fields.{pk}(primary_key=True)" in text
    assert '    owner = fields.ForeignKeyField("models.Owner", related_name=False, on_delete=fields.SET_NULL, null=True)' in text
    compile(text, "inspected.py", "exec")
    everything = project.aerich("inspectdb").stdout
    assert "class Aerich(Model):" in everything
    assert "pet2" in one_line_error(project.aerich("inspectdb", "-t", "pet2", ok=False))
