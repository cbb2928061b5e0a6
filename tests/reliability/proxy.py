"""A loopback TCP proxy that injects faults between a client and a database server.

    proxy = FaultProxy("127.0.0.1", 5432); await proxy.start()   # listens on 127.0.0.1:<port 0>
    proxy.drop_all()                  # cut every open connection (a restart, a failover)
    proxy.refusing = True             # new connections are closed at once
    proxy.delay = 0.05                # every chunk waits this long before it is forwarded
    proxy.drop_when(b"COMMIT")        # cut the connection that sends this, before the server sees it
    proxy.drop_when(b"COMMIT", after=True)   # …or after the server answered, losing the answer
    proxy.refuse_next(2, after=1)     # let one new connection through, close the next two
    seen, release = proxy.hold_when(b"COMMIT")   # keep the chunk that sends this until release.set()
    proxy.tell_clients(data)          # bytes to every client as if the server sent them (a
                                      # shutdown notice), the sockets kept open until drop_all()

Everything stays on 127.0.0.1; ``heal()`` clears every fault.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass


@dataclass
class _Trigger:
    pattern: bytes
    after: bool


class _Link:
    """One client connection and its server connection."""

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client, self.server = client, server
        self.drop_on_reply = False

    def cut(self) -> None:
        for writer in (self.client, self.server):
            writer.transport.abort()


class FaultProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.refusing = False
        self.delay = 0.0
        self.accepted = 0
        self.dropped = 0
        self._refuse_count = 0
        self._refuse_after = 0
        self._trigger: _Trigger | None = None
        self._hold: tuple[bytes, asyncio.Event, asyncio.Event] | None = None
        self._links: set[_Link] = set()
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> "FaultProxy":
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        self.heal()
        self.drop_all()  # every pump ends, and with it every connection's task
        if self._server is not None:
            self._server.close()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        if self._server is not None:
            await self._server.wait_closed()

    # --- faults ------------------------------------------------------------------------------
    def drop_all(self) -> None:
        for link in list(self._links):
            self._cut(link)

    def tell_clients(self, data: bytes) -> None:
        """Send ``data`` to every connected client as if the server had sent it."""
        for link in self._links:
            link.client.write(data)

    def refuse_next(self, count: int, after: int = 0) -> None:
        """Close ``count`` new connections at once, after letting ``after`` through."""
        self._refuse_after, self._refuse_count = after, count

    def drop_when(self, pattern: bytes, after: bool = False) -> None:
        """Cut the next connection whose client sends ``pattern`` (once)."""
        self._trigger = _Trigger(pattern, after)

    def hold_when(self, pattern: bytes) -> tuple[asyncio.Event, asyncio.Event]:
        """Hold the next chunk a client sends with ``pattern`` (once): ``seen`` is set when
        it arrives, and it goes on to the server when ``release`` is set."""
        seen, release = asyncio.Event(), asyncio.Event()
        self._hold = (pattern, seen, release)
        return seen, release

    def heal(self) -> None:
        if self._hold is not None:
            self._hold[2].set()
            self._hold = None
        self.refusing = False
        self.delay = 0.0
        self._refuse_count = 0
        self._trigger = None

    @property
    def open_links(self) -> int:
        return len(self._links)

    # --- plumbing ----------------------------------------------------------------------------
    def _cut(self, link: _Link) -> None:
        if link in self._links:
            self._links.discard(link)
            self.dropped += 1
        link.cut()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self._tasks.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            self.accepted += 1
            if self._refuse_count > 0 and self._refuse_after > 0:
                self._refuse_after -= 1
            elif self.refusing or self._refuse_count > 0:
                self._refuse_count = max(0, self._refuse_count - 1)
                client_writer.transport.abort()
                return
            try:
                server_reader, server_writer = await asyncio.open_connection(*self.target)
            except OSError:
                client_writer.transport.abort()
                return
            link = _Link(client_writer, server_writer)
            self._links.add(link)
            await asyncio.gather(
                self._pump(client_reader, server_writer, link, upstream=True),
                self._pump(server_reader, client_writer, link, upstream=False),
            )
        finally:
            self._tasks.discard(asyncio.current_task())  # type: ignore[arg-type]

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Link, upstream: bool) -> None:
        try:
            while data := await reader.read(65536):
                if self.delay:
                    await asyncio.sleep(self.delay)
                if upstream and self._hold is not None and self._hold[0] in data:
                    _, seen, release = self._hold
                    self._hold = None
                    seen.set()
                    await release.wait()
                if upstream and self._trigger is not None and self._trigger.pattern in data:
                    trigger, self._trigger = self._trigger, None
                    if not trigger.after:
                        break
                    link.drop_on_reply = True
                elif not upstream and link.drop_on_reply:
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._cut(link)
