"""``socket_open``: the kernel's view of a pooled connection's socket, asked before every
statement (no database needed: local sockets)."""
from __future__ import annotations

import asyncio
import socket

import pytest

from tortoise.backends.base.pooled import socket_open


@pytest.fixture(autouse=True)
def _db_for_each_test():
    """Replaces the conftest's autouse fixture: no database is needed here."""


async def _tcp_pair() -> tuple[asyncio.StreamWriter, asyncio.StreamWriter, asyncio.AbstractServer]:
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()
    server = await asyncio.start_server(lambda r, w: accepted.set_result(w), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, client = await asyncio.open_connection("127.0.0.1", port)
    return client, await accepted, server


async def test_open_tcp_connection():
    client, peer, server = await _tcp_pair()
    try:
        assert socket_open(client.transport)
    finally:
        client.close()
        peer.close()
        server.close()


async def test_tcp_connection_whose_peer_hung_up_is_not_open():
    client, peer, server = await _tcp_pair()
    try:
        peer.transport.abort()  # RST; the kernel knows before the event loop looks
        for _ in range(100):  # the RST crosses the loopback interface
            if not socket_open(client.transport):
                break
            await asyncio.sleep(0.01)
        assert not socket_open(client.transport)
    finally:
        client.close()
        server.close()


async def test_closed_transport_is_not_open():
    client, peer, server = await _tcp_pair()
    client.close()
    try:
        assert not socket_open(client.transport)
    finally:
        peer.close()
        server.close()


async def test_unix_socket_counts_as_open():
    a, b = socket.socketpair()
    _, writer = await asyncio.open_connection(sock=a)
    try:
        assert socket_open(writer.transport)
    finally:
        writer.close()
        b.close()
