"""Generated class names, ``$defs`` keys, field order and computed values as Tortoise 1.x gives them.

Applications snapshot OpenAPI documents, so the names are pinned here: they are the ones
Tortoise 1.1.9 gives these models (the digests depend on the module path
``tests.pydantic.models``, the fields and their Python types, and the nested classes).
"""
from __future__ import annotations

import pytest
from pydantic import ValidationError, field_validator

from tests.pydantic.models import Badge, Employee, Event, Player, Team, Tournament, Venue
from tortoise.contrib.pydantic import pydantic_model_creator, pydantic_queryset_creator


def defs(model: type) -> list[str]:
    return sorted(model.model_json_schema(mode="serialization").get("$defs", {}))


def output_props(model: type) -> list[str]:
    return list(model.model_json_schema(mode="serialization")["properties"])


def test_a_plain_model_is_named_by_its_path_and_titled_by_its_name():
    model = pydantic_model_creator(Tournament)
    assert model.__name__ == "tests.pydantic.models.Tournament"
    assert model.model_json_schema()["title"] == "Tournament"
    named = pydantic_model_creator(Tournament, name="TournamentOut")
    assert named.__name__ == named.model_json_schema()["title"] == "TournamentOut"


def test_nested_models_carry_the_digest_of_their_shape():
    assert defs(pydantic_model_creator(Tournament)) == [
        "Event_xq26v2_leaf", "Level", "Surface", "Team_apcrjn_leaf", "Venue_5jgnem_leaf",
    ]
    assert defs(pydantic_model_creator(Event)) == [
        "Level", "Surface", "Team_apcrjn_leaf", "Tournament_6ejekh_leaf", "Venue_5jgnem_leaf",
    ]
    # an O2O key's column and a nested reverse FK list change the shapes below
    assert defs(pydantic_model_creator(Badge)) == [
        "Event_is6h76_leaf", "Level", "Surface", "Team_bogrt3_leaf", "Tournament_6ejekh_leaf", "Venue_5jgnem_leaf",
    ]
    # sorting changes the field order, so the digests
    sorted_team = pydantic_model_creator(Team, sort_alphabetically=True)
    assert defs(sorted_team) == ["Event_5kcsfs_leaf", "Level", "Surface", "Tournament_d3ubyc_leaf", "Venue_q276iw_leaf"]


def test_creator_options_put_the_digest_into_the_name():
    assert pydantic_model_creator(Event, exclude=("starts_at",)).__name__ == "tests.pydantic.models.Event:gs4llb"
    assert pydantic_model_creator(Player, optional=("name",)).__name__ == "tests.pydantic.models.Player:t4742u"
    # the digest lists the argument as written: a list is not a tuple
    assert pydantic_model_creator(Player, optional=["name"]).__name__ == "tests.pydantic.models.Player:b4nvhd"
    assert pydantic_model_creator(Team, sort_alphabetically=True).__name__ == "tests.pydantic.models.Team:dabija"
    # an input model: a key with a default is left out, as Tortoise leaves keys out
    venue_in = pydantic_model_creator(Venue, exclude_readonly=True)
    assert venue_in.__name__ == "tests.pydantic.models.Venue:q56bos"
    assert "id" not in venue_in.model_fields


def test_queryset_list_is_named_after_its_item():
    listing = pydantic_queryset_creator(Tournament)
    assert listing.__name__ == "tests.pydantic.models.Tournament:kza2b4_list"
    schema = listing.model_json_schema()
    assert schema["title"] == "Tournament_list"
    assert schema["items"] == {"$ref": "#/$defs/Tournament_kza2b4"}
    named = pydantic_queryset_creator(Tournament, name="Cups")
    assert named.__name__ == "Cups" and named.model_json_schema()["items"] == {"$ref": "#/$defs/Cups"}


def test_a_direct_self_reference_nests_once_without_allow_cycles():
    model = pydantic_model_creator(Employee, allow_cycles=False)
    assert model.__name__ == "tests.pydantic.models.Employee:cltntx"
    schema = model.model_json_schema()
    assert list(schema["$defs"]) == ["Employee_n4vow6_leaf"]
    assert schema["properties"]["manager"]["anyOf"][0] == {"$ref": "#/$defs/Employee_n4vow6_leaf"}
    # below the first level the cycle stops: no manager/reports on the nested employee
    assert set(schema["$defs"]["Employee_n4vow6_leaf"]["properties"]) == {"id", "manager_id", "name"}


def test_fields_follow_tortoises_field_order():
    # declared fields (inherited first), then what relations add: "<fk>_id" columns, reverse relations
    assert output_props(pydantic_model_creator(Badge)) == ["team", "label", "team_id"]
    event_in = pydantic_model_creator(Event, exclude_readonly=True)
    assert list(event_in.model_fields) == ["name", "starts_at", "tournament_id", "venue_id"]


def test_relation_doc_comments_describe_the_reverse_relation_and_the_column():
    tournament = pydantic_model_creator(Tournament).model_json_schema()
    # the reverse side gets the first line, as Tortoise copies the description
    assert tournament["properties"]["events"]["description"] == "The tournament it is part of"
    event = pydantic_model_creator(Event).model_json_schema()
    assert event["properties"]["tournament"]["description"] == (
        "The tournament it is part of<br/>(one tournament has many events)"
    )
    event_in = pydantic_model_creator(Event, exclude_readonly=True).model_json_schema()
    assert event_in["properties"]["tournament_id"]["description"] == "The tournament it is part of"


def test_computed_values_are_output_only():
    model = pydantic_model_creator(Tournament)
    assert "name_length" not in model.model_json_schema(mode="validation")["properties"]
    computed = model.model_json_schema(mode="serialization")["properties"]["name_length"]
    assert computed == {
        "description": "Number of characters of the name.<br/><br/>Spaces count too.",
        "readOnly": True,
        "title": "Name Length",
        "type": "integer",
    }
    data = {"id": 1, "name": "Open", "created_at": "2024-01-01T00:00:00", "modified_at": "2024-01-01T00:00:00",
            "prize": "1.00", "level": 1, "events": []}
    # built from plain data, the value is computed on the pydantic object itself
    assert model.model_validate(data).model_dump()["name_length"] == 4
    with pytest.raises(ValidationError) as err:
        model.model_validate({**data, "name_length": 4})
    assert [e["loc"] for e in err.value.errors()] == [("name_length",)]


async def test_computed_values_are_read_from_the_tortoise_object():
    tournament = await Tournament.create(name="Grand Slam")
    await Event.create(name="Final", tournament=tournament)
    event = await pydantic_model_creator(Event).from_tortoise_orm(await Event.get(name="Final"))
    assert event.model_dump()["tournament"]["name_length"] == 10
    # the value needs a field the pydantic model leaves out: it is read from the Tortoise object
    nameless = pydantic_model_creator(Tournament, exclude=("name",))
    dumped = (await nameless.from_queryset_single(Tournament.get(id=tournament.id))).model_dump()
    assert "name" not in dumped and dumped["name_length"] == 10


def test_paths_may_be_written_with_a_dot_as_in_tortoise(recwarn):
    schema = pydantic_model_creator(Tournament, exclude=("events.participants", "events.venue")).model_json_schema()
    events = schema["$defs"][schema["properties"]["events"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert list(events["properties"]) == ["created_at", "modified_at", "id", "name", "starts_at", "venue_id"]
    assert not recwarn.list


def test_validators_join_the_generated_model():
    def no_spaces(cls, value: str) -> str:
        if " " in value:
            raise ValueError("a player name has no spaces")
        return value

    checked = {"no_spaces": field_validator("name")(no_spaces)}
    model = pydantic_model_creator(Player, name="PlayerChecked", include=("id", "name"), validators=checked)
    assert model.model_validate({"id": 1, "name": "ace"}).name == "ace"
    with pytest.raises(ValidationError, match="a player name has no spaces"):
        model.model_validate({"id": 1, "name": "a ce"})
    unchecked = pydantic_model_creator(Player, name="PlayerChecked", include=("id", "name"))
    assert unchecked is not model and unchecked.model_validate({"id": 1, "name": "a ce"}).name == "a ce"
