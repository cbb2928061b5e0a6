"""tortoise.contrib.test: initializer/finalizer (awaited and synchronous) and helpers."""
from __future__ import annotations

import pytest

from tortoise import Tortoise
from tortoise.contrib.test import (
    _topological_sort_models,
    finalizer,
    initializer,
    tortoise_test_context,
    truncate_all_models,
)
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


async def test_models_sorted_for_deletion_children_first_whatever_the_input_order(other_orm):
    """_topological_sort_models (the order truncate_all_models deletes in): a model comes
    before the models its foreign keys point to; a self-referencing model is no cycle."""
    from examples.blog_models import Comment, Post, Tag, User

    async with tortoise_test_context([SEED], db_url=URL_TEMPLATE):
        order = _topological_sort_models([User, Post, Comment, Tag])
        assert order == _topological_sort_models([Tag, Comment, User, Post])
        assert order.index(Comment) < order.index(Post) < order.index(User)
        assert order.index(Comment) < order.index(User) and set(order) == {User, Post, Comment, Tag}


async def test_truncate_all_models_with_a_self_referencing_chain(other_orm):
    from examples.blog_models import Comment, Post, User

    async with tortoise_test_context([SEED], db_url=URL_TEMPLATE):
        user = await User.create(username="a", email="a@x", password_hash="h")
        post = await Post.create(title="t", slug="t", content="c", author=user)
        first = await Comment.create(post=post, author=user, content="first")
        await Comment.create(post=post, author=user, content="reply", parent=first)
        await truncate_all_models()
        assert [await M.all().count() for M in (Comment, Post, User)] == [0, 0, 0]


async def test_tortoise_apps_lists_every_model_and_finds_one_by_name(other_orm):
    from examples.blog_models import Comment, Post, Tag, User

    async with tortoise_test_context([SEED], db_url=URL_TEMPLATE):
        assert set(Tortoise.apps.get_models_iterable()) == {User, Post, Comment, Tag}
        assert Tortoise.apps.get_model("models", "Post") is Post
        with pytest.raises(ConfigurationError, match="no model 'models.Nope'; models are: .*models.Post"):
            Tortoise.apps.get_model("models", "Nope")
    assert list(Tortoise.apps.get_models_iterable()) == [] or Tortoise._inited


async def test_connections_storage_holds_the_clients_opened_by_name(other_orm):
    """``connections._get_storage()`` (read by Tortoise's own test helpers) lists the open clients."""
    from tortoise import connections

    async with tortoise_test_context([SEED], db_url=URL_TEMPLATE):
        storage = connections._get_storage()
        assert set(storage) == {"models"} and storage["models"] is connections.get("models")  # named after the app
