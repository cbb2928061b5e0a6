"""``tortoise.contrib.testing.TortoiseTestCase``: the name some guides use (seed 004)."""
from tortoise.contrib.test import TestCase as TortoiseTestCase

__all__ = ["TortoiseTestCase"]
