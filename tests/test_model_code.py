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
