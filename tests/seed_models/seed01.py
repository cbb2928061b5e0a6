"""Seed 001 (Nexios database guide): the blog models as the seed writes them.

They live in examples/blog_models.py, which the demo runs; the seed tests use the same
definitions.
"""
from examples.blog_models import Comment, Post, Tag, User

__models__ = [User, Post, Comment, Tag]
