from tortoise import fields
from tortoise.indexes import Index, PartialIndex
from tortoise.models import Model


class Ticket(Model):
    code = fields.CharField(max_length=20)
    state = fields.CharField(max_length=10, null=True)

    class Meta:
        table = "ix_ticket"
        indexes = [Index(fields=["code"], name="ix_ticket_code_named"), PartialIndex(fields=["state"], condition={"state": "open"})]
