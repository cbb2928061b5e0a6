"""Many-to-many fields whose through-table column names follow Tortoise's rules."""
from tortoise import fields
from tortoise.models import Model


class Node(Model):
    """Linked to itself: the two keys would clash, the one back gets ``_rel_id``."""

    id = fields.IntField(primary_key=True)
    links = fields.ManyToManyField("models.Node", related_name="linked_from")


class Person(Model):
    """A table named apart from the class: the key to it is named after the class."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=20)
    friends = fields.ManyToManyField("models.Person", related_name="friend_of")

    class Meta:
        table = "people"


class Club(Model):
    id = fields.IntField(primary_key=True)
    members = fields.ManyToManyField("models.Person", related_name="clubs")
