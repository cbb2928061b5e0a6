"""Historical home of the relation managers; they live in ``tortoise.relations``."""
from tortoise.relations import ManyToManyRelation, ReverseRelation, make_manager

__all__ = ["ManyToManyRelation", "ReverseRelation", "make_manager"]
