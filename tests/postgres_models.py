"""Models with PostgreSQL-only columns (contrib.postgres), for tests/test_postgres_contrib.py."""
from tortoise import fields
from tortoise.contrib.postgres.fields import ArrayField, TSVectorField
from tortoise.models import Model


class Tagged(Model):
    id = fields.IntField(primary_key=True)
    numbers = ArrayField()
    small = ArrayField(element_type="smallint", null=True)
    letters = ArrayField(element_type="varchar(3)", null=True)


class Article(Model):
    id = fields.IntField(primary_key=True)
    title = fields.TextField()
    body = fields.TextField(null=True)
    document = TSVectorField(source_fields=("title", "body"), config="english", weights=("A", "B"))
