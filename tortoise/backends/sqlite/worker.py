"""A thread owning one sqlite3 connection; each job is one hop (execute + fetch).

A hop to the thread and back costs more than a short statement (tens of microseconds of
thread wake-ups against a few for an indexed lookup), so the client may run a job *here*,
on the event loop's thread, when the worker is idle (``pending == 0``: nothing queued or
running, so the connection is never used by two threads at once) and the job's time is
bounded:

- a read (``read_here``) gets a time budget, ``INLINE_BUDGET``: SQLite's progress
  handler interrupts it when the budget is spent (a SELECT leaves nothing behind), and it
  is run again on the worker; its SQL is then remembered as long and goes to the worker
  from the start;
- a one-row write (``run_here``), only when the client knows the write lock is held
  (inside a transaction that has written), so that it cannot wait for a lock.

Only in WAL or in-memory journal modes (``inline``), where readers never wait for a
writer; autocommit writes, which end in a commit (an fsync), always go to the worker.

A statement run here does not yield to the event loop.  So that a task awaiting many
statements in a row does not keep other tasks waiting, a streak of statements run here
without the loop getting a turn ends after ``STREAK_BUDGET``: the next statement goes
to the worker, and the task awaiting it lets the others run.

On the worker, model writes (``GROUPED``: one-row INSERT/UPDATE/DELETE outside a
transaction) queued one behind the other by concurrent tasks share one transaction and
one commit (``_group_commit``): in WAL mode with ``synchronous=FULL`` each commit is an
fsync, the most of an autocommit write's cost.  Each caller still gets its own result or
error, and only after the commit.
"""
from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
from queue import Empty, SimpleQueue
from time import monotonic, perf_counter
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


def _deliver(worker: "SqliteWorker", done: list) -> None:
    """Settle the futures of a batch of finished jobs (on the event loop's thread)."""
    worker.pending -= len(done)
    for fut, ok, value in done:
        if fut.cancelled():
            continue
        if ok:
            fut.set_result(value)
        else:
            fut.set_exception(value)


def _post(worker: "SqliteWorker", loop: asyncio.AbstractEventLoop, done: list) -> None:
    try:
        loop.call_soon_threadsafe(_deliver, worker, done)
    except RuntimeError:  # the loop was closed: nobody waits for these results
        pass


#: ``read_here``'s answer when the read is for the worker
ON_WORKER = object()
_NO_JOB = object()


def _finish(conn: sqlite3.Connection, job: tuple) -> tuple:
    """Run one job: (future, True, result) or (future, False, exception)."""
    _, fut, fn, args = job
    try:
        return fut, True, fn(conn, *args)
    except BaseException as exc:
        return fut, False, exc


#: how long a read may run on the event loop's thread before it moves to the worker
#: (seconds), and how often SQLite's progress handler looks at the clock (VM steps: a
#: few hundred microseconds of work at most, ~1% overhead)
INLINE_BUDGET = 0.001
PROGRESS_STEPS = 2_000
#: how long statements may run here one after another before one goes to the worker (s)
STREAK_BUDGET = 0.005
#: statements remembered as too long to run inline (the set is cleared when full)
LONG_READS_KEPT = 256

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
        self.conn: sqlite3.Connection | None = None
        #: whether jobs may run on the caller's thread (WAL or in-memory journal)
        self.inline = False
        #: jobs submitted and not yet delivered (read and written on the loop's thread)
        self.pending = 0
        self._deadline = 0.0  #: perf_counter() value at which a read run here is interrupted
        self._long_reads: set[str] = set()
        self._streak = 0.0  #: perf_counter() when the current streak of jobs run here began
        self.group_commits = 0  #: transactions that committed several queued model writes

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
            self.inline = conn.execute("PRAGMA journal_mode").fetchone()[0] in ("wal", "memory")
            conn.set_progress_handler(self._past_deadline, PROGRESS_STEPS)
            self.conn = conn
        except BaseException as exc:  # reported to the opener
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        jobs = self._jobs
        done: list = []  # finished, not yet delivered: (future, ok, value)
        done_loop: Any = None
        held_since = 0.0
        carry: Any = _NO_JOB  # a job taken from the queue by a group, not of it
        while True:
            job = jobs.get() if carry is _NO_JOB else carry
            carry = _NO_JOB
            if job is None:
                break
            loop = job[0]
            if done and (loop is not done_loop or monotonic() - held_since > MAX_HOLD):
                _post(self, done_loop, done)
                done = []
            if job[2] in GROUPED and not jobs.empty() and not conn.in_transaction:
                finished, carry = self._group_commit(conn, job)
            else:
                finished = [_finish(conn, job)]
            more = carry is not _NO_JOB or not jobs.empty()
            if not done:
                if not more:  # the common case, one statement at a time: no clock reading
                    _post(self, loop, finished)
                    continue
                done_loop, held_since = loop, monotonic()
            done.extend(finished)
            if not more:
                _post(self, loop, done)
                done = []
        if done:
            _post(self, done_loop, done)
        conn.close()

    def _group_commit(self, conn: sqlite3.Connection, first: tuple) -> tuple[list, Any]:
        """Run ``first`` and the model writes queued behind it (autocommit, each its own
        transaction) in one transaction: one commit, one fsync, for all of them.

        Returns (finished jobs, the job taken from the queue that is not of the group or
        ``_NO_JOB``).  A failed statement undoes only itself, as in autocommit; if an error
        ends the transaction, or COMMIT fails (a deferred foreign key), nothing of the
        group is kept and each job runs again on its own, so each gets its own outcome."""
        group, carry = [first], _NO_JOB
        while carry is _NO_JOB:
            try:
                job = self._jobs.get_nowait()
            except Empty:
                break
            if job is not None and job[2] in GROUPED and job[0] is first[0]:
                group.append(job)
            else:
                carry = job
        if len(group) == 1:
            return [_finish(conn, first)], carry
        finished = []
        try:
            conn.execute("BEGIN")
            for job in group:
                finished.append(_finish(conn, job))
                if not finished[-1][1] and not conn.in_transaction:  # the error ended the transaction
                    raise sqlite3.OperationalError("the group's transaction was rolled back")
            conn.execute("COMMIT")
        except sqlite3.Error:
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error as stuck:  # nothing of the group was committed; say so to each
                return [(job[1], False, stuck) for job in group], carry
            return [_finish(conn, job) for job in group], carry
        self.group_commits += 1
        return finished, carry

    def submit(self, fn: Callable[..., Any], *args: Any) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        self.pending += 1
        self._jobs.put((loop, fut, fn, args))
        return fut

    # --- jobs on the caller's thread (see the module docstring) ------------------------
    def read_here(self, fn: Callable[..., Any], sql: str, params: Any) -> Any:
        """Run a read on the caller's thread if it may run there, within the budget;
        ``ON_WORKER`` when it did not (or was interrupted): submit it instead."""
        if sql in self._long_reads or not sql.startswith("SELECT") or not self.may_run_here():
            return ON_WORKER
        self._deadline = perf_counter() + INLINE_BUDGET
        try:
            return fn(self.conn, sql, params)
        except sqlite3.OperationalError:
            if self._deadline:
                raise
            if len(self._long_reads) >= LONG_READS_KEPT:
                self._long_reads.clear()
            self._long_reads.add(sql)
            return ON_WORKER
        finally:
            self._deadline = 0.0

    def may_run_here(self) -> bool:
        """Whether a job may run on the caller's thread now (the worker is idle and the
        streak is not over); starts or continues a streak."""
        if not self.inline or self.pending:
            return False
        if not self._streak:
            self._streak = perf_counter()
            asyncio.get_running_loop().call_soon(self._end_streak)
            return True
        return perf_counter() - self._streak < STREAK_BUDGET

    def _end_streak(self) -> None:
        """The event loop had a turn: the next job run here starts a new streak."""
        self._streak = 0.0

    def run_here(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a job of bounded cost on the caller's thread (``may_run_here`` said so; for a
        write, the caller knows that its transaction holds the write lock)."""
        return fn(self.conn, *args)

    def _past_deadline(self) -> bool:
        """SQLite's progress handler: True interrupts the running statement."""
        if self._deadline and perf_counter() > self._deadline:
            self._deadline = 0.0
            return True
        return False

    def stop(self) -> None:
        self._jobs.put(None)
        self.join()


# --- jobs: each runs entirely on the worker thread ------------------------------------
def fetch_all(conn: sqlite3.Connection, sql: str, params: Any) -> list:
    return conn.execute(sql, params).fetchall()


def control(conn: sqlite3.Connection, sql: str) -> None:
    """A transaction statement (BEGIN, SAVEPOINT, COMMIT, ...): no result, no write lock."""
    conn.execute(sql)


def execute_rowcount(conn: sqlite3.Connection, sql: str, params: Any) -> int:
    return conn.execute(sql, params).rowcount


def write_row(conn: sqlite3.Connection, sql: str, params: Any) -> int:
    """``execute_rowcount`` for an UPDATE/DELETE of one row by key (see ``Jobs.row_write``)."""
    return conn.execute(sql, params).rowcount


def execute_insert(conn: sqlite3.Connection, sql: str, params: Any) -> Any:
    cursor = conn.execute(sql, params)
    if cursor.description:  # INSERT ... RETURNING
        row = cursor.fetchone()
        cursor.fetchall()
        return row[0] if row else None
    return cursor.lastrowid


def insert_row(conn: sqlite3.Connection, sql: str, params: Any) -> Any:
    """``execute_insert`` for a one-row INSERT (see ``Jobs.row_insert``)."""
    return execute_insert(conn, sql, params)


#: jobs that, queued one behind the other outside a transaction, share one commit
GROUPED = frozenset({write_row, insert_row})


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
