"""Models used by the test suite (registered as app "models" by tests/conftest.py)."""
from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model
from tortoise.validators import (
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    RegexValidator,
)


class Color(str, Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Priority(IntEnum):
    LOW = 1
    MID = 2
    HIGH = 3


def fresh_settings() -> dict:
    """A callable default: a new dict every time."""
    return {"theme": "dark", "tags": []}


# --- a small blog (FK declared, relations not exercised here) -----------------------------
class Author(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=50, unique=True)
    email = fields.CharField(max_length=100, null=True)
    password_hash = fields.CharField(max_length=128)
    age = fields.IntField(null=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "t_author"


class Article(Model):
    title = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    views = fields.IntField(default=0)
    author = fields.ForeignKeyField("models.Author", related_name="articles", null=True)

    class Meta:
        table = "t_article"
        ordering = ["-views", "id"]


# --- the general-purpose model of the queryset tests -------------------------------------------
class Item(Model):
    name = fields.CharField(max_length=100, index=True)
    category = fields.CharField(max_length=30, default="misc")
    qty = fields.IntField(default=0)
    price = fields.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    score = fields.FloatField(null=True)
    note = fields.TextField(null=True)
    happened_at = fields.DatetimeField(null=True)
    day = fields.DateField(null=True)

    class Meta:
        table = "t_item"
        indexes = [("category", "qty")]
        table_description = "Things the queryset tests query"


# --- every data field ------------------------------------------------------------------------
class AllFields(Model):
    id = fields.BigIntField(primary_key=True)
    int_f = fields.IntField()
    bigint_f = fields.BigIntField()
    smallint_f = fields.SmallIntField()
    float_f = fields.FloatField()
    decimal_f = fields.DecimalField(max_digits=12, decimal_places=4)
    bool_f = fields.BooleanField()
    char_f = fields.CharField(max_length=255)
    text_f = fields.TextField()
    uuid_f = fields.UUIDField()
    datetime_f = fields.DatetimeField()
    date_f = fields.DateField()
    time_f = fields.TimeField()
    timedelta_f = fields.TimeDeltaField()
    json_f = fields.JSONField()
    binary_f = fields.BinaryField()
    charenum_f = fields.CharEnumField(Color)
    intenum_f = fields.IntEnumField(Priority)

    class Meta:
        table = "t_all_fields"


class NullableFields(Model):
    int_f = fields.IntField(null=True)
    bigint_f = fields.BigIntField(null=True)
    smallint_f = fields.SmallIntField(null=True)
    float_f = fields.FloatField(null=True)
    decimal_f = fields.DecimalField(max_digits=12, decimal_places=4, null=True)
    bool_f = fields.BooleanField(null=True)
    char_f = fields.CharField(max_length=255, null=True)
    text_f = fields.TextField(null=True)
    uuid_f = fields.UUIDField(null=True)
    datetime_f = fields.DatetimeField(null=True)
    date_f = fields.DateField(null=True)
    time_f = fields.TimeField(null=True)
    timedelta_f = fields.TimeDeltaField(null=True)
    json_f = fields.JSONField(null=True)
    binary_f = fields.BinaryField(null=True)
    charenum_f = fields.CharEnumField(Color, null=True)
    intenum_f = fields.IntEnumField(Priority, null=True)

    class Meta:
        table = "t_nullable_fields"


class Defaults(Model):
    int_f = fields.IntField(default=42)
    float_f = fields.FloatField(default=1.25)
    decimal_f = fields.DecimalField(max_digits=6, decimal_places=2, default=Decimal("9.99"))
    bool_f = fields.BooleanField(default=True)
    char_f = fields.CharField(max_length=20, default="hello")
    date_f = fields.DateField(default=datetime.date(2020, 1, 2))
    charenum_f = fields.CharEnumField(Color, default=Color.BLUE)
    intenum_f = fields.IntEnumField(Priority, default=Priority.MID)
    uuid_f = fields.UUIDField(default=uuid.uuid4)
    json_f = fields.JSONField(default=fresh_settings)

    class Meta:
        table = "t_defaults"


class Renamed(Model):
    """Columns whose names differ from the attribute names."""

    name = fields.CharField(max_length=50, source_field="display_name")
    rank = fields.IntField(default=0, source_field="rank_col")
    legacy = fields.CharField(max_length=50, null=True, source="legacy_col", verbose_name="Legacy")

    class Meta:
        table = "t_renamed"


# --- Meta options, inheritance, primary keys ---------------------------------------------------
class Membership(Model):
    group = fields.CharField(max_length=30)
    member = fields.CharField(max_length=30)

    class Meta:
        table = "t_membership"
        unique_together = (("group", "member"),)


class TimestampMixin:
    created_at = fields.DatetimeField(auto_now_add=True)
    modified_at = fields.DatetimeField(auto_now=True)


class NamedBase(Model):
    name = fields.CharField(max_length=50)

    class Meta:
        abstract = True


class Gadget(TimestampMixin, NamedBase):
    weight = fields.IntField(default=0)

    class Meta:
        table = "t_gadget"


class Token(Model):
    id = fields.UUIDField(primary_key=True)
    label = fields.CharField(max_length=50)

    class Meta:
        table = "t_token"


class Country(Model):
    code = fields.CharField(max_length=2, pk=True)
    name = fields.CharField(max_length=50)

    class Meta:
        table = "t_country"


class Validated(Model):
    age = fields.IntField(validators=[MinValueValidator(0), MaxValueValidator(150)])
    nick = fields.CharField(max_length=20, validators=[MinLengthValidator(3)])
    code = fields.CharField(max_length=10, validators=[RegexValidator(r"^[A-Z]+$", 0)], default="ABC")

    class Meta:
        table = "t_validated"


# Children before parents: emptying tables in this order never violates a foreign key.
# --- a relation to a unique field other than the primary key (to_field) ------------------------
async def default_motto() -> str:
    return "learn"


class Campus(Model):
    uuid = fields.UUIDField(primary_key=True)
    code = fields.IntField(unique=True)
    name = fields.CharField(max_length=50)
    motto = fields.CharField(max_length=30, default=default_motto)  # an async default

    class Meta:
        table = "t_campus"


class Level(Enum):
    LOW = "low"
    HIGH = "high"


class LevelField(fields.CharField):
    """A user's field: an Enum kept as its value in a text column."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=10, **kwargs)

    def to_db_value(self, value: Any, instance: Any = None) -> Any:
        return value.value if isinstance(value, Level) else value

    def to_python_value(self, value: Any) -> Any:
        return value if value is None or isinstance(value, Level) else Level(value)


class Pupil(Model):
    name = fields.CharField(max_length=50)
    level = LevelField(null=True)
    campus = fields.ForeignKeyField("models.Campus", related_name="pupils", to_field="code")
    tokens = fields.ManyToManyField("models.Token", related_name="pupils", through="t_pupil_token")

    class Meta:
        table = "t_pupil"


DELETE_ORDER = [
    Pupil,
    Campus,
    Article,
    Author,
    Item,
    AllFields,
    NullableFields,
    Defaults,
    Renamed,
    Membership,
    Gadget,
    Token,
    Country,
    Validated,
]
