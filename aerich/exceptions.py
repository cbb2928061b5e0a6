"""Aerich's exception names, over the migration engine's errors."""
from tortoise.migrations.exceptions import DowngradeError, MigrationError

#: the base of every migration error (Aerich's name)
AerichError = MigrationError


class NotSupportError(MigrationError):
    """An operation the database cannot do."""


class NotInitedError(MigrationError):
    """``init`` / ``init-db`` has not been run yet."""


__all__ = ["AerichError", "DowngradeError", "NotInitedError", "NotSupportError"]
