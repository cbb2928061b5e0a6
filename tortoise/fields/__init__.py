"""Model fields: data fields, relational fields and on-delete actions."""
from tortoise.fields.base import (
    CASCADE,
    NO_ACTION,
    RESTRICT,
    SET_DEFAULT,
    SET_NULL,
    Field,
    OnDelete,
)
from tortoise.fields.data import *  # noqa: F401,F403
from tortoise.fields.data import __all__ as _data_names
from tortoise.fields.relational import (
    BackwardFKRelation,
    BackwardOneToOneRelation,
    ForeignKeyField,
    ForeignKeyFieldInstance,
    ForeignKeyNullableRelation,
    ForeignKeyRelation,
    ManyToManyField,
    ManyToManyFieldInstance,
    ManyToManyRelation,
    OneToOneField,
    OneToOneFieldInstance,
    OneToOneNullableRelation,
    OneToOneRelation,
    ReverseRelation,
)

# Django-style spellings Tortoise also accepts
IntegerField = IntField  # noqa: F405
BigIntegerField = BigIntField  # noqa: F405
SmallIntegerField = SmallIntField  # noqa: F405
DateTimeField = DatetimeField  # noqa: F405
DurationField = TimeDeltaField  # noqa: F405
ForeignKey = ForeignKeyField

__all__ = [
    "IntegerField", "BigIntegerField", "SmallIntegerField", "DateTimeField", "DurationField",
    "ForeignKey",
    "CASCADE",
    "NO_ACTION",
    "RESTRICT",
    "SET_DEFAULT",
    "SET_NULL",
    "Field",
    "OnDelete",
    "BackwardFKRelation",
    "BackwardOneToOneRelation",
    "ForeignKeyField",
    "ForeignKeyFieldInstance",
    "ForeignKeyNullableRelation",
    "ForeignKeyRelation",
    "ManyToManyField",
    "ManyToManyFieldInstance",
    "ManyToManyRelation",
    "OneToOneField",
    "OneToOneFieldInstance",
    "OneToOneNullableRelation",
    "OneToOneRelation",
    "ReverseRelation",
    *_data_names,
]
