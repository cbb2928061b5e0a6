"""SQL text lives in tortoise/sql/ and the backend clients: no string literal elsewhere in
the package starts a SQL statement (docstrings and comments may talk about SQL)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import tortoise

ROOT = Path(tortoise.__file__).parent
#: where SQL text belongs
SQL_HOMES = ("sql/", "backends/")
STATEMENT = re.compile(
    r"^\s*(SELECT\s|INSERT\s+INTO\b|UPDATE\s.+\sSET\b|DELETE\s+FROM\b|CREATE\s+(TABLE|INDEX|UNIQUE\s+INDEX)\b"
    r"|DROP\s+(TABLE|INDEX|DATABASE)\b|ALTER\s+TABLE\b|TRUNCATE\s+TABLE\b|PRAGMA\s|SAVEPOINT\s"
    r"|RELEASE\s+SAVEPOINT\b|ROLLBACK\s+TO\b|(BEGIN|COMMIT|ROLLBACK)$)"
)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def sql_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of the string literals (f-string pieces too) that start a statement."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if STATEMENT.search(node.value):
                found.append((node.lineno, node.value.strip()[:60]))
    return sorted(found)


def test_no_sql_statements_in_string_literals_outside_sql_and_backends():
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(SQL_HOMES):
            continue
        offences += [f"{relative}:{line}: {text}" for line, text in sql_literals(path.read_text())]
    assert offences == []


def test_the_scanner_finds_statements_and_skips_docstrings_and_words():
    source = (
        '"""SELECT in a docstring is prose."""\n'
        'def f(t):\n    """DELETE FROM here too."""\n'
        '    a = f"SELECT {t} FROM x"\n'
        '    b = "DELETE FROM t WHERE id=?"\n'
        '    c = ("DELETE", "TRUNCATE", "WAL")\n'
        '    d = "COMMIT"\n'
    )
    assert [line for line, _ in sql_literals(source)] == [4, 5, 7]
