"""The pydantic code of the seeds, as written: seed 004's FastAPI schemas, seed 001's input schema."""
from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from pydantic import BaseModel, EmailStr, ValidationError

from tests.seed_models.seed04 import Category, Order, Product, Tag, User
from tortoise.contrib.pydantic import pydantic_model_creator, pydantic_queryset_creator


# --- seed 004: "FastAPI Integration" ------------------------------------------------------------
class UserCreate(BaseModel):
    email: str
    username: str
    password: str


class UserOut(BaseModel):
    id: int
    email: str
    username: str
    role: str

    class Config:
        from_attributes = True


def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


async def test_seed004_user_out_from_orm():
    data = UserCreate(email="alice@example.com", username="alice", password="pw")
    user = await User.create(email=data.email, username=data.username, password_hash=hash_password(data.password))
    with pytest.warns(DeprecationWarning):
        out = UserOut.from_orm(user)
    assert out.model_dump() == {"id": user.id, "email": "alice@example.com", "username": "alice", "role": "user"}
    fetched = UserOut.model_validate(await User.get(id=user.id))
    assert fetched == out
    with pytest.raises(ValidationError):
        UserCreate(email="a@b.c", username="x")


async def test_seed004_models_through_the_creator():
    root = await Category.create(name="Hardware", slug="hw")
    keyboards = await Category.create(name="Keyboards", slug="kb", parent=root)
    product = await Product.create(name="Mech keyboard", price=Decimal("129.90"), category=keyboards)
    await product.tags.add(*[await Tag.create(name=n) for n in ("usb", "rgb")])
    out = await pydantic_model_creator(Product).from_tortoise_orm(await Product.get(id=product.id))
    assert out.price == Decimal("129.90") and out.category.name == "Keyboards"
    assert sorted(t.name for t in out.tags) == ["rgb", "usb"]
    schema = pydantic_model_creator(Product).model_json_schema()
    assert schema["properties"]["stock"]["type"] == "integer"
    user = await User.create(email="b@example.com", username="bob", password_hash="h")
    await Order.create(order_number="ORD-1", customer=user, total=Decimal("99.99"))
    users = await pydantic_queryset_creator(User, exclude=("password_hash",)).from_queryset(User.all())
    [bob] = users.root
    assert bob.role == "user" and [o.order_number for o in bob.orders] == ["ORD-1"]
    assert "password_hash" not in bob.model_dump()


# --- seed 001: "Validate with Pydantic" -----------------------------------------------------------
class UserCreateSchema(BaseModel):
    username: str
    email: EmailStr
    password: str
    full_name: str | None = None


async def test_seed001_user_create_schema():
    user_data = UserCreateSchema(**{"username": "ann", "email": "ann@example.com", "password": "pw"})
    assert user_data.email == "ann@example.com" and user_data.full_name is None
    with pytest.raises(ValidationError, match="email"):
        UserCreateSchema(username="ann", email="not-an-email", password="pw")
