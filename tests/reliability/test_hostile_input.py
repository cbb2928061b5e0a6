"""Hostile values and identifiers on every database: values are bound and matched
literally (LIKE wildcards and escapes included), identifiers that name no field are
refused, and a NUL byte is refused or kept — never truncated."""
from __future__ import annotations

import pytest

from tests.conftest import dialect
from tests.testmodels import Item
from tortoise.exceptions import BaseORMException, FieldError, ValidationError
from tortoise.functions import Count, Upper

pytestmark = pytest.mark.usefixtures("_clean_db")  # the main ORM, emptied per test

HOSTILE = [
    "'", "''", '"', "`", "'; DROP TABLE item; --", '"; DROP TABLE item; --',
    "%", "_", "\\", "\\\\", "\\%", "\\_", "a%b", "a_b", "%_\\", "[", "]", "[a-z]", "*", "?",
    "$1", "%s", ":name", "{}", "\n", "\t", "NULL", "é", "ß", "İ", "🐢", "\u202e", "ﬁ", "\ufeff",
]
DECOYS = ["<>", "<a>", "<aXb>", "<aXYb>", "<ab>", "<x\\y>"]
LOOKUPS = {
    "exact": lambda name, v: name == f"<{v}>",
    "contains": lambda name, v: v in name,
    "startswith": lambda name, v: name.startswith(f"<{v}"),
    "endswith": lambda name, v: name.endswith(f"{v}>"),
}
ILOOKUPS = {
    "iexact": lambda name, v: name.lower() == f"<{v}>".lower(),
    "icontains": lambda name, v: v.lower() in name.lower(),
    "istartswith": lambda name, v: name.lower().startswith(f"<{v}".lower()),
    "iendswith": lambda name, v: name.lower().endswith(f"{v}>".lower()),
}


def operand(lookup: str, value: str) -> str:
    return {"exact": f"<{value}>", "iexact": f"<{value}>", "startswith": f"<{value}",
            "istartswith": f"<{value}", "endswith": f"{value}>", "iendswith": f"{value}>"}.get(lookup, value)


@pytest.fixture
async def stored() -> list[str]:
    names = [f"<{v}>" for v in HOSTILE] + DECOYS
    await Item.bulk_create([Item(name=name) for name in names])
    return names


async def matching(**where: str) -> list[str]:
    return sorted(await Item.filter(**where).values_list("name", flat=True))


async def test_values_round_trip_unchanged(stored):
    assert sorted(await Item.all().values_list("name", flat=True)) == sorted(stored)


@pytest.mark.parametrize("lookup", sorted(LOOKUPS))
async def test_text_lookups_match_hostile_values_literally(stored, lookup):
    for value in HOSTILE:
        expected = sorted(n for n in stored if LOOKUPS[lookup](n, value))
        assert await matching(**{f"name__{lookup}": operand(lookup, value)}) == expected, value


@pytest.mark.parametrize("lookup", sorted(ILOOKUPS))
async def test_case_insensitive_lookups_escape_wildcards(stored, lookup):
    for value in HOSTILE:
        found = await matching(**{f"name__{lookup}": operand(lookup, value)})
        if value.isascii():
            assert found == sorted(n for n in stored if ILOOKUPS[lookup](n, value)), value
        else:  # case folding of non-ASCII letters differs between databases
            assert f"<{value}>" in found, value


async def test_in_and_not_with_hostile_values(stored):
    chosen = [f"<{v}>" for v in HOSTILE[:10]]
    assert await matching(name__in=chosen) == sorted(chosen)
    rest = sorted(set(stored) - set(chosen))
    assert await matching(name__not_in=chosen) == rest
    assert sorted(await Item.exclude(name__in=chosen).values_list("name", flat=True)) == rest


async def test_hostile_values_in_updates_and_functions(stored):
    for value in ("'; DROP TABLE item; --", "%_\\", "🐢"):
        await Item.filter(name=f"<{value}>").update(note=value, category="x")
        assert await Item.filter(note=value).values_list("name", flat=True) == [f"<{value}>"]
    annotated = await Item.annotate(up=Upper("name")).filter(name="<a%b>").values_list("up", flat=True)
    assert annotated == ["<A%B>"]
    assert await Item.all().count() == len(stored)  # nothing was dropped


async def test_nul_byte_is_refused_or_kept_whole():
    try:
        item = await Item.create(name="a\x00b")
    except BaseORMException as exc:  # PostgreSQL text cannot hold NUL
        assert "0x00" in str(exc) or "NUL" in str(exc).upper()
        assert await Item.all().count() == 0
        return
    assert (await Item.get(id=item.id)).name == "a\x00b"
    assert await matching(name="a\x00b") == ["a\x00b"]
    assert await matching(name="a") == []
    assert await matching(name__contains="\x00b") == ["a\x00b"]


async def test_lone_surrogate_is_refused():
    """Not encodable as UTF-8: refused before anything is stored."""
    with pytest.raises((BaseORMException, ValueError)):
        await Item.create(name="a\ud800b")
    assert await Item.all().count() == 0


async def test_huge_strings_are_bound_not_inlined():
    huge = "'%_\\\"" * 100_000  # 500,000 characters of quotes and wildcards
    item = await Item.create(name="huge", note=huge)
    assert (await Item.get(id=item.id)).note == huge
    assert await Item.filter(note=huge).count() == 1
    assert await Item.filter(note__contains=huge[:10_000]).count() == 1
    # (SQLite refuses LIKE/GLOB patterns over 50,000 bytes)
    assert await Item.filter(note__contains=huge[:20_000] + "x").count() == 0


@pytest.mark.parametrize(
    "where",
    [{"qty": "abc"}, {"qty": [1]}, {"qty": object()}, {"happened_at": "not a date"},
     {"price": "12,5"}, {"name": object()}, {"qty__in": "abc"}, {"qty__gt": {"a": 1}}],
    ids=repr,
)
async def test_wrong_types_fail_early_naming_the_field(where):
    field = next(iter(where)).split("__")[0]
    with pytest.raises((ValidationError, FieldError, ValueError, TypeError)) as info:
        await Item.filter(**where).count()
    assert field in str(info.value)


HOSTILE_NAMES = ["name; DROP TABLE item", 'name" --', "name` --", "id) FROM item --", "name'", "1", "*",
                 "name--", "name,qty", "-", "", " name", "name ", "NAME", "__name", "name__", "nàme"]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=repr)
async def test_hostile_identifiers_are_refused(name):
    await Item.create(name="kept")
    attempts = [
        lambda: Item.all().order_by(name),
        lambda: Item.all().values(name),
        lambda: Item.all().values_list(name),
        lambda: Item.all().only(name),
        lambda: Item.annotate(c=Count("id")).group_by(name).values("c"),
        lambda: Item.annotate(c=Count(name)).values("c"),
        lambda: Item.filter(**{name: "x"}),
    ]
    for attempt in attempts:
        with pytest.raises(FieldError):
            await attempt()
    assert await Item.all().values_list("name", flat=True) == ["kept"]


@pytest.mark.parametrize("alias", ['x"; DROP TABLE item; --', "x`; DROP TABLE item; --", "x'", "🐢"], ids=repr)
async def test_annotation_names_are_quoted_identifiers(alias):
    await Item.create(name="kept")
    assert await Item.annotate(**{alias: Count("id")}).values(alias) == [{alias: 1}]
    assert await Item.all().count() == 1


async def test_like_escapes_on_this_database():
    """The three LIKE metacharacters and the case-sensitive GLOB ones of SQLite."""
    await Item.bulk_create([Item(name=n) for n in ("100%", "100x", "a_b", "axb", "c\\d", "cd", "e*f", "eXf", "[g]", "g")])
    assert await matching(name__endswith="%") == ["100%"]
    assert await matching(name__contains="_") == ["a_b"]
    assert await matching(name__contains="\\") == ["c\\d"]
    assert await matching(name__icontains="\\D") == ["c\\d"]
    assert await matching(name__contains="*") == ["e*f"]
    assert await matching(name__startswith="[g") == ["[g]"]
    assert dialect() in ("sqlite", "postgres", "mysql")
