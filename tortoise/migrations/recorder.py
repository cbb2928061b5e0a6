"""Recorder: which migrations of an app are applied, in a table of the database.

The table's shape comes from the front end (Aerich's ``aerich`` table: id, version, app,
content; Tortoise 1.x's ``tortoise_migrations``: id, app, name, applied_at); rows are read
and written with bound parameters only.
"""
from __future__ import annotations

import datetime
import json
from typing import Any

from tortoise.sql import records
from tortoise.sql.schema_editor import editor_for
from tortoise.sql.statements import insert


class Recorder:
    def __init__(self, client: Any, table: dict[str, Any], version: str = "version", content: str | None = "content") -> None:
        self.client = client
        self.table = table
        #: the column naming the migration, and the one holding its state (None: a time stamp instead)
        self.version, self.content = version, content
        self.dialect = client.dialect
        self.name = table["table"]

    async def ensure(self) -> None:
        if await self.exists():
            return
        editor = editor_for(self.dialect, getattr(self.client, "table_options", ""))
        for statement in editor.create_table(self.table, safe=True):
            await self.client.execute_script(statement)

    async def exists(self) -> bool:
        try:
            await self.client.execute_query(records.probe(self.dialect, self.name))
        except Exception:
            return False
        return True

    async def applied(self, app: str, conn: Any = None) -> list[str]:
        """Applied versions of ``app``, oldest first."""
        sql = records.select_where(self.dialect, self.name, self.version, "v", ["app"], order_by="id")
        rows = await (conn or self.client).execute_query_dict(sql, [app])
        return [r["v"] for r in rows]

    async def record(self, app: str, version: str, content: dict[str, Any], conn: Any = None) -> None:
        if self.content is None:
            extra, value = "applied_at", datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        else:
            extra, value = self.content, json.dumps(content)
        sql = insert(self.dialect, self.name, [self.version, "app", extra])
        await (conn or self.client).execute_query(sql, [version, app, value])

    async def forget(self, app: str, version: str, conn: Any = None) -> None:
        sql = records.delete_where(self.dialect, self.name, ["app", self.version])
        await (conn or self.client).execute_query(sql, [app, version])

    # --- progress inside a migration (MySQL: DDL commits statement by statement) ---------------
    # Kept as rows of the same table under the app label "<app>@progress", which
    # Aerich itself never reads; the version is "<direction>:<file>", content {"done": n}.
    async def progress(self, app: str, key: str) -> int:
        if self.content is None:  # no content column: the count rides in the version, "<key>#<n>"
            marks = [v for v in await self.applied(f"{app}@progress") if v.rsplit("#", 1)[0] == key]
            return int(marks[-1].rsplit("#", 1)[1]) if marks else 0
        sql = records.select_where(self.dialect, self.name, "content", "c", ["app", "version"])
        rows = await self.client.execute_query_dict(sql, [f"{app}@progress", key])
        if not rows:
            return 0
        content = rows[0]["c"]
        return int((json.loads(content) if isinstance(content, (str, bytes)) else content)["done"])

    async def set_progress(self, app: str, key: str, done: int) -> None:
        if self.content is None:
            for version in await self.applied(f"{app}@progress"):
                if version.rsplit("#", 1)[0] == key:
                    await self.forget(f"{app}@progress", version)
            if done:
                await self.record(f"{app}@progress", f"{key}#{done}", {})
            return
        await self.forget(f"{app}@progress", key)
        if done:
            await self.record(f"{app}@progress", key, {"done": done})

    async def forget_app(self, app: str) -> None:
        await self.client.execute_query(records.delete_where(self.dialect, self.name, ["app"]), [app])
