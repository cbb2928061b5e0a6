"""The models of seed 004 (Tortoise ORM for asyncio applications), exactly as the seed writes them.

examples/fastapi_app.py serves them; the seed tests use the same definitions.
"""
from tortoise import fields
from tortoise.models import Model
from tortoise.validators import MinValueValidator, MaxValueValidator


class TimestampMixin(Model):
    """Mixin that adds created_at and updated_at to any model."""
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class User(TimestampMixin):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=255, unique=True, index=True)
    username = fields.CharField(max_length=100, unique=True)
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(enum_type=str, max_length=20, default="user")
    is_active = fields.BooleanField(default=True)
    bio = fields.TextField(null=True)

    # Reverse relations are defined automatically
    # orders: ReverseRelation[Order]

    class Meta:
        table = "users"
        indexes = [("email", "is_active"), ("role",)]

    def __str__(self):
        return f"User(id={self.id}, email={self.email})"


class Category(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    slug = fields.CharField(max_length=100, unique=True)
    parent = fields.ForeignKeyField("models.Category", null=True, related_name="children")

    class Meta:
        table = "categories"


class Product(TimestampMixin):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255, index=True)
    description = fields.TextField(default="")
    price = fields.DecimalField(max_digits=10, decimal_places=2)
    stock = fields.IntField(default=0, validators=[MinValueValidator(0)])
    is_available = fields.BooleanField(default=True)
    category = fields.ForeignKeyField("models.Category", related_name="products")
    tags = fields.ManyToManyField("models.Tag", related_name="products")

    class Meta:
        table = "products"


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50, unique=True)

    class Meta:
        table = "tags"


# Relationships section
class Order(TimestampMixin):
    id = fields.IntField(primary_key=True)
    order_number = fields.CharField(max_length=50, unique=True)
    customer = fields.ForeignKeyField("models.User", related_name="orders")
    status = fields.CharField(max_length=20, default="pending")
    total = fields.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        table = "orders"


class OrderLine(Model):
    id = fields.IntField(primary_key=True)
    order = fields.ForeignKeyField("models.Order", related_name="lines")
    product = fields.ForeignKeyField("models.Product", related_name="order_lines")
    quantity = fields.IntField()
    unit_price = fields.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        table = "order_lines"
