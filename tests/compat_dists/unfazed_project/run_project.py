"""Run inside the Unfazed virtualenv (Python >= 3.12): start this project twice in one
process, as Unfazed's own test set-up does, and call every endpoint.

Usage: python run_project.py DB_URL  (ALDABRA_UNFAZED_DB holds the same database for
settings.py).  Prints one JSON line {endpoint: response body} for the test.
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


async def main(db_url: str) -> dict:
    # the database itself: Unfazed expects it to exist
    await Tortoise.init(db_url=db_url, modules={"models": []}, _create_db=True)
    await Tortoise.close_connections()
    found: dict = {"tortoise_orm": version("tortoise-orm"), "aerich": version("aerich")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # Unfazed's notice about tortoise-orm < 1.0
            first = Unfazed(silent=True)
            await first.setup()
            await first.migrate()
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
    finally:
        await Tortoise._drop_databases()
    return found


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1])), default=str))
