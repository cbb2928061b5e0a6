"""Query-compiler regressions (issue 10 item 3): aggregates with values/filter/order,
subqueries, value aliases, union, JSON lookups, aggregate precision, order_by checks.
Each query runs twice with different values so the statement cache's hit path is tested too."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tortoise.exceptions import FieldError, ParamsError

from tortoise.expressions import F, Subquery
from tortoise.functions import Avg, Count, Max, Sum, Upper

from tests.testmodels import Article, Author, Gadget, Item, NullableFields


@pytest.fixture
async def authors():
    made = {}
    for name, titles in (("ann", 3), ("bob", 2), ("cid", 1), ("dan", 0)):
        a = await Author.create(username=name, password_hash="x")
        for i in range(titles):
            await Article.create(title=f"{name}-{i}", author=a, views=i)
        made[name] = a
    return made


# --- aggregates: per object, wherever the aggregate is used ---------------------------------
def counted():
    return Author.annotate(n=Count("articles"))


@pytest.mark.parametrize("low, expected", [(2, [("ann", 3), ("bob", 2)]), (1, [("ann", 3), ("bob", 2), ("cid", 1)])])
async def test_aggregate_filter_then_values_list(authors, low, expected):
    assert sorted(await counted().filter(n__gte=low).values_list("username", "n")) == expected
    # the aggregate only filtered on, not selected: still one row per author
    names = await counted().filter(n__gte=low).values_list("username", flat=True)
    assert sorted(names) == [name for name, _ in expected]
    assert sorted(r["username"] for r in await counted().filter(n__gte=low).values("username")) == sorted(names)


async def test_aggregate_order_then_values(authors):
    assert await counted().order_by("-n").values_list("username", flat=True) == ["ann", "bob", "cid", "dan"]
    assert await counted().order_by("n").values_list("username", flat=True) == ["dan", "cid", "bob", "ann"]
    rows = await counted().order_by("id").values("username", "n")
    assert rows == [{"username": "ann", "n": 3}, {"username": "bob", "n": 2}, {"username": "cid", "n": 1}, {"username": "dan", "n": 0}]
    assert await counted().order_by("-id").values_list("n", flat=True) == [0, 1, 2, 3]


async def test_aggregate_selected_alone_is_per_object(authors):
    assert sorted(await counted().values_list("n", flat=True)) == [0, 1, 2, 3]
    assert sorted(await counted().filter(username__in=["ann", "dan"]).values_list("n", flat=True)) == [0, 3]
    # aggregate() is over the whole (filtered) set
    assert await Article.all().aggregate(total=Count("id")) == {"total": 6}
    assert await Article.filter(views__gte=1).aggregate(total=Count("id")) == {"total": 3}


async def test_aggregate_with_filter_order_limit_and_relations(authors):
    qs = counted().filter(n__gte=1).order_by("-n")
    assert await qs.limit(2).values_list("username", "n") == [("ann", 3), ("bob", 2)]
    assert await qs.offset(1).limit(1).values_list("username", "n") == [("bob", 2)]
    assert await qs.count() == 3
    assert [a.username for a in await counted().filter(n__lt=2).order_by("n")] == ["dan", "cid"]
    # an aggregate over a related column, with a plain filter through the relation
    viewed = Author.annotate(top=Max("articles__views")).filter(articles__title__startswith="ann")
    assert await viewed.values_list("username", "top") == [("ann", 2)]


async def test_explicit_group_by_with_aggregate(authors):
    by_author = Article.annotate(n=Count("id")).group_by("author__username")
    assert await by_author.filter(n__gte=2).order_by("author__username").values_list("author__username", "n") == [("ann", 3), ("bob", 2)]
    assert await by_author.order_by("-n").values_list("author__username", "n") == [("ann", 3), ("bob", 2), ("cid", 1)]
    totals = Article.annotate(s=Sum("views")).group_by("author_id")
    assert sorted(await totals.values_list("author_id", "s")) == [
        (authors["ann"].id, 3), (authors["bob"].id, 1), (authors["cid"].id, 0)
    ]
    upper = Article.annotate(u=Upper("author__username"), n=Count("id")).group_by("u")
    assert sorted(await upper.values_list("u", "n")) == [("ANN", 3), ("BOB", 2), ("CID", 1)]



# --- subqueries ------------------------------------------------------------------------------
@pytest.mark.parametrize("who, titles", [("ann", ["ann-0", "ann-1", "ann-2"]), ("bob", ["bob-0", "bob-1"])])
async def test_subquery_of_values_in_filter(authors, who, titles):
    ids = Subquery(Author.filter(username=who).values("id"))
    assert sorted(await Article.filter(author_id__in=ids).values_list("title", flat=True)) == titles
    # a single-value subquery compared with =
    one = Subquery(Article.filter(title=titles[0]).values("author_id"))
    assert await Author.filter(id=one).values_list("username", flat=True) == [who]


@pytest.mark.parametrize("who, titles", [("bob", ["bob-0", "bob-1"]), ("cid", ["cid-0"])])
async def test_queryset_as_in_value_stands_for_its_keys(authors, who, titles):
    for key in ("author__in", "author_id__in"):
        found = Article.filter(**{key: Author.filter(username=who)})
        assert sorted(await found.values_list("title", flat=True)) == titles
        assert await found.count() == len(titles)
        assert sorted(a.title for a in await found) == titles
    others = Article.filter(author__not_in=Author.filter(username=who))
    assert len(await others) == 6 - len(titles)
    # ordering and limits of the inner queryset are kept
    top = Author.filter(username__in=["ann", who]).order_by("-username").limit(1)
    assert sorted(await Article.filter(author__in=top).values_list("title", flat=True)) == titles


@pytest.mark.parametrize("views, expected", [(1, "ann-1"), (0, "ann-0")])
async def test_subquery_in_annotate(authors, views, expected):
    first = Subquery(Article.filter(views=views).order_by("id").limit(1).values("title"))
    rows = await Author.annotate(first=first).order_by("id").values_list("username", "first")
    assert rows == [(name, expected) for name in ("ann", "bob", "cid", "dan")]


# --- values() aliases --------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["bob", "cid"])
async def test_values_string_alias_names_a_field_path(authors, who):
    rows = await Article.filter(author__username=who).order_by("title").values("title", author_name="author__username")
    assert rows == [{"title": t, "author_name": who} for t in sorted(await Article.filter(author__username=who).values_list("title", flat=True))]
    rows = await Article.filter(author__username=who).order_by("id").values("id", writer="author_id")
    assert {r["writer"] for r in rows} == {authors[who].id}


# --- aggregate precision -----------------------------------------------------------------------
@pytest.mark.parametrize("prices", [("10.00", "15.50", "20.00"), ("1.00", "2.00", "2.00")])
async def test_avg_of_decimals_keeps_full_precision(prices):
    for i, price in enumerate(prices):
        await Item.create(name=f"i{i}", price=Decimal(price))
    exact = sum(Decimal(p) for p in prices) / len(prices)
    for avg in (
        (await Item.all().aggregate(avg=Avg("price")))["avg"],
        (await Item.annotate(avg=Avg("price")).values("avg"))[0]["avg"],
        (await Item.annotate(avg=Avg("price")).group_by("category").values_list("avg", flat=True))[0],
    ):
        assert isinstance(avg, Decimal)
        assert abs(avg - exact) < Decimal("0.00001")  # MySQL keeps 4 more places than the column
        if exact != exact.quantize(Decimal("0.01")):
            assert avg != exact.quantize(Decimal("0.01"))
    # an aggregate that stays within the field's places keeps its type
    total = (await Item.all().aggregate(total=Sum("price")))["total"]
    assert total == sum(Decimal(p) for p in prices)


# --- order_by() checks names when called -----------------------------------------------------------
@pytest.mark.parametrize("name", ["x; DROP TABLE t_item", "-nope", "name__x", "author__nope", "title__author"])
async def test_order_by_refuses_unknown_names(name):
    model = Article if name.startswith(("author", "title")) else Item
    with pytest.raises(FieldError) as info:
        model.all().order_by(name)
    message = str(info.value)
    assert "order_by()" in message and ("fields are:" in message or "no related fields" in message)
    assert any(m in message for m in ("Item", "Article", "Author"))


async def test_order_by_accepts_fields_relations_and_annotations(authors):
    assert await Article.all().order_by("author__username", "-title").limit(2).values_list("title", flat=True) == ["ann-2", "ann-1"]
    assert await Article.all().order_by("pk").limit(1).values_list("title", flat=True) == ["ann-0"]
    assert await counted().order_by("-n", "username").values_list("username", flat=True) == ["ann", "bob", "cid", "dan"]
    with pytest.raises(FieldError):
        Author.all().order_by("n")  # an annotation is known only once annotated


# --- JSON lookups ------------------------------------------------------------------------------
DOCS = {
    "lab": {"breed": "labrador", "age": 3, "good": True, "owner": {"name": "Bob", "last": None, "pets": [{"name": "Fishy"}]}},
    "husky": {"breed": "husky", "age": 11, "good": False, "owner": {"name": "Goldast", "last": "Q", "pets": [{"name": None}]}},
    "list": ["text", 3, {"msg": "msg2"}],
    "short": ["text"],
}


@pytest.fixture
async def docs():
    return {name: (await NullableFields.create(json_f=doc)).id for name, doc in DOCS.items()}


async def json_ids(docs, **filters) -> list[str]:
    found = set(await NullableFields.filter(**filters).values_list("id", flat=True))
    return sorted(name for name, pk in docs.items() if pk in found)


@pytest.mark.parametrize("value, expected", [
    ({"breed": "labrador"}, ["lab"]),
    ({"owner": {"name": "Goldast"}}, ["husky"]),
    ({"age": 3, "good": True}, ["lab"]),
    ({"age": "3"}, []),  # JSON types are compared exactly
    (["text"], ["list", "short"]),
    ([{"msg": "msg2"}], ["list"]),
    ({"breed": "poodle"}, []),
])
async def test_json_contains(docs, value, expected):
    assert await json_ids(docs, json_f__contains=value) == expected


@pytest.mark.parametrize("value, expected", [
    (["text", 3, "other"], ["short"]),
    (["text", 3, {"msg": "msg2"}, 4], ["list", "short"]),
    ({"breed": "labrador", "age": 3, "good": True, "owner": DOCS["lab"]["owner"], "x": 1}, ["lab"]),
])
async def test_json_contained_by(docs, value, expected):
    assert await json_ids(docs, json_f__contained_by=value) == expected


@pytest.mark.parametrize("value, expected", [
    ({"breed": "labrador"}, ["lab"]),
    ({"breed": "husky"}, ["husky"]),
    ({"owner__name": "Goldast"}, ["husky"]),
    ({"owner__pets__0__name": "Fishy"}, ["lab"]),
    ({"owner__pets__0__name": "Nope"}, []),
    ({"breed__not": "husky"}, ["lab"]),
    ({"age__gte": 5}, ["husky"]),
    ({"age__lt": 5}, ["lab"]),
    ({"age__in": [3, 4]}, ["lab"]),
    ({"good": True}, ["lab"]),
    ({"good": False}, ["husky"]),
    ({"owner__last__isnull": True}, ["lab", "list", "short"]),  # JSON null or no such key
    ({"owner__last__isnull": False}, ["husky"]),
    ({"owner__pets__0__name__isnull": True}, ["husky", "list", "short"]),
    ({"breed__startswith": "lab", "age": 3}, ["lab"]),
    ({"owner__name__icontains": "gold"}, ["husky"]),
])
async def test_json_filter_key_paths(docs, value, expected):
    assert await json_ids(docs, json_f__filter=value) == expected


async def test_json_lookups_need_a_json_field():
    with pytest.raises(FieldError, match="needs a JSONField"):
        await NullableFields.filter(char_f__contained_by=["x"])
    with pytest.raises(FieldError, match="needs a dict"):
        await NullableFields.filter(json_f__filter="breed")


# --- union -------------------------------------------------------------------------------------
@pytest.mark.parametrize("first, second", [(["apple", "pear"], "plum"), (["fig"], "kiwi")])
async def test_union_of_one_model(first, second):
    for name in ["apple", "pear", "plum", "fig", "kiwi", "other"]:
        await Item.create(name=name)
    union = Item.filter(name__in=first).union(Item.filter(name=second))
    assert sorted(i.name for i in await union) == sorted([*first, second])
    assert all(isinstance(i, Item) and i.id for i in await union)
    assert await union.count() == len(first) + 1
    # duplicates are removed unless all=True
    twice = Item.filter(name=second).union(Item.filter(name=second))
    assert [i.name for i in await twice] == [second]
    assert [i.name for i in await Item.filter(name=second).union(Item.filter(name=second), all=True)] == [second, second]
    ordered = union.order_by("-name")
    assert [i.name for i in await ordered] == sorted([*first, second], reverse=True)
    assert [i.name for i in await ordered.limit(1)] == [max([*first, second])]
    assert [i.name for i in await ordered.offset(1).limit(1)] == [sorted([*first, second], reverse=True)[1]]


@pytest.mark.parametrize("who", ["ann", "bob"])
async def test_union_of_two_models(authors, who):
    await Item.create(name="zed")
    await Item.create(name="aaa")
    await Gadget.create(name=who)
    union = Item.filter(name="zed").only("id", "name").union(Gadget.filter(name=who).only("id", "name"))
    found = await union.order_by("name")
    assert [(type(o).__name__, o.name) for o in found] == [("Gadget", who), ("Item", "zed")]
    with pytest.raises(ParamsError, match="Order by field must be in the select list"):
        union.order_by("nope")
    # members select the same columns (by name, as Tortoise checks)
    with pytest.raises(ParamsError, match="Union queries must have the same select fields.*only"):
        await Item.all().union(Author.all())
    with pytest.raises(ParamsError, match="Union queries must have the same select fields"):
        await Item.all().only("id", "name").union(Author.all().only("id", "username"))
    with pytest.raises(ParamsError, match="Union queries do not support annotations"):
        await Item.all().only("id", "name").union(Gadget.all().only("id", "name").annotate(n=F("weight")))


# --- the statement cache holds these shapes -------------------------------------------------------
async def test_fixed_shapes_compile_once(authors):
    from tortoise.sql.cache import statements

    queries = [
        lambda v: counted().filter(n__gte=v).values_list("username", flat=True),
        lambda v: counted().filter(n__gte=v).order_by("-n").values("username", "n"),
        lambda v: Article.annotate(n=Count("id")).group_by("author_id").filter(n__gte=v).values_list("author_id", "n"),
        lambda v: Author.annotate(top=Max("articles__views")).filter(top__gte=v - 1).values_list("username", "top"),
        lambda v: NullableFields.filter(json_f__contains={"k": v}).values_list("id", flat=True),
    ]
    for make in queries:
        await make(1)
        compiles = statements.compiles
        first, second = await make(2), await make(3)
        assert statements.compiles == compiles, make
        assert first != second or not first  # the values were bound, not baked into the text
    assert sorted(await counted().filter(n__gte=2).values_list("username", flat=True)) == ["ann", "bob"]
    assert await counted().filter(n__gte=3).values_list("username", flat=True) == ["ann"]
