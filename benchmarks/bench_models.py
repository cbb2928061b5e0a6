"""The benchmark models: a typical application row, twice (a read table and a write table).

Written against the public Tortoise ORM API only, so the same module serves Aldabra and
(from a separate virtualenv) real Tortoise ORM.  The tables are created by ``run.py``
with explicit DDL; nothing here calls ``generate_schemas``.
"""
from tortoise import fields
from tortoise.models import Model


class BenchBase(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
    email = fields.CharField(max_length=100)
    level = fields.IntField()
    created_at = fields.DatetimeField()
    active = fields.BooleanField()
    price = fields.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        abstract = True


class BenchItem(BenchBase):
    """Read fixture: ``plan.rows`` rows with ids 1..rows, loaded once per database."""

    class Meta:
        table = "bench_item"


class BenchWrite(BenchBase):
    """Inserted into, updated and deleted from by the write operations."""

    class Meta:
        table = "bench_write"
