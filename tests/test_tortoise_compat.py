"""Tortoise 1.x API surface: contexts, typed config, init arguments, db_default, managers."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import tests.compat_models as compat_models
from tortoise import Tortoise, connections
from tortoise.config import AppConfig, DBUrlConfig, TortoiseConfig
from tortoise.context import TortoiseContext, get_current_context, set_global_context, tortoise_test_context
from tortoise.exceptions import ConfigurationError, OperationalError
from tortoise.expressions import Connector, F
from tortoise.fields import IntField
from tortoise.fields.base import DB_DEFAULT_NOT_SET, DatabaseDefault
from tortoise.models import NoneAwaitable

from tests.conftest import TEST_DB, URL_TEMPLATE, fresh_db_url

COMPAT = "tests.compat_models"


# --- contexts -------------------------------------------------------------------------------
async def test_init_returns_the_current_context(other_orm):
    ctx = await Tortoise.init(db_url=fresh_db_url(), modules={"models": [COMPAT]}, _create_db=True)
    other_orm.inited = True
    assert isinstance(ctx, TortoiseContext)
    assert get_current_context() is ctx
    assert ctx.inited and set(ctx.apps["models"]) >= {"Counter", "Note"}
    assert Tortoise.apps is ctx.apps
    assert ctx.db() is connections.get("default")


async def test_each_context_has_its_own_connections_and_apps(other_orm):
    async with tortoise_test_context([COMPAT], db_url=URL_TEMPLATE, connection_label="models") as first:
        await compat_models.Shelf.create(name="in first")
        async with tortoise_test_context([COMPAT], db_url=URL_TEMPLATE, connection_label="models") as second:
            assert get_current_context() is second
            assert second.db() is not first.db()
            assert await compat_models.Shelf.all().count() == 0
            await compat_models.Shelf.create(name="in second")
        assert get_current_context() is first
        assert await compat_models.Shelf.all().values_list("name", flat=True) == ["in first"]
        with second:  # closed: it has no connection any more
            with pytest.raises(ConfigurationError):
                connections.get("models")


def test_only_one_global_context_at_a_time():
    import tortoise.context as context_module

    saved = context_module._global_context
    context_module._global_context = None
    try:
        ctx = TortoiseContext()
        set_global_context(ctx)
        set_global_context(ctx)  # the same one again is fine
        with pytest.raises(ConfigurationError, match="already set"):
            set_global_context(TortoiseContext())
    finally:
        context_module._global_context = saved


async def test_context_init_needs_a_source():
    with pytest.raises(ConfigurationError, match="Must provide either 'config', 'config_file'"):
        await TortoiseContext().init(db_url="sqlite://:memory:")
    with pytest.raises(ConfigurationError, match="Context not initialized"):
        TortoiseContext().get_model("models", "Counter")


# --- Tortoise.init arguments --------------------------------------------------------------------
async def test_typed_config_with_a_module_object(other_orm):
    config = TortoiseConfig(
        connections={"default": DBUrlConfig(fresh_db_url())},
        apps={"models": AppConfig(models=[compat_models])},
    )
    await other_orm.init(config=config)
    assert await compat_models.Shelf.create(name="typed") is not None
    assert Tortoise.apps["models"]["Shelf"] is compat_models.Shelf


async def test_table_name_generator_names_tables_without_meta_table(other_orm):
    from tests import config_models

    generator = lambda model: f"gen_{model.__name__.lower()}"  # noqa: E731
    await other_orm.init(
        modules={"models": [config_models, COMPAT]}, table_name_generator=generator, _enable_global_fallback=True
    )
    assert config_models.Widget._meta.db_table == "cfg_widget"  # Meta.table wins
    assert compat_models.Plain._meta.db_table == "gen_plain"
    await compat_models.Plain.create(name="x")
    rows = await connections.get("default").execute_query_dict('SELECT COUNT(*) AS n FROM gen_plain')
    assert rows[0]["n"] == 1
    await Tortoise.close_connections()
    await other_orm.init(modules={"models": [COMPAT]})
    assert compat_models.Plain._meta.db_table == "plain"  # back to the default name


async def test_init_connections_false_connects_on_first_use(other_orm, tmp_path):
    url = f"sqlite://{tmp_path}/lazy.sqlite3" if TEST_DB == "sqlite" else fresh_db_url()
    await other_orm.init(db_url=url, modules={"models": [COMPAT]}, _create_db=True)
    await Tortoise.close_connections()
    await Tortoise.init(db_url=url, modules={"models": [COMPAT]}, init_connections=False)
    assert await compat_models.Shelf.all().count() == 0


# --- db_default -----------------------------------------------------------------------------------
def test_db_default_declaration():
    assert IntField().db_default is DB_DEFAULT_NOT_SET and not DB_DEFAULT_NOT_SET
    assert IntField(null=True, db_default=None).has_db_default()
    assert not IntField(db_default=0).required and IntField().required and not IntField(null=True).required
    with pytest.raises(ConfigurationError, match="db_default must be a static value"):
        IntField(db_default=lambda: 1)
    assert IntField().describe()["db_default"] == "__NOT_SET__"
    assert IntField(db_default=5).describe()["db_default"] == 5


async def test_unset_db_default_fields_are_filled_by_the_database(other_orm):
    await other_orm.init_models(COMPAT)
    counter = await compat_models.Counter.create()
    assert (counter.label, counter.hits, counter.active, counter.zero) == ("untitled", 7, True, 0)
    assert counter.ratio == Decimal("1.50")
    assert counter.day == datetime.date(2021, 3, 4)
    assert isinstance(counter.stamped, datetime.datetime)
    assert counter.moment == datetime.datetime(2020, 5, 20, 12, 30, tzinfo=datetime.timezone.utc)
    again = await compat_models.Counter.get(pk=counter.pk)
    assert (again.label, again.hits, again.zero) == ("untitled", 7, 0)


async def test_given_values_override_db_default(other_orm):
    await other_orm.init_models(COMPAT)
    counter = await compat_models.Counter.create(label="mine", hits=1)
    assert (counter.label, counter.hits) == ("mine", 1)
    stored = await compat_models.Counter.get(pk=counter.pk).values("label", "hits", "active")
    assert stored == {"label": "mine", "hits": 1, "active": True}


async def test_fetch_db_defaults_false_leaves_the_attribute_unset(other_orm):
    """...where reading it back would take another query: RETURNING brings it at no cost."""
    await other_orm.init_models(COMPAT)
    quiet = await compat_models.Quiet.create()
    if connections.get("default").capabilities.support_returning:
        assert quiet.hits == 3  # RETURNING brings it back at no cost
    else:
        assert isinstance(quiet.hits, DatabaseDefault)
    assert quiet.pk is not None
    assert await compat_models.Quiet.get(pk=quiet.pk).values_list("hits", flat=True) == 3
    await quiet.save()  # the value the database holds is left as it is
    assert await compat_models.Quiet.get(pk=quiet.pk).values_list("hits", flat=True) == 3


async def test_unset_db_default_fields_hold_the_database_default_marker(other_orm):
    await other_orm.init_models(COMPAT)
    Counter = compat_models.Counter
    fresh = Counter(hits=2)
    assert isinstance(fresh.label, DatabaseDefault) and fresh.hits == 2
    assert isinstance(Counter.construct().label, DatabaseDefault)
    await Counter.bulk_create([Counter(), Counter()])
    await Counter.bulk_create([Counter(label="a"), Counter(label="b")])
    stored = await Counter.all().order_by("id").values_list("label", "hits")
    assert stored == [("untitled", 7), ("untitled", 7), ("a", 7), ("b", 7)]
    with pytest.raises(OperationalError, match="Cannot use bulk_create"):
        await Counter.bulk_create([Counter(label="c"), Counter()])


# --- models -------------------------------------------------------------------------------------
async def test_meta_manager_and_manager_attributes(other_orm):
    await other_orm.init_models(COMPAT)
    Note = compat_models.Note
    await Note.create(text="kept")
    await Note.create(text="gone", deleted=True)
    await Note.create(text="secret", hidden=True)
    assert sorted(await Note.all().values_list("text", flat=True)) == ["kept", "secret"]
    assert await Note.all().visible().values_list("text", flat=True) == ["kept"]
    assert await Note.filter(text="gone").count() == 0
    assert await Note.everything.count() == 3
    assert await Note.everything.filter(deleted=True).values_list("text", flat=True) == ["gone"]


async def test_a_null_foreign_key_awaits_to_none(other_orm):
    await other_orm.init_models(COMPAT)
    box = await compat_models.Box.create()
    assert await box.shelf is None
    assert not box.shelf
    assert box.shelf is NoneAwaitable  # the name Tortoise exports from tortoise.models
    fetched = await compat_models.Box.get(pk=box.pk)
    assert await fetched.shelf is None
    await fetched.fetch_related("shelf")
    assert fetched.shelf is None  # fetched: plain None
    shelf = await compat_models.Shelf.create(name="top")
    fetched.shelf = shelf
    await fetched.save()
    assert (await (await compat_models.Box.get(pk=box.pk)).shelf).name == "top"


async def test_mutable_defaults_are_copied_per_instance(other_orm):
    await other_orm.init_models(COMPAT)
    first, second = compat_models.Settings(), compat_models.Settings()
    first.data["theme"] = "dark"
    first.tags.append("x")
    assert second.data == {} and second.tags == []
    await first.save()
    await second.save()
    assert (await compat_models.Settings.get(pk=second.pk)).data == {}
    assert compat_models.Settings._meta.fields_map["data"].default == {}


def test_combined_expressions_name_their_connector():
    f = F("hits")
    assert (f + 1).connector is Connector.add
    assert (2 - f).connector is Connector.sub and (2 - f).left.value == 2
    negated = -f
    assert negated.connector is Connector.mul and negated.right.value == -1


async def test_a_model_declaring_another_app_is_left_out(other_orm):
    await other_orm.init_models(COMPAT)
    assert "Archived" not in Tortoise.apps["models"] and "Counter" in Tortoise.apps["models"]


async def test_a_module_without_models_is_reported(other_orm):
    with pytest.warns(RuntimeWarning, match='Module "tests.conftest" has no models'):
        await other_orm.init(modules={"models": [COMPAT, "tests.conftest"]})


def test_index_is_the_deprecated_spelling_of_db_index():
    with pytest.warns(DeprecationWarning, match="please use `db_index`"):
        assert IntField(index=True).index
    assert IntField(db_index=True, index=True).index
    with pytest.raises(ConfigurationError, match="can't set both db_index and index"):
        IntField(db_index=False, index=True)


async def test_construct_builds_an_instance_from_trusted_values(other_orm):
    await other_orm.init_models(COMPAT)
    from tests.compat_models import Publisher, Title

    acme = Publisher.construct(id=5, name="acme", _saved_in_db=True)
    dune = Title.construct(name="dune", publisher=acme)
    assert (dune.publisher_id, dune.publisher, dune._saved_in_db) == (5, acme, False)
    assert dune.pk is None
    shelf_less = compat_models.Box.construct(shelf=None)
    assert shelf_less.shelf_id is None
    with_titles = Publisher.construct(id=6, name="zed", titles=[dune])
    assert list(with_titles.titles) == [dune] and len(with_titles.titles) == 1
    settings = compat_models.Settings.construct()
    assert settings.data == {} and settings.data is not compat_models.Settings._meta.fields_map["data"].default
    # names that are no field are kept as plain attributes, as Tortoise does
    assert Publisher.construct(nope=1).nope == 1
    # an unsaved related object is accepted, and is what the relation gives
    draft = Publisher.construct(name="draft")
    assert Title.construct(name="t", publisher=draft).publisher is draft


def test_fields_that_cannot_be_indexed_refuse_unique_and_index():
    from tortoise import fields

    with pytest.raises(ConfigurationError, match="TextField can't be indexed, consider CharField"):
        fields.TextField(unique=True)
    with pytest.raises(ConfigurationError, match="JSONField can't be indexed"):
        fields.JSONField(db_index=True)
    assert fields.TextField(primary_key=True).pk


def test_create_unique_index_is_the_deprecated_spelling_of_unique():
    from tortoise import fields

    assert fields.ManyToManyField("models.Shelf").unique
    with pytest.warns(DeprecationWarning, match="create_unique_index"):
        field = fields.ManyToManyField("models.Shelf", create_unique_index=False, unique=True)
    assert field.unique is False and field.create_unique_index is False


def test_timezone_cache_can_be_reset(monkeypatch):
    from tortoise import timezone

    before = timezone.get_timezone()
    monkeypatch.setenv("TIMEZONE", "Asia/Tokyo")
    assert timezone.get_timezone() == before  # cached
    timezone._reset_timezone_cache()
    assert timezone.get_timezone() == "Asia/Tokyo"
    monkeypatch.setenv("TIMEZONE", before)
    timezone._reset_timezone_cache()
    assert timezone.get_timezone() == before


async def test_time_fields_stamp_auto_now_and_auto_now_add(other_orm):
    await other_orm.init_models(COMPAT)
    shift = await compat_models.Shift.create(name="early")
    assert isinstance(shift.started, datetime.time) and isinstance(shift.touched, datetime.time)
    started = shift.started
    shift.touched = datetime.time(0, 0)
    shift.name = "late"
    await shift.save()
    stored = await compat_models.Shift.get(pk=shift.pk)
    assert stored.started == started  # auto_now_add: set once
    assert stored.touched != datetime.time(0, 0)  # auto_now: set on every save
    with pytest.raises(ConfigurationError, match="You can choose only 'auto_now' or 'auto_now_add'"):
        from tortoise import fields

        fields.TimeField(auto_now=True, auto_now_add=True)


async def test_assigning_an_unsaved_related_object_says_to_save_it(other_orm):
    await other_orm.init_models(COMPAT)
    unsaved = compat_models.Label(name="new")  # its UUID key exists before it is saved
    with pytest.raises(Exception, match=r"You should first call \.save\(\)"):
        compat_models.Title(name="t", publisher=compat_models.Publisher(name="p"))
    card = await compat_models.Card.create()
    with pytest.raises(Exception, match=r"You should first call \.save\(\) on"):
        await card.labels.add(unsaved)


def test_relation_targets_are_app_dot_model():
    from tortoise import fields

    for target in ("Shelf", "models.sub.Shelf"):
        with pytest.raises(ConfigurationError, match='ForeignKeyField accepts model name in format "app.Model"'):
            fields.ForeignKeyField(target)


async def test_to_field_must_be_unique(other_orm):
    from tortoise import fields
    from tortoise.models import Model

    class Loose(Model):
        shelf = fields.ForeignKeyField("models.Shelf", to_field="name")

        class Meta:
            table = "compat_loose"

    module = type(compat_models)("compat_loose_models")
    module.Loose, module.Shelf = Loose, compat_models.Shelf
    Loose.__module__ = module.__name__
    with pytest.raises(ConfigurationError, match='field "name" in model "Shelf" is not unique'):
        await Tortoise.init(db_url="sqlite://:memory:", modules={"models": [module]})


class _ReadRouter:
    def db_for_read(self, model):
        return None


async def test_context_routers_are_resolved_classes_and_bad_ones_are_refused():
    path = f"{__name__}._ReadRouter"
    async with TortoiseContext() as ctx:
        await ctx.init(db_url="sqlite://:memory:", modules={"models": [COMPAT]}, routers=[path])
        assert ctx.routers == [_ReadRouter]
    for bad, phrase in (("no_such_module_x.Router", "Can't import router"), (123, "Router must be either str or type")):
        async with TortoiseContext() as ctx:
            with pytest.raises(ConfigurationError, match=phrase):
                await ctx.init(db_url="sqlite://:memory:", modules={"models": [COMPAT]}, routers=[bad])


async def test_uninitialised_contexts_refuse_schema_work():
    async with TortoiseContext() as ctx:
        with pytest.raises(ConfigurationError, match="Context not initialized"):
            await ctx.generate_schemas()
        with pytest.raises(ConfigurationError, match="before deleting schemas"):
            await ctx._drop_databases()
    with pytest.raises(ConfigurationError, match="Cannot specify both 'config' and 'config_file'"):
        await TortoiseContext().init(config={"connections": {}, "apps": {}}, config_file="x.json")


def test_a_plain_id_field_needs_an_explicit_primary_key():
    from tortoise import fields
    from tortoise.models import Model

    with pytest.raises(ConfigurationError, match="without explicit primary key if field 'id' already present"):

        class NoKey(Model):
            id = fields.IntField()


def test_pk_is_the_deprecated_spelling_of_primary_key():
    from tortoise import fields

    with pytest.warns(DeprecationWarning, match="`pk` is deprecated, please use `primary_key`"):
        assert fields.IntField(pk=True).pk
    with pytest.raises(ConfigurationError, match="primary_key and pk"):
        fields.IntField(pk=True, primary_key=False)
    with pytest.warns(DeprecationWarning, match="TextField as a PrimaryKey is Deprecated"):
        fields.TextField(primary_key=True)


async def test_relation_managers_create_related_objects(other_orm):
    await other_orm.init_models(COMPAT)
    from tests.compat_models import Card, Publisher

    acme = await Publisher.create(name="acme")
    dune = await acme.titles.create(name="dune")
    assert dune.publisher_id == acme.pk
    assert await acme.titles.all().values_list("name", flat=True) == ["dune"]
    card = await Card.create()
    red = await card.labels.create(name="red")
    assert [label.pk for label in await card.labels.all()] == [red.pk]
    with pytest.raises(Exception, match="hasn't been instanced"):
        await Publisher(name="unsaved").titles.create(name="x")


async def test_values_refuses_a_relation_itself(other_orm):
    await other_orm.init_models(COMPAT)
    from tests.compat_models import Publisher, Title

    acme = await Publisher.create(name="acme")
    await Title.create(name="dune", publisher=acme)
    for model, method, names in ((Title, "values", ("name", "publisher")), (Publisher, "values_list", ("titles",)),
                                 (Publisher, "values", ("title",))):
        with pytest.raises(ValueError, match='Selecting relation ".*" is not possible'):
            await getattr(model.all(), method)(*names)
    assert await Title.all().values("name", "publisher__name") == [{"name": "dune", "publisher__name": "acme"}]
    assert await Title.all().values_list("publisher_id", flat=True) == [acme.pk]


async def test_a_model_indexed_by_primary_key(other_orm):
    await other_orm.init_models(COMPAT)
    from tortoise.exceptions import ObjectDoesNotExistError

    shelf = await compat_models.Shelf.create(name="top")
    assert (await compat_models.Shelf[shelf.pk]).name == "top"
    with pytest.raises(ObjectDoesNotExistError) as info:
        await compat_models.Shelf[shelf.pk + 100]
    assert isinstance(info.value, KeyError) and info.value.pk_val == shelf.pk + 100


def test_meta_column_views_have_tortoise_shapes():
    """Libraries (Unfazed's serializer) read these: column names and name↔column maps, not Fields."""
    from tests.testmodels import Article, Renamed

    assert Article._meta.db_fields == {"id", "title", "body", "views", "author_id"}
    assert Renamed._meta.db_fields == {"id", "display_name", "rank_col", "legacy_col"}
    assert Renamed._meta.fields_db_projection == {
        "id": "id", "name": "display_name", "rank": "rank_col", "legacy": "legacy_col"
    }
    assert Renamed._meta.fields_db_projection_reverse["rank_col"] == "rank"
    assert Article._meta.fetch_fields == {"author"} and Article._meta.fk_fields == {"author"}
    assert Article._meta.fields >= {"id", "title", "author", "author_id"}
    assert Article._meta.db_pk_column == "id" and Article._meta.pk_attr == "id"
    assert Article._meta._model is Article


async def test_a_backward_one_to_one_prefetched_into_an_attribute_is_one_object(other_orm):
    from tortoise.query_utils import Prefetch

    await other_orm.init_models(COMPAT)
    acme = await compat_models.Publisher.create(name="acme")
    badge = await compat_models.Badge.create(owner=acme)
    got = await compat_models.Publisher.filter(pk=acme.pk).prefetch_related(
        Prefetch("badge", compat_models.Badge.all(), to_attr="the_badge")
    ).first()
    assert got.the_badge.pk == badge.pk


async def test_init_refuses_an_engine_that_is_not_installed_and_create_without_connecting():
    config = {
        "connections": {"default": {"engine": "tortoise.backends.nowhere", "credentials": {"file_path": ":memory:"}}},
        "apps": {"models": {"models": [COMPAT], "default_connection": "default"}},
    }
    async with TortoiseContext() as ctx:
        with pytest.raises(ImportError, match="tortoise.backends.nowhere"):
            await ctx.init(config=config)
        with pytest.raises(ConfigurationError, match="does not implement db client"):
            await ctx.init(config={**config, "connections": {"default": {"engine": "tortoise.backends", "credentials": {}}}})
        with pytest.raises(ConfigurationError, match="init_connections=False cannot be used with _create_db=True"):
            await ctx.init(db_url="sqlite://:memory:", modules={"models": [COMPAT]}, _create_db=True, init_connections=False)


def test_init_models_wires_relations_without_a_database():
    async def run() -> None:
        async with TortoiseContext():
            Tortoise.init_models([COMPAT], "models")
            assert Tortoise.apps["models"]["Title"] is compat_models.Title
            assert compat_models.Title._meta.fields_map["publisher"].related_model is compat_models.Publisher
            assert "titles" in compat_models.Publisher._meta.backward_fk_fields

    import asyncio

    asyncio.run(run())


async def test_a_one_to_one_primary_key_is_the_tables_primary_key(other_orm):
    """As in Tortoise: the one-to-one's column is the PRIMARY KEY, not a unique column."""
    from tortoise.sql.introspection import describe_table

    await other_orm.init_models(COMPAT)
    table = await describe_table(connections.get("default"), "compat_badge")
    owner = next(c for c in table["columns"] if c["name"] == "owner_id")
    assert owner["pk"] and not owner["auto"] and not owner["null"]


async def test_text_that_is_not_json_is_a_field_error_and_a_validation_error():
    """Tortoise raises FieldError for it; ValidationError keeps our callers working."""
    from tortoise.exceptions import FieldError, ValidationError

    from tests.testmodels import NullableFields

    with pytest.raises(FieldError, match=r"NullableFields.json_f: .* is not valid JSON"):
        await NullableFields.create(json_f='{"some": ')
    row = await NullableFields.create(json_f='{"some": [1]}')
    with pytest.raises(ValidationError, match="is not valid JSON"):
        await NullableFields.filter(pk=row.pk).update(json_f="nope")
    assert (await NullableFields.get(pk=row.pk)).json_f == {"some": [1]}


def test_a_text_primary_key_is_warned_about_before_a_contradicting_pk_is_refused():
    from tortoise.fields import TextField

    with pytest.raises(ConfigurationError), pytest.warns(DeprecationWarning, match="TextField as a PrimaryKey"):
        TextField(pk=True, primary_key=False)
