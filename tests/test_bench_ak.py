"""The A-K benchmark suite (benchmarks/, ``--suite ak``) runs, and its two sides agree.

Tiny sizes, no timing: for every operation and every TEST model, the raw driver and
Aldabra start from the same table, do their work, and must report the same number of rows
and leave the same rows behind -- so the benchmark keeps measuring the same work on both
sides as the ORM and the suite change.
"""
from __future__ import annotations

import io

import pytest

from benchmarks import journal as J
from benchmarks import run
from benchmarks.ak_report import print_ak_table
from tests.conftest import TEST_DB

# the benchmark compares against each server's primary raw driver: once per server, so
# the psycopg run (the PostgreSQL server again) is left to the postgres run
pytestmark = pytest.mark.skipif(TEST_DB not in run.DATABASES, reason=f"benchmarks run on {', '.join(run.DATABASES)}")


async def _rows_after_fixture(orm) -> list[tuple]:
    """Every row the operation left after the fixture, without ids and timestamps."""
    names = [c.name for c in J.columns(orm.plan.test) if c.name != "timestamp"]
    rows = await orm.Journal.filter(id__gt=orm.plan.iterations).order_by("id").values_list(*names)
    return sorted(rows, key=repr)


@pytest.mark.parametrize("test", [1, 2, 3])
async def test_ak_suite_sides_agree(other_orm, test):
    args = run.parse_args(["--suite", "ak", "--db", TEST_DB, "--test", str(test), "--iterations", "30",
                           "--concurrency", "3", "--reps", "1"])
    suite = run.SUITES["ak"](args, TEST_DB)
    rep = run.DbReport(db=TEST_DB, plan=suite.plan, suite=suite.name)
    async with run.open_database(suite, TEST_DB, args, rep) as opened:
        assert opened is not None, rep.skipped
        assert rep.orm_error is None
        assert not [n for n in rep.notes if "FAILED" in n]
        orm, raw = opened.orm, opened.sides[-1]
        expected_ops = J.OP_KEYS + [op for op in J.GENERAL_KEYS if test == 2 or op not in J.NEEDS_FK]
        assert suite.ops == expected_ops
        for op in suite.ops:
            counts, left = {}, {}
            for side in (raw, orm):
                await side.setup(op)
                counts[side.label] = await side.run(op)
                left[side.label] = await _rows_after_fixture(orm)
            assert counts[raw.label] == counts[orm.label] > 0, op
            assert left[raw.label] == left[orm.label], op
            if op in J.LOADED_OPS - {"K"} or op in J.INSERT_OPS:
                assert len(left[orm.label]) == suite.plan.iterations, op


async def test_ak_suite_measures_and_reports(other_orm):
    """The whole command (``python -m benchmarks.run --suite ak``) on a tiny size: a table
    with a ratio per operation, the geometric mean and the general shape next to D."""
    args = run.parse_args(["--suite", "ak", "--db", TEST_DB, "--iterations", "20", "--concurrency", "2",
                           "--reps", "1", "--ops", "A,F,or"])
    suite = run.SUITES["ak"](args, TEST_DB)
    assert suite.ops == ["A", "D", "F", "or"]
    rep = await run.bench_db(suite, TEST_DB, args, [])
    assert rep.skipped is None and rep.orm_error is None
    for op in suite.ops:
        measured = [rep.results[label][op] for label in rep.raw_labels + ["aldabra"]]
        assert [m.error for m in measured] == [None] * len(measured), op
        assert len({m.rows for m in measured}) == 1, op
    out = io.StringIO()
    print_ak_table(rep, suite.ops, out)
    text = out.getvalue()
    assert "geometric mean over 3 operations" in text
    assert "!=" not in text  # no row-count mismatch flagged
