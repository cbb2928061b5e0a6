"""Tortoise ORM for aiohttp web applications (extra ``aldabra[aiohttp]``).

``register_tortoise(app, ...)`` sets the ORM up in ``app.on_startup`` and closes its
connections in ``app.on_cleanup``, after the server has stopped serving requests.
"""
from __future__ import annotations

from typing import Any

from tortoise.contrib._lifecycle import OrmLifecycle, import_framework, register_function

import_framework("aiohttp.web", "aiohttp")


def _hook(app: Any, lifecycle: OrmLifecycle) -> None:
    app.on_startup.append(lifecycle.init_orm)
    app.on_cleanup.append(lifecycle.close_orm)


register_tortoise = register_function("aiohttp", _hook)

__all__ = ["register_tortoise"]
