"""The table of applied native migrations, named and shaped as Tortoise 1.x's:
``tortoise_migrations`` (id, app, name, applied_at), unique per (app, name)."""
from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.migrations.recorder import Recorder
from tortoise.migrations.state import model_table
from tortoise.models import Model

TABLE = "tortoise_migrations"


class MigrationRecord(Model):
    id = fields.IntField(primary_key=True)
    app = fields.CharField(max_length=255)
    name = fields.CharField(max_length=255)
    applied_at = fields.DatetimeField()

    class Meta:
        table = TABLE
        app = "_migrations"
        unique_together = (("app", "name"),)


def native_recorder(client: Any) -> Recorder:
    return Recorder(client, model_table(MigrationRecord), version="name", content=None)
