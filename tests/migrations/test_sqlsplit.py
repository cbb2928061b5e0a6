"""Splitting migration SQL into statements."""
from tortoise.migrations.sqlsplit import split_statements


def test_semicolons_inside_quotes_comments_and_dollar_bodies_do_not_split():
    script = """
        UPDATE t SET a = 'x;y', b = "c;d", `e;f` = 1;
        -- a comment; still a comment
        /* block; comment */
        DO $body$ BEGIN PERFORM 1; END $body$;
        INSERT INTO t VALUES ('it''s; fine'), ('back\\\\slash;');
        -- only a comment;
    """
    statements = split_statements(script, backslash_escapes=True)
    assert len(statements) == 3
    assert statements[0].startswith("UPDATE t SET a = 'x;y'")
    assert statements[1].endswith("DO $body$ BEGIN PERFORM 1; END $body$")
    assert statements[2].startswith("INSERT INTO t VALUES ('it''s; fine')")


def test_empty_script():
    assert split_statements("\n   \n") == []
    assert split_statements("-- nothing") == []


def test_backslash_is_plain_text_unless_the_dialect_escapes_with_it():
    assert split_statements("SELECT 'C:\\'; SELECT 2") == ["SELECT 'C:\\'", "SELECT 2"]
    assert split_statements("SELECT 'a\\';' ; SELECT 2", backslash_escapes=True) == ["SELECT 'a\\';'", "SELECT 2"]
