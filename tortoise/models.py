"""Model, its metaclass and MetaInfo (the per-model metadata the ORM runs on)."""
from __future__ import annotations

import copy
import inspect
import itertools
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence, TypeVar

from tortoise import signals
from tortoise.connection import connections
from tortoise.exceptions import (
    ConfigurationError,
    DoesNotExist,
    FieldError,
    IncompleteInstanceError,
    IntegrityError,
    InvalidValueError,
    MultipleObjectsReturned,
    ObjectDoesNotExistError,
    OperationalError,
    ParamsError,
    RequiredFieldError,
    ValidationError,
)
from tortoise.fields.base import DatabaseDefault, Field
from tortoise.router import router
from tortoise.fields.relational import ForeignKeyFieldInstance, ManyToManyFieldInstance
from tortoise.relations import (  # NoneAwaitable: Tortoise exports it from tortoise.models
    ForwardRelationDescriptor,
    NoneAwaitable,
    RelationManagerDescriptor,
    ReverseRelation,
)
from tortoise.model_code import make_hydrator, make_initializer, make_row_encoder
from tortoise.sql import statements as statements_sql
from tortoise.sql.cache import statements as statement_cache
from tortoise.sql.nodes import encoder_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.backends.base.client import BaseDBAsyncClient
    from tortoise.queryset import QuerySet
    from tortoise.sql.dialects.base import Dialect

MODEL = TypeVar("MODEL", bound="Model")


class MetaInfo:
    """Everything the ORM knows about one model; built by the metaclass, completed at init."""

    def __init__(self, meta: Any, model_name: str) -> None:
        # options of other tools (pydantic, admin panels) may sit in Meta: accepted, as Tortoise does
        self.abstract: bool = getattr(meta, "abstract", False)
        self.db_table: str = getattr(meta, "table", "") or model_name.lower()
        self.app: str | None = getattr(meta, "app", None)
        self.schema: str | None = getattr(meta, "schema", None)
        self.table_description: str = getattr(meta, "table_description", "")
        self.unique_together = _normalize_groups(getattr(meta, "unique_together", ()))
        self.indexes: tuple = tuple(getattr(meta, "indexes", ()))
        ordering = getattr(meta, "ordering", ())
        self.ordering: tuple[str, ...] = (ordering,) if isinstance(ordering, str) else tuple(ordering)
        self.manager = getattr(meta, "manager", None)
        self.fetch_db_defaults: bool = getattr(meta, "fetch_db_defaults", True)
        #: a relation refers to this model by a unique field other than the pk (to_field)
        self.targeted_by_non_pk = False
        self._ordering_checked = False
        self.default_connection: str | None = getattr(meta, "default_connection", None)
        self.fields_map: dict[str, Field] = {}
        self.data_fields: list[Field] = []  # fields with a column, in table order
        # Tortoise's public views of the columns, kept for code written against it
        self.db_fields: set[str] = set()  # column names
        self.fields_db_projection: dict[str, str] = {}  # field name → column
        self.fields_db_projection_reverse: dict[str, str] = {}  # column → field name
        self.generated_db_fields: tuple[str, ...] = ()
        self.db_pk_column = ""
        self.pk: Field = None  # type: ignore[assignment]
        self.pk_attr = ""
        self.fk_fields: set[str] = set()
        self.o2o_fields: set[str] = set()
        self.m2m_fields: set[str] = set()
        self.backward_fk_fields: set[str] = set()
        self.backward_o2o_fields: set[str] = set()
        #: lookup names of reverse relations (``related_query_name``) → their field names
        self.query_names: dict[str, str] = {}
        self.model: "type[Model]" = None  # type: ignore[assignment]
        self.meta_class: Any = meta
        self._inited = False
        self._statements: dict[str, ModelStatements] = {}
        self._hydrators: dict[Any, Callable[[Sequence[Any]], Any]] = {}
        #: part of every statement-cache key: renewed when the columns change, so that a
        #: model re-initialised with other fields never meets its old statements
        self._generation = next(_GENERATIONS)

    # --- derived views --------------------------------------------------------------------
    @property
    def fields(self) -> set[str]:
        return set(self.fields_map)

    @property
    def data_field_names(self) -> list[str]:
        return [f.model_field_name for f in self.data_fields]

    @property
    def fetch_fields(self) -> set[str]:
        return self.fk_fields | self.o2o_fields | self.m2m_fields | self.backward_fk_fields | self.backward_o2o_fields

    @property
    def _model(self) -> "type[Model]":  # Tortoise's name for it
        return self.model

    @property
    def full_name(self) -> str:
        return f"{self.app}.{self.model.__name__}"

    @property
    def db(self) -> "BaseDBAsyncClient":
        return self.model._choose_db()

    def finalise_columns(self) -> None:
        """Recompute column lists after fields change (relations resolved at init)."""
        self.data_fields = [f for f in self.fields_map.values() if f.has_db_field]
        self.validated_fields = [f for f in self.data_fields if f.validators]
        self._initialize = make_initializer(self)
        # the model's __init__ becomes the generated one unless the model or a parent
        # defines its own (which reaches it through Model.__init__)
        current = self.model.__init__
        if not self.abstract and (current is Model.__init__ or hasattr(current, "generated_for")):
            self.model.__init__ = self._initialize  # type: ignore[misc]
        self._auto_on_create = [f for f in self.data_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        self._auto_on_update = [f for f in self.data_fields if getattr(f, "auto_now", False)]
        # generated columns too: the database fills them in, the ORM never writes them
        self.db_default_fields = [f for f in self.data_fields if (f.has_db_default() or f.generated) and not f.pk]
        #: fields whose default is an ``async def``: __init__ stores the coroutine, save() awaits it
        self.async_default_fields = [f.model_field_name for f in self.data_fields if inspect.iscoroutinefunction(f.default)]
        self.fields_db_projection = {f.model_field_name: f.column for f in self.data_fields}
        self.fields_db_projection_reverse = {c: n for n, c in self.fields_db_projection.items()}
        self.db_fields = set(self.fields_db_projection_reverse)
        self.generated_db_fields = tuple(f.column for f in self.data_fields if f.generated)
        self.db_pk_column = self.pk.column if self.pk is not None else ""
        self._statements.clear()
        self._hydrators.clear()
        self._generation = next(_GENERATIONS)

    def auto_fields(self, creating: bool) -> list[Field]:
        """Timestamp fields set on save (auto_now always, auto_now_add on create)."""
        return self._auto_on_create if creating else self._auto_on_update

    def statements(self, dialect: "Dialect") -> "ModelStatements":
        st = self._statements.get(dialect.name)
        if st is None:
            st = self._statements[dialect.name] = ModelStatements(self, dialect)
        return st

    def hydrator(self, dialect: "Dialect", fields: tuple[Field, ...]) -> Callable[[Sequence[Any]], Any]:
        """A function row → instance for rows holding ``fields`` in order (built once)."""
        key = (dialect.name, fields)
        fn = self._hydrators.get(key)
        if fn is None:
            fn = self._hydrators[key] = make_hydrator(self.model, dialect, fields, partial=len(fields) != len(self.data_fields))
        return fn


_GENERATIONS = itertools.count()


def _normalize_groups(groups: Any) -> tuple[tuple[str, ...], ...]:
    if not groups:
        return ()
    if isinstance(groups[0], str):
        return (tuple(groups),)
    return tuple(tuple(g) for g in groups)


class ModelStatements:
    """The SQL a model needs for single-row work, compiled once per dialect."""

    def __init__(self, meta: MetaInfo, dialect: "Dialect") -> None:
        table = meta.db_table
        pk = meta.pk
        self.meta = meta
        self.dialect = dialect
        all_fields = meta.data_fields
        self.insert_fields_all = list(all_fields)
        self.insert_fields_auto = [f for f in all_fields if not (f is pk and pk.generated)]
        self.insert_all = statements_sql.insert(dialect, table, [f.column for f in self.insert_fields_all])
        self.insert_auto = statements_sql.insert(dialect, table, [f.column for f in self.insert_fields_auto], pk.column)
        self.encode_all = make_row_encoder(self.insert_fields_all, dialect)
        self.encode_auto = make_row_encoder(self.insert_fields_auto, dialect)
        non_pk = [f for f in all_fields if f is not pk and not f.generated]
        self.update_fields = non_pk
        self.encode_update = make_row_encoder(non_pk, dialect)
        self.update_all = statements_sql.update_by_pk(dialect, table, [f.column for f in non_pk], pk.column) if non_pk else ""
        self.delete = statements_sql.delete_by_pk(dialect, table, pk.column)
        self.pk_encoder = encoder_for(pk, dialect)

    def update_of(self, names: tuple[str, ...]) -> tuple[str, Callable[[Any], list[Any]]]:
        """``save(update_fields=names)``: (UPDATE … WHERE pk=?, row encoder), once per tuple."""
        meta, dialect = self.meta, self.dialect
        key = ("update_fields", meta.model, meta._generation, dialect.name, names)
        return statement_cache.compiled(key, self._build_update_of, names)

    def _build_update_of(self, names: tuple[str, ...]) -> tuple[str, Callable[[Any], list[Any]]]:
        meta, dialect = self.meta, self.dialect
        fields = [meta.fields_map[n] for n in names]
        sql = statements_sql.update_by_pk(dialect, meta.db_table, [f.column for f in fields], meta.pk.column)
        return sql, make_row_encoder(fields, dialect)


class ModelMeta(type):
    """Collects fields (own, inherited, from mixins), the Meta options and per-model errors."""

    def __getitem__(cls, pk: Any) -> Any:
        """``await Model[pk]``: the object with that primary key (ObjectDoesNotExistError, a KeyError, if none)."""
        return _get_by_pk(cls, pk)

    def __new__(mcs, name: str, bases: tuple, attrs: dict[str, Any]) -> Any:
        if not any(isinstance(b, ModelMeta) for b in bases):  # the Model base class itself
            return super().__new__(mcs, name, bases, attrs)
        meta_cls = attrs.pop("Meta", None) or type("Meta", (), {})
        own_fields = {k: v for k, v in attrs.items() if isinstance(v, Field)}
        for k in own_fields:
            del attrs[k]
        inherited = _inherited_fields(bases)
        for base_meta in _abstract_metas(bases):  # Meta options inherit from abstract parents
            for option in ("ordering", "indexes", "unique_together", "schema", "app", "default_connection", "manager"):
                if not hasattr(meta_cls, option) and hasattr(base_meta, option):
                    setattr(meta_cls, option, getattr(base_meta, option))
        meta = MetaInfo(meta_cls, name)
        meta.meta_class = meta_cls
        attrs["_meta"] = meta
        attrs.setdefault("DoesNotExist", None)
        attrs.setdefault("MultipleObjectsReturned", None)
        cls = super().__new__(mcs, name, bases, attrs)
        meta.model = cls
        if cls.__dict__["DoesNotExist"] is None:
            cls.DoesNotExist = type("DoesNotExist", (DoesNotExist,), {"__qualname__": f"{name}.DoesNotExist"})
        if cls.__dict__["MultipleObjectsReturned"] is None:
            cls.MultipleObjectsReturned = type(
                "MultipleObjectsReturned", (MultipleObjectsReturned,), {"__qualname__": f"{name}.MultipleObjectsReturned"}
            )
        fields = {**{k: copy.deepcopy(f) for k, f in inherited.items()}, **own_fields}
        _refuse_reserved_names(name, fields)
        _install_fields(cls, meta, fields)
        return cls


async def _get_by_pk(model: Any, pk: Any) -> Any:
    try:
        obj = await model.filter(pk=pk).first()
    except ValidationError as exc:  # a key of the wrong type names no object either
        raise ObjectDoesNotExistError(model, model._meta.pk_attr, pk) from exc
    if obj is None:
        raise ObjectDoesNotExistError(model, model._meta.pk_attr, pk)
    return obj


def _refuse_reserved_names(model_name: str, fields: dict[str, Field]) -> None:
    """A field may not hide a method or attribute every model has (``save``, ``filter`` …)."""
    reserved = {k for klass in (Model, ModelMeta) for k in vars(klass) if not k.startswith("__")}
    conflicts = sorted(set(fields) & reserved)
    if conflicts:
        raise ConfigurationError(
            f"Model {model_name} has field name(s) that conflict with default Model attributes: "
            f"{', '.join(conflicts)}; rename the field(s) (source_field= keeps the column name)"
        )


def _inherited_fields(bases: tuple) -> dict[str, Field]:
    """Fields of abstract model parents and of plain mixin classes, base-most first."""
    found: dict[str, Field] = {}
    for base in reversed(bases):
        for klass in reversed(base.__mro__):
            meta = klass.__dict__.get("_meta")
            if isinstance(meta, MetaInfo):
                if meta.abstract:
                    found.update(meta._declared)  # type: ignore[attr-defined]
                continue
            for key, value in klass.__dict__.items():
                if isinstance(value, Field):
                    found[key] = value
    return found


def _abstract_metas(bases: tuple) -> list[Any]:
    """The Meta classes of abstract model parents, nearest first."""
    metas = []
    for base in bases:
        for klass in base.__mro__:
            meta = klass.__dict__.get("_meta")
            if isinstance(meta, MetaInfo) and meta.abstract:
                metas.append(meta.meta_class)
    return metas


def _install_fields(cls: Any, meta: MetaInfo, fields: dict[str, Field]) -> None:
    meta._declared = dict(fields)  # type: ignore[attr-defined]
    pks = [n for n, f in fields.items() if f.pk]
    if len(pks) > 1:
        raise ConfigurationError(
            f"Can't create model {cls.__name__} with two primary keys, only single primary key is supported: "
            f"{', '.join(pks)} are all primary keys"
        )
    if not pks and not meta.abstract:
        from tortoise.fields.data import IntField

        if "id" in fields:
            raise ConfigurationError(
                f"Can't create model {cls.__name__} without explicit primary key if field 'id' already present: "
                "mark one field primary_key=True"
            )

        fields = {"id": IntField(primary_key=True), **fields}
        pks = ["id"]
    ordered: dict[str, Field] = {}
    for name, field in fields.items():
        if name in ("pk",):
            raise ConfigurationError(f"{cls.__name__}: 'pk' is reserved for the primary key alias")
        field.bind(cls, name)
        ordered[name] = field
        if isinstance(field, ForeignKeyFieldInstance):
            ordered[field.source_field_name] = _fk_id_field(field)
            (meta.o2o_fields if field.relation_kind == "o2o" else meta.fk_fields).add(name)
            setattr(cls, name, ForwardRelationDescriptor(field))
        elif isinstance(field, ManyToManyFieldInstance):
            meta.m2m_fields.add(name)
            setattr(cls, name, RelationManagerDescriptor(field))
    meta.fields_map = ordered
    if pks:
        meta.pk = ordered[pks[0]]
        # a one-to-one primary key keeps its value in its id field ("owner" → "owner_id")
        meta.pk_attr = getattr(meta.pk, "source_field_name", "") or pks[0]
    meta.finalise_columns()


def _fk_id_field(fk: ForeignKeyFieldInstance) -> Field:
    """The data field holding a foreign key's value; its type is fixed once the target is known."""
    from tortoise.fields.data import IntField

    id_field = IntField(
        source_field=fk.source_field or f"{fk.model_field_name}_id",
        null=fk.null,
        db_index=fk.index,
        unique=fk.unique or fk.relation_kind == "o2o",
        description=fk.description,
        default=fk.default,
    )
    id_field.bind(fk.model, fk.source_field_name)
    id_field.reference = fk  # type: ignore[attr-defined]
    return id_field


# Tortoise's wording, which applications and tests match on, before our explanation
_CONSTRUCTOR_RELATION_HINT = {
    "backward_fk": "You can't set backward relations through init, change related model instead",
    "m2m": "You can't set m2m relations through init, use m2m_manager instead",
    "backward_o2o": "You can't set backward one to one relations through init, change related model instead",
}


class Model(metaclass=ModelMeta):
    """Base class of every model."""

    _meta: MetaInfo
    DoesNotExist: type[DoesNotExist]
    MultipleObjectsReturned: type[MultipleObjectsReturned]
    _saved_in_db = False
    _partial = False
    _custom_generated_pk = False

    def __init__(self, **kwargs: Any) -> None:
        # an abstract model can be instantiated too (as in Tortoise), though not saved
        self._meta._initialize(self, **kwargs)  # a model's own __init__ calls here; others use it directly

    def _set_special(self, key: str, value: Any) -> None:
        """Constructor arguments other than plain data fields: relations, a custom pk."""
        meta = self._meta
        field = meta.fields_map.get(key)
        if field is None:
            raise FieldError(
                f"unknown field '{key}' for {type(self).__name__}; fields are: {', '.join(meta.fields_map)}"
            )
        kind = field.relation_kind
        if kind is None:  # a generated primary key given explicitly
            self.__dict__[key] = None if value is None else field.to_python_value(value)
            if value is not None:
                self.__dict__["_custom_generated_pk"] = True
        elif kind in ("fk", "o2o"):
            setattr(self, key, value)
        else:
            raise ConfigurationError(
                f"{_CONSTRUCTOR_RELATION_HINT[kind]}: {type(self).__name__}.{key} is a {kind.replace('_', ' ')} "
                "relation and cannot be set in the constructor; save the object, then use the relation manager"
            )

    # --- identity ---------------------------------------------------------------------------
    @property
    def pk(self) -> Any:
        return self.__dict__.get(self._meta.pk_attr)

    @pk.setter
    def pk(self, value: Any) -> None:
        self.__dict__[self._meta.pk_attr] = value

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.pk is not None and self.pk == other.pk  # type: ignore[attr-defined]

    def __iter__(self) -> Any:
        """``dict(obj)``: (field name, value) of each column field."""
        for name in self._meta.data_field_names:
            yield name, getattr(self, name)

    def __hash__(self) -> int:
        if self.pk is None:
            raise TypeError(f"{type(self).__name__} instances without a primary key are unhashable")
        return hash(self.pk)

    def __repr__(self) -> str:
        if self.pk is not None:
            return f"<{type(self).__name__}: {self.pk}>"
        return f"<{type(self).__name__}>"

    def __str__(self) -> str:
        return f"<{type(self).__name__}>"

    def __await__(self):  # lets ``await post.author`` work whether or not it was fetched
        async def _self() -> "Model":
            return self

        return _self().__await__()

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not isinstance(v, _managers())}

    # --- database selection -------------------------------------------------------------------
    @classmethod
    def _choose_db(cls, for_write: bool = False) -> "BaseDBAsyncClient":
        name = (router._routers and router.db_for(cls, for_write)) or cls._meta.default_connection
        if name is None:
            raise ConfigurationError(
                f"{cls.__name__} is not bound to a connection; is its module listed in Tortoise.init(modules=...)?"
            )
        return connections.get(name)

    # --- saving -----------------------------------------------------------------------------------
    def _check_and_encode(self, encoders: list[tuple[str, Callable[[Any], Any]]]) -> list[Any]:
        """Encode attribute values for the database, enforcing NOT NULL and validators.

        Every given value is encoded before a missing required one is reported, so a value
        that cannot be written is named first (Tortoise's order: its TypeError comes first).
        """
        d = self.__dict__
        fields_map = self._meta.fields_map
        values = []
        missing = None
        for name, enc in encoders:
            value = d.get(name)
            if value is None:
                if missing is None:
                    field = fields_map[name]
                    if not field.null and not (field.pk and field.generated):
                        missing = name
                values.append(None)
                continue
            try:
                values.append(enc(value))
            except ValidationError:
                raise
            except (TypeError, ValueError, ArithmeticError) as exc:
                raise InvalidValueError(f"{type(self).__name__}.{name}: invalid value {value!r}: {exc}") from exc
        if missing is not None:
            raise RequiredFieldError(
                f"{type(self).__name__}.{missing} is required (NOT NULL) but has no value; "
                f"pass {missing}=... or give the field a default"
            )
        return values

    def _run_validators(self) -> None:
        for field in self._meta.validated_fields:
            value = self.__dict__.get(field.model_field_name)
            if value is not None:
                field.validate(value)

    def _touch_auto_fields(self, creating: bool) -> None:
        for field in self._meta.auto_fields(creating):
            field.stamp(self)

    async def save(
        self,
        using_db: "BaseDBAsyncClient | None" = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        meta = self._meta
        fields_list = list(update_fields) if update_fields is not None else None
        if self._partial and self._saved_in_db:
            self._check_partial_save(fields_list)
        db = using_db or self._choose_db(for_write=True)
        # a saved object whose pk was reset to None is saved as a new row (an implicit clone)
        creating = force_create or (not force_update and (not self._saved_in_db or self.pk is None))
        if fields_list is not None:
            for name in fields_list:
                field = meta.fields_map.get(name)
                if field is not None and field.pk and not creating:
                    raise OperationalError(
                        f"Can't update pk field, use `{type(self).__name__}.create` instead: "
                        f"update_fields of {type(self).__name__}.save() names its primary key '{name}'"
                    )
                if field is None or not field.has_db_field and field.relation_kind not in ("fk", "o2o"):
                    raise FieldError(
                        f"update_fields: '{name}' is not a field of {type(self).__name__}; "
                        f"fields are: {', '.join(meta.data_field_names)}"
                    )
        for name in meta.async_default_fields:
            if inspect.iscoroutine(self.__dict__.get(name)):
                self.__dict__[name] = await self.__dict__[name]
        if meta._auto_on_create:
            self._touch_auto_fields(creating)
        if meta.validated_fields:
            self._run_validators()
        if signals._listeners:  # no coroutine per save when nothing listens
            await signals.send(signals.Signals.pre_save, type(self), self, db, fields_list)
        st = meta.statements(db.dialect)
        if creating:
            await self._insert(db, st)
        else:
            await self._update(db, st, fields_list, force_update)
        self._saved_in_db = True
        if signals._listeners:
            await signals.send(signals.Signals.post_save, type(self), self, creating, db, fields_list)

    def _check_partial_save(self, update_fields: list[str] | None) -> None:
        """An instance fetched with only() saves only fields it holds, and needs its key."""
        name = type(self).__name__
        if update_fields is None:
            raise IncompleteInstanceError(
                f"{self} is a partial model: {name} was fetched with only(); save it with update_fields=[...]"
            )
        d = self.__dict__
        if self._meta.pk_attr not in d:
            raise IncompleteInstanceError(
                f"Partial update not available: this {name} was fetched with only() without its primary key"
            )
        for field_name in update_fields:
            field = self._meta.fields_map.get(field_name)
            attr = field.source_field_name if field is not None and field.relation_kind else field_name
            if attr not in d:
                raise IncompleteInstanceError(
                    f"{name}: field '{field_name}' is not available: the instance was fetched with only() without it"
                )

    async def _insert(self, db: "BaseDBAsyncClient", st: ModelStatements) -> None:
        if self._meta.db_default_fields:
            from tortoise.db_default_insert import insert_leaving_db_defaults, unset_db_defaults

            omitted = unset_db_defaults(self)
            if omitted:
                return await insert_leaving_db_defaults(self, db, omitted)
        if self.pk is None and self._meta.pk.generated:
            values = st.encode_auto(self)
            self.pk = await db.execute_insert(st.insert_auto, values, _job=db.jobs.row_insert)
        else:
            values = st.encode_all(self)
            await db.execute_insert(st.insert_all, values, _job=db.jobs.row_insert)

    async def _update(
        self, db: "BaseDBAsyncClient", st: ModelStatements, update_fields: list[str] | None, force: bool
    ) -> None:
        meta = self._meta
        if update_fields is None:  # auto_now_add columns never set on this instance keep their value
            unset = [f for f in meta._auto_on_create if f not in meta._auto_on_update and self.__dict__.get(f.model_field_name) is None]
            if unset:
                update_fields = [f.model_field_name for f in st.update_fields if f not in unset]
        if update_fields is None:
            if not st.update_all:
                return
            names = tuple(f.model_field_name for f in st.update_fields)
            sql, encode = st.update_all, st.encode_update
        else:
            fields_map = meta.fields_map
            names = tuple([n if (f := fields_map[n]).relation_kind is None else f.source_field_name for n in update_fields])
            if not names:
                return
            sql, encode = st.update_of(names)
        try:
            values = encode(self)
        except ValidationError:
            if not self._holds_expression(names):
                raise
            # ``obj.n = F("n") + 1``: the database computes the value, as in QuerySet.update();
            # a db_default value the database has not reported back is left as it is
            changes = {n: v for n in names if not isinstance(v := self.__dict__.get(n), DatabaseDefault)}
            rows = await type(self).filter(pk=self.pk).using_db(db).update(**changes) if changes else 1
        else:
            values.append(st.pk_encoder(self.pk))
            rows = await db.execute_write(sql, values, _job=db.jobs.row_write)
        if rows == 0 and force:
            raise IntegrityError(f"cannot update {type(self).__name__} with pk={self.pk!r}: no such row")

    def _holds_expression(self, names: tuple[str, ...]) -> bool:
        """Whether a value among ``names`` is for the database to compute (F(), db_default)."""
        from tortoise.expressions import Expression

        return any(isinstance(self.__dict__.get(n), (Expression, DatabaseDefault)) for n in names)

    async def delete(self, using_db: "BaseDBAsyncClient | None" = None) -> None:
        if not self._saved_in_db:
            raise OperationalError(f"cannot delete an unsaved {type(self).__name__}")
        db = using_db or self._choose_db(for_write=True)
        if signals._listeners:
            await signals.send(signals.Signals.pre_delete, type(self), self, db)
        st = self._meta.statements(db.dialect)
        await db.execute_write(st.delete, [st.pk_encoder(self.pk)], _job=db.jobs.row_write)
        if signals._listeners:
            await signals.send(signals.Signals.post_delete, type(self), self, db)

    async def refresh_from_db(self, fields: Iterable[str] | None = None, using_db: "BaseDBAsyncClient | None" = None) -> None:
        if not self._saved_in_db:
            raise OperationalError(f"cannot refresh an unsaved {type(self).__name__}")
        qs = type(self).filter(pk=self.pk)
        if using_db is not None:
            qs = qs.using_db(using_db)
        names = list(fields) if fields else self._meta.data_field_names
        rows = await qs.values(*names)
        if not rows:
            raise type(self).DoesNotExist(f"{type(self).__name__} with pk={self.pk!r} no longer exists", model=type(self))
        self.__dict__.update(rows[0])
        if not fields:
            self.__dict__.pop("_partial", None)

    async def fetch_related(self, *args: Any, using_db: "BaseDBAsyncClient | None" = None) -> None:
        from tortoise.prefetch import prefetch_instances

        await prefetch_instances(type(self), [self], args, using_db)

    def update_from_dict(self: MODEL, data: dict[str, Any]) -> MODEL:
        meta = self._meta
        for key, value in data.items():
            field = meta.fields_map.get(key)
            if field is None:  # keys that are not fields are left out, as Tortoise does
                continue
            if field.relation_kind in ("m2m", "backward_fk", "backward_o2o"):
                raise ConfigurationError(f"{type(self).__name__}.{key} is a relation manager and cannot be set from a dict")
            if field.pk:
                continue
            if field.relation_kind is None and value is not None:
                value = field.to_python_value(value)  # InvalidValueError, a ValueError, if it cannot
            setattr(self, key, value)
        return self

    def clone(self: MODEL, pk: Any = None) -> MODEL:
        """An unsaved copy; a model whose pk is not generated needs the new ``pk``."""
        if pk is None and not self._meta.pk.generated:
            raise ParamsError(f"{type(self).__name__}.clone() needs pk=... because its primary key is not generated")
        obj = object.__new__(type(self))
        obj.__dict__ = {k: v for k, v in self.__dict__.items() if not isinstance(v, _managers())}
        obj.__dict__["_saved_in_db"] = False
        obj.pk = pk
        return obj

    @classmethod
    def construct(cls: type[MODEL], _saved_in_db: bool = False, **values: Any) -> MODEL:
        """An instance from trusted ``values``, without conversion or checks (see tortoise.construct)."""
        from tortoise.construct import construct

        return construct(cls, _saved_in_db, values)

    # --- class-level query API -------------------------------------------------------------
    @classmethod
    def _queryset(cls) -> "QuerySet":
        meta = cls._meta
        if meta.ordering and not meta._ordering_checked:
            from tortoise.describe import check_ordering

            check_ordering(cls)
            meta._ordering_checked = True
        manager = meta.manager
        return manager.bound(cls).get_queryset() if manager is not None else (_QUERYSET or _queryset_class())(cls)

    @classmethod
    def all(cls, using_db: Any = None) -> "QuerySet":
        qs = cls._queryset()
        return qs.using_db(using_db) if using_db is not None else qs

    @classmethod
    def filter(cls, *args: Any, **kwargs: Any) -> "QuerySet":
        return cls._queryset().filter(*args, **kwargs)

    @classmethod
    def exclude(cls, *args: Any, **kwargs: Any) -> "QuerySet":
        return cls._queryset().exclude(*args, **kwargs)

    @classmethod
    def annotate(cls, **kwargs: Any) -> "QuerySet":
        return cls._queryset().annotate(**kwargs)

    @classmethod
    def first(cls, using_db: Any = None) -> Any:
        return cls.all(using_db).first()

    @classmethod
    def last(cls, using_db: Any = None) -> Any:
        return cls.all(using_db).last()

    @classmethod
    def latest(cls, *orderings: str, using_db: Any = None) -> Any:
        return cls.all(using_db).latest(*orderings)

    @classmethod
    def earliest(cls, *orderings: str, using_db: Any = None) -> Any:
        return cls.all(using_db).earliest(*orderings)

    @classmethod
    def get(cls, *args: Any, using_db: Any = None, **kwargs: Any) -> Any:
        qs = cls._queryset() if using_db is None else cls.all(using_db)
        return qs.get(*args, **kwargs)

    @classmethod
    def get_or_none(cls, *args: Any, using_db: Any = None, **kwargs: Any) -> Any:
        qs = cls._queryset() if using_db is None else cls.all(using_db)
        return qs.get_or_none(*args, **kwargs)

    @classmethod
    def exists(cls, *args: Any, using_db: Any = None, **kwargs: Any) -> Any:
        return cls.all(using_db).filter(*args, **kwargs).exists()

    @classmethod
    def select_for_update(cls, nowait: bool = False, skip_locked: bool = False, of: tuple[str, ...] = (), no_key: bool = False) -> "QuerySet":
        return cls._queryset().select_for_update(nowait, skip_locked, of)

    @classmethod
    def raw(cls, sql: str, params: Sequence[Any] | None = None, using_db: Any = None) -> Any:
        from tortoise.queryset import RawSQLQuery

        return RawSQLQuery(cls, sql, params, using_db)

    @classmethod
    async def create(cls: type[MODEL], using_db: Any = None, **kwargs: Any) -> MODEL:
        obj = cls(**kwargs)
        await obj.save(using_db=using_db, force_create=True)
        return obj

    @classmethod
    async def get_or_create(
        cls: type[MODEL], defaults: dict[str, Any] | None = None, using_db: Any = None, **kwargs: Any
    ) -> tuple[MODEL, bool]:
        from tortoise.transactions import in_transaction

        if not kwargs:
            raise ValueError(f"{cls.__name__}.get_or_create() needs lookup arguments")
        db = using_db or cls._choose_db(for_write=True)
        found = await cls.filter(**kwargs).using_db(db).get_or_none()
        if found is not None:
            return found, False
        _check_no_conflict(cls, defaults, kwargs)
        try:
            async with in_transaction(db) as conn:
                return await cls.create(using_db=conn, **{**kwargs, **(defaults or {})}), True
        except IntegrityError as exc:  # created concurrently: fetch it
            found = await cls.filter(**kwargs).using_db(db).get_or_none()
            if found is None:
                raise exc
            return found, False

    @classmethod
    async def update_or_create(
        cls: type[MODEL], defaults: dict[str, Any] | None = None, using_db: Any = None, **kwargs: Any
    ) -> tuple[MODEL, bool]:
        from tortoise.transactions import in_transaction

        db = using_db or cls._choose_db(for_write=True)
        async with in_transaction(db) as conn:
            found = await cls.filter(**kwargs).using_db(conn).select_for_update().get_or_none()
            if found is not None:
                if defaults:
                    found.update_from_dict(defaults)
                    fields_map = cls._meta.fields_map
                    changed = [n for n in defaults if n in fields_map and not fields_map[n].pk]
                    await found.save(using_db=conn, update_fields=changed)
                return found, False
            _check_no_conflict(cls, defaults, kwargs)
            return await cls.create(using_db=conn, **{**kwargs, **(defaults or {})}), True

    @classmethod
    async def bulk_create(
        cls: type[MODEL],
        objects: Iterable[MODEL],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_fields: Iterable[str] | None = None,
        on_conflict: Iterable[str] | None = None,
        using_db: Any = None,
    ) -> list[MODEL]:
        from tortoise.bulk import bulk_create

        return await bulk_create(cls, list(objects), batch_size, ignore_conflicts, update_fields, on_conflict, using_db)

    @classmethod
    async def bulk_update(
        cls: type[MODEL], objects: Iterable[MODEL], fields: Iterable[str], batch_size: int | None = None, using_db: Any = None
    ) -> int:
        from tortoise.bulk import bulk_update

        return await bulk_update(cls, list(objects), list(fields), batch_size, using_db)

    @classmethod
    async def in_bulk(cls: type[MODEL], id_list: Iterable[Any], field_name: str = "pk", using_db: Any = None) -> dict[Any, MODEL]:
        return await cls.all(using_db).in_bulk(id_list, field_name)

    @classmethod
    async def fetch_for_list(cls, instance_list: Iterable["Model"], *args: Any, using_db: Any = None) -> None:
        from tortoise.prefetch import prefetch_instances

        await prefetch_instances(cls, list(instance_list), args, using_db)

    @classmethod
    def describe(cls, serializable: bool = True) -> dict[str, Any]:
        from tortoise.describe import describe_model

        return describe_model(cls, serializable)

    @classmethod
    def check(cls) -> None:
        """Validate the model definition (raises ConfigurationError)."""
        from tortoise.describe import check_model

        check_model(cls)

    @classmethod
    def get_table(cls) -> Any:
        """The model's table as a pypika ``Table`` (for ``tortoise.query_api``; needs the
        optional pypika-tortoise package)."""
        from tortoise.query_api import pypika_table

        return pypika_table(cls)

    class Meta:
        pass


def _check_no_conflict(model: Any, defaults: dict[str, Any] | None, lookup: dict[str, Any]) -> None:
    """Creating from ``lookup`` and ``defaults``: a name in both must have one value."""
    for key in (defaults or {}).keys() & lookup.keys():
        if defaults[key] != lookup[key]:  # type: ignore[index]
            raise ParamsError(
                f"Conflict value with key={key!r}: defaults give {defaults[key]!r}, "  # type: ignore[index]
                f"the lookup {lookup[key]!r}; {model.__name__} cannot be created with both"
            )


def _managers() -> tuple[type, ...]:
    return (ReverseRelation,)


#: QuerySet, imported on first use (queryset.py imports this module).  An import statement
#: run per call costs more than the call it serves (CPython looks up the module's spec
#: and raises and clears an AttributeError each time).
_QUERYSET: Any = None


def _queryset_class() -> type:
    global _QUERYSET
    from tortoise.queryset import QuerySet

    _QUERYSET = QuerySet
    return QuerySet
