"""Seed 004's FastAPI users/orders API, served on Aldabra.

Run it with ``scripts/serve fastapi`` (SQLite in memory, http://127.0.0.1:8000/docs) or
``DATABASE_URL=postgres://... .venv/bin/uvicorn examples.fastapi_app:app``.

The code between the markers is the seed's "FastAPI Integration" section as written, but
for ``generate_schemas=True`` (the seed migrates with Aerich; the example makes its tables);
``TORTOISE_ORM`` reads the database from ``DATABASE_URL``.  The order endpoints after the
seed's code let a client fill the API without a shell; one answers with a model made by
``pydantic_model_creator``.
"""
import os

from examples.shop_models import Order, User

TORTOISE_ORM = {
    "connections": {"default": os.getenv("DATABASE_URL", "sqlite://:memory:")},
    "apps": {"models": {"models": ["examples.shop_models"], "default_connection": "default"}},
}

# --- seed 004, "FastAPI Integration" -------------------------------------------------------
from contextlib import asynccontextmanager
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from tortoise import Tortoise
from tortoise.exceptions import DoesNotExist, IntegrityError
from tortoise.contrib.fastapi import RegisterTortoise


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with RegisterTortoise(
        app=app,
        config=TORTOISE_ORM,
        generate_schemas=True,  # the seed says False and uses Aerich; the example creates its tables
        add_exception_handlers=True,
    ):
        yield


app = FastAPI(lifespan=lifespan)


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


@app.post("/users", response_model=UserOut, status_code=201)
async def create_user(data: UserCreate):
    try:
        user = await User.create(
            email=data.email,
            username=data.username,
            password_hash=hash_password(data.password),
        )
        return UserOut.from_orm(user)
    except IntegrityError as e:
        if "email" in str(e):
            raise HTTPException(status_code=409, detail="Email already registered")
        raise HTTPException(status_code=409, detail="Username taken")


@app.get("/users/{user_id}", response_model=UserOut)
async def get_user(user_id: int):
    try:
        user = await User.get(id=user_id)
        return UserOut.from_orm(user)
    except DoesNotExist:
        raise HTTPException(status_code=404, detail="User not found")


@app.get("/users/{user_id}/orders")
async def get_user_orders(user_id: int, status: str | None = None):
    query = Order.filter(customer_id=user_id)
    if status:
        query = query.filter(status=status)
    orders = await query.order_by("-created_at").limit(50)
    return [{"id": o.id, "order_number": o.order_number, "total": float(o.total)} for o in orders]


def hash_password(password: str) -> str:
    import hashlib
    return hashlib.sha256(password.encode()).hexdigest()
# --- end of seed 004 -------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from tortoise.contrib.fastapi import HTTPNotFoundError  # noqa: E402
from tortoise.contrib.pydantic import pydantic_model_creator  # noqa: E402

OrderDetail = pydantic_model_creator(Order, name="OrderDetail")


class OrderCreate(BaseModel):
    order_number: str
    total: Decimal = Decimal("0")
    status: str = "pending"


class OrderOut(BaseModel):
    id: int
    order_number: str
    status: str
    total: Decimal
    customer_id: int

    model_config = {"from_attributes": True}


@app.post(
    "/users/{user_id}/orders",
    response_model=OrderOut,
    status_code=201,
    responses={404: {"model": HTTPNotFoundError}},
)
async def create_order(user_id: int, data: OrderCreate):
    """An unknown user answers 404 and a reused order number 422 (the exception handlers)."""
    customer = await User.get(id=user_id)
    order = await Order.create(customer=customer, **data.model_dump())
    return OrderOut.model_validate(order)


@app.get("/orders/{order_id}", response_model=OrderDetail, responses={404: {"model": HTTPNotFoundError}})
async def get_order(order_id: int):
    """The order as ``pydantic_model_creator`` describes it; an unknown id answers 404."""
    return await OrderDetail.from_queryset_single(Order.get(id=order_id))
