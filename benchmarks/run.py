"""Aldabra vs the raw driver (and optionally vs Tortoise ORM), as ratios, in one run.

    python -m benchmarks.run [--db sqlite|postgres|mysql|all] [--rows N] [--quick]
                             [--ops a,b] [--profile slow|all|op,...] [--json FILE]
                             [--tortoise-venv PATH]

For each database: create a fresh database (PostgreSQL/MySQL) or a temporary SQLite file,
create the two benchmark tables with explicit DDL, load the read fixture with the raw
driver, then time every operation on every side -- interleaved per operation, warm-up
first, best of N with ``time.perf_counter`` -- and print one table.  See README.md.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import workload as W
from benchmarks.rawsql import ddl, row_params, statements

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


def print_table(rep: DbReport, out=sys.stdout) -> None:
    p = rep.plan
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MySQL/MariaDB"}[rep.db]
    print(f"\n== {title} ==  rows={p.rows} singles={p.singles} large_queries={p.large_queries} "
          f"best of {p.reps}..{p.max_reps} runs, warmup={p.warmup}, concurrency={p.concurrency}", file=out)
    for note in rep.notes:
        print(f"   {note}", file=out)
    if rep.skipped:
        print(f"   skipped: {rep.skipped}", file=out)
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
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths)))
    print(line, file=out)
    print("-" * len(line), file=out)
    for r in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))), file=out)
    errors = [(side, op, m.error) for side, res in rep.results.items() for op, m in res.items() if m.error]
    for side, op, err in errors:
        print(f"   error: {side} {op}: {err}", file=out)
    if rep.orm_error:
        print(f"   aldabra not measured: {rep.orm_error}", file=out)
    if flagged:
        print(f"   over target: {', '.join(flagged)}", file=out)
    print(f"   ({rep.elapsed:.1f}s)", file=out)
    for text in rep.profiles:
        print("\n" + text, file=out)


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


def _fixture_params(dialect: str, plan: W.Plan) -> list[tuple]:
    """The read fixture as driver parameters: explicit ids 1..rows, then the columns."""
    return [(i, *row_params(dialect, r)) for i, r in enumerate(plan.fixture_rows(), 1)]


def sqlite_prepare(path: str, plan: W.Plan) -> None:
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for stmt in ddl("sqlite"):
            conn.execute(stmt)
        conn.execute("BEGIN")
        conn.executemany(statements("sqlite").insert_fixture, _fixture_params("sqlite", plan))
        conn.execute("COMMIT")
    finally:
        conn.close()


def _pg_parts(url: str) -> dict[str, Any]:
    u = urlsplit(url)
    return {"user": u.username or "postgres", "password": u.password or "", "host": u.hostname or "127.0.0.1",
            "port": u.port or 5432}


def _pg_dsn(parts: dict[str, Any], db: str) -> str:
    auth = parts["user"] + (f":{parts['password']}" if parts["password"] else "")
    return f"postgres://{auth}@{parts['host']}:{parts['port']}/{db}"


async def pg_create(url: str, name: str, plan: W.Plan) -> str:
    import asyncpg

    parts = _pg_parts(url)
    admin = await asyncpg.connect(_pg_dsn(parts, "postgres"), timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = _pg_dsn(parts, name)
    con = await asyncpg.connect(dsn)
    try:
        for stmt in ddl("postgres"):
            await con.execute(stmt)
        await con.executemany(statements("postgres").insert_fixture, _fixture_params("postgres", plan))
        await con.execute("ANALYZE")
    finally:
        await con.close()
    return dsn


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


async def my_create(url: str, name: str, plan: W.Plan) -> dict[str, Any]:
    import asyncmy

    parts = _my_parts(url)
    conn = await asyncmy.connect(**parts, autocommit=True, charset="utf8mb4", connect_timeout=5)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            await cur.execute(f"USE `{name}`")
            for stmt in ddl("mysql"):
                await cur.execute(stmt)
            await cur.executemany(statements("mysql").insert_fixture, _fixture_params("mysql", plan))
            await cur.execute("ANALYZE TABLE `bench_item`")
            await cur.fetchall()
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
async def _open_orm(plan: W.Plan, url: str, rep: DbReport):
    try:
        from benchmarks.orm_side import OrmSide

        orm = OrmSide(plan, url)
        await orm.open()
    except Exception as exc:
        rep.orm_error = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        if os.environ.get("BENCH_DEBUG"):
            traceback.print_exc()
        return None
    info = orm.describe()
    if not str(info["path"]).startswith(str(REPO)):
        rep.notes.append(f"WARNING: 'tortoise' imported from {info['path']}, not from this repository")
    try:
        problems = await orm.check()
    except Exception as exc:
        problems = [f"{type(exc).__name__}: {exc}".splitlines()[0][:300]]
    if problems:
        rep.notes.append("read-back check FAILED: " + "; ".join(problems[:5]))
    return orm


async def _server_database(rep: DbReport, server: str, url: str, create: Any, drop: Any, plan: W.Plan):
    """A fresh database on a server for this run: ``(name, what create() returned, cleanup)``,
    or None (``rep.skipped`` set) if the server cannot be reached."""
    name = f"aldabra_bench_{uuid.uuid4().hex[:10]}"
    try:
        made = await asyncio.wait_for(create(url, name, plan), 60)
    except Exception as exc:
        rep.skipped = f"cannot reach {server} at {url}: {exc}"
        return None

    async def cleanup() -> None:
        await drop(url, name)

    rep.notes.append(f"database: {name} (created for this run, dropped afterwards)")
    return name, made, cleanup


async def bench_db(db: str, args: argparse.Namespace, out_json: list) -> DbReport:
    concurrency = 1 if db == "sqlite" else args.concurrency
    plan = W.Plan.make(args.rows, args.quick, concurrency)
    if args.reps:
        plan.reps = args.reps
        plan.max_reps = max(plan.max_reps, args.reps)
    rep = DbReport(db=db, plan=plan)
    t_start = time.perf_counter()
    ops = args.ops
    cleanup = None
    sides: list[Any] = []
    orm = None
    tortoise_url = None
    try:
        # ---- fixture database -----------------------------------------------------------------
        if db == "sqlite":
            fd, path = tempfile.mkstemp(prefix="aldabra-bench-", suffix=".sqlite3", dir=_sqlite_dir(args.sqlite_dir))
            os.close(fd)

            async def cleanup():  # noqa: F811
                for suffix in ("", "-wal", "-shm", "-journal"):
                    try:
                        os.remove(path + suffix)
                    except FileNotFoundError:
                        pass

            sqlite_prepare(path, plan)
            orm_url = tortoise_url = f"sqlite://{path}"
            orm = await _open_orm(plan, orm_url, rep)
            pragmas: dict[str, Any] = {}
            if orm is not None:
                try:
                    pragmas = await orm.sqlite_pragmas()
                except Exception as exc:
                    rep.notes.append(f"could not read Aldabra's PRAGMAs ({exc}); raw sides use SQLite defaults")
            rep.notes.append(f"file: {path} (same file for every side)")
            if pragmas:
                rep.notes.append("PRAGMAs (Aldabra's, copied to the raw connections): "
                                 + " ".join(f"{k}={v}" for k, v in pragmas.items()))
            apply = {k: v for k, v in pragmas.items() if k not in ("locking_mode",)}
            from benchmarks.raw_sqlite import AiosqliteSide, Sqlite3Side

            sides = [Sqlite3Side(plan, path, apply), AiosqliteSide(plan, path, apply)]
        elif db == "postgres":
            server = await _server_database(rep, "PostgreSQL", args.pg_url, pg_create, pg_drop, plan)
            if server is None:
                return rep
            _, dsn, cleanup = server
            orm_url = tortoise_url = f"{dsn}?minsize={concurrency}&maxsize={concurrency}"
            from benchmarks.raw_asyncpg import AsyncpgSide

            sides = [AsyncpgSide(plan, dsn)]
            orm = await _open_orm(plan, orm_url, rep)
        else:
            server = await _server_database(rep, "MySQL", args.mysql_url, my_create, my_drop, plan)
            if server is None:
                return rep
            name, kw, cleanup = server
            auth = kw["user"] + ":" + kw["password"]
            orm_url = tortoise_url = (f"mysql://{auth}@{kw['host']}:{kw['port']}/{name}"
                                      f"?minsize={concurrency}&maxsize={concurrency}&charset=utf8mb4")
            from benchmarks.raw_asyncmy import AsyncmySide

            sides = [AsyncmySide(plan, kw)]
            orm = await _open_orm(plan, orm_url, rep)

        for side in sides:
            await side.open()
        rep.raw_labels = [s.label for s in sides]
        all_sides = sides + ([orm] if orm is not None else [])

        # ---- measure, interleaved per operation ------------------------------------------------
        for op in ops:
            measured = await W.measure_many(all_sides, op, plan)
            for side in all_sides:
                m = measured[side.label]
                rep.results.setdefault(side.label, {})[op] = m
                if args.verbose:
                    print(f"  {db:8s} {op:14s} {side.label:10s} {W.Measurement.rows_per_sec.fget(m) or 0:12,.0f} rows/s"
                          f"  runs={[round(r * 1000, 1) for r in m.runs]}ms {m.error or ''}", file=sys.stderr)

        if orm is not None and args.profile:
            prof_ops = _profile_ops(args.profile, rep, ops)
            for op in prof_ops:
                rep.profiles.append(await profile_op(orm, op, args.profile_lines, args.profile_sort))

        if orm is not None:
            await orm.close()
            orm = None
        if args.tortoise_venv:
            run_tortoise(args, plan, tortoise_url, ops, rep)
    finally:
        for side in sides:
            try:
                await side.close()
            except Exception:
                pass
        if orm is not None:
            try:
                await orm.close()
            except Exception:
                pass
        if cleanup is not None:
            try:
                await cleanup()
            except Exception as exc:
                print(f"warning: cleanup of {db} failed: {exc}", file=sys.stderr)
        rep.elapsed = time.perf_counter() - t_start
    out_json.append(rep.to_dict())
    return rep


# --------------------------------------------------------------------------------------------
# profiling (cProfile of one Aldabra run of an operation)
# --------------------------------------------------------------------------------------------
def _profile_ops(spec: str, rep: DbReport, ops: list[str]) -> list[str]:
    if spec == "all":
        return list(ops)
    if spec == "slow":
        primary = PRIMARY_RAW[rep.db]
        out = []
        for op in ops:
            r = _ratio(rep.results.get("aldabra", {}).get(op), rep.results.get(primary, {}).get(op))
            if r is not None and r > W.TARGET[W.OP_KIND[op]]:
                out.append(op)
        return out
    return [op for op in spec.split(",") if op in ops]


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
def run_tortoise(args: argparse.Namespace, plan: W.Plan, url: str, ops: list[str], rep: DbReport) -> None:
    venv = Path(args.tortoise_venv)
    py = venv / "bin" / "python"
    if not py.exists():
        rep.notes.append(f"tortoise: no interpreter at {py}; see README.md (--tortoise-venv)")
        return
    if str(venv.resolve()).startswith(str(REPO)):
        rep.notes.append("tortoise: refusing a virtualenv inside the repository; create it under /tmp")
        return
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    cmd = [str(py), str(HERE / "orm_side.py"), "--db-url", url, "--plan", json.dumps(plan.to_dict()),
           "--ops", ",".join(ops), "--label", "tortoise"]
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
    ap.add_argument("--ops", default=",".join(W.OP_KEYS), help="comma-separated subset of: " + ", ".join(W.OP_KEYS))
    ap.add_argument("--concurrency", type=int, default=10,
                    help="pool size and concurrent tasks for PostgreSQL/MySQL (default 10)")
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
    ops = [o.strip() for o in args.ops.split(",") if o.strip()]
    unknown = [o for o in ops if o not in W.OP_KEYS]
    if unknown:
        ap.error(f"unknown operation(s) {', '.join(unknown)}; operations are: {', '.join(W.OP_KEYS)}")
    args.ops = ops
    return args


async def main_async(args: argparse.Namespace) -> list[DbReport]:
    dbs = DATABASES if args.db == "all" else (args.db,)
    print(f"Aldabra benchmark -- {_versions()}")
    print("rows/s: rows inserted/returned/updated/deleted per second (best run); "
          "'vs X' = Aldabra time / X time (1.00x = as fast as X, 2.00x = twice as slow)")
    reports, out_json = [], []
    for db in dbs:
        rep = await bench_db(db, args, out_json)
        reports.append(rep)
        print_table(rep)
        sys.stdout.flush()
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
