"""Aldabra vs the raw driver (and optionally vs Tortoise ORM), as ratios, in one run.

    python -m benchmarks.run [--db sqlite|postgres|mysql|all] [--rows N] [--quick]
                             [--ops a,b] [--profile slow|all|op,...] [--json FILE]
                             [--tortoise-venv PATH]
    python -m benchmarks.run --suite ak [--test 1|2|3] [--iterations N] [--reps ROUNDS] ...

For each database: create a fresh database (PostgreSQL/MySQL) or a temporary SQLite file,
create the suite's tables (explicit DDL; the A-K suite: the ORM's generate_schemas), load
the read fixture with the raw driver, then time every operation on every side --
interleaved per operation, warm-up first, best of N with ``time.perf_counter`` -- and
print one table.  See README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator
from urllib.parse import urlsplit

from benchmarks import workload as W
from benchmarks import journal as J

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATABASES = ("sqlite", "postgres", "mysql")
PRIMARY_RAW = {"sqlite": "aiosqlite", "postgres": "asyncpg", "mysql": "asyncmy"}


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------
@dataclass
class DbReport:
    db: str
    plan: W.Plan
    suite: str = "default"
    raw_labels: list[str] = field(default_factory=list)
    results: dict[str, dict[str, W.Measurement]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    orm_error: str | None = None
    tortoise: dict[str, Any] | None = None  #: the subprocess output, if any
    skipped: str | None = None
    elapsed: float = 0.0
    profiles: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "suite": self.suite,
            "plan": self.plan.to_dict(),
            "results": {s: {op: m.to_dict() for op, m in r.items()} for s, r in self.results.items()},
            "notes": self.notes,
            "orm_error": self.orm_error,
            "tortoise": self.tortoise,
            "skipped": self.skipped,
            "elapsed": self.elapsed,
        }


def _fmt_rate(m: W.Measurement | None) -> str:
    if m is None:
        return "-"
    if m.error:
        return "error"
    rate = m.rows_per_sec
    return "-" if rate is None else f"{rate:,.0f}"


def _ratio(slow: W.Measurement | None, fast: W.Measurement | None) -> float | None:
    """Time per row of ``slow`` divided by that of ``fast`` (>1: ``slow`` is slower)."""
    if not slow or not fast or slow.error or fast.error:
        return None
    a, b = slow.rows_per_sec, fast.rows_per_sec
    if not a or not b:
        return None
    return b / a


def _fmt_ratio(r: float | None) -> str:
    return "-" if r is None else f"{r:.2f}x"


TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MySQL/MariaDB"}


def print_heading(rep: DbReport, detail: str, out=sys.stdout) -> bool:
    """The database's title line and notes; False if the database was skipped."""
    print(f"\n== {TITLES[rep.db]} ==  {detail}", file=out)
    for note in rep.notes:
        print(f"   {note}", file=out)
    if rep.skipped:
        print(f"   skipped: {rep.skipped}", file=out)
        return False
    return True


def print_grid(head: list[str], rows: list[list[str]], out=sys.stdout, left: int = 1) -> None:
    """Columns aligned; the first ``left`` columns to the left, the others (numbers) to the right."""
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    line = fmt(head)
    print(line, file=out)
    print("-" * len(line), file=out)
    for r in rows:
        print(fmt(r), file=out)


def print_tail(rep: DbReport, remarks: list[str], out=sys.stdout) -> None:
    """Below a table: errors, why Aldabra was not measured, ``remarks``, time, profiles."""
    errors = [(side, op, m.error) for side, res in rep.results.items() for op, m in res.items() if m.error]
    for side, op, err in errors:
        print(f"   error: {side} {op}: {err}", file=out)
    if rep.orm_error:
        print(f"   aldabra not measured: {rep.orm_error}", file=out)
    for remark in remarks:
        print(f"   {remark}", file=out)
    print(f"   ({rep.elapsed:.1f}s)", file=out)
    for text in rep.profiles:
        print("\n" + text, file=out)


def print_table(rep: DbReport, out=sys.stdout) -> None:
    p = rep.plan
    if not print_heading(rep, f"rows={p.rows} singles={p.singles} large_queries={p.large_queries} "
                              f"best of {p.reps}..{p.max_reps} runs, warmup={p.warmup}, "
                              f"concurrency={p.concurrency}", out):
        return
    primary = PRIMARY_RAW[rep.db]
    others = [lbl for lbl in rep.raw_labels if lbl != primary]
    tortoise = rep.results.get("tortoise")
    head = ["operation", "rows"] + [f"{lbl}/s" for lbl in rep.raw_labels] + ["aldabra/s", f"vs {primary}"]
    head += [f"vs {lbl}" for lbl in others]
    if tortoise is not None:
        head += ["tortoise/s", f"tortoise vs {primary}", "tortoise/aldabra"]
    head += ["target"]
    rows = []
    flagged = []
    for op in W.OP_KEYS:
        raw_m = {lbl: rep.results.get(lbl, {}).get(op) for lbl in rep.raw_labels}
        if all(m is None for m in raw_m.values()):
            continue
        ald = rep.results.get("aldabra", {}).get(op)
        main = raw_m.get(primary)
        n_rows = next((m.rows for m in raw_m.values() if m and not m.error), 0)
        ratio = _ratio(ald, main)
        target = W.TARGET[W.OP_KIND[op]]
        verdict = "-" if ratio is None else ("ok" if ratio <= target else "SLOW")
        if ald and not ald.error and main and not main.error and ald.rows != main.rows:
            verdict += f" (rows {ald.rows}!={main.rows})"
        if ratio is not None and ratio > target:
            flagged.append(op)
        row = [op, f"{n_rows:,}"] + [_fmt_rate(m) for m in raw_m.values()] + [_fmt_rate(ald), _fmt_ratio(ratio)]
        row += [_fmt_ratio(_ratio(ald, raw_m[lbl])) for lbl in others]
        if tortoise is not None:
            tm = tortoise.get(op)
            row += [_fmt_rate(tm), _fmt_ratio(_ratio(tm, main)), _fmt_ratio(_ratio(tm, ald))]
        row += [f"{verdict} (<={target}x)"]
        rows.append(row)
    print_grid(head, rows, out)
    print_tail(rep, [f"over target: {', '.join(flagged)}"] if flagged else [], out)


# --------------------------------------------------------------------------------------------
# databases: create, fill, drop
# --------------------------------------------------------------------------------------------
def _sqlite_dir(arg: str | None) -> str:
    if arg:
        return arg
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return shm
    return tempfile.gettempdir()


def _pg_parts(url: str) -> dict[str, Any]:
    u = urlsplit(url)
    return {"user": u.username or "postgres", "password": u.password or "", "host": u.hostname or "127.0.0.1",
            "port": u.port or 5432}


def _pg_dsn(parts: dict[str, Any], db: str) -> str:
    auth = parts["user"] + (f":{parts['password']}" if parts["password"] else "")
    return f"postgres://{auth}@{parts['host']}:{parts['port']}/{db}"


async def pg_create(url: str, name: str) -> str:
    """An empty database ``name``; its DSN."""
    import asyncpg

    parts = _pg_parts(url)
    admin = await asyncpg.connect(_pg_dsn(parts, "postgres"), timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return _pg_dsn(parts, name)


async def pg_drop(url: str, name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(_pg_dsn(_pg_parts(url), "postgres"), timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _my_parts(url: str) -> dict[str, Any]:
    u = urlsplit(url)
    return {"user": u.username or "root", "password": u.password or "", "host": u.hostname or "127.0.0.1",
            "port": u.port or 3306}


async def my_create(url: str, name: str) -> dict[str, Any]:
    """An empty database ``name``; the asyncmy connection arguments for it."""
    import asyncmy

    parts = _my_parts(url)
    conn = await asyncmy.connect(**parts, autocommit=True, charset="utf8mb4", connect_timeout=5)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    finally:
        conn.close()
    return {**parts, "db": name}


async def my_drop(url: str, name: str) -> None:
    import asyncmy

    conn = await asyncmy.connect(**_my_parts(url), autocommit=True, connect_timeout=5)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# one database
# --------------------------------------------------------------------------------------------
class DefaultSuite:
    """The default operations (``workload.py``) on ``bench_item``/``bench_write``."""

    name = "default"

    def __init__(self, args: argparse.Namespace, db: str) -> None:
        concurrency = 1 if db == "sqlite" else args.concurrency
        self.plan = W.Plan.make(args.rows, args.quick, concurrency)
        if args.reps:
            self.plan.reps = args.reps
            self.plan.max_reps = max(self.plan.max_reps, args.reps)
        self.ops = args.ops

    def make_work(self, dialect: str) -> Any:
        from benchmarks.raw_base import ClassicWork

        return ClassicWork(dialect, self.plan)

    def orm_side(self, url: str) -> Any:
        from benchmarks.orm_side import OrmSide

        return OrmSide(self.plan, url)

    async def prepare(self, raw: Any, orm: Any) -> None:
        """Tables (explicit DDL) and the read fixture, with the raw driver."""
        await raw.work.fill(raw)

    def slow_ops(self, rep: DbReport) -> list[str]:
        primary = PRIMARY_RAW[rep.db]
        out = []
        for op in self.ops:
            r = _ratio(rep.results.get("aldabra", {}).get(op), rep.results.get(primary, {}).get(op))
            if r is not None and r > W.TARGET[W.OP_KIND[op]]:
                out.append(op)
        return out

    def print_table(self, rep: DbReport) -> None:
        print_table(rep)

    def print_summary(self, reports: list[DbReport]) -> None:
        """Nothing: the default suite's tables stand alone."""


class AkSuite:
    """The orm-benchmarks operations A-K and the general-path shapes (``journal.py``)."""

    name = "ak"

    def __init__(self, args: argparse.Namespace, db: str) -> None:
        from benchmarks.journal import JournalPlan

        rounds = args.reps or 5
        self.plan = JournalPlan(iterations=args.iterations, test=args.test, concurrency=args.concurrency,
                                reps=rounds, max_reps=max(rounds, JournalPlan.max_reps))
        ops = [op for op in args.ops if args.test == 2 or op not in J.NEEDS_FK]
        # a general shape is read next to the fast-path operation returning the same rows
        wanted = set(ops) | {J.SAME_ROWS[op] for op in ops if op in J.SAME_ROWS}
        self.ops = [op for op in J.OP_KEYS + J.GENERAL_KEYS if op in wanted]

    def make_work(self, dialect: str) -> Any:
        from benchmarks.raw_journal import JournalWork

        return JournalWork(dialect, self.plan)

    def orm_side(self, url: str) -> Any:
        from benchmarks.orm_journal import JournalOrmSide

        return JournalOrmSide(self.plan, url)

    async def prepare(self, raw: Any, orm: Any) -> None:
        """The tables as the ORM creates them (``generate_schemas``), the fixture with the raw driver."""
        if orm is None:
            raise RuntimeError("the A-K suite needs the ORM to create its tables")
        await orm.create_schema()
        await raw.work.fill(raw)

    def slow_ops(self, rep: DbReport) -> list[str]:
        from benchmarks.ak_report import slow_ops

        return slow_ops(rep)

    def print_table(self, rep: DbReport) -> None:
        from benchmarks.ak_report import print_ak_table

        print_ak_table(rep, self.ops)

    def print_summary(self, reports: list[DbReport]) -> None:
        from benchmarks.ak_report import print_ak_summary

        print_ak_summary(reports, self.ops)


SUITES = {"default": DefaultSuite, "ak": AkSuite}


async def _open_orm(suite: Any, url: str, rep: DbReport):
    try:
        orm = suite.orm_side(url)
        await orm.open()
    except Exception as exc:
        rep.orm_error = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        if os.environ.get("BENCH_DEBUG"):
            traceback.print_exc()
        return None
    info = orm.describe()
    if not str(info["path"]).startswith(str(REPO)):
        rep.notes.append(f"WARNING: 'tortoise' imported from {info['path']}, not from this repository")
    return orm


async def _check_orm(orm: Any, rep: DbReport) -> None:
    try:
        problems = await orm.check()
    except Exception as exc:
        problems = [f"{type(exc).__name__}: {exc}".splitlines()[0][:300]]
    if problems:
        rep.notes.append("read-back check FAILED: " + "; ".join(problems[:5]))


async def _server_database(rep: DbReport, server: str, url: str, create: Any, drop: Any):
    """A fresh, empty database on a server for this run: ``(name, what create() returned,
    cleanup)``, or None (``rep.skipped`` set) if the server cannot be reached."""
    name = f"aldabra_bench_{uuid.uuid4().hex[:10]}"
    try:
        made = await asyncio.wait_for(create(url, name), 60)
    except Exception as exc:
        rep.skipped = f"cannot reach {server} at {url}: {exc}"
        return None

    async def cleanup() -> None:
        await drop(url, name)

    rep.notes.append(f"database: {name} (created for this run, dropped afterwards)")
    return name, made, cleanup


async def _sqlite_pragmas(orm: Any, rep: DbReport) -> dict[str, Any]:
    """Aldabra's connection PRAGMAs, to copy to the raw connections (``locking_mode`` aside)."""
    pragmas: dict[str, Any] = {}
    if orm is not None:
        try:
            pragmas = await orm.sqlite_pragmas()
        except Exception as exc:
            rep.notes.append(f"could not read Aldabra's PRAGMAs ({exc}); raw sides use SQLite defaults")
    if pragmas:
        rep.notes.append("PRAGMAs (Aldabra's, copied to the raw connections): "
                         + " ".join(f"{k}={v}" for k, v in pragmas.items()))
    return {k: v for k, v in pragmas.items() if k not in ("locking_mode",)}


@dataclass
class Opened:
    """A benchmark database with its tables and fixture, and every side connected to it."""

    sides: list[Any]  #: the raw drivers (the last one loaded the fixture)
    orm: Any  #: Aldabra's side, or None if it could not start (``rep.orm_error``)
    orm_url: str


@asynccontextmanager
async def open_database(suite: Any, db: str, args: argparse.Namespace, rep: DbReport) -> AsyncIterator[Opened | None]:
    """A fresh database for ``suite`` on ``db`` (None if the server cannot be reached:
    ``rep.skipped``); everything is closed and dropped afterwards, also on errors."""
    concurrency = suite.plan.concurrency
    cleanup = None
    opened = Opened([], None, "")
    try:
        if db == "sqlite":
            fd, path = tempfile.mkstemp(prefix="aldabra-bench-", suffix=".sqlite3", dir=_sqlite_dir(args.sqlite_dir))
            os.close(fd)

            async def cleanup():  # noqa: F811
                for suffix in ("", "-wal", "-shm", "-journal"):
                    try:
                        os.remove(path + suffix)
                    except FileNotFoundError:
                        pass

            opened.orm_url = f"sqlite://{path}"
            opened.orm = await _open_orm(suite, opened.orm_url, rep)
            rep.notes.append(f"file: {path} (same file for every side)")
            apply = await _sqlite_pragmas(opened.orm, rep)
            from benchmarks.raw_sqlite import AiosqliteSide, Sqlite3Side

            opened.sides = [Sqlite3Side(suite.make_work, path, apply), AiosqliteSide(suite.make_work, path, apply)]
        elif db == "postgres":
            server = await _server_database(rep, "PostgreSQL", args.pg_url, pg_create, pg_drop)
            if server is None:
                yield None
                return
            _, dsn, cleanup = server
            opened.orm_url = f"{dsn}?minsize={concurrency}&maxsize={concurrency}"
            from benchmarks.raw_asyncpg import AsyncpgSide

            opened.sides = [AsyncpgSide(suite.make_work, dsn)]
            opened.orm = await _open_orm(suite, opened.orm_url, rep)
        else:
            server = await _server_database(rep, "MySQL", args.mysql_url, my_create, my_drop)
            if server is None:
                yield None
                return
            name, kw, cleanup = server
            auth = kw["user"] + ":" + kw["password"]
            opened.orm_url = (f"mysql://{auth}@{kw['host']}:{kw['port']}/{name}"
                              f"?minsize={concurrency}&maxsize={concurrency}&charset=utf8mb4")
            from benchmarks.raw_asyncmy import AsyncmySide

            opened.sides = [AsyncmySide(suite.make_work, kw)]
            opened.orm = await _open_orm(suite, opened.orm_url, rep)

        for side in opened.sides:
            await side.open()
        await suite.prepare(opened.sides[-1], opened.orm)
        if opened.orm is not None:
            await _check_orm(opened.orm, rep)
        rep.raw_labels = [s.label for s in opened.sides]
        yield opened
    finally:
        for side in opened.sides:
            try:
                await side.close()
            except Exception:
                pass
        if opened.orm is not None:
            try:
                await opened.orm.close()
            except Exception:
                pass
        if cleanup is not None:
            try:
                await cleanup()
            except Exception as exc:
                print(f"warning: cleanup of {db} failed: {exc}", file=sys.stderr)


async def bench_db(suite: Any, db: str, args: argparse.Namespace, out_json: list) -> DbReport:
    plan = suite.plan
    rep = DbReport(db=db, plan=plan, suite=suite.name)
    t_start = time.perf_counter()
    ops = suite.ops
    try:
        async with open_database(suite, db, args, rep) as opened:
            if opened is None:
                return rep
            orm = opened.orm
            all_sides = opened.sides + ([orm] if orm is not None else [])
            # ---- measure, interleaved per operation --------------------------------------------
            for op in ops:
                measured = await W.measure_many(all_sides, op, plan)
                for side in all_sides:
                    m = measured[side.label]
                    rep.results.setdefault(side.label, {})[op] = m
                    if args.verbose:
                        print(f"  {db:8s} {op:14s} {side.label:10s} {m.rows_per_sec or 0:12,.0f} rows/s"
                              f"  runs={[round(r * 1000, 1) for r in m.runs]}ms {m.error or ''}", file=sys.stderr)

            if orm is not None and args.profile:
                prof_ops = suite.slow_ops(rep) if args.profile == "slow" else (
                    list(ops) if args.profile == "all" else [op for op in args.profile.split(",") if op in ops])
                for op in prof_ops:
                    rep.profiles.append(await profile_op(orm, op, args.profile_lines, args.profile_sort))

            if orm is not None:
                await orm.close()
                opened.orm = None
            if args.tortoise_venv:
                run_tortoise(args, suite, opened.orm_url, rep)
    finally:
        rep.elapsed = time.perf_counter() - t_start
    out_json.append(rep.to_dict())
    return rep


# --------------------------------------------------------------------------------------------
# profiling (cProfile of one Aldabra run of an operation)
# --------------------------------------------------------------------------------------------
async def profile_op(orm: Any, op: str, lines: int, sort: str = "tottime") -> str:
    import cProfile
    import io
    import pstats

    await orm.setup(op)
    prof = cProfile.Profile()
    prof.enable()
    await orm.run(op)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats(sort).print_stats(lines)
    text = buf.getvalue()
    text = text.replace(str(REPO) + "/", "")
    head = (f"---- cProfile: aldabra {op} (one run, sorted by {sort}; SQLite work on the "
            f"backend's thread is not seen here) ----")
    return head + "\n" + "\n".join(line for line in text.splitlines() if line.strip())


# --------------------------------------------------------------------------------------------
# optional: real Tortoise ORM from a separate virtualenv
# --------------------------------------------------------------------------------------------
def run_tortoise(args: argparse.Namespace, suite: Any, url: str, rep: DbReport) -> None:
    venv = Path(args.tortoise_venv)
    py = venv / "bin" / "python"
    if not py.exists():
        rep.notes.append(f"tortoise: no interpreter at {py}; see README.md (--tortoise-venv)")
        return
    if str(venv.resolve()).startswith(str(REPO)):
        rep.notes.append("tortoise: refusing a virtualenv inside the repository; create it under /tmp")
        return
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    cmd = [str(py), str(HERE / "orm_side.py"), "--db-url", url, "--plan", json.dumps(suite.plan.to_dict()),
           "--ops", ",".join(suite.ops), "--label", "tortoise", "--suite", suite.name]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env, cwd=tempfile.gettempdir())
    except subprocess.TimeoutExpired:
        rep.notes.append("tortoise: subprocess timed out")
        return
    line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        rep.notes.append("tortoise: subprocess failed: " + " | ".join(tail))
        return
    data = json.loads(line[len("BENCH_JSON "):])
    rep.tortoise = data
    desc = data.get("describe") or {}
    if str(desc.get("path", "")).startswith(str(REPO)):
        rep.notes.append("tortoise: the subprocess imported this repository's tortoise; ignored")
        return
    if data.get("error"):
        rep.notes.append(f"tortoise: {data['error']}")
    if data.get("check"):
        rep.notes.append("tortoise read-back check: " + "; ".join(data["check"][:3]))
    rep.notes.append(f"tortoise: Tortoise ORM {desc.get('version', '?')} from {venv} (separate process)")
    rep.results["tortoise"] = {op: W.Measurement.from_dict(m) for op, m in data.get("results", {}).items()}


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------
def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}", f"{platform.system()} {platform.machine()}",
             f"{os.cpu_count()} CPUs"]
    for pkg in ("aiosqlite", "asyncpg", "asyncmy"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            pass
    import sqlite3

    parts.append(f"SQLite {sqlite3.sqlite_version}")
    return ", ".join(parts)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="all", choices=DATABASES + ("all",),
                    help="database(s) to benchmark (default: all; an unreachable server is skipped)")
    ap.add_argument("--rows", type=int, default=None,
                    help="rows in the read fixture and in bulk_create (default 5000, --quick 2000)")
    ap.add_argument("--quick", action="store_true", help="smaller sizes and 3 reps (~30s for all databases)")
    ap.add_argument("--reps", type=int, default=None, help="timed runs per operation at least (best is kept; cheap operations get more, up to 20)")
    ap.add_argument("--suite", default="default", choices=tuple(SUITES),
                    help="default: the operations of workload.py; ak: orm-benchmarks A-K + general shapes")
    ap.add_argument("--ops", default=None,
                    help="comma-separated subset of: " + ", ".join(W.OP_KEYS) + " (--suite ak: "
                    + ", ".join(J.OP_KEYS + J.GENERAL_KEYS) + "; 'general' = the general shapes)")
    ap.add_argument("--test", type=int, default=1, choices=(1, 2, 3),
                    help="--suite ak: the Journal model (1 plain, 2 with FK + M2M, 3 with 35 columns)")
    ap.add_argument("--iterations", type=int, default=1000,
                    help="--suite ak: rows per write operation and in the read fixture (default 1000)")
    ap.add_argument("--concurrency", type=int, default=10,
                    help="pool size and concurrent tasks (default 10; the default suite uses 1 on SQLite)")
    ap.add_argument("--sqlite-dir", default=None,
                    help="directory of the temporary SQLite file (default /dev/shm if writable, else $TMPDIR)")
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--mysql-url", default="mysql://root:@127.0.0.1:3306")
    ap.add_argument("--profile", default=None, metavar="slow|all|OP,...",
                    help="after timing, cProfile one Aldabra run of these operations")
    ap.add_argument("--profile-lines", type=int, default=25)
    ap.add_argument("--profile-sort", default="tottime", choices=("tottime", "cumulative"),
                    help="order of the cProfile listing (default tottime: own time)")
    ap.add_argument("--tortoise-venv", default=None, metavar="PATH",
                    help="also run the ORM side with real Tortoise ORM from this virtualenv (outside the repo)")
    ap.add_argument("--json", default=None, metavar="FILE", help="also write all measurements as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every measurement as it is taken")
    args = ap.parse_args(argv)
    known = J.OP_KEYS + J.GENERAL_KEYS if args.suite == "ak" else W.OP_KEYS
    ops = [o.strip() for o in (args.ops or ",".join(known)).split(",") if o.strip()]
    if args.suite == "ak" and "general" in ops:
        ops = [o for o in ops if o != "general"] + J.GENERAL_KEYS
    unknown = [o for o in ops if o not in known]
    if unknown:
        ap.error(f"unknown operation(s) {', '.join(unknown)}; operations are: {', '.join(known)}")
    args.ops = ops
    return args


async def main_async(args: argparse.Namespace) -> list[DbReport]:
    dbs = DATABASES if args.db == "all" else (args.db,)
    print(f"Aldabra benchmark -- {_versions()}")
    print("rows/s: rows inserted/returned/updated/deleted per second (best run); " + (
        "'x X' = Aldabra rows/s / X rows/s (1.00x = as fast as X, 0.50x = half as fast)" if args.suite == "ak" else
        "'vs X' = Aldabra time / X time (1.00x = as fast as X, 2.00x = twice as slow)"))
    reports, out_json = [], []
    for db in dbs:
        suite = SUITES[args.suite](args, db)
        rep = await bench_db(suite, db, args, out_json)
        reports.append(rep)
        suite.print_table(rep)
        sys.stdout.flush()
    suite.print_summary(reports)
    if args.json:
        Path(args.json).write_text(json.dumps({"versions": _versions(), "databases": out_json}, indent=2))
    return reports


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    t0 = time.perf_counter()
    asyncio.run(main_async(args))
    print(f"\ntotal {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
