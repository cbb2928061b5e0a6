"""MySQL index kinds for ``Meta.indexes``."""
from tortoise.indexes import Index


class FullTextIndex(Index):
    INDEX_TYPE = "FULLTEXT"


class SpatialIndex(Index):
    INDEX_TYPE = "SPATIAL"


__all__ = ["FullTextIndex", "SpatialIndex"]
