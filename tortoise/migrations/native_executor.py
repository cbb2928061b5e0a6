"""Applying native migrations with the engine's executor (transactions, lock, progress).

A migration becomes steps: the schema operations between two ``RunSQL``/``RunPython``
operations are diffed as one (state before → state after, with the renames they declare)
by the autodetector and rendered by the dialect's schema editor; ``RunSQL`` adds its SQL,
``RunPython`` runs its code with the migration's connection.
"""
from __future__ import annotations

import copy
import inspect
from typing import Any, Callable

from tortoise.migrations import operations as ops, run_python
from tortoise.migrations.autodetector import diff, match_tables
from tortoise.migrations.exceptions import MigrationError
from tortoise.migrations.executor import Executor
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.native_loader import NativeLoader
from tortoise.migrations.recorder import Recorder

Step = tuple[str, Any]  # ("sql", [statements]), ("bound", (statement, params)) or ("python", callable)


def migration_steps(editor: Any, loader: NativeLoader, key: MigrationKey, backward: bool = False) -> list[Step]:
    migration = loader.graph.nodes[key]
    state = loader.state_before(key)
    forward: list[Step] = []
    reverse: list[list[Step]] = []  # per operation (or segment), undone last first
    segment: list[ops.Operation] = []

    def flush() -> None:
        nonlocal state
        if not segment:
            return
        after = copy.deepcopy(state)
        renames: dict[str, str] = {}
        for operation in segment:
            loader.forwards(operation, after)
            renames.update(operation.renames())
        before = match_tables(state, after, renames=renames, allow_drop=True)
        up, down = diff(before, after, renames=renames, allow_drop=True)
        forward.append(("sql", editor.migration_sql(up, before, after)))
        reverse.append([("sql", editor.migration_sql(down, after, before))])
        state = after
        segment.clear()

    for operation in migration.operations:
        if operation.changes_schema:
            segment.append(operation)
            continue
        flush()
        if isinstance(operation, ops.RunSQL):
            forward += ops.RunSQL.steps(operation.sql)
            reverse.append(ops.RunSQL.steps(operation.reverse_sql) if operation.reverse_sql is not None else [("irreversible", operation)])
        elif not isinstance(operation, ops.RunPython):  # SQL of its own (schemas, constraint names)
            forward.append(("sql", operation.sql(editor, state, False)))
            reverse.append([("sql", operation.sql(editor, state, True))])
        else:
            forward.append(("python", operation.code))
            reverse.append([("python", operation.reverse_code) if operation.reverse_code else ("irreversible", operation)])
    flush()
    if not backward:
        return _joined(forward)
    undo = [step for group in reversed(reverse) for step in group]
    for kind, value in undo:
        if kind == "irreversible":
            raise MigrationError(f"migration {key} cannot be reverted: its {value.describe()} has no reverse")
    return _joined(undo)


def _joined(steps: list[Step]) -> list[Step]:
    """Adjacent SQL steps as one (so progress on MySQL counts the migration's statements)."""
    result: list[Step] = []
    for kind, value in steps:
        if kind == "sql" and result and result[-1][0] == "sql":
            result[-1] = ("sql", result[-1][1] + value)
        elif kind != "sql" or value:
            result.append((kind, value))
    return result


class NativeExecutor(Executor):
    """One app's migrations on its connection, recorded in ``tortoise_migrations``.

    It reuses the engine executor's transaction, lock and resumable-statement machinery;
    the plan (which migrations, in which direction) comes from the graph, not from
    ``Executor.upgrade``/``downgrade``, which read Aerich's folders."""

    def __init__(self, client: Any, recorder: Recorder, loader: NativeLoader, app: str, editor: Any, echo: Callable[[str], None] = print) -> None:
        super().__init__(client, recorder, loader, app, echo)  # type: ignore[arg-type]
        self.editor = editor

    async def apply(self, key: MigrationKey, backward: bool = False, fake: bool = False) -> bool:
        """Apply (or revert) one migration unless already done; True when it ran."""
        steps = migration_steps(self.editor, self.loader, key, backward)
        migration = self.loader.graph.nodes[key]
        async with self._run_lock():
            await self.recorder.ensure()
            if (key.name in await self.recorder.applied(self.app)) != backward:
                return False
            async with self._session(migration.atomic) as conn:
                if not fake:
                    for number, (kind, value) in enumerate(steps):
                        if kind == "sql":
                            await self._execute(conn, ";\n".join(value), f"{'down' if backward else 'up'}grade:{key.name}#{number}")
                        elif kind == "bound":
                            await conn.execute_query(*value)
                        else:
                            result = run_python.call(value, conn)
                            if inspect.isawaitable(result):
                                await result
                if backward:
                    await self.recorder.forget(self.app, key.name, conn)
                else:
                    await self.recorder.record(self.app, key.name, {}, conn)
        return True
