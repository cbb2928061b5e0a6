"""tortoise.contrib.test: initializer/finalizer (awaited and synchronous) and helpers."""
from __future__ import annotations

import pytest

from tortoise import Tortoise
from tortoise.contrib.test import finalizer, initializer, tortoise_test_context, truncate_all_models
from tortoise.exceptions import ConfigurationError

from tests.conftest import URL_TEMPLATE

SEED = "tests.seed_models.seed01"


async def test_initializer_and_finalizer_awaited_from_an_async_fixture(other_orm):
    """Seed 001 awaits initializer(...) in an async pytest fixture, then finalizer()."""
    from examples.blog_models import Post, User

    await initializer([SEED], db_url=URL_TEMPLATE, app_label="models")
    user = await User.create(username="tester", email="t@example.com", password_hash="hashed")
    await Post.create(title="Test Post", slug="t", content="Content", author=user)
    await user.fetch_related("posts")
    assert [p.title for p in user.posts] == ["Test Post"]
    await finalizer()
    with pytest.raises(ConfigurationError):
        await User.all().count()  # the connection is gone with its database


def test_initializer_and_finalizer_called_synchronously(other_orm):
    """Called without await (no running loop), they run on a loop of their own."""
    initializer([SEED], db_url="sqlite://:memory:")
    assert set(Tortoise.apps["models"]) == {"User", "Post", "Comment", "Tag"}
    finalizer()
    assert not Tortoise._inited


async def test_tortoise_test_context_and_truncate_all_models(other_orm):
    from examples.blog_models import Tag, User

    async with tortoise_test_context([SEED], db_url=URL_TEMPLATE):
        await User.create(username="a", email="a@x", password_hash="h")
        await Tag.create(name="t", slug="t")
        await truncate_all_models()
        assert (await User.all().count(), await Tag.all().count()) == (0, 0)
    assert not Tortoise._inited
