"""In-process ``httpx`` transports: requests go through the sans-I/O core, no sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx

from ._http import HTTPCore, HTTPRequest, HTTPResponse


def _head(request: httpx.Request, client: str) -> HTTPRequest:
    target = request.url.raw_path.decode("ascii")
    path, _, query = target.partition("?")
    headers = tuple((k.lower(), v) for k, v in request.headers.multi_items())
    return HTTPRequest(request.method.upper(), path, query, headers, client)


def _refused(request: httpx.Request) -> httpx.ConnectError:
    return httpx.ConnectError("[FakeWikiJS] connection refused (injected)", request=request)


def _never_answered(request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout(
        "[FakeWikiJS] the server never answers this request (as Wiki.js 2.5 does not)",
        request=request,
    )


def _dropped(request: httpx.Request) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(
        "[FakeWikiJS] server disconnected without sending a response (injected)", request=request
    )


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, response: HTTPResponse) -> None:
        self._chunks = response.chunks()

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks

    def close(self) -> None:
        self._chunks.close()


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, response: HTTPResponse) -> None:
        self._chunks = response.chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk

    async def aclose(self) -> None:
        self._chunks.close()


def _to_httpx(
    response: HTTPResponse, stream: httpx.SyncByteStream | httpx.AsyncByteStream
) -> httpx.Response:
    return httpx.Response(
        response.status,
        headers=response.headers,
        stream=stream,
        extensions={"http_version": b"HTTP/1.1"},
    )


class FakeSyncTransport(httpx.BaseTransport):
    """``httpx.Client(transport=fake.sync_transport())``; latency uses ``time.sleep``."""

    def __init__(self, http: HTTPCore, client: str = "127.0.0.1") -> None:
        self._http = http
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._http.open(_head(request, self._client))
        if exchange.refused:
            raise _refused(request)
        assert isinstance(request.stream, httpx.SyncByteStream)
        for chunk in request.stream:
            exchange.feed(chunk)
        response = exchange.finish()
        if response.delay:
            time.sleep(response.delay)
        if response.action == "refuse":
            raise _refused(request)
        if response.action == "drop":
            raise _dropped(request)
        if response.action == "hang":
            raise _never_answered(request)
        return _to_httpx(response, _SyncBody(response))


class FakeAsyncTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncClient(transport=fake.async_transport())``; latency is awaited."""

    def __init__(self, http: HTTPCore, client: str = "127.0.0.1") -> None:
        self._http = http
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._http.open(_head(request, self._client))
        if exchange.refused:
            raise _refused(request)
        assert isinstance(request.stream, httpx.AsyncByteStream)
        async for chunk in request.stream:
            exchange.feed(chunk)
        if self._http.core.meter is not None:
            # Writes hold their answer for their cost: keep the event loop free.
            response = await asyncio.to_thread(exchange.finish)
        else:
            response = exchange.finish()
        if response.delay:
            await asyncio.sleep(response.delay)
        if response.action == "refuse":
            raise _refused(request)
        if response.action == "drop":
            raise _dropped(request)
        if response.action == "hang":
            raise _never_answered(request)
        return _to_httpx(response, _AsyncBody(response))
