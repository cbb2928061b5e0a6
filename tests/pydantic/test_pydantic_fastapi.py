"""Generated models as FastAPI request bodies and response models (HTTP in, JSON out)."""

from decimal import Decimal

import pytest

from tests.pydantic.models import Event, Team, Tournament
from tortoise.contrib.pydantic import pydantic_model_creator, pydantic_queryset_creator

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")



def make_app():
    """The app; its models are made here, once Tortoise.init has resolved the relations
    (made at import time they would have none, as in Tortoise)."""
    Tournament_Pydantic = pydantic_model_creator(Tournament)
    Event_Pydantic = pydantic_model_creator(Event)
    EventIn_Pydantic = pydantic_model_creator(Event, name="EventIn", exclude_readonly=True)
    Event_List = pydantic_queryset_creator(Event)
    app = fastapi.FastAPI()

    @app.get("/tournaments", response_model=list[Tournament_Pydantic])
    async def tournaments():
        return await Tournament_Pydantic.from_queryset(Tournament.all().order_by("id"))

    @app.get("/tournaments/{tournament_id}", response_model=Tournament_Pydantic)
    async def tournament(tournament_id: int):
        return await Tournament_Pydantic.from_queryset_single(Tournament.get(id=tournament_id))

    @app.post("/events", response_model=Event_Pydantic, status_code=201)
    async def create_event(event: EventIn_Pydantic):  # type: ignore[valid-type]
        created = await Event.create(**event.model_dump(exclude_unset=True))
        return await Event_Pydantic.from_tortoise_orm(created)

    @app.get("/events", response_model=Event_List)
    async def events():
        return await Event_List.from_queryset(Event.all().order_by("id"))

    return app


async def test_fastapi_round_trip():
    cup = await Tournament.create(name="Cup", prize=Decimal("10.50"))
    team = await Team.create(name="Reds")
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = await client.post("/events", json={"name": "Final", "tournament_id": cup.id})
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["name"] == "Final" and body["tournament"]["name"] == "Cup" and body["participants"] == []
        assert body["tournament"]["name_length"] == 3 and body["venue"] is None

        await (await Event.get(id=body["id"])).participants.add(team)
        listing = await client.get("/tournaments")
        assert listing.status_code == 200, listing.text
        [one] = listing.json()
        assert Decimal(one["prize"]) == Decimal("10.50") and one["name_length"] == 3
        assert one["events"][0]["participants"] == [{"id": team.id, "name": "Reds"}]

        single = await client.get(f"/tournaments/{cup.id}")
        assert single.json() == one
        events = await client.get("/events")
        assert [e["name"] for e in events.json()] == ["Final"]

        bad = await client.post("/events", json={"name": "x", "tournament_id": cup.id, "id": 5})
        assert bad.status_code == 422  # read-only / unknown keys are refused
        missing = await client.post("/events", json={"tournament_id": cup.id})
        assert missing.status_code == 422 and "name" in missing.text

        schema = (await client.get("/openapi.json")).json()["components"]["schemas"]
        assert {"EventIn", "Tournament", "Event"} <= set(schema)
        assert schema["EventIn"]["required"] == ["name", "tournament_id"]
