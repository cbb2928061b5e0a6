"""The statement cache: every query shape compiled once; a hit builds no nodes.

Each shape runs twice with different values: the second run must not enter the resolver
or the compiler, and must still return the right rows for its own values.
"""
from __future__ import annotations

import datetime
import importlib
import sys
from decimal import Decimal

import pytest

import tortoise.queryset
from tortoise.expressions import F, Q
from tortoise.functions import Count, Sum
from tortoise.sql.cache import StatementCache, statements

from tests.testmodels import Article, Author, Campus, Item, Pupil


@pytest.fixture
async def items():
    rows = [("apple", "fruit", 5, "1.50"), ("banana", "fruit", 12, "0.25"), ("carrot", "veg", 0, "0.80"),
            ("date", "fruit", 7, "3.00"), ("eggplant", "veg", 3, "2.10")]
    return [await Item.create(name=n, category=c, qty=q, price=Decimal(p),
                              happened_at=datetime.datetime(2024, 1 + i, 1, tzinfo=datetime.timezone.utc))
            for i, (n, c, q, p) in enumerate(rows)]


class _NoCompiling:
    """Within it, building a resolver (the first step of compiling) fails the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def __enter__(self) -> "_NoCompiling":
        self.compiles, self.hits = statements.compiles, statements.hits

        def refuse(*args, **kwargs):
            raise AssertionError("the query was compiled again on a cache hit")

        self.monkeypatch.setattr(tortoise.queryset, "Resolver", refuse)
        return self

    def __exit__(self, *exc) -> None:
        self.monkeypatch.undo()
        if exc[0] is None:
            assert statements.compiles == self.compiles
            assert statements.hits > self.hits


async def _twice(monkeypatch, run, first, second):
    """``run(values)`` compiles on the first call; the second (other values) is a pure hit."""
    assert await run(first[0]) == first[1]
    with _NoCompiling(monkeypatch):
        assert await run(second[0]) == second[1]


async def _names(qs) -> list[str]:
    return sorted(o.name for o in await qs)


async def test_q_with_or(items, monkeypatch):
    async def run(v):
        return await _names(Item.filter(Q(name=v[0]) | Q(qty__gt=v[1])))

    await _twice(monkeypatch, run, (("apple", 10), ["apple", "banana"]), (("carrot", 6), ["banana", "carrot", "date"]))


async def test_negated_and_nested_q(items, monkeypatch):
    async def run(v):
        return await _names(Item.filter(~Q(category=v[0]), Q(Q(qty__gte=v[1]), Q(name__startswith=v[2]), join_type="OR")))

    await _twice(monkeypatch, run, (("veg", 7, "a"), ["apple", "banana", "date"]), (("fruit", 3, "c"), ["carrot", "eggplant"]))


async def test_in_list(items, monkeypatch):
    async def run(v):
        return await _names(Item.filter(name__in=v))

    await _twice(monkeypatch, run, (["apple", "date"], ["apple", "date"]), (["banana", "carrot"], ["banana", "carrot"]))


async def test_in_list_of_other_length_is_another_shape(items):
    statements.clear()  # other tests may have compiled these shapes already
    assert await _names(Item.filter(name__in=["apple"])) == ["apple"]
    compiles = statements.compiles
    assert await _names(Item.filter(name__in=["apple", "banana", "carrot"])) == ["apple", "banana", "carrot"]
    assert statements.compiles == compiles + 1
    assert await _names(Item.filter(name__in=[])) == []


async def test_none_is_part_of_the_shape(items):
    assert await _names(Item.filter(note=None)) == ["apple", "banana", "carrot", "date", "eggplant"]
    await Item.filter(name="apple").update(note="x")
    assert await _names(Item.filter(note="x")) == ["apple"]
    assert await _names(Item.filter(note=None)) == ["banana", "carrot", "date", "eggplant"]


async def test_lookups_with_converted_values(items, monkeypatch):
    async def run(v):
        return await _names(Item.filter(happened_at__month=v[0], qty__range=v[1], name__icontains=v[2]))

    await _twice(monkeypatch, run, (("1", (0, 10), "APP"), ["apple"]), ((3, (0, 1), "ARR"), ["carrot"]))


async def test_join_across_fk(monkeypatch):
    ann = await Author.create(username="ann", password_hash="x")
    bob = await Author.create(username="bob", password_hash="x")
    await Article.create(title="a1", author=ann)
    await Article.create(title="b1", author=bob)

    async def run(v):
        return sorted(a.title for a in await Article.filter(author__username=v).order_by("title"))

    await _twice(monkeypatch, run, ("ann", ["a1"]), ("bob", ["b1"]))

    async def by_instance(author):
        return [a.title for a in await Article.filter(author=author)]

    await _twice(monkeypatch, by_instance, (ann, ["a1"]), (bob, ["b1"]))



async def test_an_instance_given_for_a_to_field_relation_is_a_cache_hit(monkeypatch):
    north = await Campus.create(code=1, name="north")
    south = await Campus.create(code=2, name="south")
    await Pupil.create(name="ann", campus=north)
    await Pupil.create(name="bob", campus=south)

    async def run(campus):
        return [p.name for p in await Pupil.filter(campus=campus)]

    await _twice(monkeypatch, run, (north, ["ann"]), (south, ["bob"]))

    async def run_in(campuses):
        return sorted(p.name for p in await Pupil.filter(campus__in=campuses))

    await _twice(monkeypatch, run_in, ([north, south], ["ann", "bob"]), ([south, north], ["ann", "bob"]))


async def test_an_instance_of_another_model_for_a_relation_is_a_type_error():
    """Refused the same way on a miss, on a hit, in a list and on the plain path."""
    north = await Campus.create(code=1, name="north")
    ann = await Pupil.create(name="ann", campus=north)
    author = await Author.create(username="ann", password_hash="x")
    statements.clear()
    for _ in range(2):  # a miss, then (after a good run of the same shape) a hit
        with pytest.raises(TypeError, match="Campus"):
            await Pupil.filter(campus=ann)
        assert [p.name for p in await Pupil.filter(campus=north)] == ["ann"]
    with pytest.raises(TypeError, match="Campus"):
        await Pupil.filter(campus_id=ann).first()
    with pytest.raises(TypeError, match="Campus"):
        await Pupil.filter(campus__in=[north, ann])
    with pytest.raises(TypeError, match="Author"):
        await Article.filter(author=ann).count()
    with pytest.raises(TypeError, match="Campus"):  # a subquery: a shape the cache does not hold
        await Pupil.filter(campus=ann, id__in=Pupil.filter(name="ann").values("id"))
    assert await Article.filter(author=author).count() == 0

async def test_annotate_group_by(items, monkeypatch):
    async def run(v):
        rows = await Item.filter(qty__gte=v).annotate(n=Count("id"), total=Sum("qty")).group_by("category").order_by("category").values("category", "n", "total")
        return [(r["category"], r["n"], r["total"]) for r in rows]

    await _twice(monkeypatch, run, (1, [("fruit", 3, 24), ("veg", 1, 3)]), (6, [("fruit", 2, 19)]))


async def test_annotated_instances(items, monkeypatch):
    async def run(v):
        objs = await Item.filter(category=v).annotate(double=F("qty") * 2).order_by("name")
        return [(o.name, o.double) for o in objs]

    await _twice(monkeypatch, run, ("veg", [("carrot", 0), ("eggplant", 6)]), ("fruit", [("apple", 10), ("banana", 24), ("date", 14)]))


async def test_order_by_two_columns_with_limit_and_offset(items, monkeypatch):
    async def run(v):
        return [o.name for o in await Item.all().order_by("category", "-qty").offset(v[0]).limit(v[1])]

    await _twice(monkeypatch, run, ((0, 2), ["banana", "date"]), ((2, 3), ["apple", "eggplant", "carrot"]))


async def test_values_and_values_list(items, monkeypatch):
    async def values(v):
        return await Item.filter(qty__lt=v).order_by("name").values("name", "qty")

    await _twice(monkeypatch, values, (1, [{"name": "carrot", "qty": 0}]), (4, [{"name": "carrot", "qty": 0}, {"name": "eggplant", "qty": 3}]))

    async def flat(v):
        return await Item.filter(category=v).order_by("-name").values_list("name", flat=True)

    await _twice(monkeypatch, flat, ("veg", ["eggplant", "carrot"]), ("fruit", ["date", "banana", "apple"]))

    async def tuples(v):
        return await Item.filter(name=v).values_list("name", "price")

    await _twice(monkeypatch, tuples, ("apple", [("apple", Decimal("1.50"))]), ("date", [("date", Decimal("3.00"))]))


async def test_get_first_count_exists(items, monkeypatch):
    async def get(v):
        return (await Item.get(name=v)).qty

    await _twice(monkeypatch, get, ("apple", 5), ("banana", 12))

    async def first(v):
        obj = await Item.filter(category=v).order_by("qty").first()
        return obj.name

    await _twice(monkeypatch, first, ("veg", "carrot"), ("fruit", "apple"))

    async def count(v):
        return await Item.filter(Q(category=v) | Q(qty=0)).count()

    await _twice(monkeypatch, count, ("fruit", 4), ("veg", 2))

    async def exists(v):
        return await Item.filter(name__in=v).exists()

    await _twice(monkeypatch, exists, (["apple", "nope"], True), (["nope", "none"], False))


async def test_update_and_delete(items, monkeypatch):
    async def update(v):
        return await Item.filter(category=v[0]).update(qty=F("qty") + v[1], note=v[2])

    await _twice(monkeypatch, update, (("veg", 1, "v"), 2), (("fruit", 10, "f"), 3))
    assert await Item.all().order_by("name").values_list("qty", "note") == [
        (15, "f"), (22, "f"), (1, "v"), (17, "f"), (4, "v")
    ]

    async def delete(v):
        return await Item.filter(qty__lt=v).delete()

    await _twice(monkeypatch, delete, (2, 1), (16, 2))
    assert await Item.all().order_by("name").values_list("name", flat=True) == ["banana", "date"]


async def test_save_update_fields(items, monkeypatch):
    apple, banana = items[0], items[1]

    async def save(v):
        obj, qty = v
        obj.qty = qty
        await obj.save(update_fields=["qty"])
        return (await Item.get(pk=obj.pk)).qty

    await _twice(monkeypatch, save, ((apple, 50), 50), ((banana, 60), 60))


async def test_a_shape_the_cache_cannot_hold_still_runs(items):
    sub = Item.filter(category="veg").values("name")
    assert await _names(Item.filter(name__in=sub)) == ["carrot", "eggplant"]
    assert await _names(Item.filter(name__in=Item.filter(qty=5).values("name"))) == ["apple"]


def test_the_cache_is_bounded_and_least_recently_used_goes_first():
    cache = StatementCache(limit=3)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.get("a") == "A"  # a is now the most recently used
    cache.put("d", "D")
    assert len(cache) == 3 and "b" not in cache and "a" in cache
    assert cache.get("b") is None
    assert (cache.hits, cache.misses) == (1, 1)


class _CountedKey:
    """A key that counts how often it is hashed (keys are tuples, whose hash is not kept)."""

    hashed = 0

    def __hash__(self) -> int:
        type(self).hashed += 1
        return 7


def test_a_hit_hashes_its_key_once_and_still_refreshes_its_use():
    cache = StatementCache(limit=2)
    key = _CountedKey()
    cache.put(key, "K")
    cache.put("b", "B")
    _CountedKey.hashed = 0
    assert cache.get(key) == "K"
    assert _CountedKey.hashed == 1
    cache.put("c", "C")  # b is now the least recently used
    assert key in cache and "b" not in cache and "c" in cache


async def test_the_process_cache_keeps_its_bound(items, monkeypatch):
    monkeypatch.setattr(statements, "limit", 5)
    for n in range(1, 12):
        await Item.filter(name__in=["x"] * n)
    assert len(statements) <= 5


MODULE_V1 = '''
from tortoise import fields
from tortoise.models import Model


class Gadget(Model):
    name = fields.CharField(max_length=20)
'''
MODULE_V2 = MODULE_V1 + "    colour = fields.CharField(max_length=20, default='red')\n"


async def test_a_model_whose_fields_change_gets_new_statements(other_orm, tmp_path, monkeypatch):
    module = f"gadgets_{tmp_path.name.replace('-', '_')}"
    path = tmp_path / f"{module}.py"
    monkeypatch.syspath_prepend(str(tmp_path))
    path.write_text(MODULE_V1)
    try:
        await other_orm.init_models(module)
        gadget = sys.modules[module].Gadget
        await gadget.create(name="a")
        assert await gadget.filter(name="a").values() == [{"id": 1, "name": "a"}]
        await other_orm.undo()

        path.write_text(MODULE_V2)
        importlib.invalidate_caches()
        importlib.reload(sys.modules[module])
        other_orm.inited = False
        await other_orm.init_models(module)
        gadget = sys.modules[module].Gadget
        await gadget.create(name="a")
        assert await gadget.filter(name="a").values() == [{"id": 1, "name": "a", "colour": "red"}]
    finally:
        sys.modules.pop(module, None)


async def test_reinitialising_a_model_compiles_its_statements_again(items):
    await Item.filter(name="apple").count()
    meta = Item._meta
    compiles = statements.compiles
    meta.finalise_columns()
    assert await Item.filter(name="apple").count() == 1
    assert statements.compiles == compiles + 1


async def test_bulk_statements_are_compiled_once_per_shape():
    await Item.bulk_create([Item(name=f"a{i}") for i in range(3)])
    compiles = statements.compiles
    await Item.bulk_create([Item(name=f"b{i}") for i in range(3)])
    objs = await Item.all().order_by("name")
    assert statements.compiles == compiles + 1  # the select; the insert was a hit
    for obj in objs:
        obj.qty = len(obj.name) + int(obj.name[1])
    await Item.bulk_update(objs, ["qty"])
    compiles = statements.compiles
    await Item.bulk_update(objs, ["qty"])
    assert statements.compiles == compiles
    assert await Item.all().order_by("name").values_list("qty", flat=True) == [2, 3, 4, 2, 3, 4]


async def test_iterators_as_values_are_read_once(items):
    assert await _names(Item.filter(name__in=(n for n in ["apple", "date"]))) == ["apple", "date"]
    assert await _names(Item.filter(qty__range=iter([5, 7]))) == ["apple", "date"]
    assert await _names(Item.filter(name__in=map(str, ["banana"]))) == ["banana"]
