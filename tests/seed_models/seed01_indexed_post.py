"""Seed 001, "Optimization" section: its second Post definition, exactly as written.

The seed declares a composite index on ("published", "created_at") although this Post
has no `published` field — a seed line that contradicts its own model.  The User it
points at is the seed's User (copied from the seed's first section).
"""
from tortoise.models import Model
from tortoise import fields


class User(Model):
    """User model for authentication and content ownership."""

    id = fields.IntField(pk=True)
    username = fields.CharField(max_length=50, unique=True)
    email = fields.CharField(max_length=255, unique=True, index=True)
    password_hash = fields.CharField(max_length=255)
    full_name = fields.CharField(max_length=100, null=True)
    is_active = fields.BooleanField(default=True)
    is_admin = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"
        ordering = ["-created_at"]

    def __str__(self):
        return self.username


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
