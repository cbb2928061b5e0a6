"""PostgreSQL index methods for ``Meta.indexes``: ``GinIndex(fields=["tags"])`` …"""
from tortoise.indexes import PartialIndex


class PostgreSQLIndex(PartialIndex):
    """An index with ``USING <INDEX_TYPE>`` and an optional WHERE ``condition``."""


class BloomIndex(PostgreSQLIndex):
    INDEX_TYPE = "BLOOM"


class BrinIndex(PostgreSQLIndex):
    INDEX_TYPE = "BRIN"


class GinIndex(PostgreSQLIndex):
    INDEX_TYPE = "GIN"


class GistIndex(PostgreSQLIndex):
    INDEX_TYPE = "GIST"


class HashIndex(PostgreSQLIndex):
    INDEX_TYPE = "HASH"


class SpGistIndex(PostgreSQLIndex):
    INDEX_TYPE = "SPGIST"


__all__ = ["PostgreSQLIndex", "BloomIndex", "BrinIndex", "GinIndex", "GistIndex", "HashIndex", "SpGistIndex"]
