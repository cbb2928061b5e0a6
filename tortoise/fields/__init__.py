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

__all__ = [
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
