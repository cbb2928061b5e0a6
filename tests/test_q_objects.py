"""Q objects as values: equality, hashing, the join_type check, resolution contexts."""
from __future__ import annotations

import pytest

from tortoise.exceptions import OperationalError
from tortoise.expressions import Q, ResolveContext
from tortoise.sql import nodes


def test_q_trees_built_alike_are_equal():
    assert Q(name="a") == Q(name="a")
    assert (Q(a=1) & Q(b=2)) | Q(c=3) == (Q(a=1) & Q(b=2)) | Q(c=3)
    assert ~Q(a=1) == ~Q(a=1)


def test_q_trees_that_filter_differently_are_not_equal():
    assert Q(name="a") != Q(name="b")
    assert Q(name="a") != Q(name="a", join_type=Q.OR)
    assert Q(name="a") != ~Q(name="a")
    assert Q(a=1) & Q(b=2) != Q(a=1) | Q(b=2)
    assert Q(name="a") != "name=a"


def test_q_is_unhashable_as_it_compares_by_value_and_can_change():
    with pytest.raises(TypeError, match="unhashable type"):
        hash(Q(name="a"))


def test_q_join_type_must_be_and_or_or():
    with pytest.raises(OperationalError, match="join_type must be AND or OR, not 'XOR'"):
        Q(name="a", join_type="XOR")


def test_q_resolves_against_a_resolve_context():
    from tests.testmodels import Author

    context = ResolveContext(model=Author, table=None, annotations={}, custom_filters={})
    node = (Q(username="a") | Q(username="b")).resolve(context)
    assert isinstance(node, nodes.Junction) and node.op == "OR"
    assert context.table is None and context.custom_filters == {}
    assert context.joins == []


def test_a_q_that_filters_nothing_is_false():
    assert not Q() and not Q(Q(), Q()) and not Q(Q(), Q(), join_type=Q.OR)
    assert Q(name="a") and ~Q(name="a") and Q(Q(name="a"), Q())


async def test_an_empty_q_filters_nothing():
    from tests.testmodels import Author

    await Author.create(username="a", email="a@x", password_hash="h")
    assert await Author.filter(Q()).count() == 1 and await Author.filter(Q(Q(), Q())).count() == 1
    assert await Author.exclude(Q()).count() == 1


def test_positional_arguments_must_be_q_nodes():
    with pytest.raises(OperationalError, match="All ordered arguments must be Q nodes .*got 1"):
        Q(Q(), 1)
