"""Endpoints that run seed 002's queries and return what they found."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from unfazed.http import HttpRequest, JsonResponse

from tortoise.expressions import F
from tortoise.functions import Avg, Count, Max, Min, Sum
from tortoise.queryset import Q
from tortoise.transactions import in_transaction

from myapp.orders.models import Order, OrderStatus
from myapp.products.models import Article, Product, Tag
from myapp.users.models import User, UserProfile
from myapp.users.serializers import OrderSerializer, UserSerializer


def names(users) -> list[str]:
    return [u.username for u in users]


async def seed(request: HttpRequest) -> JsonResponse:
    """Seed 002's create examples, with the NOT NULL columns they leave out filled in."""
    user = await User.create(
        username="alice", email="alice@example.com", first_name="Alice", last_name="Smith", password_hash=""
    )
    await user.set_password("secret123")
    await user.save()
    users_data = [
        {"username": "bob", "email": "bob@example.com", "first_name": "Bob"},
        {"username": "charlie", "email": "charlie@gmail.com", "first_name": "Charlie"},
    ]
    await User.bulk_create([User(**data, last_name="", password_hash="") for data in users_data])
    david, created = await User.get_or_create(
        username="david",
        defaults={"email": "david@example.com", "first_name": "David", "last_name": "", "password_hash": ""},
    )
    again, created_again = await User.get_or_create(username="david", defaults={"email": "other@example.com"})
    await User.filter(username="charlie").update(is_staff=True)
    await User.filter(username="david").update(last_login=datetime.now(timezone.utc))

    await Order.create(order_number="ORD-001", user=user, total_amount=99.99, status=OrderStatus.PENDING)
    await Order.create(order_number="ORD-002", user_id=user.id, total_amount=149.99, status=OrderStatus.PENDING)
    bob = await User.get(username="bob")
    await Order.create(order_number="ORD-003", user=bob, total_amount=Decimal("10.00"), status=OrderStatus.SHIPPED)
    await UserProfile.create(user=bob, bio="Software Developer", phone="+1-555-0123", birth_date=date(1990, 5, 15))

    tag1 = await Tag.create(name="Python")
    tag2 = await Tag.create(name="Async Programming")
    tag3 = await Tag.create(name="Web Development")
    article = await Article.create(title="Tortoise ORM Guide", content="This is an article about Tortoise ORM...", author=user)
    await article.tags.add(tag1, tag2, tag3)
    await article.tags.remove(tag3)
    await article.tags.clear()
    await article.tags.set([tag1, tag2])
    await Product.create(name="Lamp", price=Decimal("12.50"))
    return JsonResponse({"david_created": created, "david_created_again": created_again, "same_david": david.id == again.id})


async def basic(request: HttpRequest) -> JsonResponse:
    user = await User.get(username="alice")
    missing = await User.get_or_none(username="nonexistent")
    first_user = await User.first()
    active_users = await User.filter(is_active=True)
    recent_users = await User.filter(date_joined__gte=datetime(2024, 1, 1), is_active=True).exclude(is_staff=True)
    users_by_name = await User.all().order_by("first_name", "-date_joined")
    latest_10_users = await User.all().order_by("-date_joined").limit(10)
    page_2_users = await User.all().order_by("id").offset(2).limit(10)
    return JsonResponse({
        "alice_password_ok": await user.check_password("secret123"),
        "missing": missing,
        "first": first_user.username,
        "active": sorted(names(active_users)),
        "recent_not_staff": sorted(names(recent_users)),
        "by_first_name": names(users_by_name),
        "latest_count": len(latest_10_users),
        "page_2": names(page_2_users),
    })


async def filters(request: HttpRequest) -> JsonResponse:
    today = datetime.now(timezone.utc)
    return JsonResponse({
        "icontains": names(await User.filter(username__icontains="ALI")),
        "endswith": names(await User.filter(email__endswith="@gmail.com")),
        "startswith": names(await User.filter(first_name__startswith="A")),
        "id_range": sorted(names(await User.filter(id__gte=2, id__lt=4))),
        "id_in": sorted(names(await User.filter(id__in=[1, 2, 3, 4, 5]))),
        "joined_this_year": len(await User.filter(date_joined__year=today.year)),
        "joined_this_month": len(await User.filter(date_joined__month=today.month)),
        "never_logged_in": sorted(names(await User.filter(last_login__isnull=True))),
        "logged_in": names(await User.filter(last_login__not_isnull=True)),
        "q_or": names(await User.filter(Q(username="alice") | Q(email="alice@example.com"))),
        "q_and": sorted(names(await User.filter(Q(is_active=True) & Q(is_staff=False)))),
        "q_not": sorted(names(await User.filter(~Q(username="alice")))),
        "q_combined": sorted(names(await User.filter(
            (Q(first_name="Alice") | Q(first_name="Bob")) & Q(is_active=True) & ~Q(is_staff=True)
        ))),
    })


async def orders(request: HttpRequest) -> JsonResponse:
    stats = await Order.all().aggregate(
        total_orders=Count("id"),
        total_revenue=Sum("total_amount"),
        avg_order_value=Avg("total_amount"),
        max_order_value=Max("total_amount"),
        min_order_value=Min("total_amount"),
    )
    user_order_stats = await Order.all().group_by("user_id").annotate(
        order_count=Count("id"), total_spent=Sum("total_amount")
    ).values("user_id", "order_count", "total_spent")
    pending = await Order.filter(status=OrderStatus.PENDING).select_related("user").order_by("order_number")
    alice = await User.get(username="alice")
    recent = await alice.orders.filter(created_at__gte=datetime.now(timezone.utc) - timedelta(days=30))
    async with in_transaction():
        await Order.filter(order_number="ORD-003").update(status=OrderStatus.DELIVERED)
    return JsonResponse({
        "stats": {k: str(v) if isinstance(v, Decimal) else v for k, v in stats.items()},
        "per_user": sorted([r["user_id"], r["order_count"], str(r["total_spent"])] for r in user_order_stats),
        "pending": [[o.order_number, o.user.username] for o in pending],
        "alice_orders": sorted(o.order_number for o in await alice.orders.all()),
        "alice_recent": len(recent),
        "has_orders": await Order.filter(user_id=alice.id).exists(),
        "delivered": [o.order_number for o in await Order.filter(status=OrderStatus.DELIVERED)],
    })


async def relations(request: HttpRequest) -> JsonResponse:
    user_with_profile = await User.get(username="bob").select_related("profile")
    profile = await UserProfile.get(user__username="bob").select_related("user")
    articles = await Article.all().prefetch_related("tags", "author")
    python = await Tag.get(name="Python")
    users = await User.all().prefetch_related("orders", "articles__tags").order_by("id")
    return JsonResponse({
        "bio": user_with_profile.profile.bio,
        "profile_user": profile.user.username,
        "articles": [[a.title, a.author.username, sorted(t.name for t in a.tags)] for a in articles],
        "python_articles": [a.title for a in await python.articles.all()],
        "with_python_tag": [a.title for a in await Article.filter(tags__name="Python")],
        "order_counts": {u.username: len(u.orders) for u in users},
        "usernames": await User.all().order_by("id").values_list("username", flat=True),
        "values": await User.filter(username="alice").values("id", "username", "email"),
    })


async def serialized(request: HttpRequest) -> JsonResponse:
    users = await UserSerializer.list_from_queryset(User.all().order_by("id"), page=1, size=2)
    order = await Order.get(order_number="ORD-001")
    return JsonResponse({
        "user_fields": sorted(UserSerializer.model_fields),
        "order_fields": sorted(OrderSerializer.model_fields),
        "user_descriptions": {
            name: prop.get("description") for name, prop in UserSerializer.model_json_schema()["properties"].items()
        },
        "users": users.model_dump(mode="json"),
        "order": OrderSerializer.from_instance(order).model_dump(mode="json"),
    })


async def cleanup(request: HttpRequest) -> JsonResponse:
    """Seed 002's delete and F() update examples."""
    await Product.all().update(price=F("price") + 1)
    raised = await Product.get(name="Lamp")
    deleted_count = await Product.filter(is_active=True).delete()
    await User.filter(username="bob").update(is_active=False)
    return JsonResponse({"raised_price": str(raised.price), "deleted_products": deleted_count, "inactive": names(await User.filter(is_active=False))})
