"""``pydantic_model_creator`` / ``pydantic_queryset_creator``: Tortoise model → pydantic class."""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from pydantic import ConfigDict
from pydantic import Field as PydanticField

from tortoise.contrib.pydantic.base import PydanticListModel, PydanticModel
from tortoise.contrib.pydantic.fieldtypes import computed_field, data_field, doc_comments, is_read_only
from tortoise.contrib.pydantic.options import PydanticMeta, read_meta
from tortoise.exceptions import ConfigurationError

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model

#: generated classes by everything that shapes them: creating the same one twice gives one class
_CACHE: dict[tuple, type] = {}
_BACKWARD = ("backward_fk", "backward_o2o")
_LISTS = ("backward_fk", "m2m")
_KIND_ORDER = (None, "fk", "backward_fk", "o2o", "backward_o2o", "m2m")


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
    _check_model(cls)
    request = _Request(
        model=cls,
        name=name or cls.__name__,
        title=name or cls.__name__,
        include=_names(include, "include"),
        exclude=_names(exclude, "exclude"),
        computed=_names(computed, "computed"),
        optional=_names(optional, "optional"),
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
    key = ("list", item, list_name, module)
    if key not in _CACHE:
        namespace = {
            "__annotations__": {"root": list[item]},  # type: ignore[valid-type]
            "__module__": module,
            "__qualname__": list_name,
            "__doc__": cls.__doc__,
            "model_config": ConfigDict(title=list_name),
        }
        list_model = type(list_name, (PydanticListModel,), namespace)
        list_model._tortoise_item = item
        _CACHE[key] = list_model
    return _CACHE[key]


# --- building ---------------------------------------------------------------------------------
def _check_model(cls: Any) -> None:
    from tortoise.models import Model

    if not (isinstance(cls, type) and issubclass(cls, Model)):
        raise ConfigurationError(f"pydantic_model_creator needs a Tortoise model class, got {cls!r}")
    if cls._meta.abstract:
        raise ConfigurationError(f"pydantic_model_creator: {cls.__name__} is abstract and has no table")


def _names(value: Any, option: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    names = tuple(value or ())
    if not all(isinstance(n, str) for n in names):
        raise ConfigurationError(f"pydantic_model_creator: {option} must contain field names (str), got {value!r}")
    return names


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


def _ordered_fields(model: Any, sort: bool) -> list[Any]:
    fields = list(model._meta.fields_map.values())
    fields.sort(key=lambda f: (not f.pk, _KIND_ORDER.index(f.relation_kind)))
    if sort:
        fields.sort(key=lambda f: f.model_field_name)
    return fields


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


def _check_paths(model: Any, paths: tuple[str, ...], option: str, computed: tuple[str, ...]) -> None:
    """Every name in ``include``/``exclude`` is a field (or computed value) of the model it reaches."""
    for path in paths:
        current = model
        parts = path.split("__")
        for i, part in enumerate(parts):
            field_obj = current._meta.fields_map.get(part)
            if field_obj is None:
                if i == 0 and part in computed and len(parts) == 1:
                    break
                known = ", ".join(current._meta.fields_map)
                raise ConfigurationError(
                    f"pydantic_model_creator({model.__name__}): {option} names '{path}', but "
                    f"{current.__name__} has no field '{part}'; its fields are: {known}"
                )
            if i < len(parts) - 1:
                if field_obj.relation_kind is not None and field_obj.related_model is None:
                    break  # not resolved before Tortoise.init: nothing to check against
                if field_obj.relation_kind is None:
                    raise ConfigurationError(
                        f"pydantic_model_creator({model.__name__}): {option} path '{path}' goes through "
                        f"{current.__name__}.{part}, which is not a relation"
                    )
                current = field_obj.related_model


def _check_computed(model: Any, names: tuple[str, ...]) -> None:
    for name in names:
        try:
            inspect.getattr_static(model, name)
        except AttributeError:
            raise ConfigurationError(
                f"pydantic_model_creator({model.__name__}): computed names '{name}', which is not a "
                f"method or property of {model.__name__}"
            ) from None


def _annotated_on_model(model: Any, name: str) -> bool:
    return any(name in vars(klass).get("__annotations__", {}) for klass in model.__mro__)


def _build(request: _Request) -> type[PydanticModel]:
    model = request.model
    meta = read_meta(model, request.meta_override if request.depth == 0 else None)
    computed = meta["computed"] + request.computed
    include = meta["include"] + request.include
    exclude = meta["exclude"] + request.exclude
    _check_computed(model, computed)
    if request.inited:  # before Tortoise.init reverse relations do not exist yet
        _check_paths(model, include, "include", computed)
        _check_paths(model, exclude, "exclude", computed)
    allow_cycles = meta["allow_cycles"] if request.allow_cycles is None else request.allow_cycles
    sort = meta["sort_alphabetically"] if request.sort_alphabetically is None else request.sort_alphabetically
    max_recursion = meta["max_recursion"] if request.max_recursion is None else request.max_recursion
    include_here, include_below = _split(include)
    exclude_here, exclude_below = _split(exclude)
    comments = doc_comments(model)
    stack = (*request.stack, model)

    def wanted(name: str) -> bool:
        return name not in exclude_here and (not include or name in include_here or name in include_below)

    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    entries: list[tuple[str, str, Any]] = []
    for fobj in _ordered_fields(model, sort):
        name = fobj.model_field_name
        if not wanted(name):
            continue
        kind = fobj.relation_kind
        description = fobj.description or comments.get(name)
        if kind is None:
            raw_fk = getattr(fobj, "reference", None) is not None
            if raw_fk and meta["exclude_raw_fields"] and not request.exclude_readonly and name not in include_here:
                continue
            if request.exclude_readonly and is_read_only(fobj):
                continue
            annotations[name], namespace[name] = data_field(fobj, description, name in request.optional)
            entries.append((name, "value", None))
            continue
        if request.exclude_readonly or request.depth >= max_recursion:
            continue
        if kind in _BACKWARD and not meta["backward_relations"] and name not in include_here and not _annotated_on_model(model, name):
            continue
        related = fobj.related_model
        if related is None or (not allow_cycles and related in stack):
            continue
        child = _create(
            _Request(
                model=related,
                name=f"{request.name}__{name}",
                title=related.__name__,
                include=tuple(include_below.get(name, ())) if name not in include_here else (),
                exclude=tuple(exclude_below.get(name, ())),
                allow_cycles=allow_cycles,
                sort_alphabetically=request.sort_alphabetically,
                max_recursion=max_recursion,
                module=request.module,
                depth=request.depth + 1,
                stack=stack,
                inited=related._meta._inited,
            )
        )
        if kind in _LISTS:
            annotations[name] = list[child]  # type: ignore[valid-type]
            namespace[name] = PydanticField(description=description)
        elif fobj.null or kind == "backward_o2o":
            annotations[name] = Optional[child]
            namespace[name] = PydanticField(default=None, description=description)
        else:
            annotations[name] = child
            namespace[name] = PydanticField(description=description)
        entries.append((name, "many" if kind in _LISTS else "one", child))
    if not request.exclude_readonly:
        for name in computed:
            if name not in exclude_here:
                annotations[name], namespace[name] = computed_field(model, name)
                entries.append((name, "computed", None))
    if sort:
        order = sorted(annotations)
        annotations = {n: annotations[n] for n in order}
    config = ConfigDict(from_attributes=True, title=request.title)
    config.update(meta["model_config"] or {})
    config.update(dict(request.model_config))
    namespace.update(
        {
            "__annotations__": annotations,
            "__module__": request.module,
            "__qualname__": request.name,
            "__doc__": model.__doc__,
            "model_config": config,
        }
    )
    generated = type(request.name, (PydanticModel,), namespace)
    generated._tortoise_model = model
    generated._tortoise_entries = tuple(entries)
    return generated


__all__ = ["PydanticMeta", "pydantic_model_creator", "pydantic_queryset_creator"]
