"""Seed 001 (Nexios database guide): the blog models exactly as the seed writes them."""
from tortoise.models import Model
from tortoise import fields
from typing import Optional


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
    """Blog post model."""

    id = fields.IntField(pk=True)
    title = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=200, unique=True, index=True)
    content = fields.TextField()
    excerpt = fields.CharField(max_length=500, null=True)
    published = fields.BooleanField(default=False)
    view_count = fields.IntField(default=0)

    # Relationships
    author = fields.ForeignKeyField(
        "models.User", related_name="posts", on_delete=fields.CASCADE
    )

    # Timestamps
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "posts"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Comment(Model):
    """Comment model for posts."""

    id = fields.IntField(pk=True)
    content = fields.TextField()

    # Relationships
    post = fields.ForeignKeyField(
        "models.Post", related_name="comments", on_delete=fields.CASCADE
    )
    author = fields.ForeignKeyField(
        "models.User", related_name="comments", on_delete=fields.CASCADE
    )
    parent = fields.ForeignKeyField(
        "models.Comment", related_name="replies", on_delete=fields.CASCADE, null=True
    )

    # Timestamps
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "comments"
        ordering = ["-created_at"]


class Tag(Model):
    """Tag model for categorizing posts."""

    id = fields.IntField(pk=True)
    name = fields.CharField(max_length=50, unique=True)
    slug = fields.CharField(max_length=50, unique=True)

    # Many-to-Many relationship
    posts = fields.ManyToManyField(
        "models.Post", related_name="tags", through="post_tags"
    )

    class Meta:
        table = "tags"
