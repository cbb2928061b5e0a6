"""Restart the local PostgreSQL and/or MariaDB server for real while 100 tasks keep working.

    .venv/bin/python -m tools.restart_under_load            # both servers, one after the other
    .venv/bin/python -m tools.restart_under_load postgres --tasks 100 --seconds 10
    .venv/bin/python -m tools.restart_under_load --terminate-only   # no restart: the server
                                                                    # ends the load's sessions

Opt-in only, never part of the test suite: a restart disturbs everyone using the server.
Needs root (pg_ctlcluster, mysqladmin shutdown + start-stop-daemon, as in .ci/run).

Each task loops over an autocommit INSERT, a SELECT and a two-row transaction on one
client (pool of 10) that is never re-created.  Printed: operations, failures by kind,
how long the server was unusable as the client saw it, and the checks: every committed
row present once, no row twice, no transaction half there.  A failure whose statement was
certainly not sent (a connection refused, not lost mid-statement) counts as a defect: the
exit status is 1 if there is one or if a check fails.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
import sys
import time
import uuid
from typing import Any

from tortoise.backends.asyncpg import client_class as PostgresClient
from tortoise.backends.mysql import client_class as MySQLClient
from tortoise.exceptions import BaseORMException, DBConnectionError

SERVERS: dict[str, dict[str, Any]] = {
    "postgres": {
        "client": PostgresClient,
        "credentials": {"host": "127.0.0.1", "port": 5432, "user": "postgres"},
        "table": "CREATE TABLE item (id SERIAL PRIMARY KEY, name VARCHAR(80) NOT NULL)",
        "restart": [
            'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart',
        ],
        "terminate": "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
    },
    "mysql": {
        "client": MySQLClient,
        "credentials": {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""},
        "table": "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL) ENGINE=InnoDB",
        "restart": [
            "mysqladmin -h 127.0.0.1 -uroot shutdown",
            # mysqladmin returns before the server has exited; starting a second one
            # meanwhile is a no-op (--oknodo), leaving no server at all
            "for i in $(seq 1 120); do pidof mariadbd >/dev/null || exit 0; sleep 0.25; done; exit 1",
            "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
            "for i in $(seq 1 120); do mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && exit 0; sleep 0.25; done; exit 1",
        ],
        "terminate": "SELECT id FROM information_schema.processlist WHERE db = '{}'",
    },
}


def failure_kind(op: str, exc: BaseException) -> str:
    """e.g. ``insert: DBConnectionError (lost mid-statement)``."""
    text = str(exc)
    if isinstance(exc, DBConnectionError):
        detail = "lost mid-statement" if "was lost" in text else "not sent: could not connect"
    elif "may or may not have committed" in text:
        detail = "lost during COMMIT"
    elif "lost inside this transaction" in text or "rolled back" in text:
        detail = "transaction rolled back by the loss"
    else:
        detail = text[:60]
    return f"{op}: {type(exc).__name__} ({detail})"


class Load:
    def __init__(self, db: Any, tasks: int, seconds: float) -> None:
        self.db, self.tasks, self.seconds = db, tasks, seconds
        self.insert = f"INSERT INTO item (name) VALUES ({db.dialect.placeholder(0)})"
        self.ops = 0
        self.committed: collections.Counter = collections.Counter()
        self.maybe: set[str] = set()
        self.failures: collections.Counter = collections.Counter()
        self.samples: dict[str, str] = {}  # failure kind → its first message
        self.first_failure: float | None = None
        self.last_failure: float | None = None

    async def run(self) -> None:
        deadline = time.monotonic() + self.seconds
        await asyncio.gather(*(self.worker(t, deadline) for t in range(self.tasks)))

    async def worker(self, t: int, deadline: float) -> None:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            kind, rows = "insert", [f"{t}-{n}"]
            if n % 3 == 1:
                kind, rows = "transaction", [f"{t}-{n}a", f"{t}-{n}b"]
            elif n % 3 == 2:
                kind, rows = "select", []
            self.ops += 1
            began = time.monotonic()
            try:
                if kind == "insert":
                    await self.db.execute_insert(self.insert, (rows[0],))
                elif kind == "select":
                    await self.db.fetch_rows("SELECT COUNT(*) FROM item")
                else:
                    async with self.db._in_transaction() as tx:
                        for row in rows:
                            await tx.execute_insert(self.insert, (row,))
                self.committed.update(rows)
            except BaseORMException as exc:
                now = time.monotonic()
                self.first_failure = self.first_failure or now
                self.last_failure = now
                self.failures[failure_kind(kind, exc)] += 1
                self.samples.setdefault(failure_kind(kind, exc), f"after {now - began:.2f} s: {exc}")
                self.maybe.update(rows)
            await asyncio.sleep(0.005)


async def restart(commands: list[str]) -> float:
    started = time.monotonic()
    for command in commands:
        process = await asyncio.create_subprocess_shell(
            command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        _, err = await process.communicate()
        if process.returncode:
            raise RuntimeError(f"{command!r} failed: {err.decode().strip()}")
    return time.monotonic() - started


async def terminate_sessions(server: dict[str, Any], database: str) -> float:
    """The gentle fault: the server ends every session of the load's database (no restart)."""
    started = time.monotonic()
    admin = server["client"](connection_name="admin", database=database, **server["credentials"])
    try:
        rows = await admin.fetch_rows(server["terminate"].format(database))
        if server["client"] is MySQLClient:
            for (thread_id,) in rows:
                try:
                    await admin.execute_script(f"KILL {int(thread_id)}")
                except BaseORMException:
                    pass  # already gone, or our own session
    finally:
        await admin.close()
    return time.monotonic() - started


async def wait_until_up(db: Any, limit: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            await db.fetch_rows("SELECT 1")
            return time.monotonic() - started
        except BaseORMException:
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not come back")


async def scenario(name: str, tasks: int, seconds: float, restart_at: float, gentle: bool) -> bool:
    server = SERVERS[name]
    database = f"aldabra_restart_{uuid.uuid4().hex[:10]}"
    db = server["client"](connection_name=name, database=database, minsize=1, maxsize=10,
                          reconnect_timeout=90, **server["credentials"])
    await db.db_create()
    await db.execute_script(server["table"])
    load = Load(db, tasks, seconds)
    running = asyncio.create_task(load.run())
    await asyncio.sleep(restart_at)
    restart_started = time.monotonic()
    if gentle:
        restart_seconds = await terminate_sessions(server, database)
    else:
        restart_seconds = await restart(server["restart"])
    await running
    await wait_until_up(db)

    stored = collections.Counter(row[0] for row in await db.fetch_rows("SELECT name FROM item"))
    doubled = [k for k, v in stored.items() if v > 1]
    lost = [k for k in load.committed if k not in stored]
    unknown = [k for k in stored if k not in load.committed and k not in load.maybe]
    half = {k[:-1] for k in stored if k[-1] in "ab" and (k[:-1] + "a" in stored) != (k[:-1] + "b" in stored)}
    not_sent = sum(v for k, v in load.failures.items() if "not sent" in k and not k.startswith("transaction"))
    await db.db_delete()

    what = "sessions terminated" if gentle else "restart"
    print(f"== {name}: {tasks} tasks for {seconds:g} s, {what} at {restart_at:g} s "
          f"(took {restart_seconds:.1f} s)")
    print(f"   operations: {load.ops}, failed: {sum(load.failures.values())}")
    for kind, count in sorted(load.failures.items()):
        print(f"     {count:6d}  {kind}")
        print(f"             e.g. {load.samples[kind][:300]}")
    if load.first_failure is not None:
        print(f"   failures seen from +{load.first_failure - restart_started:.2f} s to "
              f"+{load.last_failure - restart_started:.2f} s after the restart began")
    else:
        print("   no operation failed")
    print(f"   committed rows: {sum(load.committed.values())}; stored: {sum(stored.values())}; "
          f"lost: {len(lost)}; doubled: {len(doubled)}; half transactions: {len(half)}; "
          f"unknown rows: {len(unknown)}; failures with the statement never sent: {not_sent}")
    return not (lost or doubled or half or unknown or not_sent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("servers", nargs="*", help=f"any of {', '.join(SERVERS)} (default: all)")
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--restart-at", type=float, default=2)
    parser.add_argument("--terminate-only", action="store_true",
                        help="end the load's sessions on the server instead of restarting it")
    args = parser.parse_args()
    logging.getLogger("asyncpg").setLevel(logging.ERROR)  # its own reconnect attempts
    if not args.terminate_only and os.geteuid() != 0:
        print("needs root to restart the servers", file=sys.stderr)
        return 2
    unknown = set(args.servers) - set(SERVERS)
    if unknown:
        parser.error(f"unknown server(s) {', '.join(sorted(unknown))}; choose from {', '.join(SERVERS)}")
    ok = True
    for name in args.servers or list(SERVERS):
        ok &= asyncio.run(scenario(name, args.tasks, args.seconds, args.restart_at, args.terminate_only))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
