"""Base classes of the generated models and the async helpers that fill them from the ORM."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, RootModel, model_validator
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

from tortoise.contrib.pydantic.relations import fetch_missing, instance_data

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model
    from tortoise.queryset import QuerySet, QuerySetSingle


class PydanticModel(BaseModel):
    """A pydantic model generated from a Tortoise model by ``pydantic_model_creator``.

    Validating a Tortoise instance reads its fields, computed values and *fetched*
    relations; the ``from_*`` helpers fetch the relations the model needs first, with a
    fixed number of queries whatever the number of rows.
    """

    model_config = ConfigDict(from_attributes=True)

    #: the Tortoise model this class was generated from
    _tortoise_model: ClassVar[Any] = None
    #: what to read from an instance: (name, kind, nested class or None), kind being
    #: "value", "computed", "one" (FK/O2O, nested object) or "many" (reverse FK/M2M, list)
    _tortoise_entries: ClassVar[tuple[tuple[str, str, Any], ...]] = ()
    #: the Tortoise object this instance was validated from, whose computed values it serializes
    _tortoise_source: Any = None

    @model_validator(mode="wrap")
    @classmethod
    def _read_tortoise_instance(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        model = cls._tortoise_model
        if model is None or not isinstance(data, model):
            return handler(data)
        validated = handler(instance_data(cls, data))
        validated._tortoise_source = data
        return validated

    @classmethod
    async def from_tortoise_orm(cls, obj: "Model") -> "PydanticModel":
        """The pydantic model of ``obj``, its relations fetched as needed."""
        await fetch_missing(cls, [obj])
        return cls.model_validate(obj)

    @classmethod
    async def from_queryset_single(cls, queryset: "QuerySetSingle") -> "PydanticModel":
        """Await a single-object query (``Model.get(...)``) and convert its result."""
        return await cls.from_tortoise_orm(await queryset)

    @classmethod
    async def from_queryset(cls, queryset: "QuerySet") -> list["PydanticModel"]:
        """Await ``queryset`` and convert every object; relations are fetched per relation, not per row."""
        objects = list(await queryset)
        await fetch_missing(cls, objects)
        return [cls.model_validate(obj) for obj in objects]


class PydanticListModel(RootModel):
    """A list of generated models, made by ``pydantic_queryset_creator``."""

    #: the generated model of one item
    _tortoise_item: ClassVar[Any] = None

    @classmethod
    async def from_queryset(cls, queryset: "QuerySet") -> "PydanticListModel":
        """Await ``queryset`` and convert every object; relations are fetched per relation, not per row."""
        objects = list(await queryset)
        await fetch_missing(cls._tortoise_item, objects)
        return cls.model_validate(objects)
