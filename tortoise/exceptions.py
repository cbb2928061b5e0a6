"""The exception hierarchy users catch; driver errors are mapped onto these."""
from __future__ import annotations

from typing import Any


class BaseORMException(Exception):
    """Base of every exception raised by the ORM."""


class FieldError(BaseORMException):
    """A field is unknown or used in a way its type does not allow."""


class ParamsError(BaseORMException):
    """A function or query was given arguments it cannot use."""


class ConfigurationError(BaseORMException):
    """The ORM configuration is invalid or incomplete."""


class TransactionManagementError(BaseORMException):
    """A transaction was used in a way that is not allowed."""


class OperationalError(BaseORMException):
    """The database refused or failed to run a statement."""


class IntegrityError(OperationalError):
    """A constraint (unique, not null, foreign key, check) was violated."""


class DBConnectionError(BaseORMException, ConnectionError):
    """The database could not be reached."""


class PoolExhaustedError(OperationalError):
    """No pooled connection became free within the pool's acquire timeout."""


class NoValuesFetched(OperationalError):
    """A relation was used before its values were fetched."""


class NotExistOrMultiple(OperationalError):
    """Base of DoesNotExist and MultipleObjectsReturned: a query did not give exactly one row.

    Raised with a message, or (Tortoise's form) with the model class alone, which reads as
    ``TEMPLATE`` filled with the model's name."""

    TEMPLATE = "{}"

    def __init__(self, *args: Any, model: Any = None) -> None:
        if args and isinstance(args[0], type):
            model, args = args[0], args[1:]
        self.model = model
        super().__init__(*args)

    def __str__(self) -> str:
        if not self.args and self.model is not None:
            return self.TEMPLATE.format(self.model.__name__)
        return super().__str__()


class MultipleObjectsReturned(NotExistOrMultiple):
    """A query that should return one object returned several."""

    TEMPLATE = 'Multiple objects returned for "{}", expected exactly one'


class ObjectDoesNotExistError(OperationalError, KeyError):
    """An object looked up by primary key (e.g. in_bulk, refresh) does not exist."""

    def __init__(self, model: Any, pk_name: str, pk_val: Any) -> None:
        self.model, self.pk_name, self.pk_val = model, pk_name, pk_val
        super().__init__(f"{model.__name__} has no object with {pk_name}={pk_val}")

    def __str__(self) -> str:
        return self.args[0]


class DoesNotExist(NotExistOrMultiple):
    """A query that should return one object returned none."""

    TEMPLATE = 'Object "{}" does not exist'


class IncompleteInstanceError(OperationalError):
    """An instance fetched with only() lacks fields needed for the operation."""


class UnSupportedError(BaseORMException):
    """The database or the ORM does not support this operation."""


class ValidationError(BaseORMException):
    """A value failed a field's validation."""


class InvalidValueError(ValidationError, ValueError):
    """A value cannot be converted to its field's type (a date that is no date, a member
    missing from an enum).  Also the ValueError Tortoise raises for these."""


class InvalidJSONError(InvalidValueError, FieldError):
    """Text given to a JSONField that is not JSON: a FieldError as in Tortoise, and a
    ValidationError like any value that cannot be converted."""


class NotJSONSerializableError(InvalidValueError, TypeError):
    """A value a JSONField's encoder cannot write: the TypeError json.dumps (and Tortoise)
    raise, and a ValidationError like any value that cannot be converted."""


class RequiredFieldError(ValidationError, IntegrityError):
    """A required (NOT NULL) field has no value on save.

    A ValidationError, as Tortoise raises, and also an IntegrityError — the NOT NULL
    violation the database would report — so handlers written for either catch it."""
