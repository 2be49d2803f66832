"""Misbehaving HTTP servers on loopback sockets, and one call through each client.

``scripted(answer)`` runs a real TCP server in a thread: every connection is
read up to the end of the request (head and ``Content-Length`` body) and
then handed to ``answer(connection, stopping)``, which writes whatever bytes
it likes (``stopping`` is set when the test is over).
``attempt(kind, url, **options)`` makes one GraphQL call with the client the
name picks — ``sync`` (httpx), ``async`` (aiohttp, the default) or
``async-httpx`` (the async client given an ``httpx.AsyncClient``) — and
returns what it raised and how long it took.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient

CLIENTS = ["sync", "async", "async-httpx"]
QUERY = "{ pages { list { id } } }"
OK_BODY = b'{"data":{"pages":{"list":[]}}}'


def read_request(connection: socket.socket) -> bytes:
    """Read one request (head and a Content-Length body); returns its head."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head


def ok_answer(connection: socket.socket, stopping: threading.Event) -> None:
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(OK_BODY), OK_BODY)
    )


@dataclass
class Server:
    url: str
    heads: list[bytes]
    stopping: threading.Event


@contextlib.contextmanager
def scripted(
    answer: Callable[[socket.socket, threading.Event], object], *, read: bool = True
) -> Iterator[Server]:
    """A loopback server answering every connection with ``answer``."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = Server(f"http://127.0.0.1:{listener.getsockname()[1]}", [], threading.Event())
    open_connections: list[socket.socket] = []

    def handle(connection: socket.socket) -> None:
        with contextlib.suppress(OSError), connection:
            while not server.stopping.is_set():
                if read:
                    head = read_request(connection)
                    if not head:
                        return
                    server.heads.append(head)
                answer(connection, server.stopping)
                if not read:
                    return

    def accept() -> None:
        while not server.stopping.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            open_connections.append(connection)
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        listener.close()
        for connection in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        thread.join(timeout=5)


@dataclass
class Outcome:
    error: BaseException | None
    data: Any
    seconds: float


def download(kind: str, url: str, path: str, to: Path | None, **options: Any) -> Outcome:
    """``assets.download(path, to=to)`` through the client ``kind`` names (no ``to``: bytes)."""
    options.setdefault("retry_strategy", None)
    options.setdefault("auth", None)
    if kind == "sync":
        with WikiJSClient(url, **options) as client:
            return _timed(lambda: client.assets.download(path, to=to))

    async def run() -> Outcome:
        if kind == "async-httpx":
            options["http_client"] = httpx.AsyncClient(timeout=5.0)
        async with AsyncWikiJSClient(url, **options) as client:
            started = time.monotonic()
            try:
                data = await client.assets.download(path, to=to)
            except Exception as exc:
                return Outcome(exc, None, time.monotonic() - started)
            finally:
                if kind == "async-httpx":
                    await options["http_client"].aclose()
            return Outcome(None, data, time.monotonic() - started)

    return asyncio.run(run())


def attempt(kind: str, url: str, call: str = "execute", **options: Any) -> Outcome:
    """One call through the client ``kind`` names; what it raised and how long it took."""
    options.setdefault("retry_strategy", None)
    options.setdefault("auth", None)
    if kind == "sync":
        with WikiJSClient(url, **options) as client:
            return _timed(lambda: getattr(client, call)(QUERY))

    async def run() -> Outcome:
        if kind == "async-httpx":
            # a client of your own keeps its own timeouts
            options["http_client"] = httpx.AsyncClient(timeout=options.get("timeout", 5.0))
        async with AsyncWikiJSClient(url, **options) as client:
            started = time.monotonic()
            try:
                data = await getattr(client, call)(QUERY)
            except Exception as exc:
                return Outcome(exc, None, time.monotonic() - started)
            finally:
                if kind == "async-httpx":
                    await options["http_client"].aclose()
            return Outcome(None, data, time.monotonic() - started)

    return asyncio.run(run())


def _timed(call: Callable[[], Any]) -> Outcome:
    started = time.monotonic()
    try:
        data = call()
    except Exception as exc:
        return Outcome(exc, None, time.monotonic() - started)
    return Outcome(None, data, time.monotonic() - started)
