"""Meta.indexes: named, partial and dialect-specific index kinds."""
import pytest

from tortoise import connections
from tortoise.exceptions import ConfigurationError

from tests.conftest import TEST_DB

DIALECT = "postgres" if TEST_DB == "psycopg" else TEST_DB

INDEX_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'",
    "postgres": "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename = '{table}'",
    "mysql": "SELECT DISTINCT INDEX_NAME AS name, INDEX_TYPE AS `sql` FROM information_schema.STATISTICS "
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'",
}


async def indexes_of(table: str) -> dict[str, str]:
    db = connections.get("default")
    rows = await db.execute_query_dict(INDEX_NAMES[db.capabilities.dialect].format(table=table))
    return {row["name"]: str(row.get("sql", "")) for row in rows}


async def test_named_and_partial_indexes(other_orm):
    if DIALECT == "mysql":  # no partial indexes: refused before anything is created
        with pytest.raises(ConfigurationError, match="partial indexes .* not available on mysql"):
            await other_orm.init_models("tests.index_models.common")
        return
    await other_orm.init_models("tests.index_models.common")
    from tests.index_models.common import Ticket

    found = await indexes_of("ix_ticket")
    assert "ix_ticket_code_named" in found
    assert any(name.startswith("idx_ix_ticket_state") for name in found)
    await Ticket.create(code="a", state="open")
    assert await Ticket.filter(state="open").count() == 1


async def test_postgres_index_methods(other_orm):
    if DIALECT != "postgres":
        pytest.skip("PostgreSQL index methods")
    await other_orm.init_models("tests.index_models.postgres")
    assert "USING hash" in (await indexes_of("ix_token"))["ix_token_hash"]


async def test_mysql_fulltext_index(other_orm):
    if DIALECT != "mysql":
        with pytest.raises(ConfigurationError, match="FULLTEXT indexes are not available"):
            await other_orm.init_models("tests.index_models.mysql")
        return
    await other_orm.init_models("tests.index_models.mysql")
    assert (await indexes_of("ix_note"))["ix_note_body_ft"] == "FULLTEXT"
