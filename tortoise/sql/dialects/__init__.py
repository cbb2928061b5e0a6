"""Per-database SQL dialects: everything that differs between databases lives here.

A dialect knows identifier quoting, placeholders (``param_style``), the lookup operators,
LIMIT/OFFSET, RETURNING and upsert spelling, column types (``column_type``,
``auto_pk_type``, ``fk_column_type``), how its driver's values are adapted
(``adapt_param``, ``adapted_types``, ``native_types``) and the per-driver value
shortcuts fields ask for (``decimal_encoder``, ``datetime_decoder`` …), and what the
database can do (``supports_*`` flags, from which a backend's ``Capabilities`` derive).
Fields describe what they are; nothing outside this package checks a dialect's name.

Adding a backend:

1. Write ``tortoise/sql/dialects/<name>.py``: a ``Dialect`` subclass with ``name``,
   ``param_style``, ``quote_char``, the capability flags, ``type_names`` (its spelling
   of the generic column types) and overrides for whatever its SQL or driver does
   differently (start from the closest existing dialect); list it in ``_DIALECTS`` below.  Add its
   database-free SQL tests next to ``tests/test_sql_statements.py``.
2. Write the package ``tortoise/backends/<driver>/``: a client subclass of
   ``BaseDBAsyncClient`` (usually through ``tortoise.backends.base.pooled``) with
   ``dialect = <Name>Dialect()``, ``capabilities = Capabilities.of(dialect)``, the
   driver's connect/close, its ``Jobs`` (fetch, write, insert, many, query, script) and
   the mapping of driver exceptions to ``tortoise.exceptions``; export the client as
   ``client_class`` from the package's ``__init__``.
3. Register the URL scheme in ``tortoise/config.py`` (scheme → backend module and the
   parameters it takes).
4. Run the whole suite against it (``tests/conftest.py`` picks the database from
   ``ALDABRA_TEST_DB``) and the benchmarks against the raw driver.

Neither layer imports the ORM above it (models, querysets, the connection registry):
``tests/test_layering.py`` enforces it.
"""
from __future__ import annotations

import importlib

from tortoise.sql.dialects.base import Dialect

#: dialect name → (module, class) of the dialects this package holds
_DIALECTS = {
    "sqlite": ("tortoise.sql.dialects.sqlite", "SqliteDialect"),
    "postgres": ("tortoise.sql.dialects.postgres", "PostgresDialect"),
    "mysql": ("tortoise.sql.dialects.mysql", "MySQLDialect"),
}
DIALECT_NAMES = tuple(_DIALECTS)
_instances: dict[str, Dialect] = {}


def dialect_named(name: str) -> Dialect | None:
    """The dialect called ``name`` (one shared instance), or None for an unknown name."""
    found = _instances.get(name)
    if found is None and name in _DIALECTS:
        module, cls = _DIALECTS[name]
        found = _instances[name] = getattr(importlib.import_module(module), cls)()
    return found


__all__ = ["Dialect", "DIALECT_NAMES", "dialect_named"]
