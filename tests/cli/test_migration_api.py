"""``tortoise.migrations.api.migrate`` and the ``schema_generator`` state objects of Tortoise 1.x."""
from __future__ import annotations

import sys

import pytest

from tests.cli.test_cli import V1, V2
from tortoise import fields
from tortoise.config import AppConfig, ConnectionConfig, TortoiseConfig, expand_db_url
from tortoise.migrations.api import migrate
from tortoise.migrations.autodetector import diff
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.schema_generator.state import ModelState, State
from tortoise.migrations.schema_generator.state_apps import StateApps
from tortoise.migrations.state import state_from_models
from tortoise.models import Model


@pytest.fixture
def on_path(project, other_orm):
    """The project importable; the suite's main ORM suspended while migrate() inits its own."""
    sys.path.insert(0, str(project.path))
    yield project
    sys.path.remove(str(project.path))
    for name in [m for m in sys.modules if m == "blog" or m.startswith("blog.")]:
        del sys.modules[name]


def _typed_config(project, migrations: str | None = "blog.migrations") -> TortoiseConfig:
    spec = expand_db_url(project.db_url)
    return TortoiseConfig(
        connections={"default": ConnectionConfig(engine=spec["engine"], credentials=spec["credentials"])},
        apps={"blog": AppConfig(models=["blog.models"], default_connection="default", migrations=migrations)},
    )


async def test_migrate_applies_to_a_target_then_the_rest_from_a_typed_config(on_path) -> None:
    project = on_path
    project.models(V1)
    project.tortoise("makemigrations")
    assert await migrate(config=_typed_config(project, migrations=None), echo=print) == []  # names no migrations package
    project.models(V2)
    project.tortoise("makemigrations", "--name", "rating")
    lines: list[str] = []

    done = await migrate(config=_typed_config(project), target="blog.0001_initial", echo=lines.append)
    assert done == [MigrationKey("blog", "0001_initial")]
    assert await project.has("SELECT title FROM post") and not await project.has("SELECT rating FROM post")

    done = await migrate(config=_typed_config(project), app_labels=["blog"], echo=lines.append)
    assert done == [MigrationKey("blog", "0002_rating")] and await project.has("SELECT rating FROM post")
    assert await migrate(config=_typed_config(project), target="blog", echo=lines.append) == []
    assert lines[-1] == "No migrations to apply."


async def test_migrate_needs_a_configuration_and_known_apps(on_path) -> None:
    with pytest.raises(Exception, match="config"):
        await migrate()
    on_path.models(V1)
    for bad in ({"app_labels": ["shop"]}, {"target": "shop.0001_initial"}):
        with pytest.raises(ValueError, match="Unknown app label 'shop': the configured apps are blog"):
            await migrate(config=_typed_config(on_path), **bad)
    assert not await on_path.has("SELECT id FROM author")


class Team(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=30, db_default="anon")

    class Meta:
        app = "league"
        table = "state_team"


class Player(Model):
    id = fields.IntField(primary_key=True)
    team = fields.ForeignKeyField("league.Team", related_name="players")

    class Meta:
        app = "league"
        table = "state_player"


def test_state_renders_historical_models_wired_among_themselves() -> None:
    live = StateApps({"league": {"Team": Team, "Player": Player}})
    live.init_relations()  # as Tortoise.init wires an app
    state = State.from_apps(live.apps)
    player = state.apps.get_model("league.Player")
    assert player is not Player and state.apps.get_model("league", "Team") is not Team
    assert player._meta.fields_map["team"].related_model is state.apps.get_model("league.Team")
    assert "players" in state.apps.get_model("league.Team")._meta.fields_map
    assert state.engine_state("league") == state_from_models([Team, Player])
    with pytest.raises(KeyError, match="league.Coach.*known: league.Team, league.Player"):
        state.apps.get_model("league.Coach")


def test_state_changes_diff_through_the_engine() -> None:
    empty = State(models={}, apps=StateApps())
    state = empty.clone()
    state.add_model(ModelState("league", "Team", {"id": fields.IntField(primary_key=True)}, {"table": "state_team"}))
    changes = diff(empty.engine_state("league"), state.engine_state("league"))[0]
    assert [type(c).__name__ for c in changes] == ["CreateTable"]
    state.remove_model("league", "Team")
    assert state.engine_state("league")["tables"] == {} and empty.models == {}
    with pytest.raises(LookupError, match="league.Team is unknown"):
        state.remove_model("league", "Team")
