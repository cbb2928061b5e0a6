"""The model recording applied migrations: list ``"aerich.models"`` in an app's modules."""
from tortoise import fields
from tortoise.models import Model

MAX_VERSION_LENGTH = 255
MAX_APP_LENGTH = 100


class Aerich(Model):
    version = fields.CharField(max_length=MAX_VERSION_LENGTH)
    app = fields.CharField(max_length=MAX_APP_LENGTH)
    content: dict = fields.JSONField()

    class Meta:
        ordering = ["-id"]
        table = "aerich"
