"""Python values written into migration files as source text, with the imports they need.

``render_value(value, imports)`` returns an expression that evaluates back to ``value``
and records in ``imports`` (an ``ImportManager``) what the file must import for it.
Objects with a ``deconstruct()`` method (fields, ``SqlDefault``/``Now()``/``RandomHex()``)
are written as constructor calls.
"""
from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any


class ImportManager:
    """The imports a migration file needs: ``imports[module]`` is the set of names taken
    from it; plain ``import module`` lines are in ``modules``."""

    def __init__(self) -> None:
        self.imports: dict[str, set[str]] = {}
        self.modules: set[str] = set()

    def add(self, module: str, name: str) -> None:
        self.imports.setdefault(module, set()).add(name)

    def add_module(self, module: str) -> None:
        self.modules.add(module)

    def __str__(self) -> str:
        lines = [f"import {m}" for m in sorted(self.modules)]
        lines += [f"from {m} import {', '.join(sorted(names))}" for m, names in sorted(self.imports.items())]
        return "\n".join(lines)


_PLAIN = (type(None), bool, int, float, str, bytes)
_DATETIME = (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)


def render_value(value: Any, imports: ImportManager) -> str:
    if isinstance(value, enum.Enum):
        cls = type(value)
        imports.add(cls.__module__, cls.__qualname__.split(".")[0])
        return f"{cls.__qualname__}.{value.name}"
    if isinstance(value, _PLAIN):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        imports.add("decimal", "Decimal")
        return f"Decimal({str(value)!r})"
    if isinstance(value, _DATETIME):
        imports.add_module("datetime")
        return repr(value)
    if isinstance(value, uuid.UUID):
        imports.add("uuid", "UUID")
        return f"UUID({str(value)!r})"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [render_value(v, imports) for v in value]
        if isinstance(value, list):
            return f"[{', '.join(items)}]"
        if isinstance(value, tuple):
            return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
        return f"{{{', '.join(sorted(items))}}}" if items else f"{type(value).__name__}()"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_value(k, imports)}: {render_value(v, imports)}" for k, v in value.items()) + "}"
    if callable(getattr(value, "deconstruct", None)) and not isinstance(value, type):
        path, args, kwargs = value.deconstruct()
        module, _, name = path.rpartition(".")
        imports.add(module, name)
        arguments = [render_value(a, imports) for a in args]
        arguments += [f"{k}={render_value(v, imports)}" for k, v in kwargs.items()]
        return f"{name}({', '.join(arguments)})"
    raise ValueError(
        f"cannot write {value!r} ({type(value).__name__}) into a migration file: accepted are constants, "
        "Decimal, datetime values, UUID, enum members, lists/tuples/sets/dicts of them, and objects with "
        "deconstruct() (fields, SqlDefault)"
    )
