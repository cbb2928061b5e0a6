"""A migrations folder written by the real Aerich 0.10.1 is applied and continued by ours."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import TEST_DB

FIXTURE = Path(__file__).parent / "fixtures" / "aerich_0_10_1"


@pytest.fixture
def aerich_project(project):
    folder = FIXTURE / TEST_DB
    if not folder.is_dir():
        pytest.skip(f"no Aerich 0.10.1 fixture for {TEST_DB}")
    shutil.copytree(folder, project.path / "migrations" / "models")
    project.write("models.py", (FIXTURE / "models.py").read_text())
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    return project


async def test_real_aerich_history_is_applied_and_continued(aerich_project):
    project = aerich_project
    files = project.migrations()
    out = project.aerich("upgrade").stdout
    assert [line.split()[-1] for line in out.splitlines() if line.startswith("Success")] == files
    await project.execute("INSERT INTO authors (name, rating, bio) VALUES ('ann', 1, 'hi')")
    await project.execute("INSERT INTO book (title, author_id) VALUES ('b', 1)")
    # Aerich's recorded state is read: the models match the last Aerich migration
    assert project.aerich("migrate", "--no-input").stdout.strip() == "No changes detected"

    project.write("models.py", (FIXTURE / "models.py").read_text().replace(
        'title = fields.CharField(max_length=100)', 'title = fields.CharField(max_length=100)\n    pages = fields.IntField(null=True)'))
    out = project.aerich("migrate", "--name", "pages", "--no-input").stdout
    assert "Success creating migration file 2_" in out
    project.aerich("upgrade")
    assert [tuple(r.values()) for r in await project.rows("SELECT title, pages FROM book")] == [("b", None)]
    # downgrade through ours and then Aerich's own migration
    project.aerich("downgrade", "--yes")
    project.aerich("downgrade", "--yes")
    assert [tuple(r.values()) for r in await project.rows("SELECT name, rating FROM authors")] == [("ann", 1)]
    assert "bio" not in (await project.rows("SELECT * FROM authors"))[0]
    assert project.aerich("heads").stdout.split() == project.migrations()[1:]


async def test_files_without_models_state(project):
    """Aerich before 0.8 kept no MODELS_STATE in files: they apply; `migrate` says what to do."""
    project.models("class Item(Model):\n    name = fields.CharField(max_length=20)\n")
    project.aerich("init", "-t", "settings.TORTOISE_ORM")
    project.aerich("migrate")
    [first] = project.migrations()
    path = project.path / "migrations" / "models" / first
    path.write_text(path.read_text().split("MODELS_STATE = ")[0])
    assert f"Success upgrading to {first}" in project.aerich("upgrade").stdout
    failed = project.aerich("migrate", ok=False)
    assert failed.returncode == 1 and "has no MODELS_STATE" in failed.stderr and failed.stderr.count("\n") == 1
    project.aerich("migrate", "--name", "baseline", "--empty")
    project.aerich("upgrade")
    assert project.aerich("migrate").stdout.strip() == "No changes detected"
    await project.execute("INSERT INTO item (name) VALUES ('x')")
