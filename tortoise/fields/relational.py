"""Relational fields (FK, one-to-one, many-to-many), their reverse sides and type hints.

A ``ForeignKeyField("models.User", related_name="posts")`` named ``author`` gives the
model an ``author_id`` data column (created by the model metaclass), an ``author``
descriptor, and on ``Tortoise.init`` a ``posts`` reverse relation on User.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Awaitable, Optional, TypeVar, Union

from tortoise.exceptions import ConfigurationError, ValidationError
from tortoise.fields.base import CASCADE, Field, OnDelete

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model

MODEL = TypeVar("MODEL", bound="Model")


class RelationalField(Field):
    has_db_field = False

    def __init__(self, model_name: Any, related_name: str | None | bool = None, **kwargs: Any) -> None:
        self.related_query_name = kwargs.pop("related_query_name", None)
        super().__init__(**kwargs)
        if isinstance(model_name, str):
            if model_name.count(".") != 1:
                raise ConfigurationError(
                    f'{type(self).__name__.replace("Instance", "")} accepts model name in format "app.Model", '
                    f'got "{model_name}"'
                )
            self.model_name = model_name
            self.related_model: "type[Model]" = None  # type: ignore[assignment]
        else:  # a model class
            self.related_model = model_name
            self.model_name = ""
        self.related_name = related_name

    def describe(self, serializable: bool = True) -> dict[str, Any]:
        desc = super().describe(serializable)
        desc["python_type"] = (
            f"models.{self.related_model.__name__}" if self.related_model is not None and serializable else self.related_model
        )
        desc["db_column"] = None
        return desc


class ForeignKeyFieldInstance(RelationalField):
    relation_kind = "fk"

    def __init__(
        self,
        model_name: Any,
        related_name: str | None | bool = None,
        on_delete: OnDelete | str = CASCADE,
        db_constraint: bool = True,
        to_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(model_name, related_name, **kwargs)
        try:
            self.on_delete = OnDelete(str(on_delete))
        except ValueError:
            raise ConfigurationError(
                f"on_delete must be one of {', '.join(o.value for o in OnDelete)}, got {on_delete!r}"
            ) from None
        if self.on_delete is OnDelete.SET_NULL and not self.null:
            raise ConfigurationError("on_delete=SET_NULL needs null=True on the foreign key")
        self.db_constraint = db_constraint
        self.to_field = to_field
        self.to_field_instance: Field = None  # type: ignore[assignment]
        self.source_field_name = ""  # the data field holding the id, e.g. "author_id"

    def bind(self, model: Any, name: str) -> None:
        self.model = model
        self.model_field_name = name
        self.source_field_name = f"{name}_id"

    @property
    def column(self) -> str:
        return self.model._meta.fields_map[self.source_field_name].column

    def key_of(self, instance: Any) -> Any:
        """The value this relation stores for ``instance`` (its ``to_field``); an instance of
        another model is refused with Tortoise's ValidationError."""
        related = self.related_model
        if related is not None and not isinstance(instance, related):
            raise ValidationError(
                f"Invalid type for relationship field '{self.model_field_name}': {self.qualified_name} "
                f"takes a {related.__name__}, got a {type(instance).__name__}"
            )
        return getattr(instance, self.to_field_instance.model_field_name)


class OneToOneFieldInstance(ForeignKeyFieldInstance):
    relation_kind = "o2o"


class ManyToManyFieldInstance(RelationalField):
    relation_kind = "m2m"

    def __init__(
        self,
        model_name: Any,
        through: str | None = None,
        forward_key: str | None = None,
        backward_key: str = "",
        related_name: str = "",
        on_delete: OnDelete | str = CASCADE,
        db_constraint: bool = True,
        create_unique_index: bool | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("unique", True)  # one row per pair in the through table
        if create_unique_index is not None:
            warnings.warn(
                "Parameter `create_unique_index` is deprecated! Use `unique` instead.", DeprecationWarning, stacklevel=3
            )
            kwargs["unique"] = create_unique_index
        super().__init__(model_name, related_name, **kwargs)
        self.through = through or ""
        self.forward_key = forward_key or ""
        self.backward_key = backward_key
        self.on_delete = OnDelete(str(on_delete))
        self.db_constraint = db_constraint
        self.create_unique_index = self.unique
        #: set on the reverse side, which shares the through table
        self._generated = False


class BackwardFKRelation(RelationalField):
    """The reverse side of a foreign key (``user.posts``)."""

    relation_kind = "backward_fk"

    def __init__(self, related_model: Any, relation_field: str, to_field_column: str, null: bool = False, description: str | None = None) -> None:
        super().__init__(related_model, null=null, description=description)
        self.relation_field = relation_field  # the id data field on related_model, e.g. "author_id"
        self.to_field_column = to_field_column  # the column it points at on this model


class BackwardOneToOneRelation(BackwardFKRelation):
    relation_kind = "backward_o2o"


def _target(model_name: Any, kwargs: dict[str, Any]) -> Any:
    """The related model, given positionally or as ``to=`` (Tortoise 1.x's spelling)."""
    to = kwargs.pop("to", None)
    if model_name is None:
        model_name = to
    if model_name is None:
        raise ConfigurationError('a relation needs its target model: "app_label.ModelName" (or to=...)')
    return model_name


def _relation_factory(instance_class: type, doc: str) -> Any:
    def factory(
        model_name: Any = None,
        related_name: str | None | bool = None,
        on_delete: OnDelete | str = CASCADE,
        db_constraint: bool = True,
        null: bool = False,
        **kwargs: Any,
    ) -> Any:
        model_name = _target(model_name, kwargs)
        return instance_class(model_name, related_name, on_delete, db_constraint=db_constraint, null=null, **kwargs)

    factory.__doc__ = doc
    factory.__name__ = factory.__qualname__ = instance_class.__name__.replace("Instance", "")
    return factory


ForeignKeyField = _relation_factory(ForeignKeyFieldInstance, 'A many-to-one relation to ``model_name`` ("app.Model").')
OneToOneField = _relation_factory(
    OneToOneFieldInstance, 'A one-to-one relation to ``model_name`` ("app.Model"); its id column is unique.'
)


def ManyToManyField(
    model_name: Any = None,
    through: str | None = None,
    forward_key: str | None = None,
    backward_key: str = "",
    related_name: str = "",
    on_delete: OnDelete | str = CASCADE,
    db_constraint: bool = True,
    create_unique_index: bool | None = None,
    **kwargs: Any,
) -> Any:
    """A many-to-many relation to ``model_name`` through a join table."""
    model_name = _target(model_name, kwargs)
    return ManyToManyFieldInstance(
        model_name, through, forward_key, backward_key, related_name, on_delete=on_delete, db_constraint=db_constraint,
        create_unique_index=create_unique_index, **kwargs,
    )


# --- type hints users write in model bodies ----------------------------------------------
ForeignKeyRelation = Union[Awaitable[MODEL], MODEL]
ForeignKeyNullableRelation = Union[Awaitable[Optional[MODEL]], Optional[MODEL]]
OneToOneRelation = Union[Awaitable[MODEL], MODEL]
OneToOneNullableRelation = Union[Awaitable[Optional[MODEL]], Optional[MODEL]]

from tortoise.relations import ManyToManyRelation, ReverseRelation  # noqa: E402

__all__ = [
    "ForeignKeyField", "OneToOneField", "ManyToManyField",
    "ForeignKeyFieldInstance", "OneToOneFieldInstance", "ManyToManyFieldInstance",
    "BackwardFKRelation", "BackwardOneToOneRelation",
    "ForeignKeyRelation", "ForeignKeyNullableRelation", "OneToOneRelation", "OneToOneNullableRelation",
    "ReverseRelation", "ManyToManyRelation",
]
