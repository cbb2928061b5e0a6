"""A tiny model module for the configuration tests (kept apart from testmodels)."""
from tortoise import fields
from tortoise.models import Model


class Widget(Model):
    name = fields.CharField(max_length=50)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cfg_widget"
