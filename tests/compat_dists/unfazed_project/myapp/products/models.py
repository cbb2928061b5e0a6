"""Seed 002's Tag and Article, and its abstract-base Product ("Best Practices")."""
from tortoise import fields
from tortoise.models import Model


class Tag(Model):
    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=50, unique=True)

    class Meta:
        table = "tags"


class Article(Model):
    id = fields.BigIntField(primary_key=True)
    title = fields.CharField(max_length=200)
    content = fields.TextField()
    author = fields.ForeignKeyField("models.User", related_name="articles")
    tags = fields.ManyToManyField("models.Tag", related_name="articles")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "articles"


class BaseModel(Model):
    """Base model"""
    id = fields.BigIntField(primary_key=True)

    class Meta:
        abstract = True  # Abstract model


class TimestampedModel(BaseModel):
    """Model with timestamps"""
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class Product(TimestampedModel):
    name = fields.CharField(max_length=255, description="Product name")
    price = fields.DecimalField(max_digits=10, decimal_places=2, description="Price")
    is_active = fields.BooleanField(default=True, description="Is active")

    class Meta:
        table = "products"
        indexes = [
            ["name"],
            ["is_active", "created_at"],
        ]
