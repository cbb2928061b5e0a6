"""Seed 004 (Tortoise ORM for asyncio applications): the models as the seed writes them.

They live in examples/shop_models.py, which examples/fastapi_app.py serves; the seed tests
use the same definitions.
"""
from examples.shop_models import Category, Order, OrderLine, Product, Tag, TimestampMixin, User

__models__ = [User, Category, Product, Tag, Order, OrderLine]
