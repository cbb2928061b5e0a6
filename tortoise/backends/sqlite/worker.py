"""A thread owning one sqlite3 connection; each job is one hop (execute + fetch)."""
from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
from queue import SimpleQueue
from time import monotonic
from typing import Any, Callable


def _regexp(value: Any, pattern: str) -> bool:
    return value is not None and re.search(pattern, str(value)) is not None


def _iregexp(value: Any, pattern: str) -> bool:
    return value is not None and re.search(pattern, str(value), re.IGNORECASE) is not None


def _json_contains(container: Any, contained: Any) -> bool | None:
    """JSON containment as PostgreSQL's ``@>`` defines it, for two JSON texts."""
    if container is None or contained is None:
        return None
    return _contains(json.loads(container), json.loads(contained), top=True)


def _contains(a: Any, b: Any, top: bool = False) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and all(k in a and _contains(a[k], v) for k, v in b.items())
    if isinstance(a, list):
        if not isinstance(b, list):  # an array contains a scalar at the top level only
            return top and not isinstance(b, dict) and any(_same(x, b) for x in a)
        return all(any(_contains(x, y) for x in a) for y in b)
    return _same(a, b)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool) and a == b
    )


def _deliver(done: list) -> None:
    """Settle the futures of a batch of finished jobs (on the event loop's thread)."""
    for fut, ok, value in done:
        if fut.cancelled():
            continue
        if ok:
            fut.set_result(value)
        else:
            fut.set_exception(value)


def _post(loop: asyncio.AbstractEventLoop, done: list) -> None:
    try:
        loop.call_soon_threadsafe(_deliver, done)
    except RuntimeError:  # the loop was closed: nobody waits for these results
        pass


#: how long a finished job's result may wait for the jobs queued behind it (seconds)
MAX_HOLD = 0.002


class SqliteWorker(threading.Thread):
    """Runs jobs ``fn(connection, *args)`` in order on its own thread.

    The connection is in autocommit mode (``isolation_level=None``); transactions are
    begun explicitly by the client.

    Results go back in batches: while more jobs are queued (concurrent tasks sharing the
    connection), finished results are held and delivered together, so the event loop
    wakes once per batch instead of once per statement - the wake-up, not SQLite, is most
    of a small statement's cost.  A result is held at most ``MAX_HOLD`` plus the duration
    of the job that runs after it; with nothing queued it goes back at once.
    """

    def __init__(self, path: str, pragmas: dict[str, Any]) -> None:
        super().__init__(name=f"aldabra-sqlite:{path}", daemon=True)
        self._jobs: SimpleQueue = SimpleQueue()
        self._path = path
        self._pragmas = pragmas
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def open(self) -> None:
        """Start the thread and wait until the connection is open (raise its error)."""
        self.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            conn.create_function("aldabra_regexp", 2, _regexp, deterministic=True)
            conn.create_function("aldabra_iregexp", 2, _iregexp, deterministic=True)
            conn.create_function("regexp", 2, lambda p, v: _regexp(v, p), deterministic=True)
            conn.create_function("aldabra_json_contains", 2, _json_contains, deterministic=True)
            for name, value in self._pragmas.items():
                conn.execute(f"PRAGMA {name}={value}")
        except BaseException as exc:  # reported to the opener
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        jobs = self._jobs
        done: list = []  # finished, not yet delivered: (future, ok, value)
        done_loop: Any = None
        held_since = 0.0
        while True:
            job = jobs.get()
            if job is None:
                break
            loop, fut, fn, args = job
            if done and (loop is not done_loop or monotonic() - held_since > MAX_HOLD):
                _post(done_loop, done)
                done = []
            try:
                finished = (fut, True, fn(conn, *args))
            except BaseException as exc:
                finished = (fut, False, exc)
            if not done:
                if jobs.empty():  # the common case, one statement at a time: no clock reading
                    _post(loop, [finished])
                    continue
                done_loop, held_since = loop, monotonic()
            done.append(finished)
            if jobs.empty():
                _post(loop, done)
                done = []
        if done:
            _post(done_loop, done)
        conn.close()

    def submit(self, fn: Callable[..., Any], *args: Any) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        self._jobs.put((loop, fut, fn, args))
        return fut

    def stop(self) -> None:
        self._jobs.put(None)
        self.join()


# --- jobs: each runs entirely on the worker thread ------------------------------------
def fetch_all(conn: sqlite3.Connection, sql: str, params: Any) -> list:
    return conn.execute(sql, params).fetchall()


def execute_rowcount(conn: sqlite3.Connection, sql: str, params: Any) -> int:
    return conn.execute(sql, params).rowcount


def execute_insert(conn: sqlite3.Connection, sql: str, params: Any) -> Any:
    cursor = conn.execute(sql, params)
    if cursor.description:  # INSERT ... RETURNING
        row = cursor.fetchone()
        cursor.fetchall()
        return row[0] if row else None
    return cursor.lastrowid


def execute_many(conn: sqlite3.Connection, sql: str, params_list: Any) -> int:
    return conn.executemany(sql, params_list).rowcount


def execute_dicts(conn: sqlite3.Connection, sql: str, params: Any) -> tuple[int, list[dict]]:
    cursor = conn.execute(sql, params)
    if cursor.description is None:
        return cursor.rowcount, []
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    return len(rows), rows


def execute_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT an open transaction first; run statement by statement.
    for statement in _split_statements(script):
        conn.execute(statement)


def _split_statements(script: str) -> list[str]:
    """Statements of ``script``, also several on one line (a ";" inside a string or a
    trigger body does not end a statement: sqlite3.complete_statement decides)."""
    statements, current = [], ""
    for piece in re.split(r"(?<=;)", script):
        current += piece
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current)
            current = ""
    if current.strip():
        statements.append(current)
    return statements
