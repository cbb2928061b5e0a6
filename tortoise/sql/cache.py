"""The one statement cache: a compiled statement per query shape.

A query's *shape* (which filters, lookups, joins, ordering …, never the values) is read
from the query's state by a ``Walker``, which also collects the values ("leaves") in a
fixed order.  On a miss the statement is built once with ``Slot`` stand-ins for the
leaves, rendered, and its *plan* recorded: for each bound parameter, which leaf it comes
from and the encoder that turns it into a driver value.  On a hit only the plan runs:
``bind_plan(plan, leaves)`` (or the binder ``model_code.make_binder`` writes for the plan) —
no nodes are built and nothing is rendered.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Hashable

from tortoise.sql.nodes import Context, Slot, encoder_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.sql.dialects.base import Dialect
    from tortoise.sql.query import Statement


class Uncacheable(Exception):
    """The query has a part whose SQL depends on more than its shape (a subquery …)."""


class Walker:
    """Collects a query's leaf values while its shape is read.

    With ``record=True`` it also remembers, per owner (a Q filter, a Value …), the
    ``Slot`` each leaf was given; the resolver substitutes those while compiling.
    ``model``: the query's model, which filter names are relative to.
    """

    __slots__ = ("leaves", "slots", "model")

    def __init__(self, model: Any = None, record: bool = False) -> None:
        self.model = model
        self.leaves: list[Any] = []
        self.slots: dict[Hashable, Any] | None = {} if record else None

    def leaf(self, owner: Hashable, value: Any) -> None:
        if self.slots is not None:
            self.slots[owner] = Slot(len(self.leaves))
        self.leaves.append(value)

    def leaf_group(self, owner: Hashable, values: list[Any]) -> None:
        """Several leaves standing for one value (an ``__in`` list, a range pair)."""
        if self.slots is not None:
            start = len(self.leaves)
            self.slots[owner] = [Slot(start + i) for i in range(len(values))]
        self.leaves.extend(values)


class PlanContext(Context):
    """Binds a statement built from slots: records (leaf index, encoder) per parameter."""

    __slots__ = ()

    def encode(self, field: Any, value: Any) -> Any:
        if not isinstance(value, Slot):
            raise Uncacheable("a parameter not taken from the query's values")
        if field is None:
            return (value.index, self.dialect.adapt_param, None)
        unchanged = field.db_type_unchanged
        if unchanged is not None:  # values of this type are sent as they are (see make_row_encoder)
            unchanged = (unchanged, getattr(field, "max_length", None))
        return (value.index, encoder_for(field, self.dialect), unchanged)

    def pattern(self, lookup: str, value: Any) -> Any:
        if not isinstance(value, Slot):
            raise Uncacheable("a pattern not taken from the query's values")
        pattern_value = self.dialect.pattern_value
        return (value.index, lambda v: pattern_value(lookup, v), None)

    def plan(self) -> "Plan":
        plan = []
        for item in self.params:
            if isinstance(item, Slot):  # limit / offset: sent as they are
                plan.append((item.index, None, None))
            elif isinstance(item, tuple):
                plan.append(item)
            else:
                raise Uncacheable("a parameter not taken from the query's values")
        return tuple(plan)


#: per bound parameter: (leaf index, encoder or None, (type, max length) of values the
#: encoder would return unchanged, or None)
Plan = tuple[tuple[int, Any, Any], ...]


def compile_plan(statement: "Statement", dialect: "Dialect") -> tuple[str, Plan]:
    """Render ``statement`` (built from slots) once: its SQL text and its parameter plan."""
    statements.compiles += 1
    sql = statement.sql(Context(dialect))
    pc = PlanContext(dialect)
    statement.bind(pc)
    return sql, pc.plan()


def bind_plan(plan: Plan, leaves: list[Any]) -> list[Any]:
    """The statement's parameters from the query's leaf values (``model_code.make_binder``
    writes this loop out per statement)."""
    return [leaves[i] if enc is None else enc(leaves[i]) for i, enc, _ in plan]


class StatementCache:
    """A bounded LRU map (kind, model, dialect, shape) → compiled entry, with counters.

    A hit hashes its key once: each entry carries a stamp of its last use (``_clock``
    counts hits and puts), and the least recently used entry is found by that stamp when
    the cache overflows (a miss is rare and already pays for compiling)."""

    def __init__(self, limit: int = 2048) -> None:
        self.limit = limit
        #: key -> [entry, ``_clock`` when last used]
        self._entries: dict[Hashable, list] = {}
        self.hits = 0
        self.misses = 0
        #: how many statements were rendered (each miss that compiled adds one)
        self.compiles = 0
        self._clock = 0

    def get(self, key: Hashable) -> Any:
        slot = self._entries.get(key)
        if slot is None:
            self.misses += 1
            return None
        self.hits += 1
        self._clock = slot[1] = self._clock + 1
        return slot[0]

    def put(self, key: Hashable, entry: Any) -> Any:
        entries = self._entries
        self._clock += 1
        entries[key] = [entry, self._clock]
        while len(entries) > self.limit:
            oldest = min(entries.items(), key=_stamp)[0]
            del entries[oldest]
        return entry

    def compiled(self, key: Hashable, build: Callable[..., Any], *args: Any) -> Any:
        """The entry for ``key``, made by ``build(*args)`` (and counted as a compile) on a
        miss (arguments rather than a closure: a hit makes no function)."""
        entry = self.get(key)
        if entry is None:
            self.compiles += 1
            entry = self.put(key, build(*args))
        return entry

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries


def _stamp(item: tuple[Hashable, list]) -> int:
    return item[1][1]


#: the process-wide statement cache
statements = StatementCache()

#: a compiled entry stored for a shape that cannot be cached (the plain path runs)
UNCACHEABLE = False
