"""A models module with an explicit __models__ list: only the listed models are registered."""
from tortoise import fields
from tortoise.models import Model


class Listed(Model):
    name = fields.CharField(max_length=20)

    class Meta:
        table = "dm_listed"


class Unlisted(Model):
    name = fields.CharField(max_length=20)

    class Meta:
        table = "dm_unlisted"


__models__ = [Listed]
