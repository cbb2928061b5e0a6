"""Bad input: every error has the right type and names its culprit; nothing is left
half-written; driver errors are chained."""
from __future__ import annotations

import pytest

from tortoise.connection import connections
from tortoise.exceptions import (
    BaseORMException,
    DoesNotExist,
    FieldError,
    IntegrityError,
    MultipleObjectsReturned,
    OperationalError,
    ValidationError,
)
from tortoise.transactions import in_transaction

from tests.testmodels import Author, Country, Item

DRIVER_MODULES = {"sqlite3", "aiosqlite", "asyncpg", "asyncmy", "aiomysql", "pymysql", "psycopg"}


def assert_chained_driver_error(exc: BaseException) -> None:
    cause = exc.__cause__
    assert cause is not None, "the driver exception must be chained as __cause__"
    assert not isinstance(cause, BaseORMException)
    assert type(cause).__module__.split(".")[0] in DRIVER_MODULES, type(cause)


async def make_author(username="ann", **kwargs):
    return await Author.create(username=username, password_hash="h", **kwargs)


# --- unknown names ---------------------------------------------------------------------------
async def test_unknown_field_in_filter():
    with pytest.raises(FieldError) as info:
        await Item.filter(nam="apple")
    assert "nam" in str(info.value) and "Item" in str(info.value)


async def test_unknown_field_in_order_by_values_and_update():
    for make in (
        lambda: Item.all().order_by("-nam"),
        lambda: Item.all().values("nam"),
        lambda: Item.all().values_list("nam", flat=True),
        lambda: Item.all().update(nam=1),
    ):
        with pytest.raises(FieldError) as info:
            await make()
        assert "nam" in str(info.value)


async def test_unknown_field_inside_f_in_its_tortoise_wording_with_the_accepted_names():
    from tortoise.expressions import F
    from tortoise.functions import Sum

    for make in (
        lambda: Item.all().annotate(total=Sum(F("nam"))).values("total"),
        lambda: Item.all().annotate(more=F("nam") + 1),
        lambda: Item.filter(qty=F("nam")),
    ):
        with pytest.raises(FieldError, match="There is no non-virtual field nam on Model Item") as info:
            await make()
        assert 'Unknown field "nam" for model "Item"; fields are: id, name, category' in str(info.value)


async def test_unknown_lookup():
    with pytest.raises(FieldError) as info:
        await Item.filter(name__sounds_like="apple")
    assert "sounds_like" in str(info.value)


# --- wrong values -----------------------------------------------------------------------------
async def test_wrong_value_type_in_create():
    with pytest.raises((ValidationError, ValueError)) as info:
        await Item.create(name="apple", qty="lots")
    assert "qty" in str(info.value)
    assert await Item.all().count() == 0


async def test_wrong_value_type_in_filter():
    with pytest.raises((ValidationError, ValueError, FieldError)) as info:
        await Item.filter(qty="lots")
    assert "qty" in str(info.value)


# --- constraint violations ----------------------------------------------------------------------
async def test_unique_violation():
    await make_author("ann")
    with pytest.raises(IntegrityError) as info:
        await make_author("ann")
    assert "username" in str(info.value)
    assert_chained_driver_error(info.value)
    assert await Author.all().count() == 1


async def test_create_without_required_field_names_it():
    with pytest.raises(ValidationError) as info:  # Tortoise's type, which applications catch
        await Author.create(username="ann")
    assert "password_hash" in str(info.value)
    assert isinstance(info.value, IntegrityError)  # what the database's NOT NULL would say
    assert await Author.all().count() == 0
    unsaved = Author(username="bob")
    with pytest.raises(ValidationError, match="password_hash"):
        await unsaved.save()
    assert unsaved.pk is None


async def test_failed_save_leaves_instance_unsaved():
    await make_author("ann")
    dup = Author(username="ann", password_hash="h")
    with pytest.raises(IntegrityError):
        await dup.save()
    assert dup.pk is None and dup._saved_in_db is False
    assert await Author.all().count() == 1


async def test_failed_update_changes_nothing():
    ann = await make_author("ann", age=1)
    bob = await make_author("bob", age=2)
    bob.username = "ann"
    bob.age = 99
    with pytest.raises(IntegrityError):
        await bob.save()
    fresh = await Author.get(pk=bob.pk)
    assert (fresh.username, fresh.age) == ("bob", 2)
    with pytest.raises(IntegrityError):
        await Author.all().update(username="same")
    assert sorted(await Author.all().values_list("username", flat=True)) == ["ann", "bob"]
    assert (await Author.get(pk=ann.pk)).age == 1


async def test_failed_bulk_create_writes_nothing():
    with pytest.raises(IntegrityError):
        await Country.bulk_create(
            [Country(code="FR", name="France"), Country(code="DE", name="Germany"), Country(code="FR", name="Dup")]
        )
    assert await Country.all().count() == 0


async def test_integrity_error_rolls_back_the_whole_transaction():
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await make_author("ann")
            await make_author("bob")
            await make_author("ann")
    assert await Author.all().count() == 0
    await make_author("carl")  # the connection is usable afterwards
    assert await Author.all().values_list("username", flat=True) == ["carl"]


async def test_integrity_error_caught_inside_savepoint_keeps_outer_work():
    async with in_transaction():
        await make_author("ann")
        with pytest.raises(IntegrityError):
            async with in_transaction():
                await make_author("bob")
                await make_author("ann")
        await make_author("carl")
    assert sorted(await Author.all().values_list("username", flat=True)) == ["ann", "carl"]


# --- get() with 0 and 2 rows ---------------------------------------------------------------------
async def test_get_with_no_row_raises_does_not_exist_naming_the_model():
    with pytest.raises(DoesNotExist) as info:
        await Item.get(name="missing")
    assert isinstance(info.value, Item.DoesNotExist)
    assert "Item" in str(info.value)


async def test_get_with_two_rows_raises_multiple_objects_returned_naming_the_model():
    await Item.create(name="twin")
    await Item.create(name="twin")
    with pytest.raises(MultipleObjectsReturned) as info:
        await Item.get(name="twin")
    assert isinstance(info.value, Item.MultipleObjectsReturned)
    assert "Item" in str(info.value)


# --- driver errors -------------------------------------------------------------------------------
async def test_bad_sql_is_operational_error_with_driver_cause():
    with pytest.raises(OperationalError) as info:
        await connections.get("default").execute_query("SELECT * FROM no_such_table_here")
    assert not isinstance(info.value, IntegrityError)
    assert "no_such_table_here" in str(info.value)
    assert_chained_driver_error(info.value)
    await Item.create(name="still works")
    assert await Item.all().count() == 1


async def test_failed_bulk_create_in_batches_writes_nothing():
    """The duplicate sits in the last batch: the batches before it are rolled back too."""
    rows = [Country(code=c, name=c) for c in ("AA", "BB", "CC", "DD", "AA")]
    with pytest.raises(IntegrityError):
        await Country.bulk_create(rows, batch_size=2)
    assert await Country.all().count() == 0


async def test_bulk_create_checks_every_object_before_writing():
    """A missing required value in a later batch fails before any batch is written."""
    rows = [Country(code="AA", name="a"), Country(code="BB", name="b"), Country(code="CC")]
    with pytest.raises(IntegrityError) as info:
        await Country.bulk_create(rows, batch_size=1)
    assert "Country.name" in str(info.value)
    assert await Country.all().count() == 0


async def test_too_long_text_fails_before_writing_and_names_the_field():
    with pytest.raises(ValidationError, match=r"Country\.name: .* max_length is 50"):
        await Country.create(code="AA", name="x" * 51)
    rows = [Country(code="BB", name="b"), Country(code="CC", name="y" * 51)]
    with pytest.raises(ValidationError, match=r"Country\.name: .* max_length is 50"):
        await Country.bulk_create(rows)
    saved = await Country.create(code="DD", name="d")
    saved.name = "z" * 51
    with pytest.raises(ValidationError, match=r"Country\.name"):
        await saved.save()
    assert await Country.all().values_list("code", "name") == [("DD", "d")]


async def test_failed_bulk_update_in_batches_changes_nothing():
    rows = await Country.bulk_create([Country(code=c, name=c) for c in ("AA", "BB", "CC")])
    for row in rows:
        row.name = row.code.lower()
    rows[-1].name = None  # NOT NULL violated in the last batch
    with pytest.raises(IntegrityError):
        await Country.bulk_update(rows, fields=["name"], batch_size=1)
    assert sorted(await Country.all().values_list("name", flat=True)) == ["AA", "BB", "CC"]
