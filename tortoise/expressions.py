"""User-facing expressions: Q, F, Value, RawSQL, Subquery, Case/When.

Expressions are resolved against a query (``resolve(resolver)``) into SQL nodes; the
resolver knows the model, its joins and annotations (see tortoise/filters.py).
"""
from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Hashable

from tortoise.exceptions import FieldError, OperationalError
from tortoise.filters import ResolveContext as ResolveContext  # Tortoise exports it from here
from tortoise.filters import filter_value_shape
from tortoise.sql import nodes
from tortoise.sql.cache import Uncacheable, Walker

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.filters import Resolver


class Connector(str, Enum):
    """The operator of a `CombinedExpression` (``(F("a") + 1).connector is Connector.add``)."""

    add = "+"
    sub = "-"
    mul = "*"
    div = "/"
    mod = "%"
    pow = "^"


class Expression:
    """Base of expressions usable in filters, updates and annotations."""

    is_aggregate = False

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        raise NotImplementedError

    def output_field(self, resolver: "Resolver") -> Any:
        """The field whose conversion applies to this expression's values (or None)."""
        return None

    def shape(self, w: Walker) -> Hashable:
        """What decides this expression's SQL; its values go to ``w`` (see sql/cache.py).

        An expression that does not know its shape cannot be cached: its queries take the
        plain path (compiled on every run)."""
        raise Uncacheable(type(self).__name__)

    def _combine(self, other: Any, op: str, reverse: bool = False) -> "CombinedExpression":
        other = other if isinstance(other, Expression) else Value(other)
        return CombinedExpression(other, op, self) if reverse else CombinedExpression(self, op, other)

    def __add__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "+")

    def __sub__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "-")

    def __mul__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "*")

    def __truediv__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "/")

    def __mod__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "%")

    def __pow__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "^")

    def __rpow__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "^", reverse=True)

    def __rmod__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "%", reverse=True)

    def __radd__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "+", reverse=True)

    def __rsub__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "-", reverse=True)

    def __rmul__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "*", reverse=True)

    def __rtruediv__(self, other: Any) -> "CombinedExpression":
        return self._combine(other, "/", reverse=True)

    def __neg__(self) -> "CombinedExpression":
        return CombinedExpression(self, "*", Value(-1))


class F(Expression):
    """A reference to a field (or annotation) of the queried model: ``F("views") + 1``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        return self._resolved(resolver)[0]

    def output_field(self, resolver: "Resolver") -> Any:
        return self._resolved(resolver)[1]

    def _resolved(self, resolver: "Resolver") -> tuple[nodes.Node, Any]:
        try:
            return resolver.resolve_field_ref(self.name)
        except FieldError as exc:
            if self.name in resolver.model._meta.fields_map or "__" in self.name or self.name in resolver.annotations:
                raise
            # Tortoise's wording for F() first (callers match on it), then ours with the fields
            raise FieldError(f"There is no non-virtual field {self.name} on Model {resolver.model.__name__}: {exc}") from None

    def shape(self, w: Walker) -> Hashable:
        return ("F", self.name)

    def __repr__(self) -> str:
        return f"F({self.name!r})"


class CombinedExpression(Expression):
    def __init__(self, left: Expression, operator: str, right: Expression) -> None:
        self.left, self.operator, self.right = left, operator, right

    @property
    def is_aggregate(self) -> bool:  # type: ignore[override]
        return self.left.is_aggregate or self.right.is_aggregate

    @property
    def connector(self) -> Connector:
        return Connector(self.operator)

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        return nodes.Arithmetic(self.left.resolve(resolver), self.operator, self.right.resolve(resolver))

    def output_field(self, resolver: "Resolver") -> Any:
        return self.left.output_field(resolver) or self.right.output_field(resolver)

    def shape(self, w: Walker) -> Hashable:
        return ("op", self.operator, self.left.shape(w), self.right.shape(w))


class Value(Expression):
    """A constant, always sent as a bound parameter."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        return nodes.Param(resolver.sub(id(self), self.value))

    def shape(self, w: Walker) -> Hashable:
        w.leaf(id(self), self.value)
        return "value"


class RawSQL(Expression):
    """Literal SQL written by the user (no parameters are formatted into it)."""

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        return nodes.Raw(self.sql)

    def shape(self, w: Walker) -> Hashable:
        return ("raw", self.sql)


class Subquery(Expression):
    """A queryset used as a value: ``filter(id__in=Subquery(qs.values("id")))``."""

    def __init__(self, query: Any) -> None:
        self.query = query

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        return nodes.Subquery(self.query._as_subquery(resolver))


class When(Expression):
    def __init__(self, *args: "Q", then: Any, negate: bool = False, **kwargs: Any) -> None:
        self.condition = Q(*args, **kwargs)
        if negate:
            self.condition = ~self.condition
        self.then = then


class Case(Expression):
    """``Case(When(status="a", then="x"), default="y")``."""

    def __init__(self, *whens: When, default: Any = None) -> None:
        if not all(isinstance(w, When) for w in whens):
            raise FieldError("Case() takes When(...) conditions as positional arguments")
        self.whens, self.default = whens, default

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        pairs = [(when.condition.resolve(resolver), _operand(when.then, resolver, id(when))) for when in self.whens]
        return nodes.case_when(pairs, _operand(self.default, resolver, id(self)))

    def shape(self, w: Walker) -> Hashable:
        whens = tuple((when.condition.shape(w), _operand_shape(when.then, id(when), w)) for when in self.whens)
        return ("case", whens, _operand_shape(self.default, id(self), w))


def _operand(value: Any, resolver: "Resolver", owner: int) -> nodes.Node:
    if isinstance(value, Expression):
        return value.resolve(resolver)
    return nodes.Param(resolver.sub(owner, value))


def _operand_shape(value: Any, owner: int, w: Walker) -> Hashable:
    if isinstance(value, Expression):
        return value.shape(w)
    w.leaf(owner, value)
    return "value"


class Q:
    """A filter condition tree: ``Q(a=1) | Q(b=2)``, ``~Q(c=3)``, ``Q(x, y, join_type="OR")``."""

    AND = "AND"
    OR = "OR"

    def __init__(self, *args: "Q", join_type: str = "AND", **kwargs: Any) -> None:
        if join_type not in (self.AND, self.OR):
            raise OperationalError(f"join_type must be AND or OR, not {join_type!r}")
        for arg in args:
            if not isinstance(arg, Q):
                raise OperationalError(f"All ordered arguments must be Q nodes (filters go as keywords), got {arg!r}")
        self.children: tuple[Q, ...] = args
        self.filters = kwargs
        self.join_type = join_type
        self._is_negated = False

    def __and__(self, other: "Q") -> "Q":
        if not isinstance(other, Q):
            raise OperationalError("AND operation requires a Q node")
        return Q(self, other, join_type=self.AND)

    def __or__(self, other: "Q") -> "Q":
        if not isinstance(other, Q):
            raise OperationalError("OR operation requires a Q node")
        return Q(self, other, join_type=self.OR)

    def __invert__(self) -> "Q":
        q = Q(*self.children, join_type=self.join_type, **self.filters)
        q._is_negated = not self._is_negated
        return q

    def negate(self) -> None:
        self._is_negated = not self._is_negated

    def __bool__(self) -> bool:
        """False for a Q that filters nothing (``Q()``, ``Q(Q(), Q())``)."""
        return bool(self.filters) or any(self.children)

    def __eq__(self, other: object) -> bool:
        """Two Q trees are equal when they filter alike: same join, negation, children, filters."""
        if not isinstance(other, Q):
            return NotImplemented
        return (self.join_type, self._is_negated, self.children, self.filters) == (
            other.join_type,
            other._is_negated,
            other.children,
            other.filters,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable (negate()), compared by value

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        parts = [child.resolve(resolver) for child in self.children if child]
        if resolver.slots is None:
            parts.extend(resolver.resolve_filter(key, value) for key, value in self.filters.items())
        else:
            me = id(self)
            parts.extend(resolver.resolve_filter(key, resolver.sub((me, key), value)) for key, value in self.filters.items())
        if not parts:  # filters nothing, negated or not
            return nodes.TRUE
        if len(parts) == 1:
            node: nodes.Node = parts[0]
        else:
            node = nodes.Junction(self.join_type, parts)
        return nodes.Not(node) if self._is_negated else node

    def shape(self, w: Walker) -> Hashable:
        """The tree's structure, keys and value kinds (None, list lengths …); values to ``w``."""
        # flat: (join, negated, number of children, *child shapes, *(key, value shape) pairs)
        me, children, filters = id(self), self.children, self.filters
        if not children and len(filters) == 1:  # the common case, without building a list
            for key, value in filters.items():
                return (self.join_type, self._is_negated, 0, key, filter_value_shape((me, key), key, value, w))
        shape = [self.join_type, self._is_negated, len(children)]
        for child in children:
            shape.append(child.shape(w))
        for key, value in filters.items():
            shape += (key, filter_value_shape((me, key), key, value, w))
        return tuple(shape)

    def __repr__(self) -> str:
        inner = ", ".join([repr(c) for c in self.children] + [f"{k}={v!r}" for k, v in self.filters.items()])
        text = f"Q({inner}, join_type={self.join_type!r})"
        return f"~{text}" if self._is_negated else text


def __getattr__(name: str) -> Any:
    # Tortoise exposes Function here too; it lives in tortoise.functions (which imports us)
    if name == "Function":
        from tortoise.functions import Function

        return Function
    raise AttributeError(f"module 'tortoise.expressions' has no attribute {name!r}")
