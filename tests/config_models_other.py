"""A second app for the multi-connection configuration test."""
from tortoise import fields
from tortoise.models import Model


class Gizmo(Model):
    label = fields.CharField(max_length=50)

    class Meta:
        table = "cfg_gizmo"
