"""Seed 002's User and UserProfile, as written there."""
from tortoise.models import Model
from tortoise import fields
from typing import Optional
from datetime import datetime


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
