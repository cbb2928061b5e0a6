"""Migration files written by the real Tortoise ORM 1.1.9 (``fixtures/tortoise_1_1_9*``,
see their READMEs) are applied, checked and reverted by Aldabra's ``tortoise`` script."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_DB
from tests.migrations.conftest import GENERATE, catalog, fresh_url, raw_client

FIXTURE = Path(__file__).parent / "fixtures" / "tortoise_1_1_9"
TWO_APPS = Path(__file__).parent / "fixtures" / "tortoise_1_1_9_two_apps"
MIGRATIONS = ["0001_initial", "0002_add_weight_rating", "0003_rename_alter", "0004_fourth", "0005_fifth"]


@pytest.fixture
def shop(project):
    shutil.copytree(FIXTURE / "shop", project.path / "shop")
    project.write(
        "settings.py",
        f'TORTOISE_ORM = {{"connections": {{"default": "{project.db_url}"}}, "apps": {{"shop": '
        '{"models": ["shop.models"], "default_connection": "default", "migrations": "shop.migrations"}}}\n',
    )
    return project


async def generated_catalog(project, folder: Path) -> dict:
    """The schema ``generate_schemas()`` makes of the fixture's models, on a database of its own."""
    folder.mkdir()
    url = fresh_url(folder)
    admin = raw_client(url)
    if TEST_DB != "sqlite":
        await admin.db_create()
    try:
        script = GENERATE.replace("settings.TORTOISE_ORM", f"{{**settings.TORTOISE_ORM, 'connections': {{'default': {url!r}}}}}")
        result = subprocess.run([sys.executable, "-c", script], cwd=project.path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return await catalog(url)
    finally:
        if TEST_DB != "sqlite":
            await admin.db_delete()


async def assert_schema_as_generated(project, tmp_path: Path) -> None:
    """The migrated database has the schema ``generate_schemas()`` makes of the models."""
    migrated = await catalog(project.db_url)
    migrated.pop("tortoise_migrations")
    if "<relations>" in migrated:  # the recorder's own key, sequence and unique index
        migrated["<relations>"] = [r for r in migrated["<relations>"] if "tortoise_migrations" not in r]
    generated = await generated_catalog(project, tmp_path / "generated")
    assert migrated.pop("<relations>", None) == generated.pop("<relations>", None)
    assert migrated == generated


async def test_tortoise_1_1_9_history_is_migrated_checked_and_reverted(shop, tmp_path):
    shop.tortoise("migrate", "shop", "0003_rename_alter")
    await shop.execute("INSERT INTO shop_category (name, position) VALUES ('tools', 1)")
    await shop.execute("INSERT INTO product (sku, name, price, stock, active, created_at, category_id, rating) "
                       "VALUES ('s1', 'saw', 9.5, 2, TRUE, CURRENT_TIMESTAMP, 1, 4)")
    await shop.execute("INSERT INTO tag (title) VALUES ('sharp')")
    await shop.execute("INSERT INTO product_tag (product_id, tag_id) VALUES (1, 1)")
    shop.tortoise("migrate", "shop", "0004_fourth")
    assert await shop.rows("SELECT title FROM label") == [{"title": "sharp"}]  # the renamed model's table followed it
    assert [r["sku"] for r in await shop.rows("SELECT sku FROM product")] == ["s1"]
    await shop.execute("DELETE FROM product")  # 0005 adds a required key without a default: no rows may be there

    out = shop.tortoise("migrate").stdout
    assert [line.split()[1].rstrip(".") for line in out.splitlines() if line.startswith("Applying")] == ["shop.0005_fifth"]
    assert shop.tortoise("makemigrations", "--check").stdout.strip() == "No changes detected"
    await assert_schema_as_generated(shop, tmp_path)

    out = shop.tortoise("downgrade", "shop", "0001_initial").stdout
    assert [line.split()[1].rstrip(".") for line in out.splitlines() if line.startswith("Unapplying")] == [f"shop.{m}" for m in MIGRATIONS[:0:-1]]
    assert await shop.rows("SELECT label FROM tag") == [{"label": "sharp"}]  # renames reverted, data kept
    assert not await shop.has("SELECT rating FROM product") and not await shop.has("SELECT position FROM shop_category")
    assert await shop.has("SELECT category_id FROM product") and await shop.has("SELECT tag_id FROM product_tag")

    shop.tortoise("downgrade", "shop")
    assert not await shop.has("SELECT id FROM product") and not await shop.has("SELECT product_id FROM product_tag")
    shop.tortoise("migrate", "shop")
    assert "shop 0005_fifth" in shop.tortoise("history").stdout
    assert shop.tortoise("makemigrations", "--check").returncode == 0

    # the history goes on with Aldabra's own migrations
    models = shop.path / "shop" / "models.py"
    models.write_text(models.read_text().replace("    rating = ", "    color = fields.CharField(max_length=10, null=True)\n    rating = "))
    shop.tortoise("makemigrations", "-n", "color")
    assert "dependencies = [('shop', '0005_fifth')]" in (shop.path / "shop" / "migrations" / "0006_color.py").read_text()
    shop.tortoise("migrate")
    assert await shop.has("SELECT color FROM product") and shop.tortoise("makemigrations", "--check").returncode == 0
    shop.tortoise("downgrade", "shop", "0005_fifth")
    assert not await shop.has("SELECT color FROM product")


@pytest.fixture
def zoo(project):
    for app in ("people", "zoo"):
        shutil.copytree(TWO_APPS / app, project.path / app)
    project.write(
        "settings.py",
        f'TORTOISE_ORM = {{"connections": {{"default": "{project.db_url}"}}, "apps": {{'
        '"people": {"models": ["people.models"], "default_connection": "default"}, '
        '"zoo": {"models": ["zoo.models"], "default_connection": "default"}}}\n',
    )
    return project


async def test_two_apps_with_relations_across_them(zoo, tmp_path):
    """A UUID key, enum/JSON/binary/time fields, a one-to-one primary key, relations to the
    other app's model (which Tortoise's first migration does not declare as a dependency)."""
    out = zoo.tortoise("migrate").stdout
    assert "Applying people.0001_initial" in out and "Applying zoo.0002_more" in out
    assert zoo.tortoise("makemigrations", "--check").stdout.strip() == "No changes detected"
    await assert_schema_as_generated(zoo, tmp_path)

    await zoo.execute("INSERT INTO keeper (id, name) VALUES ('5b0e1c1e-0000-4000-8000-000000000001', 'kim')")
    await zoo.execute("INSERT INTO animal (name, kind, weight, updated, keeper_id, nick) "
                      "VALUES ('rex', 'dog', 2.5, CURRENT_TIMESTAMP, '5b0e1c1e-0000-4000-8000-000000000001', 'r')")
    await zoo.execute("INSERT INTO passport (animal_id, code, price, big) VALUES (1, 'P1', 1.5, 7)")
    await zoo.execute("INSERT INTO passport_keeper (passport_id, keeper_id) VALUES (1, '5b0e1c1e-0000-4000-8000-000000000001')")

    zoo.tortoise("downgrade", "zoo", "0001_initial")
    assert not await zoo.has("SELECT nick FROM animal") and not await zoo.has("SELECT passport_id FROM passport_keeper")
    assert await zoo.rows("SELECT code FROM passport") == [{"code": "P1"}]
    zoo.tortoise("migrate", "zoo")
    assert zoo.tortoise("makemigrations", "--check").returncode == 0
