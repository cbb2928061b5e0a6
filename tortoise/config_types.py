"""Typed configuration objects (Tortoise 1.x's ``tortoise.config`` dataclasses).

They are a typed way to write the config dict: ``to_dict()`` gives the dict form that
``tortoise.config.load_config`` parses and checks, so both forms share one validation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Mapping, Union

from tortoise.exceptions import ConfigurationError


@dataclass
class DBUrlConfig:
    """A connection given as a URL (``sqlite://:memory:``, ``postgres://...``)."""

    url: str

    def to_dict(self) -> str:
        return self.url


@dataclass
class ConnectionConfig:
    """A connection given as an engine module path and its credentials."""

    engine: str
    credentials: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"engine": self.engine, "credentials": dict(self.credentials)}


@dataclass
class AppConfig:
    """One app: its model modules (names or module objects) and default connection."""

    models: list[Union[str, ModuleType]]
    default_connection: str = "default"
    migrations: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"models": list(self.models), "default_connection": self.default_connection}
        if self.migrations is not None:
            out["migrations"] = self.migrations
        return out


@dataclass
class TortoiseConfig:
    """A whole ORM configuration: connections, apps, routers and time zone settings."""

    connections: dict[str, Union[DBUrlConfig, ConnectionConfig, str, dict]]
    apps: dict[str, Union[AppConfig, dict]]
    routers: list[Any] | None = None
    use_tz: bool | None = None
    timezone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "connections": {name: _plain(c) for name, c in self.connections.items()},
            "apps": {label: _plain(a) for label, a in self.apps.items()},
        }
        for key in ("routers", "use_tz", "timezone"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TortoiseConfig":
        for section in ("connections", "apps"):
            if section not in data:
                raise ConfigurationError(f'Config must define "{section}" section')
        connections = {
            name: DBUrlConfig(value) if isinstance(value, str) else ConnectionConfig(**value)
            for name, value in data["connections"].items()
        }
        apps = {label: AppConfig(**value) for label, value in data["apps"].items()}
        return cls(connections, apps, data.get("routers"), data.get("use_tz"), data.get("timezone"))


def _plain(value: Any) -> Any:
    return value.to_dict() if hasattr(value, "to_dict") else value


def as_mapping(config: Any) -> Any:
    """A config given as TortoiseConfig → its dict form; anything else unchanged."""
    return config.to_dict() if isinstance(config, TortoiseConfig) else config
