"""Through tables of many-to-many fields get Tortoise's column names, so a database that
Tortoise created (or will read) holds the links the same way round."""
from __future__ import annotations

from tortoise import connections

from tests.conftest import ph

MODELS = "tests.m2m_naming_models"


async def test_default_through_tables_and_keys_are_named_as_tortoise_names_them(other_orm):
    await other_orm.init_models(MODELS)
    from tests.m2m_naming_models import Club, Node, Person

    def names(model, field):
        f = model._meta.fields_map[field]
        return f.through, f.forward_key, f.backward_key

    assert names(Node, "links") == ("node_node", "node_id", "node_rel_id")
    assert names(Person, "friends") == ("people_people", "person_id", "people_id")
    assert names(Club, "members") == ("club_people", "person_id", "club_id")
    assert names(Person, "clubs") == ("club_people", "club_id", "person_id")


async def test_links_written_by_column_name_read_back_the_right_way_round(other_orm):
    """Rows put into the through tables by their column names, as another ORM would, are
    read by the relation in the direction those names say."""
    await other_orm.init_models(MODELS)
    from tests.m2m_naming_models import Club, Node, Person

    a, b = await Node.create(id=1), await Node.create(id=2)
    ann, bob = await Person.create(id=1, name="ann"), await Person.create(id=2, name="bob")
    chess = await Club.create(id=7)
    db = connections.get("default")
    q = db.dialect.quote
    await db.execute_query(f"INSERT INTO {q('node_node')} ({q('node_rel_id')}, {q('node_id')}) VALUES ({ph(1)}, {ph(2)})", [1, 2])
    await db.execute_query(f"INSERT INTO {q('people_people')} ({q('people_id')}, {q('person_id')}) VALUES ({ph(1)}, {ph(2)})", [1, 2])
    await db.execute_query(f"INSERT INTO {q('club_people')} ({q('club_id')}, {q('person_id')}) VALUES ({ph(1)}, {ph(2)})", [7, 1])

    assert [n.id for n in await a.links.all()] == [2] and [n.id for n in await b.linked_from.all()] == [1]
    assert [p.name for p in await ann.friends.all()] == ["bob"] and await bob.friends.all() == []
    assert [p.name for p in await chess.members.all()] == ["ann"]
    assert [c.id for c in await ann.clubs.all()] == [7]
