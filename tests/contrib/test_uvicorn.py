"""The example apps under a real uvicorn process: lifespan in the server's task, requests over
HTTP on a loopback port chosen by the system, then a graceful shut-down.

The Nexios app runs with the third-party ``nexios_contrib.tortoise`` (the seed's import).
"""
from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import httpx

from tests.contrib.test_nexios import blog_scenario, third_party_url

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60
STOP_TIMEOUT = 30


@asynccontextmanager
async def uvicorn_serving(app: str, **env: str) -> AsyncIterator[httpx.AsyncClient]:
    """Run ``uvicorn <app>`` on 127.0.0.1 and a free port; yield a client; stop it with SIGINT."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", "0",
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    log: list[str] = []
    try:
        url = await asyncio.wait_for(_served_url(process, log), START_TIMEOUT)
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield client
        process.send_signal(signal.SIGINT)
        rest = await asyncio.wait_for(process.stderr.read(), STOP_TIMEOUT)
        log.append(rest.decode())
        assert await asyncio.wait_for(process.wait(), STOP_TIMEOUT) == 0, "".join(log)
        assert "Application shutdown complete" in "".join(log), "".join(log)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _served_url(process: asyncio.subprocess.Process, log: list[str]) -> str:
    """Read uvicorn's log until it has run the lifespan start-up and says where it listens."""
    url = None
    started = False
    while not (url and started):
        line = (await process.stderr.readline()).decode()
        if not line:
            raise AssertionError("uvicorn stopped before serving:\n" + "".join(log))
        log.append(line)
        found = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
        url = url or (found and found.group(1))
        started = started or "Application startup complete" in line
    return url


async def test_fastapi_example_under_uvicorn(app_db_url):
    async with uvicorn_serving("examples.fastapi_app:app", DATABASE_URL=app_db_url) as http:
        made = await http.post("/users", json={"email": "u@example.com", "username": "u", "password": "pw"})
        assert made.status_code == 201, made.text
        user = made.json()
        assert (await http.get(f"/users/{user['id']}")).json() == user
        clash = await http.post("/users", json={"email": "u@example.com", "username": "v", "password": "pw"})
        assert (clash.status_code, clash.json()) == (409, {"detail": "Email already registered"})
        for number in ("A-1", "A-2"):
            assert (await http.post(f"/users/{user['id']}/orders", json={"order_number": number, "total": "10.5"})).status_code == 201
        orders = (await http.get(f"/users/{user['id']}/orders")).json()
        assert sorted((o["order_number"], o["total"]) for o in orders) == [("A-1", 10.5), ("A-2", 10.5)]
        detail = (await http.get(f"/orders/{orders[0]['id']}")).json()
        assert (detail["order_number"], detail["status"]) == (orders[0]["order_number"], "pending")
        assert (await http.get(f"/users/{user['id'] + 1}")).status_code == 404
        assert (await http.post(f"/users/{user['id'] + 1}/orders", json={"order_number": "B"})).status_code == 404


@third_party_url
async def test_nexios_example_with_nexios_contrib_under_uvicorn(app_db_url):
    env = {"DATABASE_URL": app_db_url, "NEXIOS_TORTOISE": "nexios-contrib"}
    async with uvicorn_serving("examples.nexios_app:app", **env) as http:
        await blog_scenario(http)
