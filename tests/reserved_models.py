"""Table and column names that are SQL keywords: the dialect must quote identifiers."""
from tortoise import fields
from tortoise.models import Model


class Reserved(Model):
    order = fields.IntField()
    group = fields.CharField(max_length=20)
    select = fields.CharField(max_length=20, null=True, source_field="where")

    class Meta:
        table = "order"
