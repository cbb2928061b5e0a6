"""The raw-driver side of the A-K suite (``journal.py``): the SQL Aldabra sends, by hand.

The statements are the ones the ORM sends for each operation (same columns in the same
order, same WHERE, ``LIMIT 2`` on ``get``, no ORDER BY on E), with the driver's
placeholders; the parameters are prepared outside the timed region (all columns, the
defaults of TEST=3 included, as the ORM's INSERT carries them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmarks import journal as J
from benchmarks.raw_base import OpWork, RawSide
from benchmarks.rawsql import _Placeholders, delete_sql, insert_sql, quote, select_sql, to_db, update_sql


@dataclass(frozen=True)
class JournalStatements:
    insert: str
    insert_many: str
    insert_fixture: str
    after_fixture: tuple[str, ...]  #: statistics, and PostgreSQL's sequence past the fixture ids
    by_level: str  #: D, G, H
    page: str  #: E
    get: str  #: F
    update_whole: str  #: I
    update_level: str  #: J
    delete: str  #: K
    reset: str  #: remove every row after the fixture
    loaded_ids: str
    general: dict[str, str]  #: the general-path shapes


def journal_statements(dialect: str, test: int) -> JournalStatements:
    q = lambda name: quote(dialect, name)  # noqa: E731
    names = [c.name for c in J.columns(test)]
    every = ["id"] + names
    t = J.TABLE

    def where(sql: str) -> str:
        """``sql`` with each ``?`` as the dialect's next placeholder."""
        p = _Placeholders(dialect)
        return "".join(p() if ch == "?" else ch for ch in sql)

    level = q("level")
    qualified = ", ".join(f"{q(t)}.{q(c)}" for c in every)
    parent = q(t + "__parent")
    general = {
        "or": select_sql(dialect, t, every, where(f"WHERE ({level}=? OR {level}=?)")),
        "in": select_sql(dialect, t, every, where(f"WHERE {level} IN (?, ?)")),
        "group": f"SELECT {q('text')}, COUNT({q('id')}) FROM {q(t)} "
                 + where(f"WHERE {level}=? GROUP BY {q('text')}"),
        "order2": select_sql(dialect, t, every, where(f"WHERE {level}=? ORDER BY {q('timestamp')} DESC, {q('id')} ASC")),
    }
    if test == 2:
        general["join"] = (f"SELECT {qualified} FROM {q(t)} LEFT OUTER JOIN {q(t)} {parent} "
                           f"ON {parent}.{q('id')}={q(t)}.{q('parent_id')} " + where(f"WHERE {parent}.{level}=?"))
    after = {
        "sqlite": ("ANALYZE",),
        "postgres": (f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {q(t)}))", "ANALYZE"),
        "mysql": (f"ANALYZE TABLE {q(t)}",),
    }[dialect]
    return JournalStatements(
        insert=insert_sql(dialect, t, names, returning=True),
        insert_many=insert_sql(dialect, t, names),
        insert_fixture=insert_sql(dialect, t, every),
        after_fixture=after,
        by_level=select_sql(dialect, t, every, where(f"WHERE {level}=?")),
        page=select_sql(dialect, t, every, where(f"WHERE {level}=? LIMIT ? OFFSET ?")),
        get=select_sql(dialect, t, every, where(f"WHERE {q('id')}=? LIMIT 2")),
        update_whole=update_sql(dialect, t, names),
        update_level=update_sql(dialect, t, ("level",)),
        delete=delete_sql(dialect, t),
        reset=f"DELETE FROM {q(t)} " + where(f"WHERE {q('id')}>?"),
        loaded_ids=select_sql(dialect, t, ("id",), where(f"WHERE {q('id')}>? ORDER BY {q('id')}")),
        general=general,
    )


class JournalWork:
    """Statements and prepared parameters of the A-K suite for one dialect."""

    def __init__(self, dialect: str, plan: J.JournalPlan) -> None:
        self.dialect = dialect
        self.plan = plan
        self.cols = J.columns(plan.test)
        self.st = journal_statements(dialect, plan.test)
        self.new = {op: [self.params(r) for r in plan.new_rows(op)] for op in sorted(J.INSERT_OPS)}
        self.loaded = plan.loaded_rows()
        self.loaded_params = [self.params(r) for r in self.loaded]
        self.levels = [(lvl,) for lvl in plan.level_queries()]
        self.levels_or_none = [(lvl, J.NO_LEVEL) for lvl in plan.level_queries()]
        self.pages = [(lvl, J.PAGE, off) for lvl, off in plan.pages()]
        self.gets = [(i,) for i in plan.get_ids()]
        #: filled by setup() for I/J/K: parameters naming the loaded rows' ids
        self.by_id: dict[str, list[tuple]] = {}

    def params(self, row: dict[str, Any]) -> tuple:
        full = J.full_row(self.cols, row)
        return tuple(to_db(self.dialect, full[c.name]) for c in self.cols)

    async def fill(self, side: RawSide) -> None:
        """Load the read fixture (ids 1..N) with ``side``'s driver; untimed, once per database."""
        rows = [(r["id"], *self.params(r)) for r in self.plan.fixture_rows()]
        await side._insert_many_chunk(self.st.insert_fixture, rows)
        for sql in self.st.after_fixture:
            await side._execute(sql)

    async def setup(self, side: RawSide, op: str) -> None:
        await side._execute(self.st.reset, (self.plan.iterations,))
        if op in J.LOADED_OPS:
            await side._insert_many_chunk(self.st.insert_many, self.loaded_params)
            ids = [r[0] for r in await side._fetch_all(self.st.loaded_ids, (self.plan.iterations,))]
            self._prepare_loaded(ids)

    def _prepare_loaded(self, ids: list[int]) -> None:
        whole, level = [], []
        for i, (row_id, row) in enumerate(zip(ids, self.loaded)):
            new = {**row, **self.plan.update(i, row["text"])}
            whole.append((*self.params(new), row_id))
            level.append((new["level"], row_id))
        self.by_id = {"I": whole, "J": level, "K": [(row_id,) for row_id in ids]}

    def work(self, op: str) -> OpWork:
        st = self.st
        if op == "A":
            return "_insert_chunk", st.insert, self.new["A"], False
        if op in J.BATCHED_OPS:
            chunk, sql = ("_insert_tx_chunk", st.insert) if op == "B" else ("_insert_many_chunk", st.insert_many)
            return chunk, sql, self.plan.batches(self.new[op]), True
        if op in ("D", "G", "H"):
            return "_fetch_chunk", st.by_level, self.levels, False
        if op == "E":
            return "_fetch_chunk", st.page, self.pages, False
        if op == "F":
            return "_fetch_chunk", st.get, self.gets, False
        if op in J.LOADED_OPS:
            sql = {"I": st.update_whole, "J": st.update_level, "K": st.delete}[op]
            return "_write_tx_chunk", sql, self.plan.per_task(self.by_id[op]), True
        if op not in st.general:
            raise LookupError(f"operation {op!r} needs TEST=2 (a foreign key)")
        params = self.levels_or_none if op in ("or", "in") else self.levels
        return "_fetch_chunk", st.general[op], params, False
