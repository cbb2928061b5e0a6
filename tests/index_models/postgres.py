from tortoise import fields
from tortoise.contrib.postgres.indexes import HashIndex
from tortoise.models import Model


class Token(Model):
    value = fields.CharField(max_length=40)

    class Meta:
        table = "ix_token"
        indexes = [HashIndex(fields=["value"], name="ix_token_hash")]
