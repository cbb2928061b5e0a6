"""Seed 002's Order, as written there."""
from enum import Enum

from tortoise import fields
from tortoise.models import Model


class OrderStatus(str, Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Order(Model):
    """Order model"""
    id = fields.BigIntField(primary_key=True)
    order_number = fields.CharField(max_length=50, unique=True, description="Order number")
    user = fields.ForeignKeyField("models.User", related_name="orders", description="Ordering user")
    total_amount = fields.DecimalField(max_digits=10, decimal_places=2, description="Total amount")
    status = fields.CharEnumField(OrderStatus, default=OrderStatus.PENDING, description="Order status")
    created_at = fields.DatetimeField(auto_now_add=True, description="Created at")
    updated_at = fields.DatetimeField(auto_now=True, description="Updated at")

    class Meta:
        table = "orders"
