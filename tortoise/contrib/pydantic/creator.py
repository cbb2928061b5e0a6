"""``pydantic_model_creator`` / ``pydantic_queryset_creator``: Tortoise model → pydantic class."""
from __future__ import annotations

import hashlib
import inspect
import typing
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Optional

from pydantic import ConfigDict

from tortoise.contrib.pydantic.base import PydanticListModel, PydanticModel
from tortoise.contrib.pydantic.checks import check_computed, check_model, check_paths, name_tuple
from tortoise.contrib.pydantic.fieldtypes import (
    as_description,
    computed_field,
    data_field,
    doc_comments,
    is_read_only,
    model_hints,
    relation_field,
)
from tortoise.contrib.pydantic.options import PydanticMeta, read_meta

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model

#: generated classes by everything that shapes them: creating the same one twice gives one class
_CACHE: dict["_Request", type[PydanticModel]] = {}
_LIST_CACHE: dict[tuple, type[PydanticListModel]] = {}
_BACKWARD = ("backward_fk", "backward_o2o")
_LISTS = ("backward_fk", "m2m")


@dataclass(frozen=True)
class _Request:
    """What one generated class depends on (hashable: it is the cache key)."""

    model: Any
    name: str
    title: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    allow_cycles: Optional[bool] = None
    sort_alphabetically: Optional[bool] = None
    max_recursion: Optional[int] = None
    exclude_readonly: bool = False
    meta_override: Any = None
    model_config: tuple = ()
    module: str = __name__
    depth: int = 0
    stack: tuple = ()
    #: relations are known only once Tortoise.init has run; a class made before has none
    inited: bool = True


def pydantic_model_creator(
    cls: "type[Model]",
    *,
    name: str | None = None,
    exclude: tuple[str, ...] = (),
    include: tuple[str, ...] = (),
    computed: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    allow_cycles: bool | None = None,
    sort_alphabetically: bool | None = None,
    exclude_readonly: bool = False,
    meta_override: type | None = None,
    model_config: ConfigDict | dict[str, Any] | None = None,
    module: str = __name__,
) -> type[PydanticModel]:
    """A pydantic model of ``cls``: its fields, nested relations and computed values.

    ``include``/``exclude``/``computed`` add to the model's ``PydanticMeta``;
    ``allow_cycles``/``sort_alphabetically`` override it; ``optional`` makes fields
    optional (default None); ``exclude_readonly`` builds an input model without
    generated keys, auto timestamps, computed values and relation objects (the
    ``<relation>_id`` columns stay so that relations can be written).
    """
    check_model(cls)
    request = _Request(
        model=cls,
        name=name or cls.__name__,
        title=name or cls.__name__,
        include=name_tuple(include, "include"),
        exclude=name_tuple(exclude, "exclude"),
        computed=name_tuple(computed, "computed"),
        optional=name_tuple(optional, "optional"),
        allow_cycles=allow_cycles,
        sort_alphabetically=sort_alphabetically,
        exclude_readonly=exclude_readonly,
        meta_override=meta_override,
        model_config=_freeze(model_config),
        module=module,
        inited=cls._meta._inited,
    )
    return _create(request)


def pydantic_queryset_creator(
    cls: "type[Model]",
    *,
    name: str | None = None,
    exclude: tuple[str, ...] = (),
    include: tuple[str, ...] = (),
    computed: tuple[str, ...] = (),
    allow_cycles: bool | None = None,
    sort_alphabetically: bool | None = None,
    module: str = __name__,
) -> type[PydanticListModel]:
    """A pydantic list model (a JSON array) of ``cls`` items built as by ``pydantic_model_creator``."""
    list_name = name or f"{cls.__name__}_list"
    item = pydantic_model_creator(
        cls,
        name=f"{list_name}__item" if name else None,
        exclude=exclude,
        include=include,
        computed=computed,
        allow_cycles=allow_cycles,
        sort_alphabetically=sort_alphabetically,
        module=module,
    )
    key = (item, list_name, module)
    if key not in _LIST_CACHE:
        namespace = {
            "__annotations__": {"root": list[item]},  # type: ignore[valid-type]
            "__module__": module,
            "__qualname__": list_name,
            "__doc__": cls.__doc__,
            "model_config": ConfigDict(title=list_name),
        }
        list_model = type(list_name, (PydanticListModel,), namespace)
        list_model._tortoise_item = item
        _LIST_CACHE[key] = list_model
    return _LIST_CACHE[key]


# --- building ---------------------------------------------------------------------------------
def _freeze(config: Any) -> tuple:
    return tuple(sorted(dict(config or {}).items(), key=lambda item: item[0]))


def _create(request: _Request) -> type[PydanticModel]:
    try:
        return _CACHE[request]
    except KeyError:
        pass
    except TypeError:  # an unhashable model_config value: build without caching
        return _build(request)
    created = _CACHE[request] = _build(request)
    return created


def _ordered_fields(model: Any) -> list[Any]:
    """The pk, the model's own fields in definition order, then reverse relations."""
    return sorted(model._meta.fields_map.values(), key=lambda f: (not f.pk, f.relation_kind in _BACKWARD))


def _split(paths: tuple[str, ...]) -> tuple[set[str], dict[str, list[str]]]:
    """Names at this level, and the rest of each ``relation__field`` path by relation."""
    here: set[str] = set()
    below: dict[str, list[str]] = {}
    for path in paths:
        head, _, rest = path.partition("__")
        if rest:
            below.setdefault(head, []).append(rest)
        else:
            here.add(head)
    return here, below


def _annotated_on_model(model: Any, name: str) -> bool:
    return any(name in vars(klass).get("__annotations__", {}) for klass in model.__mro__)


def _raw_field_dropped(fobj: Any, request: _Request, include_here: set[str], exclude_here: set[str]) -> bool:
    """Whether ``exclude_raw_fields`` drops this ``<relation>_id`` column: it does unless the
    column is the pk (or the column of an O2O primary key), is included by name, or its
    relation is excluded by name, and never in an input model (which writes relations
    through these columns)."""
    reference = getattr(fobj, "reference", None)
    if reference is None or fobj.pk or reference.pk or request.exclude_readonly:
        return False
    return fobj.model_field_name not in include_here and reference.model_field_name not in exclude_here


def _value_hint(model: Any, name: str) -> Any:
    """The model's annotation of a column when it is a value type (not a Field or ClassVar)."""
    from tortoise.fields import Field

    hint = model_hints(model).get(name)
    origin = typing.get_origin(hint) or hint
    if hint is None or origin is typing.ClassVar or (isinstance(origin, type) and issubclass(origin, Field)):
        return None
    return hint


def _leaf_name(request: _Request) -> str:
    """A nested model's class name: the same for the same shape whatever the parent."""
    shape = (
        request.model.__module__, request.model.__qualname__, request.include, request.exclude,
        request.allow_cycles, request.sort_alphabetically, request.max_recursion, request.depth,
        tuple(f"{m.__module__}.{m.__qualname__}" for m in request.stack), request.inited,
    )
    digest = hashlib.sha1(repr(shape).encode()).hexdigest()[:6]
    return f"{request.model.__name__}_{digest}_leaf"


@dataclass
class _Level:
    """The options in force for one generated class: its model's PydanticMeta merged with
    what the caller (or the parent class, for a nested one) asked for."""

    meta: dict[str, Any]
    computed: tuple[str, ...]
    include: tuple[str, ...]
    include_here: set[str]
    include_below: dict[str, list[str]]
    exclude_here: set[str]
    exclude_below: dict[str, list[str]]
    allow_cycles: bool
    max_recursion: int
    sort: bool

    @classmethod
    def resolve(cls, request: _Request) -> "_Level":
        model = request.model
        meta = read_meta(model, request.meta_override if request.depth == 0 else None)
        computed = meta["computed"] + request.computed
        include = meta["include"] + request.include
        exclude = meta["exclude"] + request.exclude
        check_computed(model, computed)
        if request.inited:  # before Tortoise.init reverse relations do not exist yet
            check_paths(model, include, "include", computed)
            check_paths(model, exclude, "exclude", computed)

        def chosen(option: str) -> Any:
            value = getattr(request, option)
            return meta[option] if value is None else value

        return cls(
            meta, computed, include, *_split(include), *_split(exclude),
            chosen("allow_cycles"), chosen("max_recursion"), chosen("sort_alphabetically"),
        )

    def wanted(self, name: str) -> bool:
        return name not in self.exclude_here and (
            not self.include or name in self.include_here or name in self.include_below
        )


def _build(request: _Request) -> type[PydanticModel]:
    model = request.model
    level = _Level.resolve(request)
    comments = doc_comments(model)
    fields: dict[str, tuple[Any, Any]] = {}
    entries: list[tuple[str, str, Any]] = []
    for fobj in _ordered_fields(model):
        name = fobj.model_field_name
        if not level.wanted(name):
            continue
        description = fobj.description or comments.get(name)
        if fobj.relation_kind is None:
            if _value_kept(fobj, request, level):
                fields[name] = data_field(fobj, description, name in request.optional, _value_hint(model, name))
                entries.append((name, "value", None))
            continue
        child = _nested_class(fobj, request, level)
        if child is not None:
            many = fobj.relation_kind in _LISTS
            annotation = list[child] if many else child  # type: ignore[valid-type]
            nullable = not many and (fobj.null or fobj.relation_kind == "backward_o2o")
            fields[name] = relation_field(fobj, annotation, description, nullable)
            entries.append((name, "many" if many else "one", child))
    if not request.exclude_readonly:
        for name in level.computed:
            spec = computed_field(model, name) if name not in level.exclude_here else None
            if spec is not None:
                fields[name] = spec
                entries.append((name, "computed", None))
    generated = _make_class(request, level, fields)
    generated._tortoise_model = model
    generated._tortoise_entries = tuple(entries)
    return generated


def _value_kept(fobj: Any, request: _Request, level: _Level) -> bool:
    if level.meta["exclude_raw_fields"] and _raw_field_dropped(fobj, request, level.include_here, level.exclude_here):
        return False
    return not (request.exclude_readonly and is_read_only(fobj))


def _nested_class(fobj: Any, request: _Request, level: _Level) -> type[PydanticModel] | None:
    """The class nested for relation ``fobj``, or None where it is left out: in an input
    model, below ``max_recursion``, a reverse relation without ``backward_relations`` (unless
    annotated on the model or included), a cycle without ``allow_cycles``, or not resolved yet."""
    name = fobj.model_field_name
    related = fobj.related_model
    stack = (*request.stack, request.model)
    if request.exclude_readonly or request.depth >= level.max_recursion or related is None:
        return None
    if (
        fobj.relation_kind in _BACKWARD
        and not level.meta["backward_relations"]
        and name not in level.include_here
        and not _annotated_on_model(request.model, name)
    ):
        return None
    if not level.allow_cycles and related in stack:
        return None
    child = _Request(
        model=related,
        name="",
        title=related.__name__,
        include=() if name in level.include_here else tuple(level.include_below.get(name, ())),
        exclude=tuple(level.exclude_below.get(name, ())),
        allow_cycles=level.allow_cycles,
        sort_alphabetically=request.sort_alphabetically,
        max_recursion=level.max_recursion,
        module=request.module,
        depth=request.depth + 1,
        stack=stack,
        inited=related._meta._inited,
    )
    return _create(replace(child, name=_leaf_name(child)))


def _make_class(request: _Request, level: _Level, fields: dict[str, tuple[Any, Any]]) -> type[PydanticModel]:
    names = sorted(fields) if level.sort else list(fields)
    config = ConfigDict(from_attributes=True, extra="forbid", title=request.title)
    config.update(level.meta["model_config"] or {})
    config.update(dict(request.model_config))
    namespace: dict[str, Any] = {name: fields[name][1] for name in names}
    namespace.update(
        {
            "__annotations__": {name: fields[name][0] for name in names},
            "__module__": request.module,
            "__qualname__": request.name,
            "__doc__": as_description(inspect.cleandoc(request.model.__doc__ or "")),
            "model_config": config,
        }
    )
    return type(request.name, (PydanticModel,), namespace)


__all__ = ["PydanticMeta", "pydantic_model_creator", "pydantic_queryset_creator"]
