"""SPEC §2: model classes and instances."""
from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from tortoise.connection import connections
from tortoise.exceptions import DoesNotExist, FieldError, IntegrityError, MultipleObjectsReturned, ParamsError
from tortoise.expressions import F

from tests.testmodels import Article, Author, Country, Gadget, Item, Membership, NamedBase, Token


async def column_values(table: str, column: str) -> list:
    rows = await connections.get("default").execute_query_dict(f"SELECT {column} FROM {table}")
    return sorted(r[column] for r in rows)


# --- Meta -------------------------------------------------------------------------------------
async def test_meta_table_is_the_table_name():
    await Item.create(name="apple")
    assert await column_values("t_item", "name") == ["apple"]


async def test_meta_ordering_is_the_default_order():
    for title, views in [("b", 5), ("a", 9), ("c", 5), ("d", 1)]:
        await Article.create(title=title, views=views)
    assert [a.title for a in await Article.all()] == ["a", "b", "c", "d"]  # -views, then id
    assert [a.title for a in await Article.all().order_by("views", "-id")] == ["d", "c", "b", "a"]


async def test_meta_unique_together():
    await Membership.create(group="admins", member="ann")
    await Membership.create(group="admins", member="bob")
    await Membership.create(group="users", member="ann")
    with pytest.raises(IntegrityError):
        await Membership.create(group="admins", member="ann")
    assert await Membership.all().count() == 3


# --- primary keys ------------------------------------------------------------------------------
async def test_implicit_id_primary_key_and_pk_alias():
    item = await Item.create(name="apple")
    assert isinstance(item.id, int)
    assert item.pk == item.id
    assert (await Item.get(pk=item.pk)).name == "apple"
    other = await Item.create(name="pear")
    assert other.id != item.id
    assert sorted(i.name for i in await Item.filter(pk__in=[item.pk, other.pk])) == ["apple", "pear"]


async def test_uuid_primary_key_is_generated():
    token = await Token.create(label="t")
    assert isinstance(token.pk, uuid.UUID)
    assert token.id == token.pk
    fetched = await Token.get(pk=token.pk)
    assert fetched.label == "t" and fetched.id == token.id
    explicit = uuid.uuid4()
    await Token.create(id=explicit, label="explicit")
    assert (await Token.get(id=explicit)).label == "explicit"


async def test_char_primary_key():
    fr = await Country.create(code="FR", name="France")
    assert fr.pk == "FR"
    assert (await Country.get(pk="FR")).name == "France"
    fr.name = "République française"
    await fr.save()
    assert await Country.all().count() == 1
    assert (await Country.get(code="FR")).name == "République française"
    with pytest.raises(IntegrityError):
        await Country.create(code="FR", name="Again")


# --- inheritance ----------------------------------------------------------------------------------
async def test_abstract_base_and_mixin_fields_are_inherited():
    gadget = await Gadget.create(name="gizmo", weight=3)
    row = (await Gadget.filter(id=gadget.id).values())[0]
    assert {"id", "name", "weight", "created_at", "modified_at"} <= set(row)
    assert row["name"] == "gizmo" and row["weight"] == 3
    assert row["created_at"] is not None and row["modified_at"] is not None


def test_abstract_model_is_not_a_registered_table():
    from tortoise import Tortoise

    registered = [m for app in Tortoise.apps.values() for m in app.values()]
    assert Gadget in registered
    assert NamedBase not in registered


# --- per-model exceptions -----------------------------------------------------------------------
async def test_per_model_does_not_exist_and_multiple_objects_returned():
    assert issubclass(Item.DoesNotExist, DoesNotExist)
    assert issubclass(Item.MultipleObjectsReturned, MultipleObjectsReturned)
    assert Item.DoesNotExist is not Author.DoesNotExist

    with pytest.raises(Item.DoesNotExist):
        await Item.get(name="missing")
    await Item.create(name="twin")
    await Item.create(name="twin")
    with pytest.raises(Item.MultipleObjectsReturned):
        await Item.get(name="twin")

    caught = None
    try:
        await Item.get(name="missing")
    except Author.DoesNotExist:  # pragma: no cover - wrong model, must not catch
        caught = "author"
    except DoesNotExist:
        caught = "base"
    assert caught == "base"


# --- instance methods -------------------------------------------------------------------------------
async def test_create_and_save_update_existing_row():
    item = Item(name="apple", qty=1)
    assert item._saved_in_db is False and item.pk is None
    await item.save()
    assert item._saved_in_db is True and item.pk is not None
    item.qty = 2
    await item.save()
    assert await Item.all().count() == 1
    assert (await Item.get(pk=item.pk)).qty == 2
    assert (await Item.get(pk=item.pk))._saved_in_db is True


async def test_save_update_fields_writes_only_those():
    item = await Item.create(name="apple", qty=1, category="fruit")
    item.qty = 50
    item.name = "not saved"
    await item.save(update_fields=["qty"])
    fresh = await Item.get(pk=item.pk)
    assert (fresh.qty, fresh.name) == (50, "apple")


async def test_delete_instance():
    keep = await Item.create(name="keep")
    gone = await Item.create(name="gone")
    await gone.delete()
    assert await Item.filter(pk=gone.pk).exists() is False
    assert await Item.all().values_list("name", flat=True) == ["keep"]
    assert keep.pk != gone.pk


async def test_refresh_from_db():
    item = await Item.create(name="apple", qty=1)
    await Item.filter(pk=item.pk).update(qty=7, name="APPLE")
    await item.refresh_from_db(fields=["qty"])
    assert (item.qty, item.name) == (7, "apple")
    await item.refresh_from_db()
    assert (item.qty, item.name) == (7, "APPLE")


async def test_update_from_dict_then_save():
    item = await Item.create(name="apple", qty=1)
    returned = item.update_from_dict({"name": "pear", "qty": 3})
    assert returned is item
    assert (item.name, item.qty) == ("pear", 3)
    assert (await Item.get(pk=item.pk)).name == "apple"  # not saved yet
    await item.save()
    fresh = await Item.get(pk=item.pk)
    assert (fresh.name, fresh.qty) == ("pear", 3)


async def test_clone_saves_as_a_new_row():
    item = await Item.create(name="apple", qty=4)
    copy = item.clone()
    assert copy.pk is None and copy._saved_in_db is False
    assert (copy.name, copy.qty) == ("apple", 4)
    copy.name = "apple copy"
    await copy.save()
    assert copy.pk is not None and copy.pk != item.pk
    assert sorted(await Item.all().values_list("name", flat=True)) == ["apple", "apple copy"]


async def test_clone_of_non_generated_pk_needs_a_new_pk():
    fr = await Country.create(code="FR", name="France")
    with pytest.raises(ParamsError):
        fr.clone()
    be = fr.clone(pk="BE")
    be.name = "Belgium"
    await be.save()
    assert sorted(await Country.all().values_list("code", flat=True)) == ["BE", "FR"]


async def test_equality_and_hash_by_pk():
    a = await Item.create(name="a")
    b = await Item.create(name="b")
    a_again = await Item.get(pk=a.pk)
    assert a == a_again and a is not a_again
    assert a != b
    assert hash(a) == hash(a_again)
    assert len({a, a_again, b}) == 2
    assert Gadget(id=a.pk, name="g") != a  # same pk, different model
    with pytest.raises(TypeError):
        hash(Item(name="unsaved"))


async def test_repr_and_str():
    item = await Item.create(name="apple")
    assert repr(item) == f"<Item: {item.pk}>"
    assert repr(Item(name="unsaved")) == "<Item>"
    assert str(item) == "<Item>"


async def test_fields_named_like_python_builtins_and_locals(other_orm):
    await other_orm.init_models("tests.reserved_models")
    from tests.reserved_models import PythonNames

    made = PythonNames(type="t", value="1.5", key=1)
    assert (made.type, made.obj, made.value, made.key, made.kwargs, made.d) == ("t", 7, Decimal("1.50"), True, "k", None)
    await made.save()
    await PythonNames.create(type=5, obj="8", kwargs="x", d=datetime.datetime(2024, 1, 2, 3, 4))
    rows = await PythonNames.all().order_by("obj").values_list("type", "obj", "value", "key", "kwargs")
    assert rows == [("t", 7, Decimal("1.50"), True, "k"), ("5", 8, None, False, "x")]
    with pytest.raises(FieldError, match="unknown field 'nope' for PythonNames"):
        PythonNames(type="t", nope=1)


async def test_a_model_may_define_its_own_init(other_orm):
    await other_orm.init_models("tests.reserved_models")
    from tests.reserved_models import InheritedInit, OwnInit

    made = OwnInit(rank="3")
    assert (made.name, made.rank, made.greeting, made.own) == ("unnamed", 3, "hello unnamed", True)
    await made.save()
    child = await InheritedInit.create(name="kid", extra=2)
    assert (child.rank, child.extra, child.greeting) == (1, 2, "hello kid")
    assert (await OwnInit.get(pk=made.pk)).rank == 3  # rows read back skip __init__
    assert await InheritedInit.all().values_list("name", "rank", "extra") == [("kid", 1, 2)]


async def test_callable_default_is_called_only_when_the_value_is_missing(other_orm):
    await other_orm.init_models("tests.reserved_models")
    from tests.reserved_models import STAMPS, Stamped

    STAMPS.clear()
    given = await Stamped.create(stamp=50)
    assert STAMPS == [] and given.stamp == 50
    made = await Stamped.create()
    assert STAMPS == [1] and made.stamp == 1
    assert await Stamped.all().order_by("stamp").values_list("stamp", flat=True) == [1, 50]


async def test_instance_defaults_before_saving():
    item = Item(name="x")
    assert item.qty == 0 and item.category == "misc" and item.note is None


async def test_reserved_word_table_and_columns_are_quoted(other_orm):
    await other_orm.init_models("tests.reserved_models")
    from tests.reserved_models import Reserved

    await Reserved.create(order=2, group="b", select="s")
    await Reserved.create(order=1, group="a")
    rows = await Reserved.all().order_by("order").values("order", "group", "select")
    assert rows == [
        {"order": 1, "group": "a", "select": None},
        {"order": 2, "group": "b", "select": "s"},
    ]
    assert await Reserved.filter(group="b").update(order=F("order") + 1) == 1
    assert (await Reserved.get(group="b")).order == 3
