"""Native CLI tests: temporary projects driven through the real ``tortoise`` script,
each with its own fresh database (see tests/migrations/conftest.py)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.migrations.conftest import _db_for_each_test  # noqa: F401 - fixture re-used
from tests.migrations.conftest import Project, project_on_fresh_db

TORTOISE = str(Path(sys.executable).with_name("tortoise"))


class NativeProject(Project):
    """An app package ``blog`` (models in blog/models.py, migrations in blog/migrations)."""

    def models(self, body: str) -> None:
        (self.path / "blog").mkdir(exist_ok=True)
        (self.path / "blog" / "__init__.py").touch()
        self.write("blog/models.py", "from tortoise import fields\nfrom tortoise.models import Model\n\n" + textwrap.dedent(body))

    def settings(self, modules: str = '["blog.models"]') -> None:
        self.write(
            "settings.py",
            f'TORTOISE_ORM = {{"connections": {{"default": "{self.db_url}"}}, '
            f'"apps": {{"blog": {{"models": {modules}, "default_connection": "default"}}}}}}\n',
        )

    def tortoise(self, *args: str, ok: bool = True, config: bool = True, env: dict[str, str] | None = None, input: str = "") -> subprocess.CompletedProcess:
        full_env = {**os.environ, "PYTHONPATH": str(self.path), **(env or {})}
        command = [TORTOISE, *(["-c", "settings.TORTOISE_ORM"] if config else []), *args]
        result = subprocess.run(command, cwd=self.path, input=input, capture_output=True, text=True, env=full_env, timeout=120)
        if ok and result.returncode != 0:
            raise AssertionError(f"tortoise {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def migration_files(self) -> list[str]:
        folder = self.path / "blog" / "migrations"
        return sorted(p.stem for p in folder.glob("0*.py")) if folder.is_dir() else []

    async def has(self, sql: str) -> bool:
        """Whether a query runs (a table or column exists)."""
        try:
            await self.rows(sql)
        except Exception:
            return False
        return True


@pytest.fixture
async def project(tmp_path: Path):
    async with project_on_fresh_db(tmp_path, NativeProject) as proj:
        yield proj
