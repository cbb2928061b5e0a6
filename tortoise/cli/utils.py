"""Finding the configuration and each app's migrations module, as Tortoise 1.x does."""
from __future__ import annotations

import copy
import importlib
import importlib.util
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from tortoise.config import _read_config_file
from tortoise.exceptions import ConfigurationError


class CLIError(Exception):
    """A user error: printed as one line, exit code 1."""


def read_toml(path: Path) -> dict[str, Any]:
    """A pyproject.toml as a dict (Python 3.10 has no tomllib: the plain string keys of its
    sections are read by hand, which is all the CLIs need)."""
    try:
        import tomllib
    except ImportError:
        return _read_simple(path.read_text())
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None


def _read_simple(text: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    section: dict[str, Any] = data
    for line in text.splitlines():
        header = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if header:
            section = data
            for part in header.group(1).strip().split("."):
                section = section.setdefault(part.strip(), {})
            continue
        pair = re.match(r'^\s*([\w-]+)\s*=\s*"([^"]*)"\s*$', line)
        if pair:
            section[pair.group(1)] = pair.group(2)
    return data


def _pyproject_setting(path: Path) -> str:
    if not path.is_file():
        return ""
    section = read_toml(path).get("tool", {}).get("tortoise", {})
    return str(section.get("tortoise_orm", "") or "")


def tortoise_orm_config(config_file: str = "pyproject.toml") -> str:
    """``module.VARIABLE`` from the TORTOISE_ORM variable or ``[tool.tortoise]``; "" if none."""
    return os.environ.get("TORTOISE_ORM") or _pyproject_setting(Path(config_file))


def get_tortoise_config(dotted: str) -> Any:
    module_name, _, variable = dotted.rpartition(".")
    if not module_name:
        raise CLIError(f"Configuration {dotted!r} must be module.VARIABLE (e.g. settings.TORTOISE_ORM)")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise CLIError(f"Cannot import configuration module: {module_name!r} ({exc})") from None
    if not hasattr(module, variable):
        raise CLIError(f"Variable {variable!r} not found in module {module_name!r}")
    config = as_dict(getattr(module, variable))
    if not isinstance(config, dict) or "apps" not in config:
        raise CLIError(f"{dotted} is not a Tortoise configuration (a dict with 'connections' and 'apps')")
    config = copy.deepcopy(config)
    # Tortoise 1.x returns its typed TortoiseConfig here; use it where tortoise.config has it
    typed = getattr(importlib.import_module("tortoise.config"), "TortoiseConfig", None)
    return typed.from_dict(config) if typed is not None else config


def config_from_file(path: str) -> dict[str, Any]:
    """The configuration in a JSON or YAML file (``--config-file``), as ``Tortoise.init`` reads it."""
    config = _read_config_file(path)
    if not isinstance(config, dict) or "apps" not in config:
        raise CLIError(f"{path} holds no Tortoise configuration (a mapping with 'connections' and 'apps')")
    return config


def as_dict(config: Any) -> Any:
    """A configuration as a dict (a typed ``TortoiseConfig`` has ``to_dict``)."""
    return config.to_dict() if hasattr(config, "to_dict") else config


def infer_migrations_module(models: Any) -> str | None:
    """``pkg.migrations`` beside the first models module ``pkg.models`` (or ``pkg.anything``)."""
    if not models:
        return None
    first = models[0] if isinstance(models, (list, tuple)) else models
    name = first.__name__ if isinstance(first, ModuleType) else str(first)
    package = name.rpartition(".")[0]
    return f"{package}.migrations" if package else None


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def normalize_apps_config(apps: dict[str, Any]) -> dict[str, Any]:
    """The apps with their ``migrations`` module: given, or inferred when the package exists."""
    result = copy.deepcopy(apps)
    for app in result.values():
        if not app.get("migrations"):
            inferred = infer_migrations_module(app.get("models"))
            if inferred and _exists(inferred):
                app["migrations"] = inferred
    return result
