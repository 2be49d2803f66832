"""The fake beneath aiohttp: a loopback server in the running event loop.

``FakeWikiJS.aiohttp_session()`` returns an ``aiohttp.ClientSession`` whose
connections all reach this fake, whatever host the URL names: its resolver
answers ``127.0.0.1`` and the port of a listener started in the same event
loop. Everything above the socket is the real aiohttp — connection pool,
HTTP parser, timeouts — so an async client tested this way runs the same
transport as in production. The server side speaks HTTP/1.1 with h11 and
hands each request to the fake's sans-I/O core; injected faults cut the
connection as a real server would (a client cannot tell "refused after
the request was sent" from "cut after it was applied").
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

import aiohttp
import h11
from aiohttp.abc import AbstractResolver, ResolveResult

from ._http import HTTPCore, HTTPRequest


class _Listener:
    """A bound loopback socket, served in the event loop that first needs it."""

    def __init__(self, http: HTTPCore) -> None:
        self._http = http
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self._sock.setblocking(False)
        self.port: int = self._sock.getsockname()[1]
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, sock=self._sock)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await _serve(self._http, reader, writer)
        finally:
            self._tasks.discard(task)
            writer.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        else:
            self._sock.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _serve(
    http: HTTPCore, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """One connection: requests in order, through the fake's sans-I/O core."""
    connection = h11.Connection(h11.SERVER)
    peer = writer.get_extra_info("peername") or ("127.0.0.1", 0)

    async def next_event() -> Any:
        while True:
            event = connection.next_event()
            if event is not h11.NEED_DATA:
                return event
            connection.receive_data(await reader.read(64 * 1024))

    try:
        while True:
            event = await next_event()
            if not isinstance(event, h11.Request):
                return  # closed, or paused at the end of a cycle
            target = event.target.decode("latin-1")
            path, _, query = target.partition("?")
            headers = tuple(
                (name.decode("latin-1").lower(), value.decode("latin-1"))
                for name, value in event.headers
            )
            exchange = http.open(
                HTTPRequest(event.method.decode().upper(), path, query, headers, str(peer[0]))
            )
            if exchange.refused:
                writer.transport.abort()
                return
            while True:
                part = await next_event()
                if isinstance(part, h11.Data):
                    exchange.feed(bytes(part.data))
                elif isinstance(part, h11.EndOfMessage):
                    break
                else:
                    return
            response = exchange.finish()
            if response.delay:
                await asyncio.sleep(response.delay)
            if response.action is not None:
                writer.transport.abort()
                return
            writer.write(
                connection.send(
                    h11.Response(
                        status_code=response.status,
                        headers=[
                            (k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers
                        ],
                    )
                )
                or b""
            )
            for chunk in response.chunks():
                writer.write(connection.send(h11.Data(data=chunk)) or b"")
                await writer.drain()
            writer.write(connection.send(h11.EndOfMessage()) or b"")
            await writer.drain()
            if connection.our_state is h11.MUST_CLOSE:
                return
            connection.start_next_cycle()
    except (h11.ProtocolError, ConnectionError):
        writer.transport.abort()


class _Resolver(AbstractResolver):
    """Every host is the fake's listener (started on first use, in the running loop)."""

    def __init__(self, listener: _Listener) -> None:
        self._listener = listener

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        await self._listener.start()
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": self._listener.port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        await self._listener.close()


class _Connector(aiohttp.TCPConnector):
    """aiohttp's own connector; closing it also stops the fake's listener."""

    def __init__(self, listener: _Listener) -> None:
        super().__init__(resolver=_Resolver(listener), use_dns_cache=False)
        self._listener = listener

    async def close(self, *, abort_ssl: bool = False) -> None:
        await super().close(abort_ssl=abort_ssl)
        await self._listener.close()


def fake_session(http: HTTPCore, **options: Any) -> aiohttp.ClientSession:
    """An aiohttp session wired to the fake (call it in the running event loop)."""
    return aiohttp.ClientSession(
        connector=_Connector(_Listener(http)), cookie_jar=aiohttp.DummyCookieJar(), **options
    )
