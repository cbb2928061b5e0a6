"""The seed documents' models and non-relational queries, run as the seeds write them.

Each test initialises the ORM with one seed module on a fresh database (``other_orm``),
runs the seed's queries on real data and checks what the seed says they return.  Seed
lines that contradict their own models (creating a User without its required
password_hash) must fail with an IntegrityError naming the missing field.
"""
from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest

from tortoise import Tortoise
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError, DoesNotExist, IntegrityError, ValidationError
from tortoise.expressions import F, Q
from tortoise.functions import Avg, Count, Max, Min, Sum
from tortoise.transactions import in_transaction

from tests.conftest import dialect, ph

SEEDS = "tests.seed_models."


def names(objs, attr="username"):
    return sorted(getattr(o, attr) for o in objs)


SEED_TABLES = {
    "seed00": ["user"],
    "seed01": ["users", "posts", "comments", "tags", "post_tags"],
    "seed02": ["users", "user_profiles", "orders", "tags", "articles", "products"],
    "seed03": ["author", "book"],
    "seed04": ["users", "categories", "products", "tags", "orders", "order_lines"],
}


def quoted(table: str) -> str:
    return f"`{table}`" if dialect() == "mysql" else f'"{table}"'


@pytest.mark.parametrize("seed", sorted(SEED_TABLES))
async def test_seed_models_import_and_generate_schemas_creates_tables(other_orm, seed):
    await other_orm.init_models(SEEDS + seed)
    conn = connections.get("default")
    for table in SEED_TABLES[seed]:
        rows = await conn.execute_query_dict(f"SELECT COUNT(*) AS n FROM {quoted(table)}")
        assert rows[0]["n"] == 0, table
    await Tortoise.generate_schemas(safe=True)  # and again, safely


# ==========================================================================================
# Seed 000 — Nexio integration guide
# ==========================================================================================
async def test_seed000_create_all_get(other_orm):
    await other_orm.init_models(SEEDS + "seed00")
    from tests.seed_models.seed00 import User

    await User.create(username="Dunamis", email="dunamis@example.com")
    await User.create(username="Ada", email="ada@example.com")

    users = await User.all()
    assert names(users) == ["Ada", "Dunamis"]
    specific_user = await User.get(username="Dunamis")
    assert specific_user.email == "dunamis@example.com"
    assert str(specific_user) == "Dunamis"
    assert isinstance(specific_user.created_at, datetime.datetime)


async def test_seed000_unique_username_and_email(other_orm):
    await other_orm.init_models(SEEDS + "seed00")
    from tests.seed_models.seed00 import User

    await User.create(username="Dunamis", email="dunamis@example.com")
    with pytest.raises(IntegrityError) as info:
        await User.create(username="Dunamis", email="other@example.com")
    assert "username" in str(info.value)
    with pytest.raises(IntegrityError) as info:
        await User.create(username="Other", email="dunamis@example.com")
    assert "email" in str(info.value)
    assert await User.all().count() == 1


# ==========================================================================================
# Seed 001 — Nexios database guide (blog)
# ==========================================================================================
async def _seed001_users(User):
    data = [
        ("anna", "anna@x.io", True),
        ("bob", "bob@fans.io", True),
        ("carl", "carl@x.io", True),
        ("dan", "dan@x.io", False),
    ]
    return [
        await User.create(username=u, email=e, password_hash="h", full_name=u.title(), is_active=a)
        for u, e, a in data
    ]


async def test_seed001_create_user_as_the_handler_does(other_orm):
    await other_orm.init_models(SEEDS + "seed01")
    from tests.seed_models.seed01 import User

    user = await User.create(
        username="testuser", email="test@example.com", password_hash="hashed", full_name=None
    )
    assert user.id is not None
    assert user.username == "testuser"
    assert user.is_active is True and user.is_admin is False
    assert isinstance(user.created_at.isoformat(), str)
    db_user = await User.get(id=user.id)
    assert db_user.username == "testuser"
    assert str(db_user) == "testuser"


async def test_seed001_list_users_search_or_of_querysets_and_paging(other_orm):
    await other_orm.init_models(SEEDS + "seed01")
    from tests.seed_models.seed01 import User

    await _seed001_users(User)
    search = "an"
    query = User.filter(is_active=True)
    if search:
        query = query.filter(username__icontains=search) | query.filter(email__icontains=search)

    total = await query.count()
    assert total == 2  # anna (username) and bob (email); dan matches but is inactive

    first_page = await query.offset(0).limit(1).all()
    second_page = await query.offset(1).limit(10).all()
    assert len(first_page) == 1 and len(second_page) == 1
    assert names(first_page + second_page) == ["anna", "bob"]
    # the combined queryset is reusable and the originals are unchanged
    assert await query.count() == 2
    assert await User.filter(is_active=True).count() == 3


async def test_seed001_get_missing_user_raises_per_model_does_not_exist(other_orm):
    await other_orm.init_models(SEEDS + "seed01")
    from tests.seed_models.seed01 import Post, User

    users = await _seed001_users(User)
    assert (await User.get(id=users[0].id)).username == "anna"
    with pytest.raises(User.DoesNotExist):
        await User.get(id=999999)
    try:
        await Post.get(id=999999)
    except User.DoesNotExist:  # pragma: no cover - must not be caught here
        pytest.fail("Post.DoesNotExist was caught by `except User.DoesNotExist`")
    except Post.DoesNotExist as exc:
        assert isinstance(exc, DoesNotExist)


async def test_seed001_update_and_soft_delete_user(other_orm):
    await other_orm.init_models(SEEDS + "seed01")
    from tests.seed_models.seed01 import User

    user = (await _seed001_users(User))[0]
    before = (await User.get(id=user.id)).updated_at

    user = await User.get(id=user.id)
    user.full_name = "Anna Karenina"
    user.email = "ak@example.com"
    await user.save()
    fresh = await User.get(id=user.id)
    assert (fresh.full_name, fresh.email) == ("Anna Karenina", "ak@example.com")
    assert fresh.updated_at >= before

    user.is_active = False
    await user.save()
    assert (await User.get(id=user.id)).is_active is False
    assert await User.filter(is_active=True).count() == 2


async def test_seed001_duplicate_user_integrity_error_details(other_orm):
    await other_orm.init_models(SEEDS + "seed01")
    from tests.seed_models.seed01 import User

    data = {"username": "anna", "email": "anna@x.io", "password_hash": "h"}
    await User.create(**data)
    with pytest.raises(IntegrityError) as info:
        await User.create(**data)
    assert "username" in str(info.value) or "email" in str(info.value)


async def test_seed001_post_search_counts_and_average_views(other_orm):
    await other_orm.init_models(SEEDS + "seed01")
    from tests.seed_models.seed01 import Post, User

    anna, bob = (await _seed001_users(User))[:2]
    specs = [
        ("Async Python", "all about asyncio", True, 10, anna),
        ("Cooking", "python recipes? no, pasta", True, 30, bob),
        ("Gardening", "tomatoes", True, 20, anna),
        ("Draft on Python", "unfinished", False, 99, anna),
    ]
    for i, (title, content, published, views, author) in enumerate(specs):
        await Post.create(
            title=title, slug=f"post-{i}", content=content, published=published,
            view_count=views, author=author,
        )

    keyword = "python"
    query = Post.all()
    query = query.filter(Q(title__icontains=keyword) | Q(content__icontains=keyword))
    query = query.filter(published=True)
    cutoff_date = datetime.datetime.now() - datetime.timedelta(days=30)
    query = query.filter(created_at__gte=cutoff_date)
    query = query.order_by("-view_count", "-created_at")
    posts = await query.limit(20)
    assert [p.title for p in posts] == ["Cooking", "Async Python"]

    assert [p.title for p in await query.filter(author_id=anna.id)] == ["Async Python"]
    assert await User.filter(is_active=True).count() == 3
    assert await Post.filter(published=True).count() == 3

    avg_views = await Post.filter(published=True).annotate(avg_views=Avg("view_count")).values("avg_views")
    average = avg_views[0]["avg_views"] if avg_views else 0
    assert float(average) == pytest.approx(20.0)

    with pytest.raises(Post.DoesNotExist):
        await Post.get(id=999999)


async def test_seed001_publish_post_in_transaction_and_nested_savepoint(other_orm):
    await other_orm.init_models(SEEDS + "seed01")
    from tests.seed_models.seed01 import Post, User

    user = (await _seed001_users(User))[0]
    post = await Post.create(title="T", slug="t", content="c", author=user)

    async with in_transaction():
        post = await Post.get(id=post.id)
        post.published = True
        post.published_at = datetime.datetime.now()
        await post.save()
    assert (await Post.get(id=post.id)).published is True

    async with in_transaction() as connection:
        user = await User.get(id=user.id)
        async with in_transaction(connection):
            post2 = await Post.create(title="Nested", slug="nested", content="c", author=user)
        user.full_name = "Has Posts"
        await user.save()
    assert await Post.filter(id=post2.id).exists()
    assert (await User.get(id=user.id)).full_name == "Has Posts"

    # an error in the inner block that is not handled rolls back the whole operation
    with pytest.raises(RuntimeError):
        async with in_transaction() as connection:
            await User.filter(id=user.id).update(full_name="changed")
            async with in_transaction(connection):
                await Post.create(title="Lost", slug="lost", content="c", author=user)
                raise RuntimeError("boom")
    assert not await Post.filter(slug="lost").exists()
    assert (await User.get(id=user.id)).full_name == "Has Posts"


async def test_seed001_second_post_definition_indexes_a_missing_field(other_orm):
    """The "Optimization" Post indexes ("published", "created_at") but has no `published`."""
    with pytest.raises(ConfigurationError) as info:
        await other_orm.init_models(SEEDS + "seed01_indexed_post")
    assert "published" in str(info.value)


# ==========================================================================================
# Seed 002 — Unfazed database operations
# ==========================================================================================
def _complete(username, **extra):
    data = {
        "username": username,
        "email": f"{username}@example.com",
        "password_hash": "x",
        "first_name": username.title(),
        "last_name": "Smith",
    }
    data.update(extra)
    return data


async def test_seed002_create_user_without_password_hash_names_the_field(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    with pytest.raises(IntegrityError) as info:
        await User.create(username="alice", email="alice@example.com", first_name="Alice", last_name="Smith")
    assert "password_hash" in str(info.value)
    assert await User.all().count() == 0

    # the seed's own follow-up works once the password is set before saving
    user = User(username="alice", email="alice@example.com", first_name="Alice", last_name="Smith")
    await user.set_password("secret123")
    await user.save()
    fresh = await User.get(username="alice")
    assert await fresh.check_password("secret123")
    assert not await fresh.check_password("wrongpassword")
    assert fresh.password_hash == hashlib.sha256(b"secret123").hexdigest()
    assert str(fresh) == "User(username=alice)"


async def test_seed002_bulk_create_returns_objects_with_pks(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    # as the seed writes it: the data lacks password_hash and last_name
    users_data = [
        {"username": "bob", "email": "bob@example.com", "first_name": "Bob"},
        {"username": "charlie", "email": "charlie@example.com", "first_name": "Charlie"},
    ]
    with pytest.raises(IntegrityError) as info:
        await User.bulk_create([User(**data) for data in users_data])
    assert "password_hash" in str(info.value) or "last_name" in str(info.value)
    assert await User.all().count() == 0

    users = await User.bulk_create([User(**_complete(d["username"])) for d in users_data])
    assert [u.username for u in users] == ["bob", "charlie"]
    assert all(isinstance(u, User) and u.pk is not None for u in users)
    for u in users:
        assert (await User.get(pk=u.pk)).username == u.username


async def test_seed002_get_or_create(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    with pytest.raises(IntegrityError) as info:  # the seed's defaults lack required fields
        await User.get_or_create(
            username="david", defaults={"email": "david@example.com", "first_name": "David"}
        )
    assert "password_hash" in str(info.value) or "last_name" in str(info.value)

    defaults = {"email": "david@example.com", "first_name": "David", "last_name": "D", "password_hash": "x"}
    user, created = await User.get_or_create(username="david", defaults=defaults)
    assert created is True and user.pk is not None and user.email == "david@example.com"
    again, created = await User.get_or_create(username="david", defaults={**defaults, "email": "new@x.io"})
    assert created is False and again.pk == user.pk and again.email == "david@example.com"


async def test_seed002_basic_queries(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    await User.bulk_create([User(**_complete(f"user_{i:02d}")) for i in range(25)])
    await User.create(**_complete("alice", first_name="Alice", is_staff=True))
    await User.create(**_complete("zed", first_name="Aaron", is_active=False))

    user = await User.get(username="alice")
    assert user.first_name == "Alice"
    assert await User.get_or_none(username="nonexistent") is None
    first_user = await User.first()
    assert isinstance(first_user, User)
    assert len(await User.filter(is_active=True)) == 26

    recent_users = await User.filter(
        date_joined__gte=datetime.datetime(2024, 1, 1), is_active=True
    ).exclude(is_staff=True)
    assert len(recent_users) == 25 and "alice" not in names(recent_users)

    users_by_name = await User.all().order_by("first_name", "-date_joined")
    assert [u.first_name for u in users_by_name[:2]] == ["Aaron", "Alice"]
    latest_10_users = await User.all().order_by("-date_joined").limit(10)
    assert len(latest_10_users) == 10
    page_2_users = await User.all().offset(20).limit(10)
    assert len(page_2_users) == 7


async def test_seed002_advanced_filters(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    alice = await User.create(**_complete("alice", email="alice@gmail.com", first_name="Alice"))
    bob = await User.create(**_complete("bob", first_name="Bob"))
    anna = await User.create(**_complete("Anna_Alice", email="anna@gmail.com", first_name="Anna"))
    await User.filter(id=bob.id).update(date_joined=datetime.datetime(2024, 12, 5, 10, 30))
    await User.filter(id=anna.id).update(date_joined=datetime.datetime(2024, 6, 1, 8, 0))
    await User.filter(id=alice.id).update(last_login=datetime.datetime.now())

    assert names(await User.filter(username__icontains="alice")) == ["Anna_Alice", "alice"]
    assert names(await User.filter(email__endswith="@gmail.com")) == ["Anna_Alice", "alice"]
    assert names(await User.filter(first_name__startswith="A")) == ["Anna_Alice", "alice"]
    assert names(await User.filter(id__gte=bob.id)) == names([bob, anna])
    assert names(await User.filter(id__lt=bob.id)) == ["alice"]
    assert names(await User.filter(id__in=[alice.id, anna.id, 123456])) == ["Anna_Alice", "alice"]

    today = datetime.date.today()
    assert names(await User.filter(date_joined__date=today)) == ["alice"]
    assert names(await User.filter(date_joined__year=2024)) == ["Anna_Alice", "bob"]
    joined_in_december = ["alice", "bob"] if today.month == 12 else ["bob"]  # alice joins today
    assert names(await User.filter(date_joined__month=12)) == joined_in_december

    assert names(await User.filter(last_login__isnull=True)) == ["Anna_Alice", "bob"]
    assert names(await User.filter(last_login__not_isnull=True)) == ["alice"]


async def test_seed002_q_objects(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    await User.create(**_complete("alice", first_name="Alice", email="a@x.io"))
    await User.create(**_complete("bob", first_name="Bob", is_staff=True))
    await User.create(**_complete("admin", first_name="Root"))
    await User.create(**_complete("carol", first_name="Alice", email="alice@example.com", is_active=False))

    assert names(await User.filter(Q(username="alice") | Q(email="alice@example.com"))) == ["alice", "carol"]
    assert names(await User.filter(Q(is_active=True) & Q(is_staff=False))) == ["admin", "alice"]
    assert names(await User.filter(~Q(username="admin"))) == ["alice", "bob", "carol"]
    combo = await User.filter(
        (Q(first_name="Alice") | Q(first_name="Bob")) & Q(is_active=True) & ~Q(is_staff=True)
    )
    assert names(combo) == ["alice"]


async def test_seed002_update_records(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    old = await User.create(**_complete("old"))
    await User.filter(id=old.id).update(date_joined=datetime.datetime(2022, 5, 1))
    await User.create(**_complete("alice"))
    await User.create(**_complete("bob"))

    user = await User.get(username="alice")
    now = datetime.datetime.now()
    user.last_login = now
    await user.save()
    assert (await User.get(username="alice")).last_login is not None

    assert await User.filter(is_active=True).update(last_login=datetime.datetime.now()) == 3
    assert await User.filter(last_login__isnull=True).count() == 0

    updated_count = await User.filter(date_joined__lt=datetime.datetime(2023, 1, 1)).update(is_active=False)
    assert updated_count == 1
    assert names(await User.filter(is_active=False)) == ["old"]

    before = {u.username: u.id for u in await User.all()}
    await User.all().update(id=F("id") + 1000)
    after = {u.username: u.id for u in await User.all()}
    assert after == {name: pk + 1000 for name, pk in before.items()}


async def test_seed002_delete_records(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    for name, active in [("alice", True), ("bob", True), ("carl", False), ("dora", False)]:
        await User.create(**_complete(name, is_active=active))

    user = await User.get(username="alice")
    await user.delete()
    assert await User.get_or_none(username="alice") is None

    deleted_count = await User.filter(is_active=False).delete()
    assert deleted_count == 2

    assert await User.filter(username="bob").update(is_active=False) == 1
    assert names(await User.all()) == ["bob"]
    assert (await User.get(username="bob")).is_active is False


async def test_seed002_order_aggregates_group_by_and_exists(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import Order, OrderStatus, User

    user = await User.create(**_complete("alice"))
    other = await User.create(**_complete("bob"))
    order = await Order.create(order_number="ORD-001", user=user, total_amount=99.99, status=OrderStatus.PENDING)
    await Order.create(order_number="ORD-002", user_id=user.id, total_amount=149.99, status=OrderStatus.PENDING)
    await Order.create(order_number="ORD-003", user_id=other.id, total_amount=Decimal("10.00"))

    fetched = await Order.get(id=order.id)
    assert fetched.user_id == user.id
    assert fetched.total_amount == Decimal("99.99")
    assert fetched.status == OrderStatus.PENDING and isinstance(fetched.status, OrderStatus)

    stats = await Order.all().aggregate(
        total_orders=Count("id"),
        total_revenue=Sum("total_amount"),
        avg_order_value=Avg("total_amount"),
        max_order_value=Max("total_amount"),
        min_order_value=Min("total_amount"),
    )
    assert isinstance(stats, dict)
    assert stats["total_orders"] == 3
    assert float(stats["total_revenue"]) == pytest.approx(259.98)
    assert float(stats["avg_order_value"]) == pytest.approx(86.66)
    assert float(stats["max_order_value"]) == pytest.approx(149.99)
    assert float(stats["min_order_value"]) == pytest.approx(10.00)

    user_order_stats = await Order.all().group_by("user_id").annotate(
        order_count=Count("id"),
        total_spent=Sum("total_amount")
    ).values("user_id", "order_count", "total_spent")
    by_user = {row["user_id"]: (row["order_count"], float(row["total_spent"])) for row in user_order_stats}
    assert by_user == {user.id: (2, pytest.approx(249.98)), other.id: (1, pytest.approx(10.0))}

    assert await Order.filter(user_id=user.id).exists() is True
    assert await Order.filter(user_id=user.id + other.id + 100).exists() is False
    assert await Order.filter(status=OrderStatus.PENDING).count() == 3


async def test_seed002_values_and_values_list(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    await User.create(**_complete("alice"))
    await User.create(**_complete("bob"))
    user_names = await User.all().values_list("username", flat=True)
    assert sorted(user_names) == ["alice", "bob"]
    user_info = await User.all().values("id", "username", "email")
    assert sorted(user_info, key=lambda r: r["username"])[0].keys() == {"id", "username", "email"}
    assert sorted(r["email"] for r in user_info) == ["alice@example.com", "bob@example.com"]


async def test_seed002_transactions(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import User

    a = await User.create(**_complete("from", first_name="Rich"))
    b = await User.create(**_complete("to", first_name="Poor"))

    @in_transaction()
    async def swap_first_names(from_user_id: int, to_user_id: int, fail: bool = False):
        from_user = await User.get(id=from_user_id)
        to_user = await User.get(id=to_user_id)
        from_user.first_name, to_user.first_name = to_user.first_name, from_user.first_name
        await from_user.save()
        await to_user.save()
        if fail:
            raise ValueError("Insufficient balance")

    await swap_first_names(a.id, b.id)
    assert (await User.get(id=a.id)).first_name == "Poor"
    with pytest.raises(ValueError):
        await swap_first_names(a.id, b.id, fail=True)
    assert (await User.get(id=a.id)).first_name == "Poor"
    assert (await User.get(id=b.id)).first_name == "Rich"

    with pytest.raises(Exception, match="Rollback transaction"):
        async with in_transaction():
            await User.create(**_complete("test_user"))
            raise Exception("Rollback transaction")
    assert await User.get_or_none(username="test_user") is None


async def test_seed002_abstract_inheritance_product(other_orm):
    await other_orm.init_models(SEEDS + "seed02")
    from tests.seed_models.seed02 import Product

    p = await Product.create(name="Keyboard", price=Decimal("49.90"))
    await Product.create(name="Mouse", price=Decimal("19.90"), is_active=False)
    fresh = await Product.get(id=p.id)
    assert isinstance(fresh.id, int)
    assert fresh.price == Decimal("49.90")
    assert fresh.created_at is not None and fresh.updated_at is not None
    assert [x.name for x in await Product.filter(is_active=True)] == ["Keyboard"]


# ==========================================================================================
# Seed 003 — tortoise-orm notes (Author/Book, transactions, TORTOISE_ORM dict)
# ==========================================================================================
async def test_seed003_authors_and_queries(other_orm):
    await other_orm.init_models(SEEDS + "seed03")
    from tests.seed_models.seed03 import Author, Book

    for name in ["Tolstoy", "Austen", "Borges"]:
        await Author.create(name=name)
    author = await Author.get(id=1)
    assert author.name == "Tolstoy"
    book = await Book.create(title="War and Peace", author=author)
    assert (await Book.get(id=book.id)).author_id == author.id

    assert sorted(a.name for a in await Author.filter(name__contains="st")) == ["Austen", "Tolstoy"]
    assert sorted(a.name for a in await Author.filter(id__range=(1, 2))) == ["Austen", "Tolstoy"]
    assert sorted(r["name"] for r in await Author.filter(id__range=[2, 3]).values("name")) == ["Austen", "Borges"]
    assert await Author.all().count() == 3
    assert (await Author.all().order_by("-id").first()).name == "Borges"
    assert [a.name for a in await Author.all().order_by("id").limit(1).offset(1)] == ["Austen"]
    rows = await Author.filter(id=1).values()
    assert rows == [{"id": 1, "name": "Tolstoy"}]

    changes = {"name": "Leo Tolstoy"}
    assert await Author.filter(id=1).update(**changes) == 1
    conditions = {"name__contains": "Leo"}
    assert [a.id for a in await Author.filter(Q(**conditions))] == [1]

    a = await Author.get(id=3)
    a.name = "J. L. Borges"
    await a.save()
    assert (await Author.get(id=3)).name == "J. L. Borges"
    await a.delete()
    assert await Author.all().count() == 2


async def test_seed003_transaction_rollback_and_explicit_commit(other_orm):
    await other_orm.init_models(SEEDS + "seed03")
    from tests.seed_models.seed03 import Author

    async def example_transaction():
        async with in_transaction() as conn:
            user1 = await Author.create(name="user1")
            await Author.create(name="user2")
            if user1.name == "user1":
                raise ValueError("Something went wrong, rolling back transaction")
            await conn.commit()

    with pytest.raises(ValueError):
        await example_transaction()
    assert await Author.all().count() == 0

    async with in_transaction() as conn:
        await Author.create(name="user1")
        await Author.create(name="user2")
        await conn.commit()
    assert sorted(await Author.all().values_list("name", flat=True)) == ["user1", "user2"]


async def test_seed003_tortoise_orm_dict_with_relative_sqlite_file(other_orm, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    TORTOISE_ORM = {
        "connections": {
            "default": "sqlite://db.sqlite3",
        },
        "apps": {
            "models": {
                "models": [SEEDS + "seed03"],
                "default_connection": "default",
            },
        },
    }
    await other_orm.init(config=TORTOISE_ORM)
    from tests.seed_models.seed03 import Author

    await Author.create(name="On disk")
    assert (tmp_path / "db.sqlite3").exists()
    assert await Author.filter(name="On disk").count() == 1


# ==========================================================================================
# Seed 004 — Tortoise ORM for asyncio applications
# ==========================================================================================
async def test_seed004_crud(other_orm):
    await other_orm.init_models(SEEDS + "seed04")
    from tests.seed_models.seed04 import User

    user = await User.create(email="alice@example.com", username="alice", password_hash="hashed_password")
    assert str(user) == f"User(id={user.id}, email=alice@example.com)"
    assert user.role == "user" and user.is_active is True

    same, created = await User.get_or_create(
        email="alice@example.com", defaults={"username": "alice2", "password_hash": "hash"}
    )
    assert created is False and same.pk == user.pk and same.username == "alice"
    new, created = await User.get_or_create(
        email="bob@example.com", defaults={"username": "bob", "password_hash": "hash"}
    )
    assert created is True and new.username == "bob"

    found = await User.get(id=1)
    assert found.email == "alice@example.com"
    found = await User.get(email="alice@example.com")
    assert await User.get_or_none(email="nobody@example.com") is None
    with pytest.raises(DoesNotExist):
        await User.get(id=424242)

    found.bio = "Python developer"
    await found.save()
    assert (await User.get(id=found.id)).bio == "Python developer"

    await User.filter(id=new.id).update(is_active=False)
    assert await User.filter(is_active=False).update(role="archived") == 1
    assert (await User.get(id=new.id)).role == "archived"

    await found.delete()
    assert await User.filter(is_active=False).delete() == 1
    assert await User.all().count() == 0


async def test_seed004_integrity_errors_name_the_column(other_orm):
    await other_orm.init_models(SEEDS + "seed04")
    from tests.seed_models.seed04 import User

    await User.create(email="alice@example.com", username="alice", password_hash="h")
    with pytest.raises(IntegrityError) as info:
        await User.create(email="alice@example.com", username="other", password_hash="h")
    assert "email" in str(info.value)
    with pytest.raises(IntegrityError) as info:
        await User.create(email="other@example.com", username="alice", password_hash="h")
    assert "username" in str(info.value)
    with pytest.raises(IntegrityError) as info:
        await User.create(email="x@example.com", username="x")
    assert "password_hash" in str(info.value)
    assert await User.all().count() == 1


async def test_seed004_advanced_queries(other_orm):
    await other_orm.init_models(SEEDS + "seed04")
    from tests.seed_models.seed04 import Category, Order, Product, User

    for name, role, active in [("ann", "admin", True), ("ed", "editor", True), ("u", "user", True), ("old", "admin", False)]:
        await User.create(email=f"{name}@x.io", username=name, password_hash="h", role=role, is_active=active)

    users = await User.filter(Q(role="admin") | Q(role="editor"), is_active=True).all()
    assert names(users) == ["ann", "ed"]
    non_admin = await User.filter(~Q(role="admin")).all()
    assert names(non_admin) == ["ed", "u"]

    cat = await Category.create(name="Peripherals", slug="peripherals")
    for name, price, available in [
        ("Mechanical Keyboard", "149.00", True),
        ("Budget keyboard", "29.99", True),
        ("Gold KEYBOARD", "999.00", True),
        ("Keyboard (sold out)", "200.00", False),
        ("Mouse", "150.00", True),
    ]:
        await Product.create(name=name, price=Decimal(price), is_available=available, category=cat)
    expensive = await Product.filter(
        price__gte=100,
        price__lte=500,
        name__icontains="keyboard",
        is_available=True,
    ).all()
    assert [p.name for p in expensive] == ["Mechanical Keyboard"]

    ann = await User.get(username="ann")
    await Order.create(order_number="ORD-001", customer=ann, total=99.99)
    await Order.create(order_number="ORD-002", customer_id=ann.id, total=5, status="shipped")
    recent = await Order.filter(status="pending").order_by("-created_at").offset(0).limit(20)
    assert [(o.order_number, float(o.total)) for o in recent] == [("ORD-001", 99.99)]

    email_list = await User.filter(is_active=True).values_list("email", flat=True)
    assert sorted(email_list) == ["ann@x.io", "ed@x.io", "u@x.io"]
    user_dicts = await User.filter(role="admin").values("id", "email", "username")
    assert sorted(d["username"] for d in user_dicts) == ["ann", "old"]
    assert all(d.keys() == {"id", "email", "username"} for d in user_dicts)


async def test_seed004_raw_sql_with_parameter(other_orm):
    await other_orm.init_models(SEEDS + "seed04")
    from tests.seed_models.seed04 import User

    for name in ["new1", "new2", "old"]:
        await User.create(email=f"{name}@x.io", username=name, password_hash="h")
    await User.filter(username__startswith="new").update(created_at=datetime.datetime(2026, 3, 1, 12, 0))
    await User.filter(username="old").update(created_at=datetime.datetime(2025, 6, 1, 12, 0))

    sql = "SELECT id, email FROM users WHERE created_at > $1"
    if dialect() != "postgres":
        sql = sql.replace("$1", ph(1))
    results = await User.raw(sql, ["2026-01-01"])
    assert sorted(u.email for u in results) == ["new1@x.io", "new2@x.io"]
    assert all(isinstance(u, User) and isinstance(u.id, int) for u in results)


async def test_seed004_validator_and_str_enum_role(other_orm):
    await other_orm.init_models(SEEDS + "seed04")
    from tests.seed_models.seed04 import Category, Product, User

    cat = await Category.create(name="C", slug="c")
    with pytest.raises(ValidationError) as info:
        await Product.create(name="Broken", price=Decimal("1.00"), stock=-1, category=cat)
    assert "stock" in str(info.value)
    assert await Product.all().count() == 0
    ok = await Product.create(name="Fine", price=Decimal("1.00"), stock=0, category=cat)
    assert (await Product.get(id=ok.id)).stock == 0

    await User.create(email="e@x.io", username="e", password_hash="h", role="moderator")
    assert await User.filter(role="moderator").values_list("role", flat=True) == ["moderator"]
