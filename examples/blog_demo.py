"""Aldabra demo: the blog of the Nexios guide on an embedded SQLite database.

Run it with ``scripts/demo`` (or ``python -m examples.blog_demo [db_url]``).
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta

from tortoise import Tortoise, run_async
from tortoise.expressions import F, Q
from tortoise.functions import Avg, Count
from tortoise.transactions import in_transaction

from examples.blog_models import Comment, Post, Tag, User


def show(title: str, value: object) -> None:
    print(f"{title:<44} {value}")


async def main(db_url: str) -> None:
    await Tortoise.init(db_url=db_url, modules={"models": ["examples.blog_models"]})
    await Tortoise.generate_schemas()

    alice = await User.create(username="alice", email="alice@example.com", password_hash="x", full_name="Alice")
    bob = await User.create(username="bob", email="bob@example.com", password_hash="x")
    show("created users", [alice.username, bob.username])

    async with in_transaction():
        hello = await Post.create(title="Hello Aldabra", slug="hello", content="First post", author=alice, published=True, view_count=10)
        await Post.create(title="Async ORMs", slug="async-orms", content="Why async", author=alice, view_count=4)
        await Post.create(title="Bob's notes", slug="bob-notes", content="Notes", author=bob, published=True, view_count=2)
    await Comment.create(content="Nice!", post=hello, author=bob)
    for name in ("python", "orm"):
        tag, _ = await Tag.get_or_create(name=name, defaults={"slug": name})
        await hello.tags.add(tag)

    query = User.filter(is_active=True)
    found = await (query.filter(username__icontains="ali") | query.filter(email__icontains="bob@"))
    show("users matching 'ali' or 'bob@'", sorted(u.username for u in found))
    recent = await Post.filter(Q(title__icontains="aldabra") | Q(content__icontains="async")).filter(
        created_at__gte=datetime.now() - timedelta(days=30)
    ).order_by("-view_count", "-created_at").prefetch_related("author", "tags")
    show("recent posts (author, tags)", [(p.title, p.author.username, [t.name for t in p.tags]) for p in recent])

    post = await Post.get(id=hello.id).prefetch_related("author", "comments__author", "tags")
    show("post with comments", (post.title, [(c.content, c.author.username) for c in post.comments]))
    stats = await User.annotate(post_count=Count("posts")).filter(is_active=True).values("username", "post_count")
    show("posts per user", sorted((s["username"], s["post_count"]) for s in stats))
    avg = await Post.filter(published=True).annotate(avg_views=Avg("view_count")).values("avg_views")
    show("average views of published posts", avg[0]["avg_views"])

    updated = await Post.filter(author=alice).update(view_count=F("view_count") + 1)
    show("posts updated (view_count + 1)", updated)
    alice.full_name = "Alice Liddell"
    await alice.save(update_fields=["full_name"])
    show("alice after update", (await User.get(username="alice")).full_name)

    deleted = await Post.filter(published=False).delete()
    show("unpublished posts deleted", deleted)
    show("posts left", await Post.all().order_by("title").values_list("title", flat=True))
    try:
        await User.get(username="nobody")
    except User.DoesNotExist as exc:
        show("User.DoesNotExist", exc)


if __name__ == "__main__":
    run_async(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite://:memory:"))
