"""The Field base class shared by data and relational fields."""
from __future__ import annotations

import sys
import warnings
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Generic, Iterable, TypeVar

from tortoise.exceptions import ConfigurationError, InvalidValueError, ValidationError
from tortoise.fields.deconstruct import deconstruct

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model

VALUE = TypeVar("VALUE")

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover

    class StrEnum(str, Enum):
        """An Enum whose members are strings (``enum.StrEnum`` before Python 3.11)."""

        def __str__(self) -> str:
            return str(self.value)


class OnDelete(str, Enum):
    """What a foreign key does when the row it points at is deleted."""

    CASCADE = "CASCADE"
    RESTRICT = "RESTRICT"
    SET_NULL = "SET NULL"
    SET_DEFAULT = "SET DEFAULT"
    NO_ACTION = "NO ACTION"

    def __str__(self) -> str:
        return self.value


CASCADE = OnDelete.CASCADE
RESTRICT = OnDelete.RESTRICT
SET_NULL = OnDelete.SET_NULL
SET_DEFAULT = OnDelete.SET_DEFAULT
NO_ACTION = OnDelete.NO_ACTION

class _NotSet:
    """``Field.db_default`` when the field has no database default (None is a valid one)."""

    _instance: "_NotSet | None" = None

    def __new__(cls) -> "_NotSet":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_PROVIDED"

    def __copy__(self) -> "_NotSet":
        return self

    def __deepcopy__(self, memo: Any) -> "_NotSet":
        return self

    def __reduce__(self) -> str:
        return "DB_DEFAULT_NOT_SET"


DB_DEFAULT_NOT_SET: Any = _NotSet()


class DatabaseDefault:
    """Marks a value the database will fill in from the field's ``db_default``."""

    __slots__ = ("field",)

    def __init__(self, field: "Field") -> None:
        self.field = field

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return "<DB_DEFAULT>"

    def __repr__(self) -> str:
        return f"DatabaseDefault({getattr(self.field, 'model_field_name', '') or '?'})"


# Options that Django users write and that we keep as metadata only.
_METADATA_OPTIONS = ("blank", "verbose_name", "help_text")


class Field(Generic[VALUE]):
    """A model attribute backed by a column (or, for relations, by another table).

    Subclasses set ``field_type`` (the Python type of values), ``SQL_TYPE`` (the generic
    DDL type, which each dialect spells its own way: ``Dialect.type_names``) and, for a
    type of their own, optionally ``DB_TYPES`` ({dialect name: DDL type}), and override
    ``to_db_value`` / ``to_python_value`` when values need converting.  Conversion lives
    here, once per field; dialects only adapt the neutral Python value for their driver.
    """

    field_type: Any = None
    SQL_TYPE: str = ""
    DB_TYPES: dict[str, str] = {}
    has_db_field = True
    indexable = True
    #: appended to the error for a unique/indexed field that cannot be (``indexable = False``)
    index_hint = ""
    allows_generated = False
    #: relational fields set this to "fk", "o2o", "m2m", "backward_fk", "backward_o2o"
    relation_kind: str | None = None
    #: values of exactly this type come out of ``to_python_value`` unchanged (the
    #: generated constructors skip the call for them); reset by a subclass that
    #: overrides ``to_python_value`` without setting it again
    python_type_unchanged: type | None = None
    #: the same for ``to_db_value`` and ``db_encoder``, for a type that no dialect adapts
    #: either (a field with ``max_length`` passes them on only within that length)
    db_type_unchanged: type | None = None
    #: values a driver returns in the field's own Python type need no ``to_python_value``;
    #: False for a user's subclass that overrides it (a CharField holding an Enum)
    driver_values_final = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__
        if "to_python_value" in own and "python_type_unchanged" not in own:
            cls.python_type_unchanged = None
        if "to_python_value" in own and not cls.__module__.startswith("tortoise."):
            cls.driver_values_final = False
        if ("to_db_value" in own or "db_encoder" in own) and "db_type_unchanged" not in own:
            cls.db_type_unchanged = None

    def __init__(
        self,
        source_field: str | None = None,
        generated: bool = False,
        primary_key: bool | None = None,
        null: bool = False,
        default: Any = None,
        unique: bool = False,
        db_index: bool | None = None,
        description: str | None = None,
        model: "type[Model] | None" = None,
        validators: list[Callable[[Any], None]] | None = None,
        **kwargs: Any,
    ) -> None:
        pk = kwargs.pop("pk", None)
        if pk is not None:
            if primary_key is not None and bool(primary_key) != bool(pk):
                raise ConfigurationError(
                    f"{type(self).__name__}: can't set both primary_key and pk to different values; use primary_key"
                )
            warnings.warn("`pk` is deprecated, please use `primary_key` instead", DeprecationWarning, stacklevel=3)
        index = kwargs.pop("index", None)
        if index is not None:
            if db_index is not None and bool(db_index) != bool(index):
                raise ConfigurationError(
                    f"{type(self).__name__}: can't set both db_index and index to different values; use db_index"
                )
            if db_index is None:
                warnings.warn("`index` is deprecated, please use `db_index` instead", DeprecationWarning, stacklevel=3)
        source = kwargs.pop("source", None)
        self.pk: bool = bool(primary_key if primary_key is not None else pk)
        self.source_field: str | None = source_field or source
        self.generated = generated
        self.null = null
        self.default = default
        self.unique = unique or self.pk
        self.index = bool(db_index if db_index is not None else index)
        self.description = description
        self.docstring: str | None = None
        self.validators: list[Callable[[Any], None]] = list(validators or [])
        self.db_default = kwargs.pop("db_default", DB_DEFAULT_NOT_SET)
        if callable(self.db_default):
            raise ConfigurationError(
                f"{type(self).__name__}: db_default must be a static value or an SQL expression "
                "(SqlDefault, Now(), RandomHex()), not a callable; use default= for values computed in Python"
            )
        self.model_field_name: str = kwargs.pop("model_field_name", "")
        self.metadata = {k: kwargs.pop(k) for k in _METADATA_OPTIONS if k in kwargs}
        if self.metadata.get("blank") and default is None and not null and self.field_type is str:
            # Django's meaning of blank=True on text: it may be left empty, i.e. ""
            self.default = ""
        self.model: "type[Model]" = model  # type: ignore[assignment]
        if kwargs:
            raise ConfigurationError(
                f"{type(self).__name__} got unknown option(s) {', '.join(sorted(kwargs))}"
            )
        if not self.indexable and (self.unique or self.index) and not self.pk:
            raise ConfigurationError(f"{type(self).__name__} can't be indexed{self.index_hint}")
        if self.pk and self.null:
            raise ConfigurationError(f"{type(self).__name__}: a primary key cannot be null")

    # --- naming -----------------------------------------------------------------------
    def bind(self, model: "type[Model]", name: str) -> None:
        """Attach the field to its model under ``name`` (called by the model metaclass)."""
        self.model = model
        self.model_field_name = name
        if self.generated and not self.allows_generated:
            raise ConfigurationError(
                f"Field '{name}' ({type(self).__name__}) can't be DB-generated: {model.__name__}.{name}; "
                "only integer primary keys can"
            )
        if not self.source_field:
            self.source_field = name

    @property
    def column(self) -> str:
        return self.source_field or self.model_field_name

    # --- values -------------------------------------------------------------------------
    def has_default(self) -> bool:
        return self.default is not None

    def has_db_default(self) -> bool:
        return self.db_default is not DB_DEFAULT_NOT_SET

    @property
    def db_default_marker(self) -> DatabaseDefault:
        """The value of this field on an instance until the database has filled it in."""
        marker = self.__dict__.get("_db_default_marker")
        if marker is None:
            marker = self.__dict__["_db_default_marker"] = DatabaseDefault(self)
        return marker

    def get_db_default_value(self) -> "DatabaseDefault | None":
        """The marker for "the database fills this in", or None without a db_default."""
        return DatabaseDefault(self) if self.has_db_default() else None

    @property
    def required(self) -> bool:
        """True when a value must be given: not nullable and no default of any kind."""
        return not (self.null or self.generated or self.has_default() or self.has_db_default())

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def to_db_value(self, value: Any, instance: Any = None) -> Any:
        """Python value → dialect-neutral value for the database (None stays None)."""
        if value is None or self.field_type is None or isinstance(value, self.field_type):
            return value
        return self.field_type(value)

    def stamp(self, instance: Any) -> None:
        """Before a save: set what the field fills in by itself (``auto_now``/``auto_now_add``)."""
        self.stamp_all((instance,))

    def stamp_all(self, instances: Iterable[Any]) -> None:
        """``stamp`` for instances saved together.  Here, for a field of its own with an
        ``auto_now`` flag: its ``to_db_value`` given the instance stamps it (as in Tortoise)."""
        name = self.model_field_name
        for instance in instances:
            self.to_db_value(instance.__dict__.get(name), instance)

    def to_python_value(self, value: Any) -> Any:
        """Value from a driver or from user input → the field's Python type."""
        if value is None or self.field_type is None or isinstance(value, self.field_type):
            return value
        try:
            return self.field_type(value)
        except (TypeError, ValueError) as exc:
            raise InvalidValueError(f"{self.qualified_name}: {value!r} is not a valid {self.field_type.__name__}") from exc

    def db_encoder(self, dialect: Any, general: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """A converter of values to ``dialect``'s driver parameters; never called with None.

        ``general`` is ``to_db_value`` followed by the dialect's adaptation; overrides try
        first the values they can convert more directly and must give what it gives."""
        return general

    def db_decoder(self, dialect: Any) -> Callable[[Any], Any]:
        """A converter for values coming from ``dialect``'s driver; never called with None.

        Overrides try first what that driver returns and read settings (time zone) here,
        once, not per value; they must give what ``to_python_value`` gives."""
        return self.to_python_value

    def validate(self, value: Any) -> None:
        """Run null checks and validators; raise ValidationError naming the field."""
        if value is None:
            if not self.null and not self.generated:
                raise ValidationError(f"{self.qualified_name}: value must not be None")
            return
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                raise ValidationError(f"{self.qualified_name}: {exc}") from exc

    @property
    def qualified_name(self) -> str:
        model = getattr(self.model, "__name__", "?")
        return f"{model}.{self.model_field_name}"

    # --- schema -------------------------------------------------------------------------
    def _db_field_types(self) -> dict[str, str]:
        from tortoise.sql.dialects import DIALECT_NAMES

        if not self.SQL_TYPE and not self.DB_TYPES:
            return {"": self.SQL_TYPE}
        return {"": self.SQL_TYPE, **{name: self.get_db_type(name) for name in DIALECT_NAMES}}

    def get_db_type(self, dialect: str) -> str:
        """The column type in DDL for ``dialect`` ("sqlite", "postgres", "mysql")."""
        from tortoise.sql.dialects import dialect_named

        found = dialect_named(dialect)
        return found.column_type(self) if found is not None else self.DB_TYPES.get(dialect, self.SQL_TYPE)

    @property
    def constraints(self) -> dict[str, Any]:
        """Value constraints (ge/le/max_length) for schema generators such as pydantic."""
        return {}

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        """(import path, args, kwargs) that rebuild this field, for migration files."""
        return deconstruct(self)

    def describe(self, serializable: bool = True) -> dict[str, Any]:
        field_type = self.field_type
        python_type = (
            getattr(field_type, "__name__", str(field_type)) if serializable else field_type
        )
        default = self.default
        if serializable and default is not None and not isinstance(default, (int, float, str, bool)):
            default = f"<function {getattr(default, '__qualname__', repr(default))}>" if callable(default) else str(default)
        return {
            "name": self.model_field_name,
            "field_type": type(self).__name__,
            "db_column": self.column,
            "python_type": python_type,
            "generated": self.generated,
            "nullable": self.null,
            "unique": self.unique,
            "indexed": self.index or self.unique,
            "default": default,
            "description": self.description,
            "docstring": self.docstring,
            "constraints": self.constraints,
            "db_field_types": self._db_field_types(),
            "db_default": self._describe_db_default(serializable),
        }

    def _describe_db_default(self, serializable: bool) -> Any:
        value = self.db_default
        if not serializable:
            return value
        if value is DB_DEFAULT_NOT_SET:
            return "__NOT_SET__"
        return value if value is None or isinstance(value, (int, float, str, bool)) else repr(value) if hasattr(value, "get_sql") else str(value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.qualified_name}>"
