"""Functions written out as Python source once per model (or query shape), run per row.

A loop over fields that looks up each field's name, converter and options costs more
than the conversions themselves; these functions unroll that loop for one model (and
one column list, one dialect): the field names are literals, the converters are
globals of the generated code, and values whose type needs no conversion skip the call.
They must behave exactly like the plain loops they stand for (``Model._check_and_encode``
and the converters of each field); errors are left to those loops, which name the field.

Generated source is registered with ``linecache`` (tracebacks and ``inspect.getsource``
show it).  ``set_generation(False)`` (or ``ALDABRA_GENERATED_CODE=0`` in the environment)
makes every maker return the plain loop instead, for tests that compare the two; it takes
effect for models initialised after the switch.
"""
from __future__ import annotations

import copy
import functools
import gc
import itertools
import linecache
import os
import textwrap
import weakref
from typing import TYPE_CHECKING, Any, Callable, Sequence

from tortoise.sql.cache import Plan, bind_plan
from tortoise.sql.nodes import encoder_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field
    from tortoise.models import MetaInfo
    from tortoise.sql.dialects.base import Dialect


GENERATE = os.environ.get("ALDABRA_GENERATED_CODE", "1") != "0"
_serial = itertools.count(1)


#: results at least this long are built with the cyclic garbage collector paused
GC_PAUSE_ROWS = 500


def build_all(make: Callable[[Any], Any], rows: Sequence[Any]) -> list[Any]:
    """``[make(row) for row in rows]``; for long results with the cyclic GC paused.

    Building many new objects triggers collector sweeps over all of them, again and again
    as they age (~2/3 of the cost on 200,000 rows); none of them can be garbage yet, so
    the sweeps find nothing.  The collector runs as usual once the list is built."""
    if len(rows) < GC_PAUSE_ROWS or not gc.isenabled():
        return [make(row) for row in rows]
    gc.disable()
    try:
        return [make(row) for row in rows]
    finally:
        gc.enable()


def set_generation(enabled: bool) -> None:
    """Generate code (True, the default) or use the plain loops (False) from now on."""
    global GENERATE
    GENERATE = enabled


def _compile(source: str, name: str, env: dict[str, Any]) -> Callable:
    filename = f"<aldabra {name} #{next(_serial)}>"
    exec(compile(source, filename, "exec"), env)
    fn = env[name.split()[0]]
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    weakref.finalize(fn, linecache.cache.pop, filename, None)
    return fn


def _decoded(i: int, dec: Callable[[Any], Any] | None, env: dict[str, Any]) -> tuple[str, str]:
    """(statements run first, expression) for column ``i`` of a row: as the driver gave
    it, decoded by a call, or decoded in place by the decoder's ``inline`` source
    (``tortoise.sql.dialects.base.Inline``), which saves a call or two per value."""
    if dec is None:
        return "", f"v{i}"
    env[f"d{i}"] = dec
    inline = getattr(dec, "inline", None)
    if inline is None:
        return "", f"(None if v{i} is None else d{i}(v{i}))"
    env.update(inline.env)
    body = textwrap.indent(inline.source.format(v=f"v{i}", f=f"d{i}"), " " * 8)
    return f"    if v{i} is not None:\n{body}", f"v{i}"


def _unpack(width: int) -> str:
    if not width:  # only("rel__name"): no column of the model itself
        return ""
    return "    " + ", ".join(f"v{i}" for i in range(width)) + ", = row\n"


def make_row_maker(names: list[str], decoders: list, as_tuples: bool, flat: bool) -> Callable:
    """``row -> dict | tuple | value`` for values()/values_list(), decoding what needs it."""
    if not GENERATE:
        return _plain_row_maker(list(names), list(decoders), as_tuples, flat)
    env: dict[str, Any] = {}
    decoded = [_decoded(i, dec, env) for i, dec in enumerate(decoders)]
    values = [value for _, value in decoded]
    if flat:
        body = values[0]
    elif as_tuples:
        body = "(" + ", ".join(values) + ",)"
    else:
        body = "{" + ", ".join(f"{n!r}: {v}" for n, v in zip(names, values)) + "}"
    first = "".join(lines for lines, _ in decoded)
    return _compile(f"def make(row):\n{_unpack(len(decoders))}{first}    return {body}\n", "make values row", env)


def make_binder(plan: Plan) -> Callable[[list[Any]], list[Any]]:
    """``leaves -> parameters`` of one compiled statement: ``bind_plan`` written out, with
    values of a type the encoder returns unchanged sent as they are (as ``make_row_encoder``)."""
    if not GENERATE:
        return functools.partial(bind_plan, plan)
    env: dict[str, Any] = {}
    items = []
    for k, (i, enc, unchanged) in enumerate(plan):
        value = f"leaves[{int(i)}]"
        if enc is None:
            items.append(value)
            continue
        env[f"e{k}"] = enc
        item = f"e{k}({value})"
        if unchanged is not None:
            env[f"t{k}"], limit = unchanged
            check = f" and len({value}) <= {int(limit)}" if limit else ""
            item = f"{value} if type({value}) is t{k}{check} else {item}"
        items.append(item)
    return _compile(f"def bind(leaves):\n    return [{', '.join(items)}]\n", "bind", env)


def make_hydrator(model: Any, dialect: "Dialect", fields: Sequence["Field"], partial: bool) -> Callable:
    """``row -> instance`` for rows holding ``fields`` in order.

    Unpack the row, convert only the columns the driver does not return as Python
    values, and fill the new instance's own dict (cheaper than assigning a new one),
    without running ``__init__``.
    """
    if not GENERATE:
        return _plain_hydrator(model, [(f.model_field_name, dialect.decoder(f)) for f in fields], partial)
    env: dict[str, Any] = {"new": object.__new__, "model": model}
    decoded = [_decoded(i, dialect.decoder(f), env) for i, f in enumerate(fields)]
    items = [f"    d[{f.model_field_name!r}] = {value}\n" for f, (_, value) in zip(fields, decoded)]
    items.append("    d['_saved_in_db'] = True\n")
    if partial:
        items.append("    d['_partial'] = True\n")
    source = (
        "def hydrate(row):\n"
        f"{_unpack(len(fields))}"
        f"{''.join(lines for lines, _ in decoded)}"
        "    obj = new(model)\n"
        "    d = obj.__dict__\n"
        f"{''.join(items)}"
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
    if not GENERATE:
        return _plain_initializer(meta)
    env: dict[str, Any] = {"_aldabra_missing": object(), "_aldabra_type_of": type}
    params, body = [], []
    for i, field in enumerate(meta.data_fields):
        name = field.model_field_name
        key = repr(name)
        if field.pk and field.generated:  # only ever given explicitly: a special argument
            body.append(f"    _aldabra_d[{key}] = None")
            continue
        params.append(f"{name}=_aldabra_missing")
        env[f"_aldabra_default{i}"] = initial_value(field)
        default = f"_aldabra_default{i}" + ("()" if callable(field.default) else "")
        if isinstance(field.default, (dict, list, set)):  # each instance gets its own copy
            env[f"_aldabra_default{i}"] = functools.partial(copy.deepcopy, field.default)
            default += "()"
        env[f"_aldabra_convert{i}"] = field.to_python_value
        if field.null:
            convert = f"None if {name} is None else _aldabra_convert{i}({name})"
        else:
            env[f"_aldabra_refuse_null{i}"] = functools.partial(_refuse_null, meta.model.__name__, name)
            convert = f"_aldabra_refuse_null{i}() if {name} is None else _aldabra_convert{i}({name})"
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
    if not GENERATE:
        pairs = [(f.model_field_name, encoder_for(f, dialect)) for f in fields]
        return lambda obj: obj._check_and_encode(pairs)
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


# --- the plain loops the generated functions stand for ------------------------------------
def _plain_row_maker(names: list[str], decoders: list, as_tuples: bool, flat: bool) -> Callable:
    def make(row: Sequence[Any]) -> Any:
        values = [v if d is None or v is None else d(v) for v, d in zip(row, decoders)]
        if flat:
            return values[0]
        return tuple(values) if as_tuples else dict(zip(names, values))

    return make


def _plain_hydrator(model: Any, columns: list[tuple[str, Any]], partial: bool) -> Callable:
    def hydrate(row: Sequence[Any]) -> Any:
        obj = object.__new__(model)
        d = {name: v if dec is None or v is None else dec(v) for (name, dec), v in zip(columns, row)}
        d["_saved_in_db"] = True
        if partial:
            d["_partial"] = True
        obj.__dict__ = d
        return obj

    return hydrate


def initial_value(field: "Field") -> Any:
    """What a field not given to the constructor starts with: its default (a callable is
    called per instance), or the marker of a value the database fills in (``db_default``)."""
    if field.default is None and not field.pk and field.has_db_default():
        return field.db_default_marker
    return field.default


def _refuse_null(model_name: str, name: str) -> None:
    """``Model(field=None)`` for a NOT NULL field: ValueError, as Tortoise raises."""
    raise ValueError(f"{name} is non nullable field, but null was passed to {model_name}(); leave it out to use its default")


def _plain_initializer(meta: "MetaInfo") -> Callable[..., None]:
    fields = [f for f in meta.data_fields if not (f.pk and f.generated)]
    generated_pk = [f.model_field_name for f in meta.data_fields if f.pk and f.generated]

    def __init__(*args: Any, **kwargs: Any) -> None:  # a field may be named like any parameter
        (obj,) = args
        d = obj.__dict__
        for name in generated_pk:
            d[name] = None
        for field in fields:
            name = field.model_field_name
            if name in kwargs:
                value = kwargs.pop(name)
                if value is None and not field.null:
                    _refuse_null(meta.model.__name__, name)
                d[name] = None if value is None else field.to_python_value(value)
            else:
                default = initial_value(field)
                d[name] = default() if callable(default) else default
        for key, value in kwargs.items():
            obj._set_special(key, value)

    __init__.generated_for = meta.model  # type: ignore[attr-defined]
    return __init__
