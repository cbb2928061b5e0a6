"""Run inside the Unfazed virtualenv (Python >= 3.12), in a copy of this project.

    python run_project.py create DB_URL   create the (empty) database Unfazed will use
    python run_project.py serve DB_URL    start the app twice in one process, as Unfazed's
                                          own test set-up does, call every endpoint and
                                          print one JSON line {endpoint: response body}
    python run_project.py drop DB_URL     drop the database

ALDABRA_UNFAZED_DB holds the same database for settings.py.
"""
import asyncio
import json
import os
import sys
import warnings
from importlib.metadata import version

os.environ.setdefault("UNFAZED_SETTINGS_MODULE", "settings")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tortoise import Tortoise  # noqa: E402
from unfazed.core import Unfazed  # noqa: E402
from unfazed.test import Requestfactory  # noqa: E402

GETS = ("basic", "filters", "orders", "relations", "serialized")


async def create(db_url: str) -> None:
    await Tortoise.init(db_url=db_url, modules={"models": []}, _create_db=True)
    await Tortoise.close_connections()


async def drop(db_url: str) -> None:
    await Tortoise.init(db_url=db_url, modules={"models": []})
    await Tortoise._drop_databases()


async def serve(db_url: str) -> dict:
    found: dict = {"tortoise_orm": version("tortoise-orm"), "aerich": version("aerich")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # Unfazed's notice about tortoise-orm < 1.0
        first = Unfazed(silent=True)
        await first.setup()
        await first.migrate()  # generate_schemas(), as seed 002's conftest does
        async with Requestfactory(first) as client:
            found["seed"] = (await client.post("/api/seed")).json()
        # a second application in the same process initialises the ORM again
        second = Unfazed(silent=True)
        await second.setup()
    found["apps"] = {label: sorted(models) for label, models in Tortoise.apps.items()}
    async with Requestfactory(second) as client:
        for name in GETS:
            response = await client.get(f"/api/{name}")
            found[name] = response.json() if response.status_code == 200 else {"status": response.status_code, "body": response.text}
        found["cleanup"] = (await client.post("/api/cleanup")).json()
    await Tortoise.close_connections()
    return found


if __name__ == "__main__":
    action, url = sys.argv[1:3]
    result = asyncio.run({"create": create, "serve": serve, "drop": drop}[action](url))
    if result is not None:
        print(json.dumps(result, default=str))
