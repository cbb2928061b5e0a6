"""A project laid out as seed 002 shows runs under the real Unfazed framework on Aldabra."""
from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.compat_dists.conftest import DATABASES
from tests.conftest import TEST_DB, fresh_db_url

PROJECT = Path(__file__).parent / "unfazed_project"
pytestmark = pytest.mark.venv

# The fields seed 002 declares, with a column each (a FK as its "<name>_id").
USER_FIELDS = [
    "date_joined", "email", "first_name", "id", "is_active", "is_staff", "last_login", "last_name",
    "password_hash", "username",
]
ORDER_FIELDS = ["created_at", "id", "order_number", "status", "total_amount", "updated_at", "user_id"]


def unfazed_database(db_url: str, tmp_path: Path) -> tuple[str, dict]:
    """(URL for creating/dropping the database, the same database as Unfazed's CONNECTIONS entry)."""
    if TEST_DB == "sqlite":
        path = tmp_path / "unfazed.sqlite3"
        return f"sqlite://{path}", {"ENGINE": "tortoise.backends.sqlite", "CREDENTIALS": {"FILE_PATH": str(path)}}
    url = urlsplit(db_url)
    engine = {"postgres": "tortoise.backends.asyncpg", "mysql": "tortoise.backends.mysql"}[TEST_DB]
    credentials = {
        "HOST": url.hostname, "PORT": url.port, "USER": url.username, "PASSWORD": url.password or "",
        "DATABASE": url.path.lstrip("/"),
    }
    return db_url, {"ENGINE": engine, "CREDENTIALS": credentials}


SKU_FIELD = '    sku = fields.CharField(max_length=20, null=True, description="Stock keeping unit")\n'


@pytest.fixture(scope="module")
def project_run(request: pytest.FixtureRequest, python312: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the project on a fresh database: `unfazed-cli init-db`, the app served (two
    start-ups, every endpoint), a model change through `unfazed-cli migrate` / `upgrade`, and
    the other read-only migration commands.  Returns what each step printed."""
    if TEST_DB not in DATABASES:  # before building anything: the module fixture runs first
        pytest.skip(f"runs on {', '.join(DATABASES)} (the {TEST_DB} run shares a server with one of them)")
    venv = request.getfixturevalue("unfazed_venv")
    project = shutil.copytree(PROJECT, tmp_path_factory.mktemp("unfazed_run") / "project")
    url, connection = unfazed_database(fresh_db_url(), project)
    env = {"ALDABRA_UNFAZED_DB": json.dumps(connection), "PYTHONWARNINGS": "ignore"}

    def cli(*args: str) -> str:
        return venv.command("unfazed-cli", *args, env=env, cwd=project)

    out: dict = {}
    venv.run(project / "run_project.py", "create", url, env=env, cwd=project)
    try:
        out["init-db"] = cli("init-db")
        out["heads-empty"] = cli("heads")
        served = venv.run(project / "run_project.py", "serve", url, env=env, cwd=project)
        out["served"] = json.loads(served.strip().splitlines()[-1])
        with open(project / "myapp" / "products" / "models.py", "a") as models:
            models.write(SKU_FIELD)
        out["migrate"] = cli("migrate", "--name", "add_sku")
        out["heads"] = cli("heads")
        out["upgrade"] = cli("upgrade")
        out["history"] = cli("history")
        out["inspectdb"] = cli("inspectdb", "-t", "products")
        out["migration_files"] = sorted(p.name for p in (project / "migrations" / "models").glob("*.py"))
    finally:
        venv.run(project / "run_project.py", "drop", url, env=env, cwd=project)
    return out


@pytest.fixture(scope="module")
def project_results(project_run: dict) -> dict:
    return project_run["served"]


def test_the_app_starts_twice_and_serves_the_seed_queries(project_results: dict):
    found = project_results
    assert (found["tortoise_orm"], found["aerich"]) == ("1.1.9+aldabra", "0.10.1+aldabra")
    # without APPS in the settings Unfazed adds aerich.models itself
    assert found["apps"] == {"models": ["Aerich", "Article", "Order", "Product", "Tag", "User", "UserProfile"]}
    assert found["seed"] == {"david_created": True, "david_created_again": False, "same_david": True}
    assert found["basic"] == {
        "alice_password_ok": True,
        "missing": None,
        "first": "alice",
        "active": ["alice", "bob", "charlie", "david"],
        "recent_not_staff": ["alice", "bob", "david"],
        "by_first_name": ["alice", "bob", "charlie", "david"],
        "latest_count": 4,
        "page_2": ["charlie", "david"],
    }
    assert found["filters"] == {
        "icontains": ["alice"],
        "endswith": ["charlie"],
        "startswith": ["alice"],
        "id_range": ["bob", "charlie"],
        "id_in": ["alice", "bob", "charlie", "david"],
        "joined_this_year": 4,
        "joined_this_month": 4,
        "never_logged_in": ["alice", "bob", "charlie"],
        "logged_in": ["david"],
        "q_or": ["alice"],
        "q_and": ["alice", "bob", "david"],
        "q_not": ["bob", "charlie", "david"],
        "q_combined": ["alice", "bob"],
    }


def test_aggregates_relations_and_updates(project_results: dict):
    orders = project_results["orders"]
    stats = {k: Decimal(str(v)).quantize(Decimal("0.01")) for k, v in orders.pop("stats").items()}
    assert stats == {
        "total_orders": 3, "total_revenue": Decimal("259.98"), "avg_order_value": Decimal("86.66"),
        "max_order_value": Decimal("149.99"), "min_order_value": Decimal("10.00"),
    }
    per_user = [[uid, count, Decimal(total)] for uid, count, total in orders.pop("per_user")]
    assert per_user == [[1, 2, Decimal("249.98")], [2, 1, Decimal("10.00")]]
    assert orders == {
        "pending": [["ORD-001", "alice"], ["ORD-002", "alice"]],
        "alice_orders": ["ORD-001", "ORD-002"],
        "alice_recent": 2,
        "has_orders": True,
        "delivered": ["ORD-003"],
    }
    assert project_results["relations"] == {
        "bio": "Software Developer",
        "profile_user": "bob",
        "articles": [["Tortoise ORM Guide", "alice", ["Async Programming", "Python"]]],
        "python_articles": ["Tortoise ORM Guide"],
        "with_python_tag": ["Tortoise ORM Guide"],
        "order_counts": {"alice": 2, "bob": 1, "charlie": 0, "david": 0},
        "usernames": ["alice", "bob", "charlie", "david"],
        "values": [{"id": 1, "username": "alice", "email": "alice@example.com"}],
    }
    assert project_results["cleanup"] == {"raised_price": "13.50", "deleted_products": 1, "inactive": ["bob"]}


def test_the_serializer_sees_every_field(project_results: dict):
    found = project_results["serialized"]
    assert found["user_fields"] == USER_FIELDS
    assert found["order_fields"] == ORDER_FIELDS
    assert found["user_descriptions"]["username"] == "Username"
    assert found["user_descriptions"]["last_login"] == "Last login time"
    users = found["users"]
    assert users["count"] == 4
    assert [u["username"] for u in users["data"]] == ["alice", "bob"]
    assert set(users["data"][0]) == set(USER_FIELDS)
    assert users["data"][0]["is_active"] is True and users["data"][0]["last_login"] is None
    order = found["order"]
    assert set(order) == set(ORDER_FIELDS)
    assert (order["order_number"], order["user_id"], order["status"]) == ("ORD-001", 1, "pending")
    assert Decimal(order["total_amount"]) == Decimal("99.99")


def test_unfazed_cli_migration_commands(project_run: dict):
    """Seed 002's `unfazed-cli` commands on Aldabra's aerich.  (`unfazed-cli downgrade` is left
    out: Unfazed 0.0.25 declares its option as `--detele` and then reads `delete`, so it fails
    before reaching the migration engine.)"""
    assert "Success create app migrate location migrations/models" in project_run["init-db"]
    assert 'Success generate schema for app "models"' in project_run["init-db"]
    assert "No available heads" in project_run["heads-empty"]
    init, add_sku = project_run["migration_files"]
    assert re.fullmatch(r"0_\d{14}_init\.py", init) and re.fullmatch(r"1_\d{14}_add_sku\.py", add_sku)
    assert f"Success migrate {add_sku}" in project_run["migrate"]
    assert project_run["heads"].split() == [add_sku]
    assert f"Success upgrade {add_sku}" in project_run["upgrade"]
    assert project_run["history"].split() == [init, add_sku]
    inspected = project_run["inspectdb"]
    assert "class Products(Model):" in inspected and 'table = "products"' in inspected
    assert re.search(r"^    sku = fields\.CharField\(max_length=20, null=True", inspected, re.M)
    assert re.search(r"^    price = fields\.DecimalField\(max_digits=10, decimal_places=2", inspected, re.M)
