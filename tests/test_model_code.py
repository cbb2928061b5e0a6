"""Generated per-model functions: their source is visible, and they behave like the plain
loops they stand for (compared with generation switched off)."""
from __future__ import annotations

import datetime
import inspect
import traceback
from decimal import Decimal

import pytest

from tortoise import model_code
from tortoise.exceptions import IntegrityError

from tests.testmodels import Author, Item


def _rebuilt(generate: bool):
    """Models rebuilt with generation on or off for the test, then as they were."""
    before = model_code.GENERATE
    model_code.set_generation(generate)
    try:
        for model in (Item, Author):
            model._meta.finalise_columns()
        yield
    finally:
        model_code.set_generation(before)
        for model in (Item, Author):
            model._meta.finalise_columns()


@pytest.fixture
def plain_code():
    yield from _rebuilt(False)


@pytest.fixture
def generated_code():
    yield from _rebuilt(True)


def _makers():
    meta = Item._meta
    dialect = Item._meta.db.dialect
    fields = tuple(meta.data_fields)
    return (
        meta.hydrator(dialect, fields),
        model_code.make_row_encoder(fields, dialect),
        model_code.make_row_maker(["name", "qty"], [None, None], as_tuples=False, flat=False),
    )


KWARGS = dict(name="n", qty="7", price="1.5", happened_at=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))


def _behaviour():
    hydrate, encode, make = _makers()
    made = Item(**KWARGS)
    row = [1, *encode(Item(**KWARGS))[: len(Item._meta.data_fields) - 1]]
    missing = Item(name="x")
    missing.name = None
    with pytest.raises(IntegrityError) as refused:
        encode(missing)
    return (
        {k: v for k, v in made.__dict__.items() if not k.startswith("_")},
        encode(made),
        hydrate(row).__dict__,
        make(("a", 3)),
        str(refused.value),
    )


def test_generated_source_is_shown_by_inspect(generated_code):
    hydrate, encode, make = _makers()
    assert "def hydrate(row):" in inspect.getsource(hydrate)
    assert "def encode(obj):" in inspect.getsource(encode)
    assert "def make(row):" in inspect.getsource(make)
    assert "def __init__(" in inspect.getsource(Item._meta._initialize)


def test_tracebacks_through_generated_code_show_its_lines(generated_code):
    hydrate = Item._meta.hydrator(Item._meta.db.dialect, tuple(Item._meta.data_fields))
    try:
        hydrate([1])  # too short a row: fails inside the generated function
    except ValueError:
        text = traceback.format_exc()
    assert "<aldabra hydrate Item" in text and "= row" in text


def test_generated_and_plain_functions_behave_alike(generated_code):
    generated = _behaviour()
    for _ in _rebuilt(False):
        plain = _behaviour()
        hydrate, encode, make = _makers()
        assert "<aldabra" not in inspect.getsourcefile(hydrate)  # really the plain loops
    assert generated == plain
    assert generated[0]["price"] == Decimal("1.50") and generated[0]["qty"] == 7


async def test_queries_with_plain_code(plain_code):
    await Item.create(**KWARGS)
    obj = await Item.get(name="n")
    assert (obj.qty, obj.price, obj.happened_at) == (7, Decimal("1.50"), KWARGS["happened_at"])
    assert await Item.filter(qty=7).values("name", "qty") == [{"name": "n", "qty": 7}]
    await Author.create(username="u", password_hash="h")
    assert (await Author.get(username="u")).is_active is True


def test_long_results_are_built_with_the_collector_paused_and_resumed():
    import gc

    seen = []
    n = model_code.GC_PAUSE_ROWS
    assert model_code.build_all(lambda row: seen.append(gc.isenabled()) or row, list(range(n))) == list(range(n))
    assert seen == [False] * n and gc.isenabled()
    seen.clear()
    model_code.build_all(lambda row: seen.append(gc.isenabled()), [1, 2])
    assert seen == [True, True]

    def fail(row):
        raise ValueError(row)

    with pytest.raises(ValueError):
        model_code.build_all(fail, list(range(n)))
    assert gc.isenabled()


async def test_long_results_hydrate_alike(generated_code):
    await Item.bulk_create([Item(name=f"i{i:04d}", qty=i) for i in range(model_code.GC_PAUSE_ROWS + 5)])
    objs = await Item.all().order_by("qty")
    assert [(o.name, o.qty) for o in objs[:2]] == [("i0000", 0), ("i0001", 1)] and len(objs) == model_code.GC_PAUSE_ROWS + 5
    assert len(await Item.all().values("name")) == model_code.GC_PAUSE_ROWS + 5


def _outcome(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # the same error either way
        return type(exc), str(exc)


def test_statement_binders_send_what_the_plain_plan_sends():
    from tortoise.sql.cache import PlanContext, Slot, bind_plan

    dialect = Item._meta.db.dialect
    fields = [Item._meta.fields_map[n] for n in ("name", "qty", "price")]
    context = PlanContext(dialect)
    plan = (*(context.encode(f, Slot(i)) for i, f in enumerate(fields)), (3, None, None))
    binder = model_code.make_binder(plan)
    assert "def bind(leaves):" in inspect.getsource(binder)
    too_long = "x" * (fields[0].max_length + 1)
    for leaves in (["n", 7, Decimal("1.5"), 3], ["n", "7", "1.5", 3], [too_long, 7, Decimal("2"), 0], [7, True, 2, 1]):
        assert _outcome(binder, leaves) == _outcome(bind_plan, plan, leaves)


# --- datetimes written out in the generated row makers ------------------------------------
_UTC = datetime.timezone.utc
_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
#: datetimes as each driver may return them: the common case first, then what takes the
#: decoder's other paths (other offsets, naive values, text to coerce, timestamps)
_DRIVER_DATETIMES = {
    "sqlite": [
        "2024-03-01 12:30:15.123456+00:00", "2024-03-01 12:30:15", "2024-03-01T14:30:15+02:00",
        " 2024-03-01 12:30:15+00:00 ", 1709296215, "2024-03-01",
    ],
    "postgres": [
        datetime.datetime(2024, 3, 1, 12, 30, 15, 123456, tzinfo=_UTC), datetime.datetime(2024, 3, 1, 14, 30, tzinfo=_PLUS_2),
        datetime.datetime(2024, 3, 1, 12, 30), datetime.date(2024, 3, 1),
    ],
    "mysql": [datetime.datetime(2024, 3, 1, 12, 30, 15, 123456), datetime.datetime(2024, 3, 1, 12, 30, tzinfo=_UTC)],
}


@pytest.fixture
def time_zone_settings():
    """``timezone.configure`` for the test; the settings as they were afterwards."""
    import os

    from tortoise import timezone

    saved = {key: os.environ.get(key) for key in ("USE_TZ", "TIMEZONE")}
    yield timezone.configure
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    timezone.configure()


@pytest.mark.parametrize("dialect_name", sorted(_DRIVER_DATETIMES))
def test_datetimes_read_by_generated_row_makers_as_by_their_decoder(dialect_name, time_zone_settings, generated_code):
    from tortoise.fields.data import DatetimeField
    from tortoise.sql.dialects import dialect_named

    field = DatetimeField(null=True)
    field.model_field_name = "at"
    decode = dialect_named(dialect_name).decoder(field)
    make = model_code.make_row_maker(["n", "at"], [None, decode], as_tuples=True, flat=False)
    rows = [(i, value) for i, value in enumerate(_DRIVER_DATETIMES[dialect_name])] + [(9, None)]
    expected_none = (9, None)
    for use_tz, zone in ((True, "UTC"), (True, "Asia/Shanghai"), (False, "Europe/Paris"), (True, "UTC")):
        time_zone_settings(use_tz=use_tz, timezone=zone)
        for _ in range(2):  # the first value read under new settings reads them
            made = [make(row) for row in rows]
            assert [repr(row) for row in made[:-1]] == [repr((i, decode(value))) for i, value in rows[:-1]]
            assert made[-1] == expected_none


@pytest.mark.parametrize("dialect_name", sorted(_DRIVER_DATETIMES))
def test_generated_row_makers_read_datetimes_of_the_default_settings_without_calling_the_decoder(
    dialect_name, time_zone_settings, generated_code
):
    from tortoise.fields.data import DatetimeField
    from tortoise.sql.dialects import dialect_named

    field = DatetimeField()
    field.model_field_name = "at"
    make = model_code.make_row_maker(["at"], [dialect_named(dialect_name).decoder(field)], as_tuples=False, flat=True)
    decode, calls = make.__globals__["d0"], []
    make.__globals__["d0"] = lambda value: calls.append(value) or decode(value)
    time_zone_settings(use_tz=True, timezone="UTC")
    value = _DRIVER_DATETIMES[dialect_name][0]
    first = make((value,))  # the first read after a settings change reads them
    calls.clear()
    again = make((value,))
    assert calls == []
    assert first == again and again.tzinfo.key == "UTC" and type(again.tzinfo).__module__ == "tortoise.timezone"
    time_zone_settings(timezone="Asia/Shanghai")
    assert make((value,)).hour == 20
