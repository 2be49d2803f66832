"""What a server cannot do to a client's pooled connections, over real loopback sockets.

Each test runs through the sync client (httpx), the async client (aiohttp)
and the async client given an httpx client:

- an answer the server pushes on an idle pooled connection, asked for by
  no one, is never handed to the next call (aiohttp queues it:
  aio-libs/aiohttp#13656, still so in 3.14.5);
- a body that ends with the connection (no length, no chunks) and is cut
  by a reset is a lost connection, not a complete answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from typing import Any

import httpx
import orjson
import pytest

from wikijs import ConnectionLostError, WikiJSClient
from wikijs.aio import AsyncWikiJSClient

from ._servers import CLIENTS, QUERY, attempt, scripted

pytestmark = pytest.mark.parametrize("kind", CLIENTS)


def answer(name: str, *, close: bool = False) -> bytes:
    body = orjson.dumps({"data": {"answer": name}})
    connection = b"Connection: close\r\n" if close else b""
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n%s"
        % (connection, len(body), body)
    )


class PushesUnasked:
    """Answers request n with ``rn``; after the first, pushes an answer no one asked for.

    The push waits until the test says the client holds its first answer
    (``idle``), so it lands on a connection resting in the client's pool.
    """

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        self.idle = threading.Event()
        self.pushed = threading.Event()

    def __call__(self, connection: socket.socket, stopping: threading.Event) -> None:
        with self.lock:
            self.count += 1
            number = self.count
        connection.sendall(answer(f"r{number}"))
        if number == 1:
            self.idle.wait(5)
            connection.sendall(answer("EVIL"))
            self.pushed.set()


def three_calls(kind: str, url: str, server: PushesUnasked) -> list[Any]:
    """Three calls through one client; between the first two the server pushes."""
    options: dict[str, Any] = {"auth": None, "retry_strategy": None, "timeout": 5}
    if kind == "sync":
        with WikiJSClient(url, **options) as client:
            first = client.execute(QUERY)["answer"]
            server.idle.set()
            server.pushed.wait(5)
            return [first, *(client.execute(QUERY)["answer"] for _ in range(2))]

    async def run() -> list[Any]:
        own = httpx.AsyncClient(timeout=5) if kind == "async-httpx" else None
        if own is not None:
            options["http_client"] = own
        try:
            async with AsyncWikiJSClient(url, **options) as client:
                first = (await client.execute(QUERY))["answer"]
                server.idle.set()
                await asyncio.to_thread(server.pushed.wait, 5)
                await asyncio.sleep(0)  # one turn of the loop: the pushed bytes are read
                return [first, *[(await client.execute(QUERY))["answer"] for _ in range(2)]]
        finally:
            if own is not None:
                await own.aclose()

    return asyncio.run(run())


def test_an_answer_pushed_on_an_idle_connection_is_never_handed_to_a_call(kind: str) -> None:
    pusher = PushesUnasked()
    with scripted(pusher) as server:
        answers = three_calls(kind, server.url, pusher)
    assert answers == ["r1", "r2", "r3"]


# -- bodies that end with the connection ------------------------------------------------


def reset_after(data: bytes) -> Any:
    """Send ``data``, then reset the connection (RST, not FIN)."""

    def send(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(data)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            connection.close()

    return send


CLOSE_DELIMITED = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
    b'{"data": {"pages": {"list": [{"id": 1}, {"id": '
)


def test_a_body_ended_by_the_connection_and_cut_by_a_reset_is_a_lost_connection(
    kind: str,
) -> None:
    with scripted(reset_after(CLOSE_DELIMITED)) as server:
        outcome = attempt(kind, server.url, timeout=5)
    assert isinstance(outcome.error, ConnectionLostError), outcome.error
    assert outcome.error.request_sent is True


def test_a_body_ended_by_the_connection_closing_cleanly_is_read(kind: str) -> None:
    whole = CLOSE_DELIMITED[: CLOSE_DELIMITED.index(b"\r\n\r\n") + 4] + b'{"data": {"ok": 1}}'

    def send(connection: socket.socket, stopping: threading.Event) -> None:
        connection.sendall(whole)
        connection.shutdown(socket.SHUT_WR)

    with scripted(send) as server:
        outcome = attempt(kind, server.url, timeout=5)
    assert outcome.error is None
    assert outcome.data == {"ok": 1}
