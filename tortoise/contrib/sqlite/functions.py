"""SQLite functions usable in annotate()/order_by()."""
from tortoise.contrib.postgres.functions import Random  # same SQL: RANDOM()

__all__ = ["Random"]
