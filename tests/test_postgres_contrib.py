"""contrib.postgres on PostgreSQL (asyncpg and psycopg): array lookups, generated tsvectors."""
from __future__ import annotations

import pytest

from tests.conftest import TEST_DIALECT
from tortoise.exceptions import FieldError, ValidationError

pytestmark = pytest.mark.skipif(TEST_DIALECT != "postgres", reason="PostgreSQL columns")


@pytest.fixture
async def pg(other_orm):
    await other_orm.init_models("tests.postgres_models")
    from tests import postgres_models

    return postgres_models


async def _ids(query) -> list[int]:
    return list(await query.order_by("id").values_list("id", flat=True))


async def test_array_containment_overlap_and_length(pg):
    Tagged = pg.Tagged
    a = await Tagged.create(numbers=[1, 2, 3], small=[1, 2, 3], letters=["a", "b", "c"])
    b = await Tagged.create(numbers=[2, 3], small=[7], letters=["a"])
    c = await Tagged.create(numbers=[], letters=["x", "y"])
    for _ in range(2):  # the second run takes the statement cache's path
        assert await _ids(Tagged.filter(numbers__contains=[2])) == [a.id, b.id]
        assert await _ids(Tagged.filter(numbers__contains=[2, 9])) == []
        assert await _ids(Tagged.filter(small__contains=[2])) == [a.id]
        assert await _ids(Tagged.filter(letters__contains=["a", "b"])) == [a.id]
        assert await _ids(Tagged.filter(numbers__contained_by=[1, 2, 3])) == [a.id, b.id, c.id]
        assert await _ids(Tagged.filter(numbers__contained_by=[2, 3, 4])) == [b.id, c.id]
        assert await _ids(Tagged.filter(letters__contained_by=["a", "b", "c", "d"])) == [a.id, b.id]
        assert await _ids(Tagged.filter(numbers__overlap=[1, 9])) == [a.id]
        assert await _ids(Tagged.filter(letters__overlap=["c", "y"])) == [a.id, c.id]
        assert await _ids(Tagged.filter(numbers__len=2)) == [b.id]
        assert await _ids(Tagged.filter(numbers__len=0)) == [c.id]


async def test_array_lookups_are_refused_on_other_fields_and_values(pg):
    with pytest.raises(FieldError, match="'overlap' needs an ArrayField"):
        await pg.Article.filter(title__overlap=["a"])
    with pytest.raises(FieldError, match="'len' needs an ArrayField"):
        await pg.Article.filter(title__len=1)
    for _ in range(2):
        with pytest.raises(ValidationError, match="Tagged.numbers takes a list of int, not '12'"):
            await pg.Tagged.filter(numbers__contains="12")


async def test_generated_tsvector_is_computed_by_the_database(pg):
    Article = pg.Article
    article = await Article.create(title="Tortoise ORM", body="Async Python ORM")
    assert "'tortois':1A" in article.document  # read back after the insert, weighted A
    assert "'python':4B" in article.document

    article.body = "Fast rabbits"
    await article.save()  # the generated column is never written
    await article.refresh_from_db()
    assert "'rabbit':4B" in article.document and "python" not in article.document

    await Article.bulk_create([Article(title="Second", body=None)])
    assert await Article.get(title="Second").values_list("document", flat=True) == "'second':1A"


def test_generated_tsvector_declarations_are_checked():
    from tortoise.contrib.postgres.fields import TSVectorField
    from tortoise.exceptions import ConfigurationError

    assert not TSVectorField().generated and TSVectorField(source_fields="title").generated
    with pytest.raises(ConfigurationError, match="one weight per source field"):
        TSVectorField(source_fields=("title", "body"), weights=("A",))
    with pytest.raises(ConfigurationError, match="generated=True must match stored=False"):
        TSVectorField(source_fields="title", stored=False, generated=True)
