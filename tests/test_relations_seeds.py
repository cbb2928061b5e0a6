"""Relation usages of the seeds (FK, one-to-one, many-to-many, prefetch, HAVING)."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tortoise.exceptions import NoValuesFetched
from tortoise.functions import Count

SEEDS = "tests.seed_models."


def _user(User, name):
    return User.create(username=name, email=f"{name}@example.com", password_hash="h", first_name=name, last_name="S")


async def test_seed002_foreign_key_one_to_one_and_reverse(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import Order, OrderStatus, User, UserProfile

    alice = await _user(User, "alice")
    bob = await _user(User, "bob")
    await Order.create(order_number="ORD-001", user=alice, total_amount=99.99, status=OrderStatus.PENDING)
    await Order.create(order_number="ORD-002", user_id=alice.id, total_amount=149.99, status=OrderStatus.PENDING)
    await Order.create(order_number="ORD-003", user=bob, total_amount=5, status=OrderStatus.SHIPPED)

    pending = await Order.filter(status=OrderStatus.PENDING).select_related("user").order_by("order_number")
    assert [(o.order_number, o.user.username) for o in pending] == [("ORD-001", "alice"), ("ORD-002", "alice")]
    assert sorted(o.order_number for o in await alice.orders.all()) == ["ORD-001", "ORD-002"]
    recent = await alice.orders.filter(created_at__gte=datetime.datetime.now() - datetime.timedelta(days=30))
    assert len(recent) == 2
    assert (await alice.orders.filter(total_amount__gte=100))[0].total_amount == Decimal("149.99")

    await UserProfile.create(user=bob, bio="Software Developer", phone="+1-555-0123", birth_date=datetime.date(1990, 5, 15))
    with_profile = await User.get(username="bob").select_related("profile")
    assert with_profile.profile.bio == "Software Developer"
    profile = await UserProfile.get(user__username="bob")
    assert (await profile.user).username == "bob"

    with pytest.raises(NoValuesFetched):
        len((await User.get(username="alice")).orders)


async def test_seed002_many_to_many_add_remove_clear_set(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import Article, Tag, User

    alice = await _user(User, "alice")
    tag1, tag2, tag3 = [await Tag.create(name=n) for n in ("Python", "Async Programming", "Web Development")]
    article = await Article.create(title="Tortoise ORM Guide", content="…", author=alice)

    async def names():
        return sorted(t.name for t in await article.tags.all())

    await article.tags.add(tag1, tag2, tag3)
    await article.tags.add(tag1)  # adding twice keeps one link
    assert await names() == ["Async Programming", "Python", "Web Development"]
    await article.tags.remove(tag3)
    assert await names() == ["Async Programming", "Python"]
    await article.tags.clear()
    assert await names() == []
    await article.tags.set([tag1, tag2])
    assert await names() == ["Async Programming", "Python"]

    articles = await Article.all().prefetch_related("tags", "author")
    assert [(a.author.username, sorted(t.name for t in a.tags)) for a in articles] == [
        ("alice", ["Async Programming", "Python"])
    ]
    assert [a.title for a in await tag1.articles.all()] == ["Tortoise ORM Guide"]
    assert [a.title for a in await Article.filter(tags__name="Python")] == ["Tortoise ORM Guide"]


async def test_seed004_nested_prefetch_and_annotation_filter(other_orm):
    await other_orm.init_models(SEEDS + "seed04")
    from tests.seed_models.seed04 import Category, Order, OrderLine, Product, Tag, User

    heavy = await User.create(email="h@example.com", username="heavy", password_hash="x")
    light = await User.create(email="l@example.com", username="light", password_hash="x")
    cat = await Category.create(name="Keyboards", slug="keyboards")
    keyboard = await Product.create(name="Keyboard", price=Decimal("120.00"), category=cat)
    for i in range(5):
        order = await Order.create(order_number=f"H-{i}", customer=heavy, total=99.99)
        await OrderLine.create(order=order, product=keyboard, quantity=i + 1, unit_price=Decimal("120.00"))
    await Order.create(order_number="L-0", customer=light, total=1)

    counts = await User.annotate(order_count=Count("orders")).filter(order_count__gte=5).values("id", "email", "order_count")
    assert counts == [{"id": heavy.id, "email": "h@example.com", "order_count": 5}]

    orders = await Order.filter(customer__id=heavy.id).prefetch_related("lines__product", "customer").order_by("order_number")
    assert [(o.customer.username, [(line.product.name, line.quantity) for line in o.lines]) for o in orders] == [
        ("heavy", [("Keyboard", i + 1)]) for i in range(5)
    ]

    tag_python = await Tag.get_or_create(name="python")
    tag_async = await Tag.get_or_create(name="async")
    await keyboard.tags.add(tag_python[0], tag_async[0])
    assert [p.name for p in await Product.filter(tags__name="python").distinct()] == ["Keyboard"]
    assert [o.order_number for o in await heavy.orders.filter(status="pending").order_by("order_number")] == [
        f"H-{i}" for i in range(5)
    ]
