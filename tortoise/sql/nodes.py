"""SQL expression nodes: the query description the compiler turns into text.

Every node can do three things:
- ``key()``: a hashable *shape* — equal for two nodes that compile to the same SQL text
  whatever their parameter values;
- ``sql(c)``: render SQL text, taking placeholders from the context ``c`` in order;
- ``bind(c)``: append its parameter values to ``c.params``, in the same order.
A compiled statement is cached by its shape; on a hit only ``bind`` runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Hashable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field
    from tortoise.sql.dialects.base import Dialect


class Context:
    """Compilation state: the dialect, the placeholder counter and the parameters."""

    __slots__ = ("dialect", "params", "count")

    def __init__(self, dialect: "Dialect") -> None:
        self.dialect = dialect
        self.params: list[Any] = []
        self.count = 0

    def ph(self) -> str:
        index = self.count
        self.count += 1
        return self.dialect.placeholder(index)

    def encode(self, field: "Field | None", value: Any) -> Any:
        if field is None:
            return self.dialect.adapt_param(value)
        return encoder_for(field, self.dialect)(value)

    def pattern(self, lookup: str, value: Any) -> Any:
        return self.dialect.pattern_value(lookup, value)


class Slot:
    """Stands for the query value at ``index`` while a statement is compiled for the cache."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __repr__(self) -> str:
        return f"Slot({self.index})"


def encoder_for(field: "Field", dialect: "Dialect") -> Callable[[Any], Any]:
    """The cached encoder of ``field`` for ``dialect``."""
    cache = field.__dict__.setdefault("_encoders", {})
    enc = cache.get(dialect.name)
    if enc is None:
        enc = cache[dialect.name] = dialect.encoder(field)
    return enc


class Node:
    __slots__ = ()

    def key(self) -> Hashable:
        raise NotImplementedError

    def sql(self, c: Context) -> str:
        raise NotImplementedError

    def bind(self, c: Context) -> None:
        """Append parameters; nodes without parameters keep this no-op."""


class Column(Node):
    __slots__ = ("table", "name")

    def __init__(self, table: str, name: str) -> None:
        self.table, self.name = table, name

    def key(self) -> Hashable:
        return ("col", self.table, self.name)

    def sql(self, c: Context) -> str:
        q = c.dialect.quote
        return f"{q(self.table)}.{q(self.name)}"


class Param(Node):
    """A bound value, encoded by ``field`` (or adapted as is when field is None)."""

    __slots__ = ("value", "field")

    def __init__(self, value: Any, field: "Field | None" = None) -> None:
        self.value, self.field = value, field

    def key(self) -> Hashable:
        return "?"

    def sql(self, c: Context) -> str:
        return c.ph()

    def bind(self, c: Context) -> None:
        c.params.append(c.encode(self.field, self.value))


class PatternParam(Node):
    """A LIKE/GLOB pattern built from a value by the dialect (contains, startswith …)."""

    __slots__ = ("lookup", "value")

    def __init__(self, lookup: str, value: Any) -> None:
        self.lookup, self.value = lookup, value

    def key(self) -> Hashable:
        return "?"

    def sql(self, c: Context) -> str:
        return c.ph()

    def bind(self, c: Context) -> None:
        c.params.append(c.pattern(self.lookup, self.value))


class OutputName(Node):
    """A column of the select list by its alias (an annotation in ORDER BY)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def key(self) -> Hashable:
        return ("out", self.name)

    def sql(self, c: Context) -> str:
        return c.dialect.quote(self.name)


class Literal(Node):
    """Fixed SQL text without parameters (never built from user values)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def key(self) -> Hashable:
        return ("lit", self.text)

    def sql(self, c: Context) -> str:
        return self.text


class Raw(Node):
    """User-written SQL (RawSQL); its text is part of the shape."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def key(self) -> Hashable:
        return ("raw", self.text)

    def sql(self, c: Context) -> str:
        return self.text


class Composite(Node):
    """A node made of child nodes; binds them in rendering order."""

    __slots__ = ("children",)
    children: Sequence[Node]

    def bind(self, c: Context) -> None:
        for child in self.children:
            child.bind(c)


class Template(Composite):
    """Children rendered into a fixed template: ``Template("{0}+{1}", [a, b])``.

    Placeholders must appear in the template in child order (qmark/format styles bind
    positionally)."""

    __slots__ = ("template",)

    def __init__(self, template: str, children: Sequence[Node]) -> None:
        self.template, self.children = template, children

    def key(self) -> Hashable:
        return (self.template, *(ch.key() for ch in self.children))

    def sql(self, c: Context) -> str:
        return self.template.format(*(ch.sql(c) for ch in self.children))


class Arithmetic(Composite):
    """``(lhs <op> rhs)``; the dialect spells the operator (MySQL's driver needs ``%%``)."""

    __slots__ = ("operator",)

    def __init__(self, lhs: Node, operator: str, rhs: Node) -> None:
        self.children, self.operator = (lhs, rhs), operator

    def key(self) -> Hashable:
        return ("op", self.operator, self.children[0].key(), self.children[1].key())

    def sql(self, c: Context) -> str:
        lhs, rhs = self.children[0].sql(c), self.children[1].sql(c)
        if self.operator == "^":  # '^' is XOR on MySQL: every database has POWER()
            return f"POWER({lhs},{rhs})"
        return f"({lhs}{c.dialect.arithmetic(self.operator)}{rhs})"


class Lookup(Composite):
    """``lhs <op> rhs`` with the operator taken from the dialect's lookup templates."""

    __slots__ = ("name",)

    def __init__(self, name: str, lhs: Node, rhs: Node) -> None:
        self.name, self.children = name, (lhs, rhs)

    def key(self) -> Hashable:
        return ("lk", self.name, self.children[0].key(), self.children[1].key())

    def sql(self, c: Context) -> str:
        lhs = self.children[0].sql(c)
        if self.name in PATTERN_NAMES:
            lhs = c.dialect.text_cast(lhs)
        return c.dialect.lookup_template(self.name).format(lhs=lhs, rhs=self.children[1].sql(c))


PATTERN_NAMES = frozenset(
    {"contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"}
)


class Regex(Composite):
    __slots__ = ("insensitive",)

    def __init__(self, lhs: Node, rhs: Node, insensitive: bool) -> None:
        self.children, self.insensitive = (lhs, rhs), insensitive

    def key(self) -> Hashable:
        return ("re", self.insensitive, self.children[0].key())

    def sql(self, c: Context) -> str:
        lhs = c.dialect.text_cast(self.children[0].sql(c))
        return c.dialect.regex(lhs, self.children[1].sql(c), self.insensitive)


class Search(Composite):
    def __init__(self, lhs: Node, rhs: Node) -> None:
        self.children = (lhs, rhs)

    def key(self) -> Hashable:
        return ("search", self.children[0].key())

    def sql(self, c: Context) -> str:
        return c.dialect.search(self.children[0].sql(c), self.children[1].sql(c))


class JsonContains(Composite):
    """``container`` holds ``contained`` (JSON containment, PostgreSQL's ``@>``)."""

    def __init__(self, container: Node, contained: Node) -> None:
        self.children = (container, contained)

    def key(self) -> Hashable:
        return ("jc", self.children[0].key(), self.children[1].key())

    def sql(self, c: Context) -> str:
        return c.dialect.json_contains(self.children[0].sql(c), self.children[1].sql(c))


class ArrayCompare(Composite):
    """An array column against an array value: ``contains``, ``contained_by`` or ``overlap``;
    the value is cast to the column's own array type (``field``'s)."""

    __slots__ = ("op", "field")

    def __init__(self, op: str, lhs: Node, rhs: Node, field: "Field") -> None:
        self.children, self.op, self.field = (lhs, rhs), op, field

    def key(self) -> Hashable:
        return ("ac", self.op, self.children[0].key())

    def sql(self, c: Context) -> str:
        lhs, rhs = (child.sql(c) for child in self.children)
        return c.dialect.array_compare(self.op, lhs, rhs, c.dialect.column_type(self.field))


class ArrayLength(Composite):
    """The number of elements of an array (0 for an empty one)."""

    def __init__(self, lhs: Node) -> None:
        self.children = (lhs,)

    def key(self) -> Hashable:
        return ("alen", self.children[0].key())

    def sql(self, c: Context) -> str:
        return c.dialect.array_length(self.children[0].sql(c))


class JsonExtract(Composite):
    """The value at ``path`` inside JSON ``lhs``; the path's parts are bound parameters."""

    __slots__ = ("path", "kind")

    def __init__(self, lhs: Node, path: tuple, kind: str) -> None:
        self.children, self.path, self.kind = (lhs,), path, kind

    def key(self) -> Hashable:
        return ("jx", self.path, self.kind, self.children[0].key())

    def sql(self, c: Context) -> str:
        lhs = self.children[0].sql(c)
        marks = [c.ph() for _ in c.dialect.json_path_params(self.path, self.kind)]
        return c.dialect.json_extract(lhs, marks, self.kind)

    def bind(self, c: Context) -> None:
        self.children[0].bind(c)
        c.params.extend(c.dialect.json_path_params(self.path, self.kind))


class DatePart(Composite):
    __slots__ = ("part",)

    def __init__(self, part: str, lhs: Node) -> None:
        self.part, self.children = part, (lhs,)

    def key(self) -> Hashable:
        return ("dp", self.part, self.children[0].key())

    def sql(self, c: Context) -> str:
        inner = self.children[0].sql(c)
        if self.part == "date":
            return c.dialect.date_of(inner)
        if isinstance(self.children[0], JsonExtract):
            return c.dialect.json_date_part(self.part, inner)
        return c.dialect.date_part(self.part, inner)


class Junction(Composite):
    """AND / OR of conditions."""

    __slots__ = ("op",)

    def __init__(self, op: str, children: Sequence[Node]) -> None:
        self.op, self.children = op, tuple(children)

    def key(self) -> Hashable:
        return (self.op, *(ch.key() for ch in self.children))

    def sql(self, c: Context) -> str:
        if len(self.children) == 1:
            return self.children[0].sql(c)
        return "(" + f" {self.op} ".join(ch.sql(c) for ch in self.children) + ")"


class Not(Composite):
    def __init__(self, child: Node) -> None:
        self.children = (child,)

    def key(self) -> Hashable:
        return ("not", self.children[0].key())

    def sql(self, c: Context) -> str:
        return f"NOT {self.children[0].sql(c)}"


class Func(Composite):
    """``NAME([DISTINCT] args)``; an aggregate's filter arrives as a CASE WHEN argument."""

    __slots__ = ("name", "distinct")

    def __init__(self, name: str, args: Sequence[Node], distinct: bool = False) -> None:
        self.name, self.children, self.distinct = name, tuple(args), distinct

    def key(self) -> Hashable:
        return ("fn", self.name, self.distinct, *(ch.key() for ch in self.children))

    def sql(self, c: Context) -> str:
        args = ",".join(ch.sql(c) for ch in self.children)
        return f"{self.name}({'DISTINCT ' if self.distinct else ''}{args})"


class Subquery(Node):
    __slots__ = ("select",)

    def __init__(self, select: Any) -> None:
        self.select = select

    def key(self) -> Hashable:
        return ("sub", self.select.key())

    def sql(self, c: Context) -> str:
        return f"({self.select.sql(c)})"

    def bind(self, c: Context) -> None:
        self.select.bind(c)


TRUE = Literal("1=1")
FALSE = Literal("1=0")
NULL = Literal("NULL")
COUNT_ALL = Literal("COUNT(*)")
ONE = Literal("1")


# --- the SQL of conditions and expressions the ORM builds (so that no SQL text lives above) ---
def equals(lhs: Node, rhs: Node) -> Node:
    return Template("{0}={1}", [lhs, rhs])


def is_null(lhs: Node, negate: bool = False) -> Node:
    return Template("{0} IS NOT NULL" if negate else "{0} IS NULL", [lhs])


def in_list(lhs: Node, values: Sequence[Node], negate: bool = False) -> Node:
    """``lhs [NOT] IN (v1, v2 …)``; an empty list is always false (true when negated)."""
    if not values:
        return TRUE if negate else FALSE
    marks = ",".join("{%d}" % (i + 1) for i in range(len(values)))
    return Template("{0} %s (%s)" % ("NOT IN" if negate else "IN", marks), [lhs, *values])


def in_subquery(lhs: Node, subquery: Node, negate: bool = False) -> Node:
    return Template("{0} %s {1}" % ("NOT IN" if negate else "IN"), [lhs, subquery])


def between(lhs: Node, low: Node, high: Node) -> Node:
    return Template("{0} BETWEEN {1} AND {2}", [lhs, low, high])


def case_when(pairs: Sequence[tuple[Node, Node]], default: Node) -> Node:
    """``CASE WHEN c1 THEN v1 … ELSE default END``."""
    template, children = "CASE", []
    for condition, value in pairs:
        template += " WHEN {%d} THEN {%d}" % (len(children), len(children) + 1)
        children += [condition, value]
    template += " ELSE {%d} END" % len(children)
    return Template(template, [*children, default])


def count_distinct(column: Node) -> Node:
    return Func("COUNT", [column], distinct=True)
