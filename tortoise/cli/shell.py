"""An interactive console whose input may ``await``, run on the ORM's event loop.

The console reads lines in a thread; each statement is compiled with top-level await
allowed and, when it yields a coroutine, run on the loop that initialised the ORM."""
from __future__ import annotations

import ast
import asyncio
import code
import inspect
from typing import Any


class AsyncConsole(code.InteractiveConsole):
    def __init__(self, names: dict[str, Any], loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(names)
        self.compile.compiler.flags |= ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        self.loop = loop

    def runcode(self, code_object: Any) -> None:
        try:
            result = eval(code_object, self.locals)  # noqa: S307 - the user's own input
            if inspect.iscoroutine(result):
                asyncio.run_coroutine_threadsafe(result, self.loop).result()
        except SystemExit:
            raise
        except BaseException:
            self.showtraceback()


async def run_shell(names: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    console = AsyncConsole(names, loop)
    banner = f"Tortoise shell (Aldabra); ORM initialised. Models: {', '.join(n for n in names if n[:1].isupper())}"
    await asyncio.to_thread(console.interact, banner, "")
