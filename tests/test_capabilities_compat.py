"""Tortoise's capability names, derived from the dialect, and the behaviour they promise."""
from __future__ import annotations

from tortoise.connection import connections
from tortoise.expressions import F

from tests.testmodels import NullableFields


def _capabilities():
    return connections.get("default").capabilities


async def test_every_dialect_reads_inside_json_and_matches_regexes():
    capabilities = _capabilities()
    assert capabilities.support_json_attributes is True
    assert capabilities.support_for_posix_regex_queries is True


async def test_f_reads_keys_and_array_elements_inside_a_json_field():
    row = await NullableFields.create(json_f={"name": "x", "inner": {"tags": ["a", "b"]}})
    await NullableFields.create(json_f={"name": "y", "inner": {"tags": ["c"]}})
    for wanted in ("x", "x"):  # the second run takes the statement cache's path
        found = await NullableFields.annotate(name=F("json_f__name")).filter(name=wanted).first()
        assert found.id == row.id and found.name == "x"
    nested = await NullableFields.annotate(tag=F("json_f__inner__tags__1")).filter(id=row.id).first()
    assert nested.tag == "b"
    missing = await NullableFields.annotate(tag=F("json_f__inner__tags__5")).filter(id=row.id).first()
    assert missing.tag is None


async def test_posix_regex_lookups_match_case_as_asked():
    await NullableFields.create(char_f="Johann Wolfgang von Goethe")
    await NullableFields.create(char_f=None)
    sensitive = await NullableFields.filter(char_f__posix_regex="^Johann [a-z]+ von").values_list("char_f", flat=True)
    assert sensitive == []
    assert await NullableFields.filter(char_f__posix_regex="^Johann [A-Za-z]+ von Goethe$").count() == 1
    assert await NullableFields.filter(char_f__iposix_regex="^johann [a-z]+ VON goethe$").count() == 1
