"""Configuration parsing: every form users write, turned into typed specs.

Accepted forms (exactly one per call of `load_config`):

- ``config``: a dict ``{"connections": {...}, "apps": {...}, "routers": [...],
  "use_tz": bool, "timezone": str}``; keys are case-insensitive (``"CONNECTIONS"``,
  ``"ENGINE"``, ``"CREDENTIALS"`` as settings-style frameworks write them).  A connection
  is a db URL string or ``{"engine": ..., "credentials": {...}}``.
- ``config_file``: a ``.json``, ``.yml`` or ``.yaml`` file holding such a dict.
- ``db_url`` + ``modules``: one connection named ``"default"`` and one app per key.

Credentials are checked against one parameter table per engine (below): unknown names
are rejected, aliases are normalised, values are converted and defaults filled in.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit

from tortoise.config_types import AppConfig, ConnectionConfig, DBUrlConfig, TortoiseConfig, as_mapping  # noqa: F401
from tortoise.exceptions import ConfigurationError

SQLITE = "tortoise.backends.sqlite"
ASYNCPG = "tortoise.backends.asyncpg"
MYSQL = "tortoise.backends.mysql"
PSYCOPG = "tortoise.backends.psycopg"
ENGINES = (SQLITE, ASYNCPG, MYSQL, PSYCOPG)

URL_SCHEMES = {
    "sqlite": SQLITE,
    "postgres": ASYNCPG,
    "postgresql": ASYNCPG,
    "asyncpg": ASYNCPG,
    "mysql": MYSQL,
    "psycopg": PSYCOPG,
}


# --------------------------------------------------------------------------- specs


@dataclass
class ConnectionSpec:
    """One named connection: the backend module and its normalised credentials."""

    name: str
    engine: str
    credentials: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The Tortoise-style ``{"engine", "credentials"}`` dict."""
        return {"engine": self.engine, "credentials": dict(self.credentials)}


@dataclass
class AppSpec:
    """One app: where its models live and which connection it uses by default."""

    label: str
    models: list[str | ModuleType]
    default_connection: str
    migrations: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The Tortoise-style app dict."""
        app: dict[str, Any] = {
            "models": list(self.models),
            "default_connection": self.default_connection,
        }
        if self.migrations is not None:
            app["migrations"] = self.migrations
        return app


@dataclass
class OrmConfig:
    """The whole ORM configuration, validated."""

    connections: dict[str, ConnectionSpec]
    apps: dict[str, AppSpec]
    routers: list[Any] = field(default_factory=list)
    use_tz: bool = True
    timezone: str = "UTC"

    def to_dict(self) -> dict[str, Any]:
        """The plain config dict, as Tortoise documents it."""
        return {
            "connections": {name: c.to_dict() for name, c in self.connections.items()},
            "apps": {label: a.to_dict() for label, a in self.apps.items()},
            "routers": list(self.routers),
            "use_tz": self.use_tz,
            "timezone": self.timezone,
        }


# ---------------------------------------------------------------- parameter tables

_ABSENT = object()


@dataclass(frozen=True)
class Param:
    """One accepted credential: value kind, default, other accepted spellings, and
    whether a SQLite client runs it as a ``PRAGMA``."""

    kind: str
    default: Any = _ABSENT
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    pragma: bool = False


# Connection health of the pooled clients (see tortoise/backends/base/pooled.py).
POOL_HEALTH_PARAMS: dict[str, Param] = {
    "pre_ping": Param("bool", aliases=("pool_pre_ping",)),
    "max_age": Param("float", aliases=("max_lifetime",)),
    "acquire_timeout": Param("float"),
    "reconnect_timeout": Param("float"),
}

SQLITE_PARAMS: dict[str, Param] = {
    "file_path": Param("path", aliases=("path",)),
    "echo": Param("bool", False),
    "install_regexp_functions": Param("bool"),
    "journal_mode": Param(
        "choice",
        "WAL",
        choices=("DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF"),
        pragma=True,
    ),
    "journal_size_limit": Param("int", 16384, pragma=True),
    "foreign_keys": Param("bool", True, pragma=True),
    "synchronous": Param("choice", choices=("OFF", "NORMAL", "FULL", "EXTRA"), pragma=True),
    "busy_timeout": Param("int", pragma=True),
    "cache_size": Param("int", pragma=True),
    "temp_store": Param("choice", choices=("DEFAULT", "FILE", "MEMORY"), pragma=True),
    "mmap_size": Param("int", pragma=True),
    "locking_mode": Param("choice", choices=("NORMAL", "EXCLUSIVE"), pragma=True),
    "auto_vacuum": Param("choice", choices=("NONE", "FULL", "INCREMENTAL"), pragma=True),
    "wal_autocheckpoint": Param("int", pragma=True),
    "recursive_triggers": Param("bool", pragma=True),
}

ASYNCPG_PARAMS: dict[str, Param] = {
    "host": Param("str", None),
    "port": Param("int", 5432),
    "user": Param("str", None),
    "password": Param("str", None),
    "database": Param("str", None),
    "minsize": Param("int", 1, aliases=("min_size",)),
    "maxsize": Param("int", 5, aliases=("max_size",)),
    "max_queries": Param("int", 50000),
    "max_inactive_connection_lifetime": Param("float", 300.0, aliases=("max_idle",)),
    "timeout": Param("float", aliases=("connect_timeout",)),
    "command_timeout": Param("float", aliases=("statement_timeout",)),
    **POOL_HEALTH_PARAMS,
    "statement_cache_size": Param("int"),
    "max_cached_statement_lifetime": Param("float"),
    "max_cacheable_statement_size": Param("int"),
    "ssl": Param("ssl"),
    "direct_tls": Param("bool"),
    "schema": Param("str"),
    "application_name": Param("str"),
    "server_settings": Param("mapping"),
    "target_session_attrs": Param("str"),
    "passfile": Param("path"),
    "krbsrvname": Param("str"),
    "gsslib": Param("str"),
    "echo": Param("bool", False),
}

MYSQL_PARAMS: dict[str, Param] = {
    "host": Param("str", None),
    "port": Param("int", 3306),
    "user": Param("str", None),
    "password": Param("str", None),
    "database": Param("str", None),
    "unix_socket": Param("path"),
    "minsize": Param("int", 1, aliases=("min_size",)),
    "maxsize": Param("int", 5, aliases=("max_size",)),
    "pool_recycle": Param("int", aliases=("max_idle",)),
    "connect_timeout": Param("float"),
    "statement_timeout": Param("float", aliases=("command_timeout",)),
    **POOL_HEALTH_PARAMS,
    "read_timeout": Param("float"),
    "ssl": Param("ssl"),
    "charset": Param("ident", "utf8mb4"),
    "storage_engine": Param("ident"),
    "sql_mode": Param("str"),
    "init_command": Param("str"),
    "autocommit": Param("bool"),
    "use_unicode": Param("bool"),
    "no_delay": Param("bool"),
    "echo": Param("bool", False),
}

PSYCOPG_PARAMS: dict[str, Param] = {
    "host": Param("str", None),
    "port": Param("int", 5432),
    "user": Param("str", None),
    "password": Param("str", None),
    "database": Param("str", None),
    "minsize": Param("int", 1, aliases=("min_size",)),
    "maxsize": Param("int", 5, aliases=("max_size",)),
    "timeout": Param("float"),
    **POOL_HEALTH_PARAMS,
    "schema": Param("str"),
    "application_name": Param("str"),
    "sslmode": Param("str"),
    "connect_timeout": Param("int"),
    "echo": Param("bool", False),
}

ENGINE_PARAMS: dict[str, dict[str, Param]] = {
    SQLITE: SQLITE_PARAMS,
    ASYNCPG: ASYNCPG_PARAMS,
    MYSQL: MYSQL_PARAMS,
    PSYCOPG: PSYCOPG_PARAMS,
}
# The SQLite credentials a client runs as ``PRAGMA name=value`` when it connects.
SQLITE_PRAGMAS = frozenset(name for name, p in SQLITE_PARAMS.items() if p.pragma)
# Credentials in which ``{}`` becomes a unique suffix when ``testing`` is set.
_PLACEHOLDER_KEYS = ("database", "file_path")


# -------------------------------------------------------------- value conversion

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _to_int(value: Any, param: Param) -> int:
    if isinstance(value, str):
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(value)


def _to_float(value: Any, param: Param) -> float:
    if isinstance(value, str):
        return float(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(value)


def _to_bool(value: Any, param: Param | None = None) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(value)


def _to_str(value: Any, param: Param | None = None) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(value)


def _to_ident(value: Any, param: Param) -> str:
    text = _to_str(value)
    if not re.fullmatch(r"\w+", text):
        raise ValueError(value)
    return text


def _to_choice(value: Any, param: Param) -> str:
    text = _to_str(value).strip().upper()
    if text not in param.choices:
        raise ValueError(value)
    return text


def _to_path(value: Any, param: Param) -> str:
    path = os.fspath(value)
    if not isinstance(path, str) or not path:
        raise ValueError(value)
    return path


def _to_ssl(value: Any, param: Param) -> Any:
    """Booleans (also as text) become bool; mode names and SSL contexts are kept."""
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return _to_bool(value)
    return value


def _to_mapping(value: Any, param: Param) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(value)
    return dict(value)


_CONVERTERS: dict[str, Callable[[Any, Param], Any]] = {
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "str": _to_str,
    "ident": _to_ident,
    "choice": _to_choice,
    "path": _to_path,
    "ssl": _to_ssl,
    "mapping": _to_mapping,
}
_EXPECTED = {
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean (true/false, 1/0, yes/no, on/off)",
    "str": "a string",
    "ident": "a name made of letters, digits and underscores",
    "path": "a non-empty file path",
    "mapping": "a dict (not expressible in a URL; use a config dict)",
}


def _expected(param: Param) -> str:
    if param.kind == "choice":
        return "one of " + ", ".join(param.choices)
    return _EXPECTED[param.kind]


def _convert(name: str, value: Any, param: Param, where: str) -> Any:
    try:
        return _CONVERTERS[param.kind](value, param)
    except (TypeError, ValueError):
        shown = "<hidden>" if name == "password" else repr(value)
        raise ConfigurationError(
            f"{where}: invalid value {shown} for '{name}'; expected {_expected(param)}"
        ) from None


# ------------------------------------------------------------------- credentials


def _fold_keys(mapping: Mapping[Any, Any], where: str) -> dict[str, Any]:
    """Lower-case the keys of a mapping, rejecting keys that collide."""
    folded: dict[str, Any] = {}
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise ConfigurationError(f"{where}: keys must be strings, got {key!r}")
        if key.lower() in folded:
            raise ConfigurationError(
                f"{where}: key {key!r} is given twice (keys are case-insensitive)"
            )
        folded[key.lower()] = value
    return folded


def _aliases(params: dict[str, Param]) -> dict[str, str]:
    """alias -> canonical name, from a parameter table."""
    return {alias: name for name, param in params.items() for alias in param.aliases}


def _resolve_aliases(given: dict[str, Any], params: dict[str, Param], where: str) -> dict[str, Any]:
    """Rename aliased keys to their canonical names, rejecting double spellings."""
    aliases = _aliases(params)
    resolved: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in given.items():
        name = aliases.get(key, key)
        if name in resolved:
            raise ConfigurationError(
                f"{where}: '{spelled[name]}' and '{key}' set the same parameter; give one"
            )
        resolved[name], spelled[name] = value, key
    return resolved


def _valid_names(params: dict[str, Param]) -> str:
    names = ", ".join(sorted(params))
    aliases = ", ".join(f"{alias} (= {name})" for alias, name in _aliases(params).items())
    return f"{names}; aliases: {aliases}"


def _check_pool(credentials: dict[str, Any], given: dict[str, Any], where: str) -> None:
    """Check pool sizes; an implicit maxsize grows to a larger explicit minsize."""
    low, high = credentials["minsize"], credentials["maxsize"]
    if given.get("maxsize") is None and low > high:
        credentials["maxsize"] = low
    elif low < 0 or high < 1 or low > high:
        raise ConfigurationError(
            f"{where}: invalid pool sizes minsize={low}, maxsize={high}; "
            "expected 0 <= minsize <= maxsize and maxsize >= 1"
        )


def _fill_placeholders(credentials: dict[str, Any]) -> None:
    """Replace ``{}`` in the database name / file path by a unique suffix."""
    for key in _PLACEHOLDER_KEYS:
        value = credentials.get(key)
        if isinstance(value, str) and "{}" in value:
            credentials[key] = value.replace("{}", uuid.uuid4().hex[:12])


def normalize_credentials(
    engine: str, raw: Mapping[str, Any], where: str = "credentials", testing: bool = False
) -> dict[str, Any]:
    """Validate, convert and complete credentials for ``engine`` (a module path)."""
    params = ENGINE_PARAMS[engine]
    given = _resolve_aliases(_fold_keys(raw, where), params, where)
    unknown = sorted(set(given) - set(params))
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown parameter {', '.join(map(repr, unknown))} for {engine}; "
            f"valid parameters: {_valid_names(params)}"
        )
    credentials: dict[str, Any] = {}
    for name, param in params.items():
        value = given.get(name)
        if value is not None:
            credentials[name] = _convert(name, value, param, where)
        elif param.default is not _ABSENT:
            credentials[name] = param.default
    if "minsize" in params:
        _check_pool(credentials, given, where)
    if engine == SQLITE and "file_path" not in credentials:
        raise ConfigurationError(f"{where}: SQLite needs 'file_path' (a file path or ':memory:')")
    if testing:
        _fill_placeholders(credentials)
    return credentials


# ------------------------------------------------------------------------- URLs


def _redact(url: str) -> str:
    """The URL with its password masked, for error messages."""
    scheme, sep, rest = url.partition("://")
    netloc, tail = re.match(r"([^/?#]*)(.*)", rest, re.S).groups()
    userinfo, at, hostport = netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{hostport}{tail}"


def _engine_for_scheme(scheme: str, where: str) -> str:
    supported = ", ".join(f"{s}://" for s in URL_SCHEMES)
    if scheme not in URL_SCHEMES:
        raise ConfigurationError(
            f"{where}: unknown URL scheme {scheme!r}; supported schemes: {supported}"
        )
    return URL_SCHEMES[scheme]


def _sqlite_url_parts(rest: str) -> dict[str, Any]:
    """``sqlite://PATH?params``: everything before ``?`` is the file path."""
    path, _, query = rest.partition("?")
    return {"file_path": unquote(path), **dict(parse_qsl(query, keep_blank_values=True))}


def _server_url_parts(url: str, where: str) -> dict[str, Any]:
    """``scheme://user:password@host:port/database?params``."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ConfigurationError(f"{where}: the port must be an integer") from None
    raw: dict[str, Any] = {
        "host": unquote(parts.hostname) if parts.hostname else None,
        "port": port,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote_plus(parts.password) if parts.password else None,
        "database": unquote(parts.path[1:]) or None,
    }
    raw = {key: value for key, value in raw.items() if value is not None}
    raw.update(parse_qsl(parts.query, keep_blank_values=True))
    return raw


def _parse_url(url: Any, where: str, testing: bool) -> tuple[str, dict[str, Any]]:
    """A db URL → (engine module path, normalised credentials)."""
    if not isinstance(url, str) or "://" not in url:
        raise ConfigurationError(
            f"{where}: {url!r} is not a database URL; expected SCHEME://..., e.g. "
            "sqlite://db.sqlite3, postgres://user:pass@host:5432/db, mysql://user@host/db"
        )
    where = f"{where} ({_redact(url)})"
    scheme, _, rest = url.partition("://")
    engine = _engine_for_scheme(scheme.lower(), where)
    if engine == SQLITE:
        raw = _sqlite_url_parts(rest)
    else:
        raw = _server_url_parts(url, where)
    return engine, normalize_credentials(engine, raw, where, testing)


def expand_db_url(db_url: str, testing: bool = False) -> dict[str, Any]:
    """A db URL → ``{"engine": module path, "credentials": {...}}``."""
    engine, credentials = _parse_url(db_url, "db_url", testing)
    return {"engine": engine, "credentials": credentials}


# ---------------------------------------------------------------- config dicts


class EngineNotFoundError(ConfigurationError, ImportError):
    """The engine module does not exist: a configuration error, and the ImportError
    Tortoise raises for it."""


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _check_engine(engine: Any, where: str) -> str:
    supported = ", ".join(ENGINES)
    if engine in ENGINES:
        return engine
    if engine is None:
        raise ConfigurationError(f"{where} has no 'engine'; supported engines: {supported}")
    if isinstance(engine, str) and not _module_exists(engine):
        raise EngineNotFoundError(
            f"No module named {engine!r}: {where}: unknown engine {engine!r}; supported engines: {supported}"
        )
    raise ConfigurationError(
        f'Backend for engine "{engine}" does not implement db client: {where}: unknown engine {engine!r}; '
        f"supported engines: {supported}"
    )


def _parse_connection(name: Any, value: Any, testing: bool) -> ConnectionSpec:
    if not isinstance(name, str) or not name:
        raise ConfigurationError(f"connection names must be non-empty strings, got {name!r}")
    where = f"connection {name!r}"
    if isinstance(value, str):
        engine, credentials = _parse_url(value, where, testing)
        return ConnectionSpec(name, engine, credentials)
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            f"{where} must be a db URL string or a dict with 'engine' and 'credentials', "
            f"got {type(value).__name__}"
        )
    entry = _fold_keys(value, where)
    engine = _check_engine(entry.get("engine"), where)
    raw = entry.get("credentials")
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ConfigurationError(f"{where}: 'credentials' must be a dict, got {type(raw).__name__}")
    return ConnectionSpec(name, engine, normalize_credentials(engine, raw, where, testing))


def _describe(value: Any) -> str:
    """A short description of a value that may hold secrets."""
    return "an empty dict" if isinstance(value, Mapping) else type(value).__name__


def _parse_connections(value: Any, testing: bool) -> dict[str, ConnectionSpec]:
    if not isinstance(value, Mapping) or not value:
        raise ConfigurationError(
            "config 'connections' must be a non-empty dict of name -> db URL or "
            f"{{'engine': ..., 'credentials': {{...}}}}, got {_describe(value)}"
        )
    return {name: _parse_connection(name, conn, testing) for name, conn in value.items()}


def _parse_models(value: Any, where: str) -> list[str | ModuleType]:
    if isinstance(value, (str, ModuleType)):
        return [value]
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise ConfigurationError(
            f"{where}: 'models' must be a list of module paths or modules, got {value!r}"
        )
    models = list(value)
    for module in models:
        if not isinstance(module, ModuleType) and not (isinstance(module, str) and module):
            raise ConfigurationError(
                f"{where}: invalid models entry {module!r}; expected a dotted module "
                "path such as 'app.models' or a module object"
            )
    return models


def _parse_app(label: Any, value: Any, connections: Mapping[str, ConnectionSpec]) -> AppSpec:
    if not isinstance(label, str) or not label:
        raise ConfigurationError(f"app labels must be non-empty strings, got {label!r}")
    where = f"app {label!r}"
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            f"{where} must be a dict with 'models' and optional 'default_connection' "
            f"and 'migrations', got {type(value).__name__}"
        )
    entry = _fold_keys(value, where)
    if "models" not in entry:
        raise ConfigurationError(
            f"{where} has no 'models'; give a list of model modules, e.g. ['app.models']"
        )
    connection = entry.get("default_connection") or "default"
    if connection not in connections:
        raise ConfigurationError(
            f'App "{label}" refers to unknown connection "{connection}": {where}: default_connection '
            f"{connection!r} is not a configured connection; connections are: {', '.join(connections)}"
        )
    migrations = entry.get("migrations")
    if migrations is not None and not isinstance(migrations, str):
        raise ConfigurationError(
            f"{where}: 'migrations' must be a dotted module path, got {migrations!r}"
        )
    return AppSpec(label, _parse_models(entry["models"], where), connection, migrations)


def _parse_apps(value: Any, connections: Mapping[str, ConnectionSpec]) -> dict[str, AppSpec]:
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            "config 'apps' must be a dict of label -> {'models': [...], "
            f"'default_connection': name}}, got {value!r}"
        )
    return {label: _parse_app(label, app, connections) for label, app in value.items()}


def _parse_routers(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise ConfigurationError(
            f"'routers' must be a list of dotted paths or router classes, got {value!r}"
        )
    return list(value)


def _parse_use_tz(value: Any) -> bool:
    try:
        return _to_bool(value)
    except ValueError:
        raise ConfigurationError(f"'use_tz' must be a boolean, got {value!r}") from None


def _parse_timezone(name: Any) -> str:
    if name == "UTC":
        return name
    try:
        if not isinstance(name, str):
            raise TypeError(name)
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigurationError(
            f"unknown timezone {name!r}; expected an IANA name such as 'UTC' or " "'Europe/Paris'"
        ) from None
    return name


def _first(*values: Any) -> Any:
    return next(value for value in values if value is not None)


def _from_mapping(
    config: Any, *, use_tz: Any, timezone: Any, routers: Any, testing: bool
) -> OrmConfig:
    """Parse a config dict; its own use_tz/timezone/routers win over the arguments."""
    if not isinstance(config, Mapping):
        raise ConfigurationError(
            f"config must be a dict with 'connections' and 'apps', got {type(config).__name__}"
        )
    top = _fold_keys(config, "config")
    for section in ("connections", "apps"):
        if section not in top:
            raise ConfigurationError(
                f'Config must define "{section}" section; a config needs \'connections\' and '
                "'apps' (optional: 'routers', 'use_tz', 'timezone')"
            )
    connections = _parse_connections(top["connections"], testing)
    return OrmConfig(
        connections=connections,
        apps=_parse_apps(top["apps"], connections),
        routers=_parse_routers(_first(top.get("routers"), routers, [])),
        use_tz=_parse_use_tz(_first(top.get("use_tz"), use_tz, True)),
        timezone=_parse_timezone(_first(top.get("timezone"), timezone, "UTC")),
    )


# --------------------------------------------------------------- config files


def _load_json(path: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigurationError(f"config_file {path!r} is not valid JSON: {exc}") from exc


def _load_yaml(path: str, text: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise ConfigurationError(
            f"config_file {path!r} is YAML, which needs PyYAML: pip install PyYAML "
            "(or use a .json file)"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"config_file {path!r} is not valid YAML: {exc}") from exc


_FILE_LOADERS = {".json": _load_json, ".yml": _load_yaml, ".yaml": _load_yaml}


def _read_config_file(config_file: str | os.PathLike[str]) -> Any:
    path = os.fspath(config_file)
    loader = _FILE_LOADERS.get(os.path.splitext(path)[1].lower())
    if loader is None:
        raise ConfigurationError(
            f"Unknown config extension {os.path.splitext(path)[1]}, only .yml and .json are supported: "
            f"config_file {path!r} has an unsupported extension; accepted: " + ", ".join(_FILE_LOADERS)
        )
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise ConfigurationError(f"config_file {path!r} cannot be read: {exc.strerror}") from exc
    return loader(path, text)


# ----------------------------------------------------------------- entry points


def _url_config(db_url: Any, modules: Any, connection_label: str = "default") -> dict[str, Any]:
    """The config dict for the ``db_url`` + ``modules`` form."""
    if not isinstance(modules, Mapping):
        raise ConfigurationError(
            "modules must be a dict of app label -> list of model modules, e.g. "
            f"{{'models': ['app.models']}}, got {modules!r}"
        )
    apps = {
        label: {"models": models, "default_connection": connection_label}
        for label, models in modules.items()
    }
    return {"connections": {connection_label: db_url}, "apps": apps}


def _check_sources(config: Any, config_file: Any, db_url: Any, modules: Any) -> None:
    accepted = (
        "Must provide either 'config', 'config_file', or both 'db_url' and 'modules' "
        "(config=..., config_file=..., or db_url=... together with modules=...)"
    )
    given = [
        name
        for name, value in (("config", config), ("config_file", config_file), ("db_url", db_url))
        if value is not None
    ]
    if (db_url is None) != (modules is None):
        missing = "modules" if modules is None else "db_url"
        raise ConfigurationError(
            f"{accepted} (db_url and modules go together; {missing} is missing)"
        )
    if config is not None and config_file is not None:
        raise ConfigurationError(
            f'Cannot specify both \'config\' and \'config_file\'. You should init either from "config", '
            f'"config_file" or "db_url". {accepted}'
        )
    if len(given) != 1:
        got = ", ".join(given) if given else "none"
        raise ConfigurationError(f'You should init either from "config", "config_file" or "db_url". {accepted}; got: {got}')


def load_config(
    config: Mapping[str, Any] | None = None,
    config_file: str | os.PathLike[str] | None = None,
    db_url: str | None = None,
    modules: Mapping[str, Iterable[str | ModuleType]] | None = None,
    *,
    use_tz: bool | None = None,
    timezone: str | None = None,
    routers: list[Any] | None = None,
    testing: bool = False,
) -> OrmConfig:
    """Parse any accepted configuration form into an `OrmConfig`.

    ``use_tz``/``timezone``/``routers`` apply when the config itself does not set
    them.  ``testing`` replaces ``{}`` in database names and SQLite paths by a unique
    suffix.
    """
    config = as_mapping(config)
    _check_sources(config, config_file, db_url, modules)
    if config_file is not None:
        config = _read_config_file(config_file)
    elif db_url is not None:
        config = _url_config(db_url, modules)
    return _from_mapping(config, use_tz=use_tz, timezone=timezone, routers=routers, testing=testing)


def generate_config(
    db_url: str,
    app_modules: Mapping[str, Iterable[str | ModuleType]],
    connection_label: str | None = None,
    testing: bool = False,
) -> dict[str, Any]:
    """The ``{"connections", "apps"}`` config dict for one db URL and some apps."""
    plain = _url_config(db_url, app_modules, connection_label or "default")
    parsed = _from_mapping(plain, use_tz=None, timezone=None, routers=None, testing=testing)
    full = parsed.to_dict()
    return {"connections": full["connections"], "apps": full["apps"]}
