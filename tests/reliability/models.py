"""Models of the ORM-level fault tests (initialised through the fault proxy)."""
from tortoise import fields
from tortoise.models import Model


class Entry(Model):
    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=60)
    value = fields.IntField(default=0)


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=30)


class Post(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=30)
    tags = fields.ManyToManyField("models.Tag", related_name="posts", through="post_tag_link")
