"""SPEC §4 (everything that does not need relations): lookups, Q, F, ordering, slicing,
terminal queries, bulk operations, immutability."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tortoise.exceptions import MultipleObjectsReturned
from tortoise.expressions import F, Q
from tortoise.functions import Count, Max, Sum

from tests.conftest import requires_dialect
from tests.testmodels import Article, Author, Item

D = datetime.datetime
ROWS = [
    # name, category, qty, price, score, note, happened_at, day
    ("apple", "fruit", 5, "1.50", 4.5, "Fresh Apple", D(2024, 3, 10, 8, 15, 30), datetime.date(2024, 3, 10)),
    ("banana", "fruit", 12, "0.25", 3.0, None, D(2023, 11, 5, 17, 45, 0), datetime.date(2023, 11, 5)),
    ("Carrot", "veg", 0, "0.80", None, "orange root", D(2024, 7, 21, 23, 59, 59), datetime.date(2024, 7, 21)),
    ("date", "fruit", 7, "3.00", 4.0, "100% sweet", None, None),
    ("eggplant", "veg", 3, "2.10", 2.5, "50_50", D(2024, 12, 31, 0, 0, 0), datetime.date(2024, 12, 31)),
]
ALL = sorted(r[0] for r in ROWS)


@pytest.fixture
async def items():
    created = []
    for name, category, qty, price, score, note, happened_at, day in ROWS:
        created.append(
            await Item.create(
                name=name, category=category, qty=qty, price=Decimal(price), score=score,
                note=note, happened_at=happened_at, day=day,
            )
        )
    return {i.name: i for i in created}


async def names(qs) -> list[str]:
    return sorted(i.name for i in await qs)


async def ordered(qs) -> list[str]:
    return [i.name for i in await qs]


# --- lookups --------------------------------------------------------------------------------------
LOOKUPS = [
    ({"name": "apple"}, ["apple"]),
    ({"name__iexact": "CARROT"}, ["Carrot"]),
    ({"name__not": "apple"}, ["Carrot", "banana", "date", "eggplant"]),
    ({"name__in": ["apple", "date", "kiwi"]}, ["apple", "date"]),
    ({"name__in": []}, []),
    ({"category__not_in": ["veg"]}, ["apple", "banana", "date"]),
    ({"qty__gt": 5}, ["banana", "date"]),
    ({"qty__gte": 5}, ["apple", "banana", "date"]),
    ({"qty__lt": 3}, ["Carrot"]),
    ({"qty__lte": 3}, ["Carrot", "eggplant"]),
    ({"qty__range": (3, 7)}, ["apple", "date", "eggplant"]),
    ({"price__range": (Decimal("0.80"), Decimal("2.10"))}, ["Carrot", "apple", "eggplant"]),
    ({"price__gt": Decimal("2")}, ["date", "eggplant"]),
    ({"score__gte": 4.0}, ["apple", "date"]),
    ({"score__isnull": True}, ["Carrot"]),
    ({"score__isnull": False}, ["apple", "banana", "date", "eggplant"]),
    ({"score__not_isnull": True}, ["apple", "banana", "date", "eggplant"]),
    ({"note": None}, ["banana"]),
    ({"name__contains": "an"}, ["banana", "eggplant"]),
    ({"name__icontains": "ARR"}, ["Carrot"]),
    ({"name__startswith": "ba"}, ["banana"]),
    ({"name__istartswith": "car"}, ["Carrot"]),
    ({"name__endswith": "ant"}, ["eggplant"]),
    ({"name__iendswith": "ROT"}, ["Carrot"]),
    ({"note__icontains": "apple"}, ["apple"]),
    ({"note__contains": "%"}, ["date"]),  # LIKE wildcards are matched literally
    ({"note__contains": "_"}, ["eggplant"]),
    ({"note__startswith": "100%"}, ["date"]),
    ({"note__endswith": "_50"}, ["eggplant"]),
    ({"name__regex": r"^[a-c][a-z]+a$"}, ["banana"]),
    ({"name__iregex": r"^c.*t$"}, ["Carrot"]),
    ({"name__posix_regex": r"^e.g"}, ["eggplant"]),
    ({"happened_at__year": 2024}, ["Carrot", "apple", "eggplant"]),
    ({"happened_at__quarter": 4}, ["banana", "eggplant"]),
    ({"happened_at__month": 3}, ["apple"]),
    ({"happened_at__week": 10}, ["apple"]),  # Sunday 2024-03-10: week 10 in every convention
    ({"happened_at__day": 21}, ["Carrot"]),
    ({"happened_at__hour": 17}, ["banana"]),
    ({"happened_at__minute": 45}, ["banana"]),
    ({"happened_at__second": 59}, ["Carrot"]),
    ({"happened_at__date": datetime.date(2024, 3, 10)}, ["apple"]),
    ({"happened_at__gte": D(2024, 7, 21)}, ["Carrot", "eggplant"]),
    ({"day__month": 12}, ["eggplant"]),
    ({"day__lt": datetime.date(2024, 1, 1)}, ["banana"]),
]


@pytest.mark.parametrize("lookup,expected", LOOKUPS, ids=[next(iter(k)) for k, _ in LOOKUPS])
async def test_lookup(items, lookup, expected):
    assert await names(Item.filter(**lookup)) == expected


@pytest.mark.parametrize("lookup,expected", LOOKUPS[:12], ids=[next(iter(k)) for k, _ in LOOKUPS[:12]])
async def test_exclude_is_the_complement(items, lookup, expected):
    assert await names(Item.exclude(**lookup)) == sorted(set(ALL) - set(expected))


async def test_hostile_string_values_are_parameters(items):
    assert await Item.filter(name="x' OR '1'='1").count() == 0
    await Item.create(name="o'clock; DROP TABLE t_item; --")
    assert await names(Item.filter(name__startswith="o'clock")) == ["o'clock; DROP TABLE t_item; --"]
    assert await Item.all().count() == 6


@requires_dialect("postgres")
async def test_contains_and_startswith_are_case_sensitive(items):
    assert await names(Item.filter(name__contains="ARR")) == []
    assert await names(Item.filter(name__startswith="car")) == []
    assert await names(Item.filter(name__regex="^c")) == []


@requires_dialect("postgres")
async def test_search(items):
    await Item.create(name="doc", note="The quick brown foxes jumped")
    assert await names(Item.filter(note__search="fox")) == ["doc"]


# --- Q ------------------------------------------------------------------------------------------------
async def test_q_or_and_not(items):
    assert await names(Item.filter(Q(name="apple") | Q(qty__gt=10))) == ["apple", "banana"]
    assert await names(Item.filter(Q(category="fruit") & Q(qty__lt=7))) == ["apple"]
    assert await names(Item.filter(~Q(category="fruit"))) == ["Carrot", "eggplant"]
    assert await names(Item.filter(Q(category="veg") | Q(qty=7), ~Q(name="Carrot"))) == ["date", "eggplant"]
    nested = (Q(category="fruit") & ~Q(qty__gte=10)) | (Q(category="veg") & Q(qty__gt=0))
    assert await names(Item.filter(nested)) == ["apple", "date", "eggplant"]


async def test_q_join_type_and_keyword_mix(items):
    assert await names(Item.filter(Q(name="apple", qty=12, join_type="OR"))) == ["apple", "banana"]
    assert await names(Item.filter(Q(name="apple", qty=5))) == ["apple"]
    assert await names(Item.filter(Q(category="fruit"), qty__gt=6)) == ["banana", "date"]


async def test_queryset_or_and_combination(items):
    fruit = Item.filter(category="fruit")
    assert await names(fruit.filter(qty__gt=10) | fruit.filter(name="apple")) == ["apple", "banana"]
    assert await names(Item.filter(category="fruit") & Item.filter(qty__lt=6)) == ["apple"]


# --- F ---------------------------------------------------------------------------------------------------
async def test_f_in_filter(items):
    assert await names(Item.filter(qty__gt=F("score") + 1)) == ["banana", "date"]
    assert await names(Item.filter(qty=F("qty"))) == ALL


async def test_f_arithmetic_in_update(items):
    assert await Item.filter(category="fruit").update(qty=F("qty") + 10) == 3
    assert await Item.filter(category="veg").update(qty=F("qty") * 2 - 1) == 2
    rows = dict(await Item.all().values_list("name", "qty"))
    assert rows == {"apple": 15, "banana": 22, "date": 17, "Carrot": -1, "eggplant": 5}


# --- ordering, slicing ------------------------------------------------------------------------------------
async def test_order_by(items):
    assert await ordered(Item.all().order_by("qty")) == ["Carrot", "eggplant", "apple", "date", "banana"]
    assert await ordered(Item.all().order_by("-qty")) == ["banana", "date", "apple", "eggplant", "Carrot"]
    assert await ordered(Item.all().order_by("category", "-price")) == [
        "date", "apple", "banana", "eggplant", "Carrot",
    ]


async def test_meta_ordering_applies_unless_overridden():
    for title, views in [("x", 1), ("y", 3), ("z", 2)]:
        await Article.create(title=title, views=views)
    assert [a.title for a in await Article.all()] == ["y", "z", "x"]
    assert [a.title for a in await Article.filter(views__gt=1)] == ["y", "z"]
    assert [a.title for a in await Article.all().order_by("title")] == ["x", "y", "z"]
    assert (await Article.first()).title == "y"


async def test_limit_offset_and_slicing(items):
    by_qty = Item.all().order_by("qty")
    assert await ordered(by_qty.limit(2)) == ["Carrot", "eggplant"]
    assert await ordered(by_qty.offset(3)) == ["date", "banana"]
    assert await ordered(by_qty.limit(2).offset(1)) == ["eggplant", "apple"]
    assert await ordered(by_qty[1:3]) == ["eggplant", "apple"]
    assert await ordered(by_qty[3:]) == ["date", "banana"]
    assert await ordered(by_qty[:1]) == ["Carrot"]


async def test_distinct(items):
    categories = await Item.all().order_by("category").distinct().values_list("category", flat=True)
    assert categories == ["fruit", "veg"]
    assert len(await Item.all().distinct().values("category")) == 2


async def test_only_loads_selected_fields(items):
    rows = await Item.filter(name="apple").only("id", "name")
    assert len(rows) == 1
    assert rows[0].name == "apple" and rows[0].pk == items["apple"].pk


# --- values / values_list ----------------------------------------------------------------------------
async def test_values(items):
    rows = await Item.filter(category="veg").order_by("qty").values("name", "qty")
    assert rows == [{"name": "Carrot", "qty": 0}, {"name": "eggplant", "qty": 3}]
    everything = await Item.filter(name="apple").values()
    assert everything[0]["name"] == "apple" and everything[0]["price"] == Decimal("1.50")
    assert {"id", "name", "category", "qty", "price", "score", "note", "happened_at", "day"} == set(everything[0])


async def test_values_list(items):
    rows = await Item.filter(category="veg").order_by("qty").values_list("name", "qty")
    assert [tuple(r) for r in rows] == [("Carrot", 0), ("eggplant", 3)]
    assert await Item.filter(category="veg").order_by("-qty").values_list("name", flat=True) == ["eggplant", "Carrot"]


# --- terminal queries --------------------------------------------------------------------------------
async def test_count_and_exists(items):
    assert await Item.all().count() == 5
    assert await Item.filter(category="fruit").count() == 3
    assert await Item.all().order_by("qty").limit(2).count() == 2
    assert await Item.filter(category="fruit").exists() is True
    assert await Item.filter(category="meat").exists() is False


async def test_first_and_last(items):
    assert (await Item.all().order_by("qty").first()).name == "Carrot"
    assert (await Item.all().order_by("qty").last()).name == "banana"
    assert (await Item.all().last()).pk == max(i.pk for i in items.values())
    assert await Item.filter(category="meat").first() is None
    assert await Item.filter(category="meat").last() is None


async def test_get_and_get_or_none(items):
    assert (await Item.get(name="apple")).qty == 5
    assert (await Item.filter(category="veg").get(qty=3)).name == "eggplant"
    assert await Item.get_or_none(name="kiwi") is None
    assert (await Item.get_or_none(name="date")).qty == 7
    with pytest.raises(MultipleObjectsReturned):
        await Item.get_or_none(category="veg")


async def test_latest_and_earliest(items):
    assert (await Item.all().latest("qty")).name == "banana"
    assert (await Item.all().earliest("qty")).name == "Carrot"
    dated = Item.filter(happened_at__not_isnull=True)
    assert (await dated.latest("happened_at")).name == "eggplant"
    assert (await dated.earliest("happened_at")).name == "banana"


async def test_update_and_delete_return_row_counts(items):
    assert await Item.filter(category="fruit").update(note="sweet") == 3
    assert await Item.filter(category="meat").update(note="none") == 0
    assert await Item.filter(note="sweet").count() == 3
    assert await Item.filter(category="veg").delete() == 2
    assert await Item.filter(category="veg").delete() == 0
    assert await names(Item.all()) == ["apple", "banana", "date"]


async def test_update_and_delete_honour_limit_and_order_by(items):
    from tortoise.connection import connections

    assert connections.get("default").capabilities.support_update_limit_order_by  # every database
    assert await Item.filter(category="fruit").order_by("-qty").limit(2).update(note="top") == 2
    assert await names(Item.filter(note="top")) == ["banana", "date"]
    assert await Item.all().order_by("qty").offset(1).limit(2).delete() == 2  # eggplant, apple
    assert await names(Item.all()) == ["Carrot", "banana", "date"]


async def test_aggregate_returns_a_dict(items):
    result = await Item.all().aggregate(total=Sum("qty"), top=Max("price"), n=Count("id"))
    assert result["total"] == 27 and result["n"] == 5
    assert Decimal(str(result["top"])) == Decimal("3.00")


async def test_annotate_group_by(items):
    rows = await Item.annotate(n=Count("id"), total=Sum("qty")).group_by("category").order_by("category").values(
        "category", "n", "total"
    )
    assert [(r["category"], r["n"], r["total"]) for r in rows] == [("fruit", 3, 24), ("veg", 2, 3)]


# --- bulk operations ------------------------------------------------------------------------------------
async def test_bulk_create_with_batch_size():
    objs = [Item(name=f"bulk{i}", qty=i) for i in range(7)]
    created = await Item.bulk_create(objs, batch_size=3)
    assert await Item.all().count() == 7
    assert sorted(await Item.all().values_list("qty", flat=True)) == list(range(7))
    assert [o.name for o in created] == [f"bulk{i}" for i in range(7)]
    for obj in created:
        assert obj.pk is not None
        assert (await Item.get(pk=obj.pk)).name == obj.name


async def test_bulk_create_upserts_on_conflict():
    await Author.create(username="ann", email="old@example.com", password_hash="x")
    objs = [
        Author(username="ann", email="new@example.com", password_hash="y"),
        Author(username="bob", email="bob@example.com", password_hash="z"),
    ]
    await Author.bulk_create(objs, on_conflict=["username"], update_fields=["email"])
    rows = await Author.all().order_by("username").values_list("username", "email", "password_hash")
    assert rows == [("ann", "new@example.com", "x"), ("bob", "bob@example.com", "z")]
    for obj in objs:  # where the database reports ids (RETURNING), they are the right rows'
        if obj.pk is not None:
            assert (await Author.get(pk=obj.pk)).username == obj.username


async def test_bulk_create_ignores_conflicts():
    await Author.create(username="ann", email="old@example.com", password_hash="x")
    objs = [Author(username=name, password_hash="y") for name in ("ann", "bob", "cy")]
    await Author.bulk_create(objs, ignore_conflicts=True)
    assert await Author.all().order_by("username").values_list("username", "password_hash") == [
        ("ann", "x"), ("bob", "y"), ("cy", "y")
    ]


async def test_bulk_update(items):
    objs = await Item.filter(category="fruit").order_by("id")
    for obj in objs:
        obj.qty += 100
        obj.name = obj.name.upper()  # not in fields: must not be written
    await Item.bulk_update(objs, fields=["qty"], batch_size=2)
    rows = dict(await Item.filter(category="fruit").values_list("name", "qty"))
    assert rows == {"apple": 105, "banana": 112, "date": 107}


async def test_in_bulk(items):
    wanted = [items["apple"].pk, items["date"].pk]
    by_pk = await Item.in_bulk(wanted)
    assert set(by_pk) == set(wanted)
    assert by_pk[items["date"].pk].name == "date"
    by_name = await Item.in_bulk(["banana", "Carrot", "kiwi"], field_name="name")
    assert set(by_name) == {"banana", "Carrot"}
    assert by_name["banana"].qty == 12


async def test_get_or_create(items):
    obj, created = await Item.get_or_create(name="apple", defaults={"qty": 99})
    assert created is False and obj.pk == items["apple"].pk and obj.qty == 5
    obj, created = await Item.get_or_create(name="kiwi", defaults={"qty": 99, "category": "fruit"})
    assert created is True and obj.pk is not None
    fresh = await Item.get(name="kiwi")
    assert (fresh.qty, fresh.category) == (99, "fruit")


async def test_update_or_create(items):
    obj, created = await Item.update_or_create(defaults={"qty": 50}, name="apple")
    assert created is False and obj.pk == items["apple"].pk
    assert (await Item.get(name="apple")).qty == 50
    obj, created = await Item.update_or_create(defaults={"qty": 1}, name="kiwi")
    assert created is True
    assert (await Item.get(name="kiwi")).qty == 1
    assert await Item.all().count() == 6


# --- iteration, sql, explain, immutability ---------------------------------------------------------------
async def test_async_iteration(items):
    seen = [item.name async for item in Item.filter(category="fruit").order_by("qty")]
    assert seen == ["apple", "date", "banana"]


async def test_sql_text_depends_on_shape_not_values(items):
    sql = Item.filter(qty__gt=5).sql()
    assert "SELECT" in sql.upper() and "t_item" in sql
    assert Item.filter(qty__gt=6).sql() == sql
    assert Item.filter(qty__gt=6, category="x").sql() != sql


async def test_explain(items):
    plan = await Item.filter(qty__gt=1).explain()
    assert plan


async def test_queryset_is_immutable_and_reusable(items):
    fruit = Item.filter(category="fruit")
    big_fruit = fruit.filter(qty__gt=6)
    ordered_fruit = fruit.order_by("-qty")
    limited = fruit.limit(1)
    assert await names(fruit) == ["apple", "banana", "date"]
    assert await names(big_fruit) == ["banana", "date"]
    assert await ordered(ordered_fruit) == ["banana", "date", "apple"]
    assert len(await limited) == 1
    assert len(await fruit) == 3

    # awaiting the same queryset again runs the query again
    await Item.create(name="fig", category="fruit", qty=8)
    assert await names(fruit) == ["apple", "banana", "date", "fig"]
    assert await names(big_fruit) == ["banana", "date", "fig"]
    count = fruit.count()
    assert await count == 4


async def test_repeated_shapes_with_new_values(items):
    for name, qty in [("apple", 5), ("banana", 12), ("date", 7)]:
        assert (await Item.get(name=name)).qty == qty
        assert await Item.filter(qty__gte=qty, category="fruit").count() == sum(
            1 for r in ROWS if r[1] == "fruit" and r[2] >= qty
        )
    assert await Item.filter(name__in=["apple"]).count() == 1
    assert await Item.filter(name__in=["apple", "banana", "date"]).count() == 3
    assert await Item.filter(name__in=["banana", "kiwi"]).count() == 1


async def test_modulo_in_filter_and_update(items):
    from tortoise.expressions import F

    odd = await Item.annotate(rest=F("qty") % 2).filter(rest=1).values_list("qty", flat=True)
    assert sorted(odd) == sorted(q for q in await Item.all().values_list("qty", flat=True) if q % 2 == 1)
    before = {i.pk: i.qty for i in await Item.all()}
    assert await Item.all().update(qty=F("qty") % 3) == len(before)
    after = {i.pk: i.qty for i in await Item.all()}
    assert after == {pk: qty % 3 for pk, qty in before.items()}


async def test_compiled_simple_shapes_bind_each_call_values(items):
    """The compiled-once path for column=value filters must re-bind values every call."""
    fruit = await Item.filter(category="fruit").order_by("name").values_list("name", flat=True)
    everything = {i.category for i in await Item.all()}
    other = next(c for c in everything if c != "fruit")
    others = await Item.filter(category=other).order_by("name").values_list("name", flat=True)
    assert fruit and others and not set(fruit) & set(others)
    assert [i.name for i in await Item.filter(category="fruit").order_by("name")] == fruit
    assert await Item.filter(category=other).order_by("name").values("name") == [{"name": n} for n in others]
    first = await Item.filter(category="fruit").order_by("name").first()
    assert first.name == fruit[0]
    # None switches to IS NULL, which is a different shape
    await Item.filter(pk=first.pk).update(note=None)
    await Item.exclude(pk=first.pk).update(note="set")
    assert [i.pk for i in await Item.filter(note=None)] == [first.pk]
    assert len(await Item.filter(note="set")) == len(everything and await Item.all()) - 1


async def test_bulk_create_splits_statements_to_fit_the_parameter_limit():
    """More values than one statement may bind (SQLite: 32766) still go in, all of them."""
    rows = [Item(name=f"bulk{i}", qty=i) for i in range(5000)]  # 5000 rows x 9 columns
    created = await Item.bulk_create(rows)
    assert len(created) == 5000
    assert await Item.filter(name__startswith="bulk").count() == 5000
    assert all(o.pk is not None for o in created)
    assert sorted(await Item.filter(name__in=["bulk0", "bulk4999"]).values_list("qty", flat=True)) == [0, 4999]
