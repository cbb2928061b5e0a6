"""Restart PostgreSQL and/or MariaDB for real while 100 tasks keep working on one client.

    .venv/bin/python -m tools.restart_under_load            # every client, one after the other
    .venv/bin/python -m tools.restart_under_load postgres --tasks 100 --seconds 10
    .venv/bin/python -m tools.restart_under_load mysql --kill   # SIGKILL instead of a clean stop
    .venv/bin/python -m tools.restart_under_load --terminate-only   # no restart: the server
                                                                    # ends the load's sessions
    .venv/bin/python -m tools.restart_under_load --system   # restart the shared local services

By default each run starts a private server of its own (``tools/private_servers.py``: a
temporary PostgreSQL cluster or MariaDB datadir on a free port of 127.0.0.1) and restarts
that one, so the shared services other tests use are never touched.  ``--system``
restarts the machine's services instead (root, pg_ctlcluster / mysqladmin, as .ci/run).

Each task loops over an autocommit INSERT, a SELECT and a two-row transaction on one
client (pool of 10) that is never re-created.  Printed: operations, failures by kind,
how long the load made no progress and how long it took to succeed again once the server
was back, and the checks: every committed row present once, no row twice, no
transaction half there, and no row stored that neither a success nor a failure saying
the outcome is unknown (an autocommit INSERT "lost mid-statement", a transaction "lost
during COMMIT") accounts for - a transaction whose statement was cut off, reported as
rolled back, must have left nothing.  A failure outside a transaction whose statement was certainly
not sent (a connection refused, not lost mid-statement) counts as a defect: the exit
status is 1 if there is one or if a check fails.
"""
from __future__ import annotations

import argparse
import asyncio
import bisect
import collections
import contextlib
import logging
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

from tools.private_servers import PRIVATE, PrivateServer
from tortoise.backends.asyncpg import client_class as AsyncpgClient
from tortoise.backends.mysql import client_class as MySQLClient
from tortoise.backends.psycopg import client_class as PsycopgClient
from tortoise.exceptions import BaseORMException, DBConnectionError

PG_TABLE = "CREATE TABLE item (id SERIAL PRIMARY KEY, name VARCHAR(80) NOT NULL)"
PG_TERMINATE = ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")
PG_RESTART = ['pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart']

#: client name → its driver client, server kind and SQL
CLIENTS: dict[str, dict[str, Any]] = {
    "postgres": {"client": AsyncpgClient, "server": "postgres", "table": PG_TABLE, "terminate": PG_TERMINATE},
    "psycopg": {"client": PsycopgClient, "server": "postgres", "table": PG_TABLE, "terminate": PG_TERMINATE},
    "mysql": {
        "client": MySQLClient,
        "server": "mysql",
        "table": "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL) ENGINE=InnoDB",
        "terminate": "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()",
    },
}

#: the machine's shared services (``--system``)
SYSTEM: dict[str, dict[str, Any]] = {
    "postgres": {"credentials": {"host": "127.0.0.1", "port": 5432, "user": "postgres"}, "restart": PG_RESTART},
    "mysql": {
        "credentials": {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""},
        "restart": [
            "mysqladmin -h 127.0.0.1 -uroot shutdown",
            # mysqladmin returns before the server has exited; starting a second one
            # meanwhile is a no-op (--oknodo), leaving no server at all
            "for i in $(seq 1 120); do pidof mariadbd >/dev/null || exit 0; sleep 0.25; done; exit 1",
            "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
            "for i in $(seq 1 120); do mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && exit 0; sleep 0.25; done; exit 1",
        ],
    },
}


class SystemServer:
    """The shared local service, restarted with the commands of ``SYSTEM`` (needs root)."""

    def __init__(self, kind: str) -> None:
        self.credentials = SYSTEM[kind]["credentials"]
        self.commands = SYSTEM[kind]["restart"]

    async def restart(self, hard: bool = False, down: float = 0.0) -> None:
        for command in self.commands:
            process = await asyncio.create_subprocess_shell(
                command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
            )
            _, err = await process.communicate()
            if process.returncode:
                raise RuntimeError(f"{command!r} failed: {err.decode().strip()}")


@contextlib.asynccontextmanager
async def server_for(kind: str, system: bool) -> AsyncIterator[Any]:
    if system:
        yield SystemServer(kind)
        return
    async with PRIVATE[kind]() as server:
        yield server


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
        detail = f"unexpected: {text[:60]}"
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
        self.successes: list[float] = []  # completion times, in order

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
                self.successes.append(time.monotonic())
            except BaseORMException as exc:
                kind_text = failure_kind(kind, exc)
                self.failures[kind_text] += 1
                self.samples.setdefault(kind_text, f"after {time.monotonic() - began:.2f} s: {exc}")
                # the error says the outcome is unknown: a COMMIT cut off, or an autocommit
                # INSERT cut off (inside a transaction, a lost statement rolls it all back)
                if "lost during COMMIT" in kind_text or (kind == "insert" and "lost mid-statement" in kind_text):
                    self.maybe.update(rows)
            await asyncio.sleep(0.005)

    def longest_stall(self, since: float) -> float:
        """The longest time without a completed operation, from ``since`` on."""
        times = [since] + [t for t in self.successes if t >= since]
        return max((b - a for a, b in zip(times, times[1:])), default=0.0)

    def first_success_after(self, moment: float) -> float | None:
        i = bisect.bisect_left(self.successes, moment)
        return self.successes[i] - moment if i < len(self.successes) else None


@dataclass
class Report:
    name: str
    ops: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    committed: int = 0
    stored: int = 0
    lost: int = 0
    doubled: int = 0
    half: int = 0
    unknown: int = 0
    not_sent: int = 0
    stall: float = 0.0
    recovery: float | None = None
    unexpected: int = 0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.doubled or self.half or self.unknown or self.not_sent
                    or self.unexpected or self.recovery is None)


async def wait_until_up(db: Any, limit: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            await db.fetch_rows("SELECT 1")
            return time.monotonic() - started
        except BaseORMException:
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not come back")


async def terminate_sessions(spec: dict[str, Any], credentials: dict[str, Any], database: str) -> None:
    """The gentle fault: the server ends every session of the load's database (no restart)."""
    admin = spec["client"](connection_name="admin", database=database, **credentials)
    try:
        rows = await admin.fetch_rows(spec["terminate"])
        if spec["client"] is MySQLClient:
            for (thread_id,) in rows:
                with contextlib.suppress(BaseORMException):  # already gone
                    await admin.execute_script(f"KILL {int(thread_id)}")
    finally:
        await admin.close()


async def scenario(name: str, tasks: int = 100, seconds: float = 10, restart_at: float = 2,
                   gentle: bool = False, hard: bool = False, down: float = 1.0,
                   system: bool = False, quiet: bool = False) -> Report:
    """Run the load on client ``name`` and restart its server (private unless ``system``)."""
    spec = CLIENTS[name]
    async with server_for(spec["server"], system) as server:
        return await _scenario(name, spec, server, tasks, seconds, restart_at, gentle, hard, down, quiet)


async def _scenario(name: str, spec: dict[str, Any], server: PrivateServer | SystemServer, tasks: int,
                    seconds: float, restart_at: float, gentle: bool, hard: bool, down: float,
                    quiet: bool) -> Report:
    database = f"aldabra_restart_{uuid.uuid4().hex[:10]}"
    db = spec["client"](connection_name=name, database=database, minsize=1, maxsize=10,
                        reconnect_timeout=90, **server.credentials)
    await db.db_create()
    await db.execute_script(spec["table"])
    load = Load(db, tasks, seconds)
    running = asyncio.create_task(load.run())
    await asyncio.sleep(restart_at)
    restart_started = time.monotonic()
    if gentle:
        await terminate_sessions(spec, server.credentials, database)
    else:
        await server.restart(hard=hard, down=down)
    back_up = time.monotonic()
    await running
    await wait_until_up(db)

    stored = collections.Counter(row[0] for row in await db.fetch_rows("SELECT name FROM item"))
    await db.db_delete()
    report = Report(
        name,
        ops=load.ops,
        failures=dict(load.failures),
        committed=sum(load.committed.values()),
        stored=sum(stored.values()),
        lost=sum(1 for k in load.committed if k not in stored),
        doubled=sum(1 for v in stored.values() if v > 1),
        half=len({k[:-1] for k in stored
                  if k[-1] in "ab" and (k[:-1] + "a" in stored) != (k[:-1] + "b" in stored)}),
        unknown=sum(1 for k in stored if k not in load.committed and k not in load.maybe),
        not_sent=sum(v for k, v in load.failures.items() if "not sent" in k and not k.startswith("transaction")),
        unexpected=sum(v for k, v in load.failures.items() if "unexpected" in k),
        stall=load.longest_stall(restart_started),
        recovery=load.first_success_after(back_up),
    )
    if not quiet:
        what = "sessions terminated" if gentle else ("killed and restarted" if hard else "restart")
        took = "took" if gentle else "server back after"
        print(f"== {name}: {tasks} tasks for {seconds:g} s, {what} at {restart_at:g} s "
              f"({took} {back_up - restart_started:.2f} s)")
        print(f"   operations: {report.ops}, failed: {sum(report.failures.values())}")
        for kind, count in sorted(report.failures.items()):
            print(f"     {count:6d}  {kind}")
            print(f"             e.g. {load.samples[kind][:300]}")
        recovery = "never" if report.recovery is None else f"{report.recovery:.2f} s"
        print(f"   longest time without a completed operation: {report.stall:.2f} s; first success "
              f"{recovery} after the server was back")
        print(f"   committed rows: {report.committed}; stored: {report.stored}; lost: {report.lost}; "
              f"doubled: {report.doubled}; half transactions: {report.half}; unknown rows: "
              f"{report.unknown}; failures with the statement never sent: {report.not_sent}; "
              f"unexpected errors: {report.unexpected}")
        print(f"   {'OK' if report.ok else 'FAILED'}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clients", nargs="*", help=f"any of {', '.join(CLIENTS)} (default: all)")
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--restart-at", type=float, default=2)
    parser.add_argument("--down", type=float, default=1.0, help="seconds the server stays stopped")
    parser.add_argument("--kill", action="store_true", help="kill the server instead of stopping it cleanly")
    parser.add_argument("--terminate-only", action="store_true",
                        help="end the load's sessions on the server instead of restarting it")
    parser.add_argument("--system", action="store_true",
                        help="restart the shared local services instead of private servers (root)")
    args = parser.parse_args()
    for driver in ("asyncpg", "psycopg.pool"):  # their own reconnect attempts, while down
        logging.getLogger(driver).setLevel(logging.ERROR)
    if args.system and not args.terminate_only and os.geteuid() != 0:
        print("--system needs root to restart the servers", file=sys.stderr)
        return 2
    unknown = set(args.clients) - set(CLIENTS)
    if unknown:
        parser.error(f"unknown client(s) {', '.join(sorted(unknown))}; choose from {', '.join(CLIENTS)}")
    ok = True
    for name in args.clients or list(CLIENTS):
        report = asyncio.run(scenario(name, args.tasks, args.seconds, args.restart_at, args.terminate_only,
                                      args.kill, args.down, args.system))
        ok &= report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
