"""The public orm-benchmarks workload: operations A-K on a ``Journal`` table, TEST=1/2/3.

Operations (as the orm-benchmarks Tortoise scripts do them; ``N`` = iterations, ``C`` =
concurrent tasks, each task awaiting its part one operation after another):

- A  ``Journal.create(level=, text=)``, autocommit, N rows
- B  the same inside ``in_transaction()``, one transaction per batch of 100 creates
- C  ``Journal.bulk_create([... 100 new Journal ...])`` per batch of 100
- D  ``list(await Journal.filter(level=lvl).all())`` for the 5 levels in every task (~N/5 rows each)
- E  ``Journal.filter(level=lvl).limit(20).offset(n)``, N queries
- F  ``Journal.get(id=i)``, N queries
- G / H  D's query as ``.values()`` / ``.values_list()``
- I / J / K  in one transaction per task: ``obj.save()`` / ``obj.save(update_fields=["level"])`` /
  ``obj.delete()`` on N rows loaded beforehand

General-path shapes return the same rows as a fast-path operation (``SAME_ROWS``), so their
ratio can be read next to that operation's.

Models: TEST=1 ``Journal`` (id, timestamp auto_now_add, level smallint indexed, text
char(255) indexed); TEST=2 adds ``parent`` (nullable FK to Journal) and a self M2M;
TEST=3 adds 32 columns (float, smallint, int, bigint, char, text, decimal(12,8), JSON,
twice with defaults and twice nullable).

The read fixture is N rows with ids 1..N; write operations work on rows with larger ids
(removed again before every run), so reads always see exactly the fixture.  Stdlib only,
like ``workload.py``: the ORM side can run from another virtualenv.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

LEVELS = (10, 20, 30, 40, 50)
BATCH = 100  #: creates per transaction (B) and rows per bulk_create (C)
PAGE = 20
TABLE = "journal"
NO_LEVEL = 0  #: a level no row has: the second branch of the OR / IN shapes matches nothing

#: operation -> what the ORM side does
OPS: dict[str, str] = {
    "A": "create(), autocommit",
    "B": "in_transaction(): create() x100",
    "C": "bulk_create(100 objs)",
    "D": "list(filter(level=).all())",
    "E": "filter(level=).limit(20).offset(n)",
    "F": "get(id=)",
    "G": "filter(level=).values()",
    "H": "filter(level=).values_list()",
    "I": "in_transaction(): obj.save()",
    "J": "in_transaction(): save(update_fields=[level])",
    "K": "in_transaction(): obj.delete()",
}
#: general-path shape -> (what the ORM side does, the fast-path operation returning the same rows)
GENERAL: dict[str, tuple[str, str]] = {
    "or": ("filter(Q(level=) | Q(level=0))", "D"),
    "in": ("filter(level__in=[lvl, 0])", "D"),
    "join": ("filter(parent__level=lvl)  [TEST=2]", "D"),
    "group": ("filter(level=).annotate(n=Count(id)).group_by(text).values(text, n)", "G"),
    "order2": ("filter(level=).order_by(-timestamp, id)", "D"),
}
#: shapes that need the FK of TEST=2
NEEDS_FK = {"join"}

OP_KEYS = list(OPS)
GENERAL_KEYS = list(GENERAL)
OP_DESC = {**OPS, **{k: desc for k, (desc, _) in GENERAL.items()}}
SAME_ROWS = {k: same for k, (_, same) in GENERAL.items()}

INSERT_OPS = {"A", "B", "C"}
LOADED_OPS = {"I", "J", "K"}
BATCHED_OPS = {"B", "C"}


@dataclass(frozen=True)
class Column:
    """One non-pk column of ``journal``: what the model declares and the raw side binds."""

    name: str
    kind: str  #: datetime smallint int bigint float char text decimal json fk
    default: Any = None
    null: bool = False
    index: bool = False


_TEXT_DEFAULT = "Moo,Foo,Baa,Waa," * 3
_JSON_DEFAULT = {"a": 1, "b": "b", "c": [2], "d": {"e": 3}, "f": True}
_EXTRA_KINDS: list[tuple[str, Any]] = [
    ("float", 2.2), ("smallint", 2), ("int", 2000000), ("bigint", 99999999),
    ("char", "value1"), ("text", _TEXT_DEFAULT), ("decimal", Decimal("2.2")), ("json", _JSON_DEFAULT),
]


def columns(test: int) -> list[Column]:
    """The non-pk columns of the TEST variant, in table order (``fk`` is ``parent_id``)."""
    cols = [
        Column("timestamp", "datetime"),
        Column("level", "smallint", index=True),
        Column("text", "char", index=True),
    ]
    if test == 2:
        cols.append(Column("parent_id", "fk", null=True))
    elif test == 3:
        for group in range(1, 5):
            with_default = group % 2 == 1
            for kind, default in _EXTRA_KINDS:
                cols.append(Column(f"col_{kind}{group}", kind, default if with_default else None,
                                   null=not with_default))
    return cols


_BASE_TIME = _dt.datetime(2024, 1, 1, 8, 30, 0, tzinfo=_dt.timezone.utc)


@dataclass
class JournalPlan:
    """Sizes and data of one run of the suite; the same plan drives every side."""

    iterations: int = 1000
    test: int = 1
    concurrency: int = 10
    reps: int = 5  #: timed rounds (every side, interleaved); the best run is kept
    warmup: int = 1
    max_reps: int = 15  #: more rounds (up to this) for a side whose timed runs add up to < min_time
    min_time: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    # --- rows: {"level", "text"} (what the scripts pass to create()) -----------------------
    def new_rows(self, op: str) -> list[dict[str, Any]]:
        return [{"level": LEVELS[i % 5], "text": f"Insert from {op}, item {i}"} for i in range(self.iterations)]

    def batches(self, items: list[Any]) -> list[list[Any]]:
        return [items[i:i + BATCH] for i in range(0, len(items), BATCH)]

    def per_task(self, items: list[Any]) -> list[list[Any]]:
        """I/J/K: one contiguous part of the loaded rows per task (one transaction each)."""
        size = -(-len(items) // max(1, self.concurrency))
        return [items[i:i + size] for i in range(0, len(items), size)]

    def fixture_rows(self) -> list[dict[str, Any]]:
        """The read fixture, ids 1..N: ``level`` cycles, TEST=2 rows point to the row 5 before
        (same level), so ``parent__level=lvl`` finds nearly the rows of ``level=lvl``."""
        out = []
        for i in range(1, self.iterations + 1):
            row = {"id": i, "timestamp": _BASE_TIME + _dt.timedelta(seconds=i),
                   "level": LEVELS[i % 5], "text": f"Journal entry {i}"}
            if self.test == 2:
                row["parent_id"] = i - 5 if i > 5 else None
            out.append(row)
        return out

    def loaded_rows(self) -> list[dict[str, Any]]:
        """Rows loaded (untimed) before I/J/K, after the fixture."""
        return [{"timestamp": _BASE_TIME, "level": LEVELS[i % 5], "text": f"Loaded {i}"}
                for i in range(self.iterations)]

    def update(self, i: int, text: str) -> dict[str, Any]:
        """What I and J set on the i-th loaded row."""
        return {"level": LEVELS[(i + 2) % 5], "text": f"{text} Update"}

    # --- query arguments ------------------------------------------------------------------
    def level_queries(self) -> list[int]:
        """D/G/H and the general shapes: every task queries the 5 levels."""
        return [lvl for _ in range(self.concurrency) for lvl in LEVELS]

    def pages(self) -> list[tuple[int, int]]:
        """E: (level, offset) per query; offsets within the first tenth of a level's rows."""
        span = max(1, self.iterations // 10)
        return [(LEVELS[i % 5], (i * 7) % span) for i in range(self.iterations)]

    def get_ids(self) -> list[int]:
        return [(i * 7919) % self.iterations + 1 for i in range(self.iterations)]


def full_row(cols: list[Column], row: dict[str, Any], timestamp: _dt.datetime = _BASE_TIME) -> dict[str, Any]:
    """Every column's value for a row built from ``row`` (the ORM fills the rest from defaults)."""
    out = {}
    for col in cols:
        if col.name in row:
            out[col.name] = row[col.name]
        elif col.name == "timestamp":
            out[col.name] = timestamp
        else:
            out[col.name] = col.default
    return out
