from tortoise import fields
from tortoise.contrib.mysql.indexes import FullTextIndex
from tortoise.models import Model


class Note(Model):
    body = fields.CharField(max_length=200)

    class Meta:
        table = "ix_note"
        indexes = [FullTextIndex(fields=["body"], name="ix_note_body_ft")]
