"""Errors of the migration engine; each message is one line a user can act on."""
from __future__ import annotations

from tortoise.exceptions import BaseORMException


class MigrationError(BaseORMException):
    pass


class DowngradeError(MigrationError):
    pass
