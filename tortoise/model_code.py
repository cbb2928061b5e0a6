"""Functions written out as Python source once per model (or query shape), run per row.

A loop over fields that looks up each field's name, converter and options costs more
than the conversions themselves; these functions unroll that loop for one model (and
one column list, one dialect): the field names are literals, the converters are
globals of the generated code, and values whose type needs no conversion skip the call.
They must behave exactly like the plain loops they stand for (``Model._check_and_encode``
and the converters of each field); errors are left to those loops, which name the field.
"""
from __future__ import annotations

import copy
import functools

from typing import TYPE_CHECKING, Any, Callable, Sequence

from tortoise.sql.nodes import encoder_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field
    from tortoise.models import MetaInfo
    from tortoise.sql.dialects.base import Dialect


def _compile(source: str, name: str, env: dict[str, Any]) -> Callable:
    exec(compile(source, f"<{name}>", "exec"), env)
    return env[name.split()[0]]


def _decoded(i: int, dec: Callable[[Any], Any] | None, env: dict[str, Any]) -> str:
    """The expression for column ``i`` of a row: as the driver gave it, or decoded."""
    if dec is None:
        return f"v{i}"
    env[f"d{i}"] = dec
    return f"(None if v{i} is None else d{i}(v{i}))"


def _unpack(width: int) -> str:
    return "    " + ", ".join(f"v{i}" for i in range(width)) + ", = row\n"


def make_row_maker(names: list[str], decoders: list, as_tuples: bool, flat: bool) -> Callable:
    """``row -> dict | tuple | value`` for values()/values_list(), decoding what needs it."""
    env: dict[str, Any] = {}
    values = [_decoded(i, dec, env) for i, dec in enumerate(decoders)]
    if flat:
        body = values[0]
    elif as_tuples:
        body = "(" + ", ".join(values) + ",)"
    else:
        body = "{" + ", ".join(f"{n!r}: {v}" for n, v in zip(names, values)) + "}"
    return _compile(f"def make(row):\n{_unpack(len(decoders))}    return {body}\n", "make values row", env)


def make_hydrator(model: Any, dialect: "Dialect", fields: Sequence["Field"], partial: bool) -> Callable:
    """``row -> instance`` for rows holding ``fields`` in order.

    Unpack the row, convert only the columns the driver does not return as Python
    values, and set the instance dict in one assignment, without running ``__init__``.
    """
    env: dict[str, Any] = {"new": object.__new__, "model": model}
    items = [f"{f.model_field_name!r}: {_decoded(i, dialect.decoder(f), env)}" for i, f in enumerate(fields)]
    items.append("'_saved_in_db': True")
    if partial:
        items.append("'_partial': True")
    source = (
        "def hydrate(row):\n"
        f"{_unpack(len(fields))}"
        "    obj = new(model)\n"
        f"    obj.__dict__ = {{{', '.join(items)}}}\n"
        "    return obj\n"
    )
    return _compile(source, f"hydrate {model.__name__}", env)


def make_initializer(meta: "MetaInfo") -> Callable[..., None]:
    """``__init__(instance, **kwargs)`` of the model: what ``Model.__init__`` does.

    Each data field is a keyword-only parameter (Python binds them without a dict
    lookup per field); it takes its argument, converted, or its default, and a
    callable default is called only when the argument is missing.  The other
    arguments (relations, an explicit generated primary key, unknown names) go to
    ``_set_special``.  Names of the generated code start with ``_aldabra_`` so that
    they cannot meet a field's name.
    """
    env: dict[str, Any] = {"_aldabra_missing": object(), "_aldabra_type_of": type}
    params, body = [], []
    for i, field in enumerate(meta.db_fields):
        name = field.model_field_name
        key = repr(name)
        if field.pk and field.generated:  # only ever given explicitly: a special argument
            body.append(f"    _aldabra_d[{key}] = None")
            continue
        params.append(f"{name}=_aldabra_missing")
        env[f"_aldabra_default{i}"] = field.default
        default = f"_aldabra_default{i}" + ("()" if callable(field.default) else "")
        if isinstance(field.default, (dict, list, set)):  # each instance gets its own copy
            env[f"_aldabra_default{i}"] = functools.partial(copy.deepcopy, field.default)
            default += "()"
        env[f"_aldabra_convert{i}"] = field.to_python_value
        convert = f"None if {name} is None else _aldabra_convert{i}({name})"
        if field.python_type_unchanged is not None:
            env[f"_aldabra_type{i}"] = field.python_type_unchanged
            convert = f"{name} if _aldabra_type_of({name}) is _aldabra_type{i} else {convert}"
        body += [
            f"    if {name} is _aldabra_missing:",
            f"        _aldabra_d[{key}] = {default}",
            "    else:",
            f"        _aldabra_d[{key}] = {convert}",
        ]
    head = ", ".join(["_aldabra_obj", "*", *params, "**_aldabra_other"]).replace("*, **", "**")
    lines = [
        f"def __init__({head}):",
        "    _aldabra_d = _aldabra_obj.__dict__",
        *body,
        "    if _aldabra_other:",
        "        for _aldabra_key, _aldabra_value in _aldabra_other.items():",
        "            _aldabra_obj._set_special(_aldabra_key, _aldabra_value)",
    ]
    init = _compile("\n".join(lines) + "\n", f"__init__ {meta.model.__name__}", env)
    init.generated_for = meta.model  # type: ignore[attr-defined]
    init.__qualname__ = f"{meta.model.__name__}.__init__"
    init.__module__ = meta.model.__module__
    return init


def make_row_encoder(fields: Sequence["Field"], dialect: "Dialect") -> Callable[[Any], list[Any]]:
    """``encode(instance) -> [parameter, ...]`` for ``fields``, in order.

    A missing required value or a value an encoder refuses sends the instance to
    ``_check_and_encode``, which raises the error that names the field.
    """
    env: dict[str, Any] = {}
    lines = ["def encode(obj):", "    d = obj.__dict__"]
    required, items = [], []
    for i, field in enumerate(fields):
        lines.append(f"    v{i} = d.get({field.model_field_name!r})")
        env[f"e{i}"] = encoder_for(field, dialect)
        item = f"e{i}(v{i})"
        if field.db_type_unchanged is not None:
            env[f"t{i}"] = field.db_type_unchanged
            limit = getattr(field, "max_length", None)
            check = f" and len(v{i}) <= {int(limit)}" if limit else ""
            item = f"v{i} if type(v{i}) is t{i}{check} else {item}"
        if field.null or (field.pk and field.generated):
            item = f"None if v{i} is None else {item}"
        else:
            required.append(f"v{i} is None")
        items.append(item)
    env["pairs"] = [(f.model_field_name, encoder_for(f, dialect)) for f in fields]
    if required:
        lines.append(f"    if {' or '.join(required)}:")
        lines.append("        return obj._check_and_encode(pairs)")
    lines += [
        "    try:",
        f"        return [{', '.join(items)}]",
        "    except Exception:",
        "        return obj._check_and_encode(pairs)",
    ]
    return _compile("\n".join(lines) + "\n", "encode", env)
