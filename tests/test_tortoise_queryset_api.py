"""QuerySet behaviour Tortoise pins down: its error types and wording (with ours after it),
contains(), latest()/earliest()/last() on models, annotations named like fields, update()
refusals and the DoesNotExist/MultipleObjectsReturned forms raised with a model alone."""
from __future__ import annotations

import pytest

from tortoise.exceptions import (
    DoesNotExist,
    FieldError,
    IncompleteInstanceError,
    IntegrityError,
    MultipleObjectsReturned,
    OperationalError,
    ParamsError,
)
from tortoise.expressions import F, Q
from tortoise.functions import Avg, Count, Sum
from tortoise.query_utils import Prefetch

from tests.testmodels import Article, Author, Item


@pytest.fixture
async def items():
    return [await Item.create(name=name, qty=qty) for name, qty in (("a", 3), ("b", 1), ("c", 2))]


async def test_unknown_names_are_reported_in_tortoise_words(items):
    with pytest.raises(FieldError, match='Unknown field "nope" for model "Item"'):
        await Item.all().values("name", "nope")
    with pytest.raises(FieldError, match='Unknown field "nope" for model "Author"'):
        await Article.all().values_list("title", "author__nope")
    with pytest.raises(FieldError, match="Unknown filter param 'nope'. Allowed base values are"):
        await Item.filter(nope=1)
    with pytest.raises(FieldError, match="Unknown field nope for model Item"):
        Item.all().order_by("-nope")
    with pytest.raises(FieldError, match="Unknown keyword argument nope"):
        await Item.all().update(nope=1)


async def test_bounds_and_slices_are_checked_when_built():
    with pytest.raises(ParamsError, match="Limit should be non-negative number"):
        Item.all().limit(-1)
    with pytest.raises(ParamsError, match="Offset should be non-negative number"):
        Item.all().offset(-1)
    with pytest.raises(ParamsError, match="QuerySet indices must be slices, not integers"):
        Item.all()[3]  # noqa: B018
    with pytest.raises(ParamsError, match="Slice steps should be 1 or None"):
        Item.all()[::2]  # noqa: B018
    with pytest.raises(ParamsError, match="Slice start should be non-negative number or None"):
        Item.all()[-1:]  # noqa: B018
    with pytest.raises(ParamsError, match="Slice stop should be non-negative number greater that slice start"):
        Item.all()[3:1]  # noqa: B018
    with pytest.raises(ParamsError, match="Slice stop should be non-negative number greater that slice start"):
        Item.all()[:-1]  # noqa: B018


async def test_sliced_with_step_one(items):
    assert [i.name for i in await Item.all().order_by("name")[::1]] == ["a", "b", "c"]
    assert [i.name for i in await Item.all().order_by("name")[1:2]] == ["b"]


async def test_values_names_each_key_once(items):
    with pytest.raises(FieldError, match="Duplicate key qty"):
        await Item.all().values("qty", "qty")
    with pytest.raises(FieldError, match="Duplicate key qty"):
        await Item.all().values("qty", qty="name")
    with pytest.raises(TypeError, match="You can flat value_list only if contains one field"):
        await Item.all().values_list("qty", "name", flat=True)
    with pytest.raises(TypeError, match="You can flat value_list only if contains one field"):
        await Item.all().values_list(flat=True)


async def test_an_annotation_may_take_a_field_name(items):
    first = items[0]
    assert await Item.filter(pk=first.pk).annotate(qty=F("qty") + 10).values("qty") == [{"qty": 13}]
    obj = await Item.filter(pk=first.pk).annotate(qty=F("qty") * 2).first()
    assert obj.qty == 6
    author = await Author.create(username="ann", password_hash="x")
    await Article.create(title="t", author=author)
    # a values() key named like the relation it reads through
    assert await Article.all().values("title", author="author__username") == [{"title": "t", "author": "ann"}]


async def test_contains(items):
    assert await Item.all().contains(items[0])
    assert not await Item.filter(qty__gt=5).contains(items[0])
    with pytest.raises(ParamsError, match="The given object does not have a primary key"):
        await Item.all().contains(Item(name="unsaved"))
    with pytest.raises(ParamsError, match="The given object is not an instance of the queryset's model"):
        await Item.all().contains(Author(username="x", password_hash="y"))


async def test_latest_earliest_and_last_on_models(items):
    assert (await Item.latest("qty")).name == "a"
    assert (await Item.earliest("qty")).name == "b"
    assert (await Item.last()).name == "c"
    assert await Item.filter(qty__gt=5).latest("qty") is None
    assert await Item.all().earliest("qty").values("name") == {"name": "b"}
    with pytest.raises(FieldError):
        Item.all().latest()
    with pytest.raises(FieldError):
        Item.all().earliest()


async def test_update_refuses_the_primary_key_and_relation_managers(items):
    with pytest.raises(IntegrityError, match="is PK and can not be updated"):
        await Item.filter(pk=items[0].pk).update(id=99)
    await Item.filter(pk=items[0].pk).update(id=F("id") + 1000)  # an expression may move keys
    assert await Item.filter(pk=items[0].pk + 1000).exists()
    with pytest.raises(FieldError, match="is virtual and can not be updated"):
        await Author.all().update(articles=[])


async def test_prefetch_errors_name_the_relation():
    await Article.create(title="t")
    with pytest.raises(FieldError, match="Relation nope for models.Article not found"):
        await Article.all().prefetch_related("nope")
    with pytest.raises(FieldError, match="Field title on models.Article is not a relation"):
        await Article.all().prefetch_related("title")
    with pytest.raises(OperationalError, match="relation nope for t_article not found"):
        await Article.all().prefetch_related(Prefetch("nope", queryset=Author.all()))


def test_not_found_errors_raised_with_a_model_alone():
    assert str(DoesNotExist(Item)) == 'Object "Item" does not exist'
    assert str(MultipleObjectsReturned(Item)) == 'Multiple objects returned for "Item", expected exactly one'
    assert DoesNotExist(Item).model is Item
    assert str(DoesNotExist("plain message")) == "plain message"
    assert str(Item.DoesNotExist("x", model=Item)) == "x"


async def test_count_annotation_still_groups(items):
    rows = await Item.annotate(n=Count("id")).order_by("name").values_list("name", "n")
    assert rows == [("a", 1), ("b", 1), ("c", 1)]


# --- only() ---------------------------------------------------------------------------------
async def test_only_follows_forward_relations_into_partial_objects():
    ann = await Author.create(username="ann", password_hash="x")
    await Article.create(title="first", author=ann, views=3)
    await Article.create(title="orphan")
    found = await Article.all().only("title", "author__username").order_by("title")
    assert [a.title for a in found] == ["first", "orphan"]
    assert found[0].author.username == "ann"
    with pytest.raises(AttributeError):
        found[0].author.email  # noqa: B018
    with pytest.raises(AttributeError):
        found[0].views  # noqa: B018
    # without the key or the relation, the relation itself was not fetched
    bare = await Article.filter(title="first").only("title").first()
    with pytest.raises(AttributeError):
        bare.author  # noqa: B018
    with pytest.raises(FieldError, match="forward relations"):
        Article.all().only("title__x")
    with pytest.raises(FieldError, match="'nope' in 'author__nope' is not a column field of Author"):
        Article.all().only("author__nope")


async def test_only_takes_annotations_and_refuses_nothing_or_values(items):
    found = await Item.annotate(double=F("qty") * 2).only("name", "double").order_by("name")
    assert [(i.name, i.double) for i in found] == [("a", 6), ("b", 2), ("c", 4)]
    with pytest.raises(AttributeError):
        found[0].qty  # noqa: B018
    with pytest.raises(ValueError):
        Item.all().only()
    with pytest.raises(ValueError):
        await Item.all().only("name").values("name")


async def test_partial_instances_save_only_what_they_hold(items):
    keyless = await Item.filter(name="a").only("name").first()
    with pytest.raises(IncompleteInstanceError, match="is a partial model"):
        await keyless.save()
    with pytest.raises(IncompleteInstanceError, match="Partial update not available"):
        await keyless.save(update_fields=["name"])
    keyed = await Item.filter(name="a").only("id", "name").first()
    with pytest.raises(IncompleteInstanceError, match="field 'qty' is not available"):
        await keyed.save(update_fields=["qty"])
    keyed.name = "a2"
    await keyed.save(update_fields=["name"])
    assert await Item.filter(name="a2").count() == 1


async def test_only_just_relation_columns_with_select_related():
    ann = await Author.create(username="ann", password_hash="x")
    await Article.create(title="first", author=ann)
    found = await Article.all().only("author__username")
    assert found[0].author.username == "ann"
    with pytest.raises(AttributeError):
        found[0].title  # noqa: B018
    joined = await Article.all().select_related("author").only("title", "author__username").first()
    assert (joined.title, joined.author.username) == ("first", "ann")


async def test_powers_and_reversed_modulo(items):
    f = F("qty")
    assert (f**2).connector.name == "pow" and (2**f).left.value == 2
    assert (7 % f).connector.name == "mod" and (7 % f).left.value == 7
    rows = await Item.annotate(sq=F("qty") ** 2, rest=7 % F("qty")).order_by("name").values_list("qty", "sq", "rest")
    assert [(q, int(sq), rest) for q, sq, rest in rows] == [(3, 9, 1), (1, 1, 0), (2, 4, 1)]
    await Item.filter(name="c").update(qty=F("qty") ** 3)
    assert (await Item.get(name="c")).qty == 8


async def test_explain_formats_and_options(items):
    from tortoise.exceptions import UnSupportedError

    from tests.conftest import TEST_DIALECT

    qs = Item.filter(qty__gt=1)
    assert await qs.explain()
    if TEST_DIALECT == "sqlite":
        with pytest.raises(UnSupportedError, match="does not support different explain formats"):
            await qs.explain(output_fmt="json")
        with pytest.raises(UnSupportedError, match="does not support explain options"):
            await qs.explain(analyze=True)
    else:
        assert await qs.explain(output_fmt="json")
        with pytest.raises(UnSupportedError, match="Unsupported explain format .pdf.: .* explain formats are"):
            await qs.explain(output_fmt="pdf")
    if TEST_DIALECT == "postgres":
        assert await qs.explain(output_fmt="text", analyze=True, costs=False)
        with pytest.raises(UnSupportedError, match="Unsupported explain option.s. NONSENSE: postgres explain options are"):
            await qs.explain(nonsense=True)


async def test_exists_and_order_by_with_aggregates_over_relations():
    ann = await Author.create(username="ann", password_hash="x")
    await Author.create(username="bob", password_hash="x")
    await Article.create(title="a1", author=ann, views=4)
    await Article.create(title="a2", author=ann, views=2)
    popular = Author.annotate(mean=Avg("articles__views")).filter(mean__gte=3)
    assert await popular.exists()
    assert not await Author.annotate(mean=Avg("articles__views")).filter(mean__gte=5).exists()
    with pytest.raises(FieldError):
        Author.all().order_by("articles")
    with pytest.raises(FieldError, match="title__id not resolvable"):
        await Article.annotate(n=Sum("title__id")).first()


async def test_distinct_queries_order_by_annotations_and_joined_columns():
    from tortoise.expressions import Case, When

    for name, qty in (("x", 3), ("y", 1), ("z", 2)):
        await Item.create(name=name, qty=qty)
    rank = Case(When(Q(name="y"), then="1"), When(Q(name="z"), then="2"), default="3")
    found = await Item.annotate(rank=rank).distinct().order_by("rank", "-qty")
    assert [i.name for i in found] == ["y", "z", "x"]
    rows = await Item.annotate(rank=rank).distinct().order_by("rank").values("name", "rank")
    assert [r["name"] for r in rows] == ["y", "z", "x"]
    ann = await Author.create(username="ann", password_hash="x")
    bob = await Author.create(username="bob", password_hash="x")
    await Article.create(title="b", author=ann)
    await Article.create(title="a", author=bob)
    assert [a.username for a in await Author.all().order_by("articles__title")] == ["bob", "ann"]
