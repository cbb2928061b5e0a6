"""Seed 002 (Unfazed database operations): the models exactly as the seed writes them."""
# myapp/users/models.py
from tortoise.models import Model
from tortoise import fields
from typing import Optional
from datetime import datetime
from enum import Enum


class User(Model):
    """User model"""
    id = fields.BigIntField(primary_key=True, description="User ID")
    username = fields.CharField(max_length=50, unique=True, description="Username")
    email = fields.CharField(max_length=255, unique=True, description="Email")
    password_hash = fields.CharField(max_length=255, description="Password hash")
    first_name = fields.CharField(max_length=30, description="First name")
    last_name = fields.CharField(max_length=30, description="Last name")
    is_active = fields.BooleanField(default=True, description="Is active")
    is_staff = fields.BooleanField(default=False, description="Is staff")
    date_joined = fields.DatetimeField(auto_now_add=True, description="Registration time")
    last_login = fields.DatetimeField(null=True, description="Last login time")

    # Relationship fields
    profile: Optional["UserProfile"]
    orders: fields.ReverseRelation["Order"]

    class Meta:
        table = "users"
        indexes = [
            ["username"],
            ["email"],
            ["date_joined"],
        ]

    def __str__(self):
        return f"User(username={self.username})"

    async def set_password(self, password: str):
        """Set password"""
        # In real projects, should use bcrypt or other encryption
        import hashlib
        self.password_hash = hashlib.sha256(password.encode()).hexdigest()

    async def check_password(self, password: str) -> bool:
        """Verify password"""
        import hashlib
        return self.password_hash == hashlib.sha256(password.encode()).hexdigest()


class UserProfile(Model):
    """User profile model"""
    id = fields.BigIntField(primary_key=True)
    user = fields.OneToOneField("models.User", related_name="profile", description="Associated user")
    bio = fields.TextField(blank=True, description="Personal bio")
    avatar = fields.CharField(max_length=255, null=True, description="Avatar URL")
    phone = fields.CharField(max_length=20, null=True, description="Phone number")
    address = fields.TextField(blank=True, description="Address")
    birth_date = fields.DateField(null=True, description="Birth date")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "user_profiles"


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


# Good model design example ("Best Practices" section)
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


# Use inheritance
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
