"""The statement builders of tortoise/sql/statements.py, per dialect, without a database."""
from __future__ import annotations

import pytest

from tortoise.sql import statements as st
from tortoise.sql.dialects.mysql import MySQLDialect
from tortoise.sql.dialects.postgres import PostgresDialect
from tortoise.sql.dialects.sqlite import SqliteDialect

SQLITE, POSTGRES, MYSQL = SqliteDialect(), PostgresDialect(), MySQLDialect()


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'INSERT INTO "t" ("a","b") VALUES (?,?)'),
        (POSTGRES, 'INSERT INTO "t" ("a","b") VALUES ($1,$2)'),
        (MYSQL, "INSERT INTO `t` (`a`,`b`) VALUES (%s,%s)"),
    ],
)
def test_insert(dialect, expected):
    assert st.insert(dialect, "t", ["a", "b"]) == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'INSERT INTO "t" ("a") VALUES (?) RETURNING "id"'),
        (POSTGRES, 'INSERT INTO "t" ("a") VALUES ($1) RETURNING "id"'),
        (MYSQL, "INSERT INTO `t` (`a`) VALUES (%s)"),  # the driver reports the new id
    ],
)
def test_insert_returning_the_key(dialect, expected):
    assert st.insert(dialect, "t", ["a"], returning="id") == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'INSERT INTO "t" DEFAULT VALUES RETURNING "id"'),
        (POSTGRES, 'INSERT INTO "t" DEFAULT VALUES RETURNING "id"'),
        (MYSQL, "INSERT INTO `t` () VALUES ()"),
    ],
)
def test_insert_without_columns(dialect, expected):
    assert st.insert(dialect, "t", [], returning="id") == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'UPDATE "t" SET "a"=?,"b"=? WHERE "id"=?'),
        (POSTGRES, 'UPDATE "t" SET "a"=$1,"b"=$2 WHERE "id"=$3'),
        (MYSQL, "UPDATE `t` SET `a`=%s,`b`=%s WHERE `id`=%s"),
    ],
)
def test_update_by_pk(dialect, expected):
    assert st.update_by_pk(dialect, "t", ["a", "b"], "id") == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'DELETE FROM "t" WHERE "id"=?'),
        (POSTGRES, 'DELETE FROM "t" WHERE "id"=$1'),
        (MYSQL, "DELETE FROM `t` WHERE `id`=%s"),
    ],
)
def test_delete_by_pk(dialect, expected):
    assert st.delete_by_pk(dialect, "t", "id") == expected


@pytest.mark.parametrize(
    "dialect, ignore, expected",
    [
        (SQLITE, False, 'INSERT INTO "t" ("a","b") VALUES (?,?),(?,?)'),
        (POSTGRES, False, 'INSERT INTO "t" ("a","b") VALUES ($1,$2),($3,$4)'),
        (MYSQL, False, "INSERT INTO `t` (`a`,`b`) VALUES (%s,%s),(%s,%s)"),
        (MYSQL, True, "INSERT IGNORE INTO `t` (`a`,`b`) VALUES (%s,%s),(%s,%s)"),
    ],
)
def test_bulk_insert(dialect, ignore, expected):
    assert st.bulk_insert_head(dialect, "t", ["a", "b"], ignore) + st.bulk_values(dialect, 2, 2) == expected


def test_bulk_insert_from_arrays_on_postgres():
    sql = st.bulk_insert_head(POSTGRES, "t", ["a", "b"], False) + POSTGRES.unnest(["bigint", "text"])
    assert sql == 'INSERT INTO "t" ("a","b") SELECT * FROM unnest($1::bigint[],$2::text[])'


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'UPDATE "t" SET "a"=CASE "id" WHEN ? THEN ? WHEN ? THEN ? ELSE "a" END,'
                 '"b"=CASE "id" WHEN ? THEN ? WHEN ? THEN ? ELSE "b" END WHERE "id" IN (?,?)'),
        (POSTGRES, 'UPDATE "t" SET "a"=CASE "id" WHEN $1 THEN $2 WHEN $3 THEN $4 ELSE "a" END,'
                   '"b"=CASE "id" WHEN $5 THEN $6 WHEN $7 THEN $8 ELSE "b" END WHERE "id" IN ($9,$10)'),
        (MYSQL, "UPDATE `t` SET `a`=CASE `id` WHEN %s THEN %s WHEN %s THEN %s ELSE `a` END,"
                "`b`=CASE `id` WHEN %s THEN %s WHEN %s THEN %s ELSE `b` END WHERE `id` IN (%s,%s)"),
    ],
)
def test_bulk_update(dialect, expected):
    assert st.bulk_update(dialect, "t", "id", ["a", "b"], 2) == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'SELECT "post_id","tag_id" FROM "post_tag" WHERE "post_id" IN (?,?)'),
        (POSTGRES, 'SELECT "post_id","tag_id" FROM "post_tag" WHERE "post_id" IN ($1,$2)'),
        (MYSQL, "SELECT `post_id`,`tag_id` FROM `post_tag` WHERE `post_id` IN (%s,%s)"),
    ],
)
def test_m2m_pairs(dialect, expected):
    assert st.m2m_pairs(dialect, "post_tag", "post_id", "tag_id", 2) == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'SELECT "tag_id" FROM "post_tag" WHERE "post_id"=? AND "tag_id" IN (?,?)'),
        (POSTGRES, 'SELECT "tag_id" FROM "post_tag" WHERE "post_id"=$1 AND "tag_id" IN ($2,$3)'),
        (MYSQL, "SELECT `tag_id` FROM `post_tag` WHERE `post_id`=%s AND `tag_id` IN (%s,%s)"),
    ],
)
def test_m2m_existing(dialect, expected):
    assert st.m2m_existing(dialect, "post_tag", "post_id", "tag_id", 2) == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        (SQLITE, 'INSERT INTO "post_tag" ("post_id","tag_id") VALUES (?,?)'),
        (POSTGRES, 'INSERT INTO "post_tag" ("post_id","tag_id") VALUES ($1,$2)'),
        (MYSQL, "INSERT INTO `post_tag` (`post_id`,`tag_id`) VALUES (%s,%s)"),
    ],
)
def test_m2m_insert(dialect, expected):
    assert st.m2m_insert(dialect, "post_tag", "post_id", "tag_id") == expected


@pytest.mark.parametrize(
    "dialect, targets, expected",
    [
        (SQLITE, None, 'DELETE FROM "post_tag" WHERE "post_id"=?'),
        (SQLITE, 2, 'DELETE FROM "post_tag" WHERE "post_id"=? AND "tag_id" IN (?,?)'),
        (POSTGRES, 2, 'DELETE FROM "post_tag" WHERE "post_id"=$1 AND "tag_id" IN ($2,$3)'),
        (MYSQL, 1, "DELETE FROM `post_tag` WHERE `post_id`=%s AND `tag_id` IN (%s)"),
    ],
)
def test_m2m_delete(dialect, targets, expected):
    assert st.m2m_delete(dialect, "post_tag", "post_id", "tag_id", targets) == expected


def test_identifiers_are_quoted_by_the_dialect():
    assert st.delete_by_pk(SQLITE, 'we"ird', "id") == 'DELETE FROM "we""ird" WHERE "id"=?'
    assert st.delete_by_pk(MYSQL, "we`ird", "id") == "DELETE FROM `we``ird` WHERE `id`=%s"


def _render(node, dialect):
    from tortoise.sql.nodes import Context

    c = Context(dialect)
    sql = node.sql(c)
    node.bind(c)
    return sql, c.params


def test_condition_builders_per_dialect():
    from tortoise.sql import nodes

    col = nodes.Column("t", "a")
    assert _render(nodes.is_null(col), SQLITE) == ('"t"."a" IS NULL', [])
    assert _render(nodes.is_null(col, negate=True), MYSQL) == ("`t`.`a` IS NOT NULL", [])
    assert _render(nodes.in_list(col, [nodes.Param(1), nodes.Param(2)]), POSTGRES) == ('"t"."a" IN ($1,$2)', [1, 2])
    assert _render(nodes.in_list(col, [nodes.Param(1)], negate=True), MYSQL) == ("`t`.`a` NOT IN (%s)", [1])
    assert nodes.in_list(col, []) is nodes.FALSE and nodes.in_list(col, [], negate=True) is nodes.TRUE
    assert _render(nodes.between(col, nodes.Param(1), nodes.Param(9)), SQLITE) == ('"t"."a" BETWEEN ? AND ?', [1, 9])
    case = nodes.case_when([(nodes.is_null(col), nodes.Param("x"))], nodes.NULL)
    assert _render(case, POSTGRES) == ('CASE WHEN "t"."a" IS NULL THEN $1 ELSE NULL END', ["x"])
    assert _render(nodes.count_distinct(col), SQLITE) == ('COUNT(DISTINCT "t"."a")', [])


@pytest.mark.parametrize(
    "field, sqlite, postgres, mysql",
    [
        ("FloatField", "REAL", "DOUBLE PRECISION", "DOUBLE"),
        ("BooleanField", "INT", "BOOL", "BOOL"),
        ("TextField", "TEXT", "TEXT", "LONGTEXT"),
        ("UUIDField", "CHAR(36)", "UUID", "CHAR(36)"),
        ("DatetimeField", "TIMESTAMP", "TIMESTAMPTZ", "DATETIME(6)"),
        ("TimeField", "TIME", "TIMETZ", "TIME(6)"),
        ("JSONField", "JSON", "JSONB", "JSON"),
        ("BinaryField", "BLOB", "BYTEA", "LONGBLOB"),
        ("IntField", "INT", "INT", "INT"),
    ],
)
def test_column_types_are_spelled_by_the_dialect(field, sqlite, postgres, mysql):
    from tortoise import fields

    instance = getattr(fields, field)()
    assert [d.column_type(instance) for d in (SQLITE, POSTGRES, MYSQL)] == [sqlite, postgres, mysql]
    assert instance.describe(True)["db_field_types"] == {"": instance.SQL_TYPE, "sqlite": sqlite, "postgres": postgres, "mysql": mysql}


def test_a_field_of_its_own_may_name_its_types():
    from tortoise.fields import Field

    class Point(Field):
        SQL_TYPE = "TEXT"
        DB_TYPES = {"postgres": "POINT"}

    assert [d.column_type(Point()) for d in (SQLITE, POSTGRES, MYSQL)] == ["TEXT", "POINT", "LONGTEXT"]
