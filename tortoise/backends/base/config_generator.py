"""Tortoise's public config helpers; the parsing itself lives in `tortoise.config`."""

from __future__ import annotations

from tortoise.config import expand_db_url, generate_config

__all__ = ["expand_db_url", "generate_config"]
