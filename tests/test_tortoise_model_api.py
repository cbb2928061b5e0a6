"""Model-level behaviour Tortoise pins down: dict(obj), implicit clones, update_fields rules,
F expressions in save(), Model[pk] with a bad key, update_from_dict, get/update_or_create
conflicts and NOT NULL fields given None."""
from __future__ import annotations

import pytest

from tortoise.exceptions import IntegrityError, ObjectDoesNotExistError, OperationalError, ParamsError, ValidationError
from tortoise.expressions import F

from tests.testmodels import Article, Campus, Country, Item, Pupil, Token


async def test_dict_of_an_instance_holds_its_columns():
    item = await Item.create(name="a", qty=2)
    as_dict = dict(item)
    assert as_dict["name"] == "a" and as_dict["qty"] == 2 and as_dict["id"] == item.id
    assert set(as_dict) == set(Item._meta.data_field_names)


async def test_resetting_the_pk_saves_a_copy():
    item = await Item.create(name="a")
    item.pk = None
    await item.save()
    assert await Item.filter(name="a").count() == 2
    country = await Country.create(code="fr", name="France")
    country.pk = None  # not generated: the copy needs a key
    with pytest.raises(ValidationError):
        await country.save()


async def test_update_fields_refuse_the_primary_key():
    item = await Item.create(name="a")
    with pytest.raises(OperationalError, match="Can't update pk field, use `Item.create` instead"):
        await item.save(update_fields=["id"])
    with pytest.raises(OperationalError, match="Can't update pk field"):
        await item.save(update_fields=["id", "name"])


@pytest.mark.parametrize("update_fields", [None, ["qty"]])
async def test_save_computes_expressions_in_the_database(update_fields):
    item = await Item.create(name="a", qty=1)
    item.qty = F("qty") + 1
    await item.save(update_fields=update_fields)
    await item.refresh_from_db()
    assert item.qty == 2


async def test_indexing_a_model_with_a_key_of_the_wrong_type():
    with pytest.raises(ObjectDoesNotExistError) as info:
        await Item["not a number"]
    assert isinstance(info.value, KeyError) and info.value.pk_val == "not a number"
    assert str(info.value) == "Item has no object with id=not a number"


async def test_update_from_dict_skips_unknown_keys_and_refuses_bad_values():
    item = await Item.create(name="a")
    item.update_from_dict({"name": "b", "qty": "3", "no_such_field": 1})
    assert (item.name, item.qty) == ("b", 3)
    assert not hasattr(item, "no_such_field")
    with pytest.raises(ValueError):
        item.update_from_dict({"qty": "three"})


def test_none_for_a_not_null_field_is_refused_at_construction():
    with pytest.raises(ValueError, match="name is non nullable field, but null was passed"):
        Item(name=None)
    assert Item(name="x", score=None).score is None


async def test_create_with_defaults_conflicting_with_the_lookup():
    with pytest.raises(ParamsError, match="Conflict value with key='qty'"):
        await Item.update_or_create(name="a", qty=1, defaults={"qty": 2})
    with pytest.raises(ParamsError, match="Conflict value with key='qty'"):
        await Item.get_or_create(name="a", qty=1, defaults={"qty": 2})
    item, created = await Item.update_or_create(name="a", qty=1, defaults={"qty": 1, "category": "x"})
    assert created and item.category == "x"
    again, created = await Item.update_or_create(defaults={"id": item.id, "category": "y"}, id=item.id)
    assert not created and again.category == "y"


async def test_latest_with_descending_and_related_orderings():
    await Article.create(title="b", views=1)
    await Article.create(title="a", views=2)
    assert (await Article.latest("-title")).title == "a"
    assert (await Article.earliest("-title")).title == "b"


async def test_an_instance_stands_for_the_key_its_relation_refers_to():
    north = await Campus.create(code=1, name="north")
    south = await Campus.create(code=2, name="south")
    ann = await Pupil.create(name="ann", campus=north)
    await Pupil.create(name="bob", campus=south)
    assert ann.campus_id == 1
    for _ in range(2):  # the second time through the statement cache
        assert [p.name for p in await Pupil.filter(campus=north)] == ["ann"]
        assert [p.name for p in await Pupil.filter(campus__in=[south])] == ["bob"]
    await Pupil.filter(name="ann").update(campus=south)
    moved = await Pupil.get(name="ann")
    assert moved.campus_id == 2
    await moved.fetch_related("campus")
    assert moved.campus == south
    assert sorted(p.name for p in await south.pupils.all()) == ["ann", "bob"]


async def test_deleting_a_relation_attribute_empties_it():
    north = await Campus.create(code=1, name="north")
    ann = await Pupil.create(name="ann", campus=north)
    del ann.campus
    assert ann.campus is None and ann.campus_id is None
    with pytest.raises(IntegrityError):
        await ann.save()


async def test_prefetching_many_to_many_with_uuid_keys():
    north = await Campus.create(code=1, name="north")
    ann = await Pupil.create(name="ann", campus=north)
    red, blue = await Token.create(label="red"), await Token.create(label="blue")
    await ann.tokens.add(red, blue)
    fetched = await Pupil.filter(pk=ann.pk).prefetch_related("tokens").first()
    assert sorted(t.label for t in fetched.tokens) == ["blue", "red"]
    token = await Token.filter(pk=red.pk).prefetch_related("pupils").first()
    assert [p.name for p in token.pupils] == ["ann"]


async def test_async_defaults_are_awaited_on_save():
    created = await Campus.create(code=1, name="north")
    assert created.motto == "learn"
    saved = Campus(code=2, name="south")
    await saved.save()
    given = Campus(code=3, name="east", motto="given")
    await given.save()
    assert (saved.motto, given.motto) == ("learn", "given")
    assert await Campus.all().order_by("code").values_list("motto", flat=True) == ["learn", "learn", "given"]


async def test_an_instance_of_another_model_is_refused_for_a_relation():
    item = await Item.create(name="not an author")
    article = await Article.create(title="t")
    with pytest.raises(ValidationError, match="Invalid type for relationship field 'author'"):
        article.author = item
    with pytest.raises(ValidationError, match="Invalid type for relationship field 'author'"):
        Article(title="u", author=item)
    with pytest.raises(ValidationError, match="Invalid type for relationship field 'author'"):
        await Article.filter(pk=article.pk).update(author=item)


def test_an_abstract_model_can_be_instantiated():
    from tests.testmodels import NamedBase

    assert NamedBase(name="x").name == "x"


def test_construct_keeps_unknown_names_and_unsaved_relations():
    north = Campus.construct(code=1, name="north")
    pupil = Pupil.construct(name="p", campus=north, nickname="pip")
    assert pupil.campus is north and pupil.nickname == "pip"


async def test_not_on_a_relation_keeps_rows_without_related_rows():
    north = await Campus.create(code=1, name="north")
    red, blue = await Token.create(label="red"), await Token.create(label="blue")
    ann, bob, cid = [await Pupil.create(name=n, campus=north) for n in ("ann", "bob", "cid")]
    await ann.tokens.add(red)
    await bob.tokens.add(blue)
    found = await Pupil.filter(tokens__not=blue.pk).order_by("name").distinct()
    assert [p.name for p in found] == ["ann", "cid"]


async def test_prefetch_objects_into_attributes_keep_their_queryset_order_and_key():
    from tortoise.query_utils import Prefetch

    north = await Campus.create(code=1, name="north")
    ann = await Pupil.create(name="ann", campus=north)
    red, blue = await Token.create(label="red"), await Token.create(label="blue")
    await ann.tokens.add(red, blue)
    got = await Pupil.filter(pk=ann.pk).prefetch_related(
        Prefetch("tokens", Token.filter(label="red"), to_attr="reds"),
        Prefetch("tokens", Token.filter(label="blue"), to_attr="blues"),
    ).first()
    assert ([t.label for t in got.reds], [t.label for t in got.blues]) == (["red"], ["blue"])
    for order, expected in (("label", ["blue", "red"]), ("-label", ["red", "blue"])):
        got = await Pupil.filter(pk=ann.pk).prefetch_related(Prefetch("tokens", Token.all().order_by(order))).first()
        assert [t.label for t in got.tokens] == expected
    # a queryset restricted with only() still gets the key objects are matched on
    got = await Pupil.filter(pk=ann.pk).prefetch_related(Prefetch("tokens", Token.all().only("label"))).first()
    assert sorted(t.label for t in got.tokens) == ["blue", "red"]
    got = await Campus.filter(code=1).prefetch_related(Prefetch("pupils", Pupil.all().only("name"))).first()
    assert [p.name for p in got.pupils] == ["ann"]


async def test_values_that_cannot_be_converted_are_value_errors_too():
    from tortoise.exceptions import InvalidValueError

    from tests.testmodels import AllFields

    with pytest.raises(ValueError):
        Item(name="x", day="2020-08-xx")
    with pytest.raises(ValidationError):
        Item(name="x", day="2020-08-xx")
    with pytest.raises(InvalidValueError):
        AllFields(charenum_f="not a colour")
    item = await Item.create(name="x")
    item.qty = "not a number"
    with pytest.raises(ValueError):
        await item.save()


def test_fields_may_not_hide_model_methods():
    from tortoise import fields
    from tortoise.exceptions import ConfigurationError
    from tortoise.models import Model

    with pytest.raises(ConfigurationError, match="conflict with default Model attributes: filter, save"):

        class Clash(Model):
            save = fields.IntField()
            filter = fields.CharField(max_length=5)


async def test_a_users_field_subclass_converts_what_the_driver_returns():
    from tests.testmodels import Level

    north = await Campus.create(code=1, name="north")
    await Pupil.create(name="ann", campus=north, level=Level.HIGH)
    await Pupil.create(name="bob", campus=north, level=Level.LOW)
    ann = await Pupil.get(level=Level.HIGH)
    assert ann.name == "ann" and ann.level is Level.HIGH
    assert await Pupil.filter(level__in=[Level.LOW]).values_list("level", flat=True) == [Level.LOW]


def test_many_to_many_field_takes_tortoises_positional_arguments():
    from tortoise.fields import ManyToManyField

    field = ManyToManyField("models.Token", "t_link", "token_id", "pupil_id", "linked", "CASCADE", True, False)
    assert (field.through, field.related_name, field.unique) == ("t_link", "linked", False)


async def test_bulk_create_with_some_keys_given_and_some_generated():
    objs = [Item(id=5000 + i, name=f"given{i}") for i in range(3)] + [Item(name=f"auto{i}") for i in range(3)]
    await Item.bulk_create(objs)
    given = await Item.filter(name__startswith="given").order_by("id").values_list("id", flat=True)
    assert given == [5000, 5001, 5002]
    assert await Item.filter(name__startswith="auto").count() == 3
