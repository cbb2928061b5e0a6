"""Models for the Tortoise 1.x compatibility tests (db_default, managers, mutable defaults)."""
import datetime
from decimal import Decimal

from tortoise import fields
from tortoise.fields.db_defaults import Now, SqlDefault
from tortoise.manager import Manager
from tortoise.models import Model
from tortoise.queryset import QuerySet


class Counter(Model):
    """Every column but the key is filled in by the database when left unset."""

    label = fields.CharField(max_length=20, db_default="untitled")
    hits = fields.IntField(db_default=7)
    ratio = fields.DecimalField(max_digits=6, decimal_places=2, db_default=Decimal("1.50"))
    active = fields.BooleanField(db_default=True)
    day = fields.DateField(db_default=datetime.date(2021, 3, 4))
    stamped = fields.DatetimeField(db_default=Now())
    moment = fields.DatetimeField(db_default=datetime.datetime(2020, 5, 20, 12, 30, tzinfo=datetime.timezone.utc))
    zero = fields.IntField(db_default=SqlDefault("0"))

    class Meta:
        table = "compat_counter"


class Quiet(Model):
    """db_default values are not read back (``fetch_db_defaults = False``)."""

    hits = fields.IntField(db_default=3)

    class Meta:
        table = "compat_quiet"
        fetch_db_defaults = False


class Settings(Model):
    data = fields.JSONField(default={})
    tags = fields.JSONField(default=[])

    class Meta:
        table = "compat_settings"


class VisibleQuerySet(QuerySet):
    def visible(self) -> QuerySet:
        return self.filter(hidden=False)


class LiveManager(Manager):
    """Hides deleted rows from every query of the model."""

    def get_queryset(self) -> QuerySet:
        return VisibleQuerySet(self._model).filter(deleted=False)


class Note(Model):
    text = fields.CharField(max_length=50)
    deleted = fields.BooleanField(default=False)
    hidden = fields.BooleanField(default=False)
    everything = Manager()

    class Meta:
        table = "compat_note"
        manager = LiveManager()
        admin_label = "notes"  # an option of another tool: accepted and ignored


class Shelf(Model):
    name = fields.CharField(max_length=20)

    class Meta:
        table = "compat_shelf"


class Box(Model):
    shelf = fields.ForeignKeyField(to="models.Shelf", related_name="boxes", null=True)

    class Meta:
        table = "compat_box"


class Plain(Model):
    """No Meta.table: named by Tortoise.init(table_name_generator=...) when given."""

    name = fields.CharField(max_length=20, null=True)


class Archived(Model):
    """Declares another app: an init listing this module for "models" leaves it out."""

    class Meta:
        app = "archive"
        table = "compat_archived"


class Documented(Model):
    title = fields.CharField(max_length=20, description="Shown on the cover")

    class Meta:
        table = "compat_documented"
        table_description = "Books with notes"


class Publisher(Model):
    name = fields.CharField(max_length=20)

    class Meta:
        table = "compat_publisher"


class Title(Model):
    name = fields.CharField(max_length=20)
    publisher = fields.ForeignKeyField("models.Publisher", related_name="titles", related_query_name="title")

    class Meta:
        table = "compat_title"


class Label(Model):
    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=20)

    class Meta:
        table = "compat_label"


class Card(Model):
    id = fields.UUIDField(primary_key=True)
    labels = fields.ManyToManyField("models.Label", related_name="cards", through="compat_card_label")

    class Meta:
        table = "compat_card"


class Shift(Model):
    name = fields.CharField(max_length=20)
    started = fields.TimeField(auto_now_add=True)
    touched = fields.TimeField(auto_now=True)

    class Meta:
        table = "compat_shift"


class Badge(Model):
    """Its primary key is a one-to-one relation (the key lives in owner_id)."""

    owner = fields.OneToOneField("models.Publisher", primary_key=True, related_name="badge")

    class Meta:
        table = "compat_badge"


class Wall(Model):
    badges = fields.ManyToManyField("models.Badge", related_name="walls", through="compat_wall_badge")

    class Meta:
        table = "compat_wall"
