"""``class PydanticMeta`` on a model: its options, their defaults, and how they combine."""
from __future__ import annotations

from typing import Any

from tortoise.exceptions import ConfigurationError


class PydanticMeta:
    """Defaults of the options a model's own ``class PydanticMeta`` may set.

    ``include``/``exclude`` take field names or ``"relation__field"`` (or ``"relation.field"``) paths; ``computed``
    names methods or properties of the model whose values join the pydantic model.
    """

    #: when not empty, only these fields (and paths) are kept
    include: tuple[str, ...] = ()
    #: these fields (and paths) are left out
    exclude: tuple[str, ...] = ()
    #: methods/properties of the model added as read-only fields
    computed: tuple[str, ...] = ()
    #: add reverse relations (``tournament.events``) even without an annotation on the model
    backward_relations: bool = True
    #: how many levels of related models nest below the root model
    max_recursion: int = 3
    #: follow a relation back to a model already being nested (can produce huge output)
    allow_cycles: bool = False
    #: leave out the ``<relation>_id`` columns of foreign keys (the nested object stands for them)
    exclude_raw_fields: bool = True
    #: order fields by name instead of pk, data fields, then relations
    sort_alphabetically: bool = False
    #: extra pydantic ``ConfigDict`` entries
    model_config: dict[str, Any] | None = None


OPTION_NAMES = tuple(name for name in vars(PydanticMeta) if not name.startswith("_"))
_TUPLE_OPTIONS = ("include", "exclude", "computed")


def _as_tuple(value: Any, option: str, owner: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    try:
        names = tuple(value)
    except TypeError:
        raise ConfigurationError(f"{owner}: {option} must be a sequence of field names, got {value!r}") from None
    if not all(isinstance(n, str) for n in names):
        raise ConfigurationError(f"{owner}: {option} must contain field names (str), got {value!r}")
    return names


def read_meta(model: type, meta_override: type | None = None) -> dict[str, Any]:
    """The model's PydanticMeta options (``meta_override``'s attributes win), defaults filled in.

    Attributes are read with ``getattr`` so a PydanticMeta may inherit from another; names
    that are not options are ignored, as Tortoise does."""
    resolved = {name: getattr(PydanticMeta, name) for name in OPTION_NAMES}
    for source in (getattr(model, "PydanticMeta", None), meta_override):
        if source is not None:
            resolved.update({name: getattr(source, name) for name in OPTION_NAMES if hasattr(source, name)})
    for name in _TUPLE_OPTIONS:
        resolved[name] = _as_tuple(resolved[name], name, f"{model.__name__}.PydanticMeta")
    return resolved
