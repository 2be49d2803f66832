"""Fixtures for client views and raw responses: both clients over real sockets, and a
loopback server that records every connection and every request's headers."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from _sync_view import SyncView

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient

BODY = b'{"data":{"ok":true}}'


class RecordingServer(ThreadingHTTPServer):
    """Answers every POST with GraphQL data; counts connections, keeps request headers."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            self.connections += 1
        super().process_request(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RecordingServer

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        with self.server.lock:
            self.server.headers.append({k.lower(): v for k, v in self.headers.items()})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    server = RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def recorder() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


@pytest.fixture(params=["sync", "async"])
def connect(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """``connect(url, **options)``: the sync client, or the async one through SyncView.

    Both talk over real sockets with the HTTP library each uses in production
    (httpx, aiohttp), so deadlines and timeouts are the transports' own.
    """
    closing: list[Callable[[], Any]] = []
    loop: asyncio.AbstractEventLoop | None = None

    def make(url: str, **options: Any) -> Any:
        nonlocal loop
        if request.param == "sync":
            client = WikiJSClient(url, **options)
            closing.append(client.close)
            return client
        if loop is None:
            loop = asyncio.new_event_loop()
        aclient = AsyncWikiJSClient(url, **options)
        running = loop
        closing.append(lambda: running.run_until_complete(aclient.aclose()))
        return SyncView(aclient, loop)

    make.kind = request.param  # type: ignore[attr-defined]
    yield make
    for close in closing:
        close()
    if loop is not None:
        loop.close()
