"""from_tortoise_orm / from_queryset / from_queryset_single: values, nesting and query counts."""
from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.pydantic.models import Employee, Event, Level, Player, Surface, Team, Tournament, Venue
from tortoise.contrib.pydantic import pydantic_model_creator, pydantic_queryset_creator


async def make_league(events: int = 3) -> Tournament:
    cup = await Tournament.create(name="Cup", prize=Decimal("1500.50"), level=Level.PRO)
    venue = await Venue.create(city="Lyon", surface=Surface.CLAY, details={"seats": 900})
    reds = await Team.create(name="Reds", secret="s1")
    blues = await Team.create(name="Blues")
    await Player.create(name="Ann", team=reds)
    for i in range(events):
        event = await Event.create(
            name=f"Round {i}", tournament=cup, venue=venue,
            starts_at=datetime.datetime(2026, 5, 1, 12, i, tzinfo=datetime.timezone.utc),
        )
        await event.participants.add(reds, blues)
    return cup


async def test_from_tortoise_orm_fetches_relations_and_keeps_types():
    cup = await make_league(2)
    cup = await Tournament.get(id=cup.id)  # nothing fetched
    data = await pydantic_model_creator(Tournament).from_tortoise_orm(cup)
    assert data.name == "Cup" and data.prize == Decimal("1500.50") and data.level is Level.PRO
    assert data.name_length == 3
    assert data.created_at.tzinfo is not None
    assert [e.name for e in sorted(data.events, key=lambda e: e.name)] == ["Round 0", "Round 1"]
    event = data.events[0]
    assert isinstance(event.venue.id, uuid.UUID) and event.venue.surface is Surface.CLAY
    assert event.venue.details == {"seats": 900}
    assert sorted(t.name for t in event.participants) == ["Blues", "Reds"]
    assert event.starts_at.astimezone(datetime.timezone.utc).minute in (0, 1)
    dumped = json.loads(data.model_dump_json())
    assert dumped["level"] == 2 and Decimal(dumped["prize"]) == Decimal("1500.50")
    assert "secret" not in dumped["events"][0]["participants"][0]


async def test_already_fetched_relations_are_not_fetched_again(queries):
    await make_league(2)
    events = await Event.all().prefetch_related("tournament", "venue", "participants")
    model = pydantic_model_creator(Event)
    queries.reset()
    out = [await model.from_tortoise_orm(e) for e in events]
    assert queries.count == 0
    assert {e.tournament.name for e in out} == {"Cup"}


async def test_model_validate_reads_fetched_instances_and_names_unfetched_relations():
    await make_league(1)
    model = pydantic_model_creator(Event)
    event = await Event.first()
    with pytest.raises(ValidationError, match="Event.tournament was not fetched"):
        model.model_validate(event)
    await event.fetch_related("tournament", "venue", "participants")
    assert model.model_validate(event).tournament.name == "Cup"
    team_model = pydantic_model_creator(Team, exclude=("events",), name="TeamOnly")
    assert team_model.model_validate(await Team.get(name="Reds")).model_dump() == {
        "id": (await Team.get(name="Reds")).id, "name": "Reds",
    }


@pytest.mark.parametrize("rows", [10, 100])
async def test_from_queryset_query_count_is_constant(queries, rows):
    cup = await Tournament.create(name="Big")
    venue = await Venue.create(city="Nice", surface=Surface.GRASS)
    teams = [await Team.create(name=f"T{i}") for i in range(5)]
    for i in range(rows):
        event = await Event.create(name=f"E{i}", tournament=cup, venue=venue)
        await event.participants.add(teams[i % 5], teams[(i + 1) % 5])
    model = pydantic_model_creator(Event)
    queries.reset()
    out = await model.from_queryset(Event.all().order_by("id"))
    # events, tournaments (FK), venues (FK), participants (join table + teams)
    assert queries.count == 5
    assert len(out) == rows and out[-1].name == f"E{rows - 1}"
    assert sorted(t.name for t in out[3].participants) == ["T3", "T4"]
    assert {e.tournament.name for e in out} == {"Big"}

    queries.reset()
    listing = await pydantic_queryset_creator(Event).from_queryset(Event.all())
    assert queries.count == 5 and len(listing.root) == rows


async def test_three_levels_fetched_in_one_query_per_relation(queries):
    await make_league(3)
    model = pydantic_model_creator(Player)
    queries.reset()
    [ann] = await model.from_queryset(Player.all())
    # players, teams, team→events (join table + events), events→tournament, events→venue
    assert queries.count == 6
    assert ann.team.name == "Reds"
    assert sorted(e.name for e in ann.team.events) == ["Round 0", "Round 1", "Round 2"]
    assert {e.tournament.name for e in ann.team.events} == {"Cup"}
    assert ann.team.events[0].venue.city == "Lyon"


async def test_from_queryset_single_and_partial_prefetch(queries):
    cup = await make_league(2)
    model = pydantic_model_creator(Tournament)
    single = await model.from_queryset_single(Tournament.get(id=cup.id))
    assert single.id == cup.id and len(single.events) == 2
    # events already fetched: only what lies below them is loaded
    cup = await Tournament.get(id=cup.id).prefetch_related("events")
    queries.reset()
    data = await model.from_tortoise_orm(cup)
    assert queries.count == 3  # venues, join table, teams
    assert all(len(e.participants) == 2 for e in data.events)


async def test_cycles_when_allowed():
    await make_league(2)
    model = pydantic_model_creator(Event, allow_cycles=True, name="EventLoop")
    event = await model.from_queryset_single(Event.get(name="Round 0"))
    assert sorted(e.name for e in event.tournament.events) == ["Round 0", "Round 1"]
    assert event.tournament.events[0].tournament.name == "Cup"


async def test_self_referencing_tree():
    boss = await Employee.create(name="Boss")
    mid = await Employee.create(name="Mid", manager=boss)
    await Employee.create(name="Low", manager=mid)
    model = pydantic_model_creator(Employee)
    tree = await model.from_queryset_single(Employee.get(name="Mid"))
    assert tree.manager.name == "Boss" and tree.manager_id == boss.id
    assert [r.name for r in tree.reports] == ["Low"]
    assert tree.reports[0].manager.name == "Mid"
    top = await model.from_tortoise_orm(await Employee.get(name="Boss"))
    assert top.manager is None and [r.name for r in top.reports] == ["Mid"]


async def test_input_model_creates_rows():
    cup = await Tournament.create(name="Cup")
    event_in = pydantic_model_creator(Event, exclude_readonly=True, name="EventIn")
    payload = event_in.model_validate_json(json.dumps({"name": "Opening", "tournament_id": cup.id}))
    event = await Event.create(**payload.model_dump(exclude_unset=True))
    out = await pydantic_model_creator(Event).from_tortoise_orm(event)
    assert out.name == "Opening" and out.tournament.id == cup.id and out.venue is None and out.participants == []


async def test_empty_queryset():
    assert await pydantic_model_creator(Event).from_queryset(Event.all()) == []
    assert (await pydantic_queryset_creator(Event).from_queryset(Event.all())).root == []
