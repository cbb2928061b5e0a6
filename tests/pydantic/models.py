"""Models for the pydantic tests: a tournament league with every kind of relation."""
from __future__ import annotations

import uuid
from decimal import Decimal
from enum import Enum, IntEnum

from tortoise import fields
from tortoise.models import Model


class Level(IntEnum):
    AMATEUR = 1
    PRO = 2


class Surface(str, Enum):
    GRASS = "grass"
    CLAY = "clay"


class Stamped(Model):
    created_at = fields.DatetimeField(auto_now_add=True)
    modified_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class Tournament(Stamped):
    """A competition made of events."""

    id = fields.IntField(primary_key=True)
    #: The name people know it by
    name = fields.CharField(max_length=100)
    prize = fields.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    level = fields.IntEnumField(Level, default=Level.AMATEUR)

    events: fields.ReverseRelation["Event"]

    def name_length(self) -> int:
        """Number of characters of the name.

        Spaces count too."""
        return len(self.name)

    class PydanticMeta:
        computed = ("name_length",)


class Venue(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    city = fields.CharField(max_length=50, description="Where it takes place")
    surface = fields.CharEnumField(Surface)
    details = fields.JSONField(null=True)


class Event(Stamped):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    #: The tournament it is part of
    #: (one tournament has many events)
    tournament = fields.ForeignKeyField("models.Tournament", related_name="events")
    venue = fields.ForeignKeyField("models.Venue", related_name="events", null=True)
    participants = fields.ManyToManyField("models.Team", related_name="events")
    starts_at = fields.DatetimeField(null=True)

    @property
    def label(self) -> str:
        """The name and when it starts."""
        return f"{self.name} ({self.starts_at or 'unscheduled'})"


class Team(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50, unique=True)
    secret = fields.CharField(max_length=50, default="")

    class PydanticMeta:
        exclude = ("secret",)
        backward_relations = False


class Player(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
    team = fields.ForeignKeyField("models.Team", related_name="players")


class Address(Model):
    id = fields.IntField(primary_key=True)
    street = fields.CharField(max_length=100)
    team = fields.OneToOneField("models.Team", related_name="address")


class Employee(Model):
    """A self-referencing tree: managers and their reports."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
    manager = fields.ForeignKeyField("models.Employee", related_name="reports", null=True)

    class PydanticMeta:
        allow_cycles = True
        max_recursion = 2
        exclude_raw_fields = False
        sort_alphabetically = True
        model_config = {"title": "Staff"}


class Badge(Model):
    """Keyed by its team: the O2O is the primary key."""

    team = fields.OneToOneField("models.Team", primary_key=True, related_name="badge")
    label = fields.CharField(max_length=20)


DELETE_ORDER = [Player, Address, Badge, Event, Team, Venue, Tournament, Employee]
