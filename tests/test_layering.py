"""Layers point down: tortoise/sql/ and tortoise/backends/ never import the ORM layers above
them at run time (imports under ``if TYPE_CHECKING:`` are for annotations only)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import tortoise

ROOT = Path(tortoise.__file__).parent
LOWER = ("sql", "backends")
#: the modules above sql/ and backends/: models, querysets, the connection registry …
UPPER = (
    "tortoise.models", "tortoise.queryset", "tortoise.connection", "tortoise.transactions",
    "tortoise.relations", "tortoise.fields", "tortoise.filters", "tortoise.expressions",
    "tortoise.functions", "tortoise.bulk", "tortoise.prefetch", "tortoise.model_code",
    "tortoise.apps", "tortoise.manager", "tortoise.context",
)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import that runs, at module level or inside functions."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _upward(module: str) -> bool:
    return any(module == up or module.startswith(up + ".") for up in UPPER) or module == "tortoise"


def test_sql_and_backends_import_nothing_above_them():
    offences = []
    for package in LOWER:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, module in _runtime_imports(ast.parse(path.read_text(), str(path))):
                if _upward(module):
                    offences.append(f"{path.relative_to(ROOT.parent)}:{line} imports {module}")
    assert offences == []


def test_the_walker_sees_lazy_imports_and_skips_type_checking_ones():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from tortoise.models import Model\n"
        "def f():\n    from tortoise.connection import connections\n"
    )
    modules = [m for _, m in _runtime_imports(ast.parse(source))]
    assert "tortoise.connection" in modules and "tortoise.models" not in modules


DIALECT_NAME_CHECK = re.compile(r"""(dialect|\.name)\s*(==|!=)\s*["'](sqlite|postgres|mysql)["']""")


def test_no_dialect_name_checks_outside_the_dialect_package():
    """Fields and the ORM ask the dialect, never branch on its name (contrib's
    database-specific modules aside)."""
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("sql/dialects/", "backends/", "contrib/")):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if DIALECT_NAME_CHECK.search(line):
                offences.append(f"{relative}:{number}: {line.strip()}")
    assert offences == []


def test_capabilities_come_from_the_dialect():
    from tortoise.backends.asyncpg.client import AsyncpgDBClient
    from tortoise.backends.mysql.client import MySQLClient
    from tortoise.backends.psycopg.client import PsycopgClient
    from tortoise.backends.sqlite.client import SqliteClient

    for client in (AsyncpgDBClient, MySQLClient, PsycopgClient, SqliteClient):
        caps, dialect = client.capabilities, client.dialect
        assert caps.dialect == dialect.name
        assert (caps.requires_limit, caps.support_for_update, caps.support_index_hint, caps.supports_returning,
                caps.can_rollback_ddl, caps.inline_comment, caps.support_update_limit_order_by) == (
            dialect.requires_limit, dialect.supports_for_update, dialect.supports_index_hints,
            dialect.supports_returning, dialect.can_rollback_ddl, dialect.inline_comment,
            dialect.supports_update_limit_order_by)
    assert SqliteClient.capabilities.daemon is False


def test_relations_live_in_one_module_and_old_paths_still_work():
    from tortoise import fields, relations
    from tortoise.fields import managers, relational

    for name in ("ReverseRelation", "ManyToManyRelation"):
        cls = getattr(relations, name)
        assert getattr(fields, name) is cls and getattr(relational, name) is cls and getattr(managers, name) is cls
    assert managers.make_manager is relations.make_manager
    assert relations.ForwardRelationDescriptor.__module__ == "tortoise.relations"
