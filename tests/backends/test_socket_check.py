"""``socket_open``: the kernel's view of a pooled connection's socket, asked before every
statement (no database needed: local sockets)."""
from __future__ import annotations

import asyncio
import socket
import struct

import pytest

from tortoise.backends.base import pooled
from tortoise.backends.base.pooled import idle_socket_open, socket_open


@pytest.fixture(autouse=True)
def _db_for_each_test():
    """Replaces the conftest's autouse fixture: no database is needed here."""


async def _tcp_pair() -> tuple[asyncio.StreamWriter, asyncio.StreamWriter, asyncio.AbstractServer]:
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()
    server = await asyncio.start_server(lambda r, w: accepted.set_result(w), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, client = await asyncio.open_connection("127.0.0.1", port)
    return client, await accepted, server


async def test_open_tcp_connection(check_path):
    client, peer, server = await _tcp_pair()
    try:
        assert socket_open(client.transport)
    finally:
        client.close()
        peer.close()
        server.close()


async def test_tcp_connection_whose_peer_hung_up_is_not_open(check_path):
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


async def test_tcp_connection_whose_peer_closed_is_not_open(check_path):
    client, peer, server = await _tcp_pair()
    try:
        peer.close()  # FIN: the connection is half-closed, the transport still open
        for _ in range(100):
            if not socket_open(client.transport):
                break
            await asyncio.sleep(0.01)
        assert not socket_open(client.transport)
    finally:
        client.close()
        server.close()


async def test_closed_transport_is_not_open(check_path):
    client, peer, server = await _tcp_pair()
    client.close()
    try:
        assert not socket_open(client.transport)
    finally:
        peer.close()
        server.close()


async def test_unix_socket_counts_as_open(check_path):
    a, b = socket.socketpair()
    _, writer = await asyncio.open_connection(sock=a)
    try:
        assert socket_open(writer.transport)
    finally:
        writer.close()
        b.close()


# --- idle_socket_open: a bare descriptor, as libpq (psycopg) keeps it ------------------------
@pytest.fixture(params=["poll", "peek"])
def check_path(request, monkeypatch):
    """Both ways of asking: ``poll`` on the descriptor, and the getsockopt/peek fallback."""
    if request.param == "peek":
        monkeypatch.setattr(pooled, "_POLL_GONE", 0)
    elif not pooled._POLL_GONE:
        pytest.skip("no poll(POLLRDHUP) on this platform")
    return request.param


def _tcp_sockets() -> tuple[socket.socket, socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        peer, _ = server.accept()
    return client, peer


async def _until(predicate) -> bool:
    for _ in range(100):  # FIN/RST crosses the loopback interface
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return predicate()


async def test_idle_descriptor_open_and_quiet(check_path):
    client, peer = _tcp_sockets()
    with client, peer:
        assert idle_socket_open(client.fileno(), silent=True)
        assert idle_socket_open(client.fileno(), silent=False)
        client.sendall(b"x")  # the check never consumes or disturbs the socket
        assert peer.recv(1) == b"x"


async def test_idle_descriptor_with_unasked_bytes(check_path):
    client, peer = _tcp_sockets()
    with client, peer:
        peer.sendall(b"E")  # e.g. FATAL "terminating connection"
        assert await _until(lambda: not idle_socket_open(client.fileno(), silent=True))
        # busy (or TLS) connection: waiting bytes are its own business
        assert idle_socket_open(client.fileno(), silent=False)
        assert client.recv(1) == b"E"  # peeked, never consumed


async def test_descriptor_whose_peer_closed(check_path):
    client, peer = _tcp_sockets()
    with client:
        peer.close()  # FIN
        assert await _until(lambda: not idle_socket_open(client.fileno(), silent=False))
        assert not idle_socket_open(client.fileno(), silent=True)


async def test_descriptor_whose_peer_reset(check_path):
    client, peer = _tcp_sockets()
    with client:
        peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        peer.close()  # RST
        assert await _until(lambda: not idle_socket_open(client.fileno(), silent=False))


async def test_missing_descriptor(check_path):
    assert not idle_socket_open(-1, silent=True)
    a, b = socket.socketpair()
    fd = a.fileno()
    a.close()
    b.close()
    assert not idle_socket_open(fd, silent=False)
