"""Table and column names that are SQL keywords: the dialect must quote identifiers."""
from tortoise import fields
from tortoise.models import Model


class Reserved(Model):
    order = fields.IntField()
    group = fields.CharField(max_length=20)
    select = fields.CharField(max_length=20, null=True, source_field="where")

    class Meta:
        table = "order"


class PythonNames(Model):
    """Field names that are Python builtins or plain local names: generated code must not mind."""

    type = fields.CharField(max_length=20)
    obj = fields.IntField(default=7)
    value = fields.DecimalField(max_digits=6, decimal_places=2, null=True)
    key = fields.BooleanField(default=False)
    kwargs = fields.CharField(max_length=20, default="k")
    d = fields.DatetimeField(null=True)


class GreetingBase(Model):
    """An abstract parent with its own ``__init__``, calling the ORM's through super()."""

    name = fields.CharField(max_length=20)
    rank = fields.IntField(default=1)

    class Meta:
        abstract = True

    def __init__(self, **kwargs):
        kwargs.setdefault("name", "unnamed")
        super().__init__(**kwargs)
        self.greeting = f"hello {self.name}"


class OwnInit(GreetingBase):
    """Defines ``__init__`` itself as well."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.own = True


class InheritedInit(GreetingBase):
    """Inherits the parent's ``__init__``; its fields are its own model's."""

    extra = fields.IntField(default=0)


STAMPS = []


def next_stamp():
    STAMPS.append(len(STAMPS) + 1)
    return STAMPS[-1]


class Stamped(Model):
    """A callable default that records its calls."""

    stamp = fields.IntField(default=next_stamp)
