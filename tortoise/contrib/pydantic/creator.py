"""``pydantic_model_creator`` / ``pydantic_queryset_creator``: Tortoise model → pydantic class."""
from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from pydantic import ConfigDict
from pydantic import Field as PydanticField

from tortoise.contrib.pydantic.base import PydanticListModel, PydanticModel
from tortoise.contrib.pydantic.checks import PATH_SEPARATOR, check_computed, check_model, check_paths, name_tuple
from tortoise.contrib.pydantic.fieldtypes import (
    as_description,
    computed_field,
    data_field,
    declared_type,
    doc_comments,
    is_read_only,
    model_hints,
    relation_field,
)
from tortoise.contrib.pydantic.naming import COMPUTED, Shape, class_name, declared_annotations, or_none
from tortoise.contrib.pydantic.options import PydanticMeta, read_meta
from tortoise.contrib.pydantic.order import field_order

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model

#: generated classes by everything that shapes them: creating the same one twice gives one class
_CACHE: dict["_Request", type[PydanticModel]] = {}
#: generated classes by name and digest: requests that come to the same shape (a nested model
#: reached from different parents or depths) share one class, so a schema never holds two
#: classes of one name (pydantic would then spell their ``$defs`` keys differently)
_BY_NAME: dict[tuple, type[PydanticModel]] = {}
_LIST_CACHE: dict[tuple, type[PydanticListModel]] = {}
_BACKWARD = ("backward_fk", "backward_o2o")
_LISTS = ("backward_fk", "m2m")


@dataclass(frozen=True)
class _Request:
    """What one generated class depends on (hashable: it is the cache key)."""

    model: Any
    #: the class name the caller chose, if any (it is the title too)
    given_name: Optional[str] = None
    #: shaped by creator options, which puts the shape's digest into the name
    with_options: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    #: ``optional`` as the caller wrote it (a list or a tuple), which the name's digest lists
    optional_as_given: str = "()"
    allow_cycles: Optional[bool] = None
    sort_alphabetically: Optional[bool] = None
    max_recursion: Optional[int] = None
    exclude_readonly: bool = False
    meta_override: Any = None
    model_config: tuple = ()
    #: pydantic validators (``field_validator(...)``-decorated functions) by name
    validators: tuple = ()
    module: str = __name__
    depth: int = 0
    stack: tuple = ()
    #: relations are known only once Tortoise.init has run; a class made before has none
    inited: bool = True


def pydantic_model_creator(
    cls: "type[Model]",
    *,
    name: str | None = None,
    exclude: tuple[str, ...] | None = None,
    include: tuple[str, ...] | None = None,
    computed: tuple[str, ...] | None = None,
    optional: tuple[str, ...] | None = None,
    allow_cycles: bool | None = None,
    sort_alphabetically: bool | None = None,
    exclude_readonly: bool = False,
    meta_override: type | None = None,
    model_config: ConfigDict | dict[str, Any] | None = None,
    validators: dict[str, Any] | None = None,
    module: str = __name__,
) -> type[PydanticModel]:
    """A pydantic model of ``cls``: its fields, nested relations and computed values.

    ``include``/``exclude``/``computed`` add to the model's ``PydanticMeta``;
    ``allow_cycles``/``sort_alphabetically`` override it; ``optional`` makes fields
    optional (default None); ``exclude_readonly`` builds an input model without
    generated keys, auto timestamps, computed values and relation objects (the
    ``<relation>_id`` columns stay so that relations can be written); ``validators``
    adds pydantic validators by name (``{"check": field_validator("name")(check)}``).

    The class is named ``module.qualname`` of ``cls`` (titled with the model's name),
    or ``name`` if given; passing any of the options above adds a digest of the shape.
    """
    check_model(cls)
    options = (exclude, include, computed, optional, allow_cycles, sort_alphabetically, meta_override)
    request = _Request(
        model=cls,
        given_name=name,
        with_options=exclude_readonly or any(option is not None for option in options),
        include=name_tuple(include, "include"),
        exclude=name_tuple(exclude, "exclude"),
        computed=name_tuple(computed, "computed"),
        optional=name_tuple(optional, "optional"),
        optional_as_given=str(optional if optional is not None else ()),
        allow_cycles=allow_cycles,
        sort_alphabetically=sort_alphabetically,
        exclude_readonly=exclude_readonly,
        meta_override=meta_override,
        model_config=_freeze(model_config),
        validators=_freeze(validators),
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
    """A pydantic list model (a JSON array) of ``cls`` items built as by ``pydantic_model_creator``.

    As in Tortoise, the item class and the list class are both called ``name`` when it is
    given; otherwise the list is called after its item class, with ``_list`` appended."""
    item = pydantic_model_creator(
        cls,
        name=name,
        exclude=exclude,
        include=include,
        computed=computed,
        allow_cycles=allow_cycles,
        sort_alphabetically=sort_alphabetically,
        module=module,
    )
    list_name = name or f"{item.__name__}_list"
    key = (item, list_name, module)
    if key not in _LIST_CACHE:
        title = name or f"{item.model_config['title']}_list"
        namespace = {
            "__annotations__": {"root": list[item]},  # type: ignore[valid-type]
            "root": PydanticField(default_factory=list),
            "__module__": module,
            "__qualname__": list_name,
            "__doc__": as_description(inspect.cleandoc(cls.__doc__ or "")),
            "model_config": ConfigDict(title=title),
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


def _split(paths: tuple[str, ...]) -> tuple[set[str], dict[str, list[str]]]:
    """Names at this level, and the rest of each ``relation__field`` path by relation."""
    here: set[str] = set()
    below: dict[str, list[str]] = {}
    for path in paths:
        head, *rest = PATH_SEPARATOR.split(path, maxsplit=1)
        if rest:
            below.setdefault(head, []).append(rest[0])
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
        computed = request.computed + meta["computed"]
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


@dataclass
class _Entry:
    """One field of a class being built."""

    #: ``(annotation, FieldInfo)`` of a column or relation, or the computed field object
    spec: Any
    #: "value", "one" (nested object), "many" (nested list) or "computed"
    kind: str
    #: the nested class of a relation
    child: Any
    #: what the name's digest lists for the field (see naming.py)
    label: Any


def _build(request: _Request) -> type[PydanticModel]:
    """Build the fields (in the model's field order, computed values last, or all sorted by
    name), name the class after its shape, and reuse a class of that name and shape."""
    model = request.model
    level = _Level.resolve(request)
    comments = doc_comments(model)
    declared = declared_annotations(model)
    built: dict[str, _Entry] = {}
    for name in field_order(model):
        fobj = model._meta.fields_map[name]
        if not level.wanted(name):
            continue
        description = fobj.description or comments.get(name) or _forward_description(fobj)
        if fobj.relation_kind is None:
            if _value_kept(fobj, request, level):
                optional = name in request.optional
                spec = data_field(fobj, description, optional, _value_hint(model, name))
                built[name] = _Entry(spec, "value", None, declared.get(name) or _value_label(fobj, optional))
            continue
        child = _nested_class(fobj, request, level)
        if child is not None:
            many = fobj.relation_kind in _LISTS
            annotation = list[child] if many else child  # type: ignore[valid-type]
            nullable = not many and (fobj.null or fobj.relation_kind == "backward_o2o")
            spec = relation_field(fobj, annotation, description, nullable)
            label = or_none(child) if nullable or (not many and fobj.default is not None) else annotation
            built[name] = _Entry(spec, "many" if many else "one", child, label)
    if not request.exclude_readonly:
        for name in level.computed:
            spec = computed_field(model, name) if name not in level.exclude_here else None
            if spec is not None:
                built[name] = _Entry(spec, "computed", None, COMPUTED)
    order = sorted(built) if level.sort else list(built)
    shape = Shape(
        model,
        entries=[(name, built[name].label) for name in order],
        nested=[(name, built[name].child.__name__) for name in order if built[name].child is not None],
        optional=request.optional_as_given,
        allow_cycles=level.allow_cycles,
        exclude_readonly=request.exclude_readonly,
        computed=level.computed,
    )
    class_ = class_name(shape, request.given_name, request.with_options, leaf=request.depth > 0)
    key = (class_, shape.digest(), request.module, request.model_config, request.meta_override, request.validators)
    try:
        return _BY_NAME[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable model_config value: a class of its own
        key = None
    generated = _make_class(request, level, class_, {name: built[name].spec for name in order})
    generated._tortoise_model = model
    generated._tortoise_entries = tuple((name, built[name].kind, built[name].child) for name in order)
    if key is not None:
        _BY_NAME[key] = generated
    return generated


def _forward_description(fobj: Any) -> str | None:
    """A reverse relation, or the ``<name>_id`` column of a foreign key, is described by its
    forward relation's description, or the first line of its doc comment, as Tortoise copies
    that description to them."""
    if getattr(fobj, "reference", None) is not None:
        forward = fobj.reference
    elif fobj.relation_kind in _BACKWARD:
        forward = getattr(fobj.related_model._meta.fields_map.get(fobj.relation_field), "reference", None)
    elif getattr(fobj, "_generated", False):
        forward = fobj.related_model._meta.fields_map.get(fobj.related_name)
    else:
        return None
    if forward is None:
        return None
    comment = doc_comments(forward.model).get(forward.model_field_name)
    return forward.description or (comment.splitlines()[0] if comment else None)


def _value_label(fobj: Any, optional: bool) -> Any:
    """The annotation Tortoise gives a column in the digested text: its Python type (the
    enum of an enum field), ``| None`` when nullable or made optional, except for the pk."""
    label = declared_type(fobj)
    pk = fobj.pk or getattr(getattr(fobj, "reference", None), "pk", False)  # an O2O key's column
    return or_none(label) if not pk and (optional or fobj.null) else label


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
    if not level.allow_cycles and related in request.stack:  # as Tortoise: a direct self-reference nests once
        return None
    child = _Request(
        model=related,
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
    return _create(child)


def _make_class(
    request: _Request, level: _Level, name: str, fields: dict[str, Any]
) -> type[PydanticModel]:
    """The class: ``fields`` holds ``(annotation, FieldInfo)`` pairs and computed field objects."""
    config = ConfigDict(from_attributes=True, extra="forbid", title=request.given_name or request.model.__name__)
    config.update(level.meta["model_config"] or {})
    config.update(dict(request.model_config))
    columns = {field: spec for field, spec in fields.items() if isinstance(spec, tuple)}
    namespace: dict[str, Any] = {field: spec[1] if field in columns else spec for field, spec in fields.items()}
    namespace.update(dict(request.validators))
    namespace.update(
        {
            "__annotations__": {field: spec[0] for field, spec in columns.items()},
            "__module__": request.module,
            "__qualname__": name,
            "__doc__": as_description(inspect.cleandoc(request.model.__doc__ or "")),
            "model_config": config,
        }
    )
    return type(name, (PydanticModel,), namespace)


__all__ = ["PydanticMeta", "pydantic_model_creator", "pydantic_queryset_creator"]
