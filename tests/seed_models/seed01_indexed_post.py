"""Seed 001, "Optimization" section: its second Post definition, exactly as written.

The seed declares a composite index on ("published", "created_at") although this Post
has no `published` field — a seed line that contradicts its own model.  The User it
points at is the seed's User (the demo's blog models).
"""
from tortoise.models import Model
from tortoise import fields

from examples.blog_models import User  # noqa: F401 (registered with this module)


class Post(Model):
    id = fields.IntField(pk=True)
    slug = fields.CharField(max_length=200, unique=True, index=True)
    title = fields.CharField(max_length=200, index=True)  # Frequently searched
    author = fields.ForeignKeyField("models.User", index=True)  # Foreign keys
    created_at = fields.DatetimeField(auto_now_add=True, index=True)  # Sorting

    class Meta:
        table = "posts"
        indexes = [
            ("author", "created_at"),  # Composite index
            ("published", "created_at")  # For published posts query
        ]
