"""SQL functions and aggregates usable in annotate(), values() and aggregate()."""
from __future__ import annotations

import copy
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Hashable

from tortoise.expressions import Expression, F, Q, Value
from tortoise.sql import nodes
from tortoise.sql.cache import Uncacheable, Walker

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.filters import Resolver


def _as_expression(arg: Any) -> Expression:
    if isinstance(arg, Expression):
        return arg
    if isinstance(arg, str):
        return F(arg)
    return Value(arg)


class Function(Expression):
    """``NAME(arg, *extra)``; the first argument may be a field name or an expression."""

    database_func = ""
    #: "field": values convert like the argument's field; "int"/"float"/"str": fixed
    output = "field"

    def __init__(self, field: Any, *default_values: Any) -> None:
        self.args = [_as_expression(field), *(_as_expression(v) if isinstance(v, Expression) else Value(v) for v in default_values)]

    def _arg_nodes(self, resolver: "Resolver") -> list[nodes.Node]:
        return [arg.resolve(resolver) for arg in self.args]

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        return nodes.Func(self.database_func, self._arg_nodes(resolver))

    def shape(self, w: Walker) -> Hashable:
        cls = type(self)
        if cls.resolve not in _SHAPED_RESOLVES:  # its SQL may depend on more than its args
            raise Uncacheable(cls.__name__)
        return (cls, cls.database_func, tuple([arg.shape(w) for arg in self.args]))

    def output_field(self, resolver: "Resolver") -> Any:
        from tortoise.fields import data

        if self.output == "int":
            return data.IntField()
        if self.output == "float":
            return data.FloatField()
        if self.output == "str":
            return data.TextField()
        return self.args[0].output_field(resolver)


class Aggregate(Function):
    is_aggregate = True

    def __init__(self, field: Any, *default_values: Any, distinct: bool = False, _filter: Q | None = None) -> None:
        super().__init__(field, *default_values)
        self.distinct = distinct
        self.filter = _filter

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        args = self._arg_nodes(resolver)
        if self.filter is not None:
            condition = self.filter.resolve(resolver)
            args[0] = nodes.case_when([(condition, args[0])], nodes.NULL)
        return nodes.Func(self.database_func, args, distinct=self.distinct)

    def shape(self, w: Walker) -> Hashable:
        return (super().shape(w), self.distinct, self.filter.shape(w) if self.filter is not None else None)


class Count(Aggregate):
    database_func = "COUNT"
    output = "int"


class Sum(Aggregate):
    database_func = "SUM"


class Max(Aggregate):
    database_func = "MAX"


class Min(Aggregate):
    database_func = "MIN"


class Avg(Aggregate):
    database_func = "AVG"

    def output_field(self, resolver: "Resolver") -> Any:
        from tortoise.fields import data

        field = self.args[0].output_field(resolver)
        if isinstance(field, data.DecimalField):
            return _unrounded(field)
        return data.FloatField()


def _unrounded(field: Any) -> Any:
    """``field`` converting read values to Decimal at full precision: an average of
    2-place decimals is not itself rounded to 2 places."""
    unrounded = copy.copy(field)
    unrounded.to_python_value = _as_decimal
    return unrounded


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or type(value) is Decimal:
        return value
    # repr() of a float is its shortest exact spelling: 0.1 -> "0.1"
    return Decimal(repr(value) if isinstance(value, float) else str(value))


class Lower(Function):
    database_func = "LOWER"


class Upper(Function):
    database_func = "UPPER"


class Trim(Function):
    database_func = "TRIM"


class Length(Function):
    database_func = "LENGTH"
    output = "int"


class Coalesce(Function):
    database_func = "COALESCE"


class Concat(Function):
    output = "str"

    def resolve(self, resolver: "Resolver") -> nodes.Node:
        args = self._arg_nodes(resolver)
        return _DialectConcat(args)


_SHAPED_RESOLVES = (Function.resolve, Aggregate.resolve, Concat.resolve)


class _DialectConcat(nodes.Composite):
    def __init__(self, children: list[nodes.Node]) -> None:
        self.children = tuple(children)

    def key(self) -> Any:
        return ("concat", *(ch.key() for ch in self.children))

    def sql(self, c: nodes.Context) -> str:
        return c.dialect.concat([ch.sql(c) for ch in self.children])


__all__ = [
    "Function", "Aggregate", "Count", "Sum", "Max", "Min", "Avg",
    "Lower", "Upper", "Trim", "Length", "Coalesce", "Concat",
]
