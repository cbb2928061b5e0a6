"""Tortoise ORM for FastAPI applications (extra ``aldabra[fastapi]``).

In a lifespan::

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with RegisterTortoise(app, config=TORTOISE_ORM, add_exception_handlers=True):
            yield

or, for an application without one, ``register_tortoise(app, db_url=..., modules=...)``.
With ``add_exception_handlers=True``, ``DoesNotExist`` becomes a 404 and
``IntegrityError`` a 422; `HTTPNotFoundError` describes the 404 body for OpenAPI.
"""
from __future__ import annotations

from tortoise.contrib._lifecycle import import_framework

import_framework("fastapi", "fastapi")

from pydantic import BaseModel  # noqa: E402  (a FastAPI dependency)

from tortoise.contrib.starlette import (  # noqa: E402
    RegisterTortoise,
    register_tortoise,
    tortoise_exception_handlers,
)


class HTTPNotFoundError(BaseModel):
    """The body of a 404 answer: use in ``responses={404: {"model": HTTPNotFoundError}}``."""

    detail: str


__all__ = ["HTTPNotFoundError", "RegisterTortoise", "register_tortoise", "tortoise_exception_handlers"]
