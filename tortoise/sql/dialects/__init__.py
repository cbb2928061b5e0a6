"""Per-database SQL dialects; each knows quoting, placeholders, lookups and types."""
from tortoise.sql.dialects.base import Dialect

__all__ = ["Dialect"]
