"""pydantic_model_creator: which fields a generated model has, their JSON-schema types and the options."""
from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import ConfigDict, ValidationError

from tests.pydantic.models import Badge, Employee, Event, Player, Team, Tournament, Venue
from tortoise.contrib.pydantic import (
    PydanticListModel,
    PydanticModel,
    pydantic_model_creator,
    pydantic_queryset_creator,
)
from tortoise.exceptions import ConfigurationError
from tortoise.warnings import TortoiseWarning


# schemas are read in serialization mode (the output), where computed values appear
def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def types_of(schema: dict, node: dict) -> set[str]:
    """The JSON types a property accepts ($refs and anyOf resolved)."""
    node = resolve(schema, node)
    if "anyOf" in node:
        return set().union(*(types_of(schema, n) for n in node["anyOf"]))
    return {node["type"]} if "type" in node else set()


def props(model: type) -> list[str]:
    return list(model.model_json_schema(mode="serialization")["properties"])


def nested(schema: dict, *path: str) -> dict:
    """The schema of the object reached through relation ``path`` (list items followed)."""
    node = schema
    for name in path:
        prop = node["properties"][name]
        prop = prop.get("items", prop)
        if "anyOf" in prop:
            prop = next(p for p in prop["anyOf"] if p.get("type") != "null")
        node = resolve(schema, prop)
    return node


# --- fields, order and types ------------------------------------------------------------------
def test_default_fields_pk_data_relations_computed_in_order():
    model = pydantic_model_creator(Tournament)
    # Tortoise's field order: declared fields (inherited first, the key where it is declared),
    # then what relations add (reverse relations), then computed values
    assert props(model) == ["created_at", "modified_at", "id", "name", "prize", "level", "events", "name_length"]
    assert issubclass(model, PydanticModel)
    assert props(pydantic_model_creator(Event)) == [
        "created_at", "modified_at", "id", "name", "tournament", "venue", "participants", "starts_at",
    ]


def test_json_schema_lists_every_field_with_its_type():
    schema = pydantic_model_creator(Venue).model_json_schema(mode="serialization")
    p = schema["properties"]
    assert set(p) == {"id", "city", "surface", "details", "events"}
    assert p["id"]["type"] == "string" and p["id"]["format"] == "uuid"
    assert types_of(schema, p["city"]) == {"string"} and p["city"]["maxLength"] == 50
    surface = resolve(schema, p["surface"])
    assert surface["type"] == "string" and surface["enum"] == ["grass", "clay"]
    assert types_of(schema, p["details"]) == {"object", "array", "null"}  # dict | list, as in Tortoise
    # as in Tortoise, only a constant default makes a field optional: uuid4 is called on save
    assert set(schema["required"]) == {"id", "city", "surface", "events"}

    schema = pydantic_model_creator(Tournament).model_json_schema(mode="serialization")
    p = schema["properties"]
    # as in Tortoise, a key is not read-only in an output schema and has its type's full range
    assert p["id"]["type"] == "integer" and "readOnly" not in p["id"] and p["id"]["minimum"] < 0
    assert "id" in schema["required"]
    assert p["created_at"] == {"format": "date-time", "readOnly": True, "title": "Created At", "type": "string"}
    assert types_of(schema, p["prize"]) == {"string"}  # a Decimal is written as a string
    level = resolve(schema, p["level"])
    assert level["type"] == "integer" and level["enum"] == [1, 2]
    assert p["events"]["type"] == "array"
    assert p["name_length"]["type"] == "integer"
    event = nested(schema, "events")
    assert types_of(schema, event["properties"]["starts_at"]) == {"string", "null"}
    assert event["properties"]["starts_at"]["anyOf"][0]["format"] == "date-time"
    for model in (Tournament, Venue, Event, Team, Player, Employee):
        schema = pydantic_model_creator(model).model_json_schema(mode="serialization")
        for name, prop in schema["properties"].items():
            assert types_of(schema, prop), f"{model.__name__}.{name} has no type: {prop}"


def test_json_schema_is_stable():
    first = pydantic_model_creator(Event).model_json_schema(mode="serialization")
    assert pydantic_model_creator(Event).model_json_schema(mode="serialization") == first
    leaves = sorted(name.split("_")[0] for name in first["$defs"] if name.endswith("_leaf"))
    assert leaves == ["Team", "Tournament", "Venue"]
    assert {"Level", "Surface"} <= set(first["$defs"])
    # a nested model of the same shape is one class whatever its parent model is called
    other = pydantic_model_creator(Event, name="EventOther", exclude=("name",))
    assert other.model_fields["tournament"].annotation is pydantic_model_creator(Event).model_fields["tournament"].annotation


def test_descriptions_from_field_description_doc_comments_docstrings():
    schema = pydantic_model_creator(Tournament).model_json_schema(mode="serialization")
    assert schema["description"] == "A competition made of events."
    assert schema["properties"]["name"]["description"] == "The name people know it by"
    assert schema["properties"]["name_length"]["description"] == "Number of characters of the name.<br/><br/>Spaces count too."
    venue = pydantic_model_creator(Venue).model_json_schema(mode="serialization")
    assert venue["properties"]["city"]["description"] == "Where it takes place"
    assert venue["properties"]["surface"]["description"] == "GRASS: grass<br/>CLAY: clay"  # Tortoise's line breaks


def test_title_is_the_model_name_or_the_given_name():
    assert pydantic_model_creator(Tournament).model_json_schema(mode="serialization")["title"] == "Tournament"
    named = pydantic_model_creator(Tournament, name="TournamentOut")
    assert named.__name__ == "TournamentOut" and named.model_json_schema(mode="serialization")["title"] == "TournamentOut"
    assert nested(named.model_json_schema(mode="serialization"), "events")["title"] == "Event"


# --- creator arguments ---------------------------------------------------------------------------
def test_exclude_and_include_with_relation_paths():
    model = pydantic_model_creator(Tournament, exclude=("prize", "events__participants", "events__venue"))
    schema = model.model_json_schema(mode="serialization")
    assert "prize" not in schema["properties"]
    # an FK excluded by name leaves its raw id column in place
    assert list(nested(schema, "events")["properties"]) == ["created_at", "modified_at", "id", "name", "starts_at", "venue_id"]

    model = pydantic_model_creator(Tournament, include=("id", "name", "events__name", "events__participants__name"))
    schema = model.model_json_schema(mode="serialization")
    assert list(schema["properties"]) == ["id", "name", "events", "name_length"]
    assert list(nested(schema, "events")["properties"]) == ["name", "participants"]
    assert list(nested(schema, "events", "participants")["properties"]) == ["name"]


def test_exclude_computed_and_include_whole_relation():
    model = pydantic_model_creator(Tournament, include=("name", "events"), exclude=("name_length",))
    schema = model.model_json_schema(mode="serialization")
    assert list(schema["properties"]) == ["name", "events"]
    assert "participants" in nested(schema, "events")["properties"]


def test_computed_argument_adds_to_pydantic_meta():
    model = pydantic_model_creator(Event, computed=("label",), name="EventWithLabel")
    schema = model.model_json_schema(mode="serialization")
    assert schema["properties"]["label"]["type"] == "string"
    assert schema["properties"]["label"]["readOnly"] is True
    assert "label" not in pydantic_model_creator(Event).model_json_schema(mode="serialization")["properties"]


def test_optional_makes_fields_not_required():
    model = pydantic_model_creator(Team, optional=("name",), name="TeamPatch")
    schema = model.model_json_schema(mode="serialization")
    assert "name" not in schema.get("required", [])
    assert types_of(schema, schema["properties"]["name"]) == {"string", "null"}
    assert "nullable" not in schema["properties"]["name"]  # optional input, not a nullable column
    assert model(id=1, events=[]).name is None


def test_exclude_readonly_gives_an_input_schema():
    model = pydantic_model_creator(Event, exclude_readonly=True, name="EventIn")
    schema = model.model_json_schema()
    assert list(schema["properties"]) == ["name", "starts_at", "tournament_id", "venue_id"]
    assert schema["required"] == ["name", "tournament_id"]
    assert not any(p.get("readOnly") for p in schema["properties"].values())
    assert model(name="x", tournament_id=3).model_dump(exclude_unset=True) == {"name": "x", "tournament_id": 3}
    with pytest.raises(ValidationError) as err:
        model(tournament_id="not a number")
    assert {e["loc"][0] for e in err.value.errors()} == {"name", "tournament_id"}
    # computed values are read-only too
    assert list(pydantic_model_creator(Tournament, exclude_readonly=True).model_json_schema()["properties"]) == [
        "name", "prize", "level",
    ]


def test_allow_cycles_and_max_recursion():
    schema = pydantic_model_creator(Event).model_json_schema(mode="serialization")
    assert "events" not in nested(schema, "tournament")["properties"]  # back to Event: a cycle
    model = pydantic_model_creator(Event, allow_cycles=True, name="EventCycles")
    schema = model.model_json_schema(mode="serialization")
    back = nested(schema, "tournament", "events")
    assert "tournament" in back["properties"]
    # the third level below the root has no relations left (max_recursion = 3)
    assert not {"events", "tournament", "venue", "participants"} & set(nested(schema, "tournament", "events", "tournament")["properties"])


def test_nesting_three_levels_deep():
    schema = pydantic_model_creator(Player).model_json_schema(mode="serialization")
    assert list(schema["properties"]) == ["id", "name", "team"]
    team = nested(schema, "team")
    assert list(team["properties"]) == ["id", "name", "events"]  # secret excluded, backward relations off
    event = nested(schema, "team", "events")
    assert {"tournament", "venue"} <= set(event["properties"]) and "participants" not in event["properties"]
    tournament = nested(schema, "team", "events", "tournament")
    assert "events" not in tournament["properties"] and "name" in tournament["properties"]


def test_sort_alphabetically():
    model = pydantic_model_creator(Venue, sort_alphabetically=True, name="VenueSorted")
    assert props(model) == ["city", "details", "events", "id", "surface"]
    assert props(pydantic_model_creator(Employee))[:3] == ["id", "manager", "manager_id"]


def test_meta_override_and_model_config():
    class Override:
        exclude = ("prize",)
        computed = ()
        backward_relations = False
        max_recursion = 1

    model = pydantic_model_creator(Tournament, meta_override=Override, name="TournamentSmall")
    schema = model.model_json_schema(mode="serialization")
    # events stays: it is annotated on the model; its items have no relations (max_recursion=1)
    assert list(schema["properties"]) == ["created_at", "modified_at", "id", "name", "level", "events"]
    assert "participants" not in nested(schema, "events")["properties"]

    class NoBackward:
        backward_relations = False

    assert "events" not in props(pydantic_model_creator(Venue, meta_override=NoBackward, name="VenueNoBack"))

    loose = pydantic_model_creator(Team, model_config=ConfigDict(extra="ignore", title="TeamLoose"))
    assert loose.model_json_schema(mode="serialization")["title"] == "TeamLoose"
    assert "additionalProperties" not in loose.model_json_schema(mode="serialization")
    loose(id=1, name="a", events=[], unexpected=True)
    with pytest.raises(ValidationError, match="unexpected"):  # the default forbids unknown keys
        pydantic_model_creator(Team)(id=1, name="a", events=[], unexpected=True)
    assert pydantic_model_creator(Team).model_json_schema(mode="serialization")["additionalProperties"] is False


def test_pydantic_meta_options_on_the_model():
    # Team: exclude + backward_relations=False; Employee: allow_cycles, max_recursion=2,
    # exclude_raw_fields=False, sort_alphabetically, model_config; Tournament: computed
    assert props(pydantic_model_creator(Team)) == ["id", "name", "events"]
    schema = pydantic_model_creator(Employee).model_json_schema(mode="serialization")
    assert schema["title"] == "Staff"
    assert list(schema["properties"]) == ["id", "manager", "manager_id", "name", "reports"]
    assert "manager" in nested(schema, "reports")["properties"]  # a cycle, allowed
    assert "manager" not in nested(schema, "reports", "manager")["properties"]  # depth 2 reached
    # exclude_raw_fields (default True): no <fk>_id, even where the FK itself is cut (a cycle)
    schema = pydantic_model_creator(Event).model_json_schema(mode="serialization")
    assert "tournament_id" not in schema["properties"]
    cut = nested(pydantic_model_creator(Tournament).model_json_schema(mode="serialization"), "events")
    assert "tournament" not in cut["properties"] and "tournament_id" not in cut["properties"]


def test_include_can_bring_back_a_raw_field_and_a_backward_relation():
    model = pydantic_model_creator(Team, include=("name", "players", "address"), name="TeamFull")
    assert sorted(props(model)) == ["address", "name", "players"]
    assert props(pydantic_model_creator(Event, include=("name", "tournament_id"), name="EventRaw")) == ["name", "tournament_id"]


# --- caching -------------------------------------------------------------------------------------
def test_same_options_give_the_same_class():
    assert pydantic_model_creator(Event) is pydantic_model_creator(Event)
    assert pydantic_model_creator(Event, exclude=("name",)) is pydantic_model_creator(Event, exclude=("name",))
    assert pydantic_model_creator(Event, exclude=("name",)) is not pydantic_model_creator(Event)
    assert pydantic_model_creator(Event, exclude_readonly=True) is not pydantic_model_creator(Event)
    config = {"extra": "forbid"}
    assert pydantic_model_creator(Event, model_config=config) is pydantic_model_creator(Event, model_config=dict(config))
    assert pydantic_queryset_creator(Event) is pydantic_queryset_creator(Event)


# --- queryset creator -------------------------------------------------------------------------------
def test_queryset_creator_is_a_list_of_items():
    model = pydantic_queryset_creator(Tournament, exclude=("events",))
    assert issubclass(model, PydanticListModel)
    schema = model.model_json_schema(mode="serialization")
    assert schema["type"] == "array" and schema["title"] == "Tournament_list"
    assert list(resolve(schema, schema["items"])["properties"]) == [
        "created_at", "modified_at", "id", "name", "prize", "level", "name_length",
    ]
    assert pydantic_queryset_creator(Tournament, name="Cups").model_json_schema(mode="serialization")["title"] == "Cups"


# --- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"include": ("nope",)}, ["include", "'nope'", "Tournament has no field 'nope'", "name"]),
        ({"include": ("name__x",)}, ["Tournament.name", "not a relation"]),
        ({"computed": ("nope",)}, ["computed", "'nope'", "Tournament"]),
    ],
)
def test_unknown_names_are_errors_naming_field_and_model(kwargs: dict[str, Any], words: list[str]):
    with pytest.raises(ConfigurationError) as err:
        pydantic_model_creator(Tournament, **kwargs)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize(
    ("exclude", "words"),
    [
        (("events__nope",), ["exclude", "'events__nope'", "Event has no field 'nope'", "nothing is excluded"]),
        (("name__x",), ["Tournament.name", "not a relation"]),
    ],
)
def test_unknown_names_in_exclude_are_warnings_as_tortoise_accepts_them(exclude: tuple[str, ...], words: list[str]):
    with pytest.warns(TortoiseWarning) as caught:
        model = pydantic_model_creator(Tournament, exclude=exclude)
    message = str(caught[0].message)
    assert all(word in message for word in words), message
    assert "name" in model.model_fields


def test_not_a_model_is_an_error():
    with pytest.raises(ConfigurationError, match="Tortoise model class"):
        pydantic_model_creator(dict)  # type: ignore[arg-type]


def test_before_tortoise_init_relations_are_left_out():
    """As in Tortoise's FastAPI example: a module-level creator call runs before Tortoise.init."""
    from tortoise import fields
    from tortoise.models import Model

    class Draft(Model):
        name = fields.CharField(max_length=20)
        owner = fields.ForeignKeyField("models.Team", related_name="drafts")

    assert props(pydantic_model_creator(Draft)) == ["id", "name"]
    assert props(pydantic_model_creator(Draft, exclude=("drafts_of_nobody", "owner__name"))) == ["id", "name"]
    assert props(pydantic_model_creator(Draft, exclude_readonly=True)) == ["name", "owner_id"]


def test_model_annotations_type_columns_and_unannotated_computed_are_left_out():
    from tortoise import fields
    from tortoise.models import Model

    class Annotated(Model):
        id = fields.IntField(primary_key=True)
        kind: Literal["a", "b"] = fields.CharField(max_length=1)
        note = fields.CharField(max_length=10, null=True)

        def shout(self) -> str:
            return self.kind.upper()

        def untyped(self):
            raise AssertionError("never called: it has no return annotation")

        class PydanticMeta:
            computed = ("shout", "untyped")

    model = pydantic_model_creator(Annotated)
    assert model.model_fields["kind"].annotation == Literal["a", "b"]
    schema = model.model_json_schema(mode="serialization")
    assert schema["properties"]["kind"]["enum"] == ["a", "b"]
    assert schema["properties"]["note"]["nullable"] is True
    assert list(schema["properties"]) == ["id", "kind", "note", "shout"]
    with pytest.raises(ValidationError):
        model(id=1, kind="c", shout="C")
    assert model.model_validate(Annotated(id=1, kind="b")).shout == "B"


# --- shapes Tortoise's schemas have ----------------------------------------------------------------
def test_enum_fields_carry_their_column_constraints_and_relations_their_titles():
    schema = pydantic_model_creator(Tournament).model_json_schema(mode="serialization")
    level = schema["properties"]["level"]
    assert (level["ge"], level["le"]) == (-32768, 32767) and level["default"] == 1
    venue = pydantic_model_creator(Venue).model_json_schema(mode="serialization")
    assert venue["properties"]["surface"]["maxLength"] == 5
    events = pydantic_model_creator(Team).model_json_schema(mode="serialization")["properties"]
    assert all(prop["title"] == name.replace("_", " ").title() for name, prop in events.items())


async def test_a_relation_that_is_the_key_keeps_its_column():
    """An O2O primary key: its ``<name>_id`` column is the row's identity, never dropped
    (other raw ``_id`` columns are, by default)."""
    team = await Team.create(name="reds")
    badge = await Badge.create(team=team, label="gold")
    model = pydantic_model_creator(Badge)
    assert list(model.model_json_schema(mode="serialization")["properties"]) == ["team", "label", "team_id"]
    dumped = (await model.from_tortoise_orm(badge)).model_dump()
    assert dumped == {"team": {"id": team.id, "name": "reds", "events": []}, "label": "gold", "team_id": team.id}
