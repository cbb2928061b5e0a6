"""The CLI's configuration: ``[tool.aerich]`` in pyproject.toml and the Tortoise config."""
from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

from tortoise.cli.utils import read_toml
from tortoise.exceptions import ConfigurationError

SECTION = "tool.aerich"
#: real Aerich with Tortoise 1.x writes its settings under this name instead
OTHER_SECTIONS = ("tool.tortoise",)


def read_settings(config_file: str) -> dict[str, Any]:
    path = Path(config_file)
    if not path.is_file():
        raise ConfigurationError(f"{config_file} not found: run `aerich init -t module.TORTOISE_ORM` first")
    data = read_toml(path)
    for name in (SECTION, *OTHER_SECTIONS):
        section: Any = data
        for part in name.split("."):
            section = section.get(part, {}) if isinstance(section, dict) else {}
        if section.get("tortoise_orm"):
            return section
    raise ConfigurationError(f"no [{SECTION}] section in {config_file}: run `aerich init -t module.TORTOISE_ORM` first")


def load_tortoise_config(dotted: str, src_folder: str = ".") -> dict[str, Any]:
    """Import ``module.NAME`` (with ``src_folder`` on the path) and return the config dict."""
    module_name, _, attribute = dotted.rpartition(".")
    if not module_name:
        raise ConfigurationError(f"-t {dotted!r}: expected module.VARIABLE, e.g. settings.TORTOISE_ORM")
    folder = str(Path(src_folder).resolve())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(f"cannot import {module_name!r} for -t {dotted}: {exc}") from None
    config = getattr(module, attribute, None)
    if config is None:
        raise ConfigurationError(f"module {module_name!r} has no {attribute!r} (from -t {dotted})")
    if not isinstance(config, dict):
        raise ConfigurationError(f"{dotted} must be a Tortoise config dict, not {type(config).__name__}")
    return config


def write_settings(config_file: str, tortoise_orm: str, location: str, src_folder: str) -> None:
    """Write (or replace) the ``[tool.aerich]`` section, creating the file if needed."""
    path = Path(config_file)
    section = (
        f"[{SECTION}]\n"
        f'tortoise_orm = "{tortoise_orm}"\n'
        f'location = "{location}"\n'
        f'src_folder = "{src_folder}"\n'
    )
    text = path.read_text() if path.is_file() else ""
    pattern = re.compile(rf"^\[{re.escape(SECTION)}\]\n(?:(?!\[).*\n?)*", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
    path.write_text(text)
