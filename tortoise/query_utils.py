"""Where Tortoise ORM keeps ``Prefetch`` (and, in older releases, ``Q``): libraries built
for Tortoise, such as fastapi-pagination's Tortoise extension, import them from here."""
from tortoise.expressions import Q
from tortoise.prefetch import Prefetch

__all__ = ["Prefetch", "Q"]
