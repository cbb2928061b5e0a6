"""MySQL index kinds for ``Meta.indexes``."""
from tortoise.indexes import Index


class FullTextIndex(Index):
    INDEX_TYPE = "FULLTEXT"

    def __init__(self, *expressions, fields=None, name=None, parser_name: str | None = None) -> None:
        super().__init__(*expressions, fields=fields, name=name)
        self.parser_name = parser_name
        if parser_name:
            self.extra = f" WITH PARSER {parser_name}"


class SpatialIndex(Index):
    INDEX_TYPE = "SPATIAL"


__all__ = ["FullTextIndex", "SpatialIndex"]
