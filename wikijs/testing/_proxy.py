"""A fault-injecting HTTP/1.1 reverse proxy on loopback, for resilience tests against any wiki.

The proxy runs an asyncio loop in a background thread. Requests are parsed by
h11 (httpx's own HTTP/1.1 parser, so always installed) and forwarded by an
``httpx.AsyncClient``, whose trace hook tells when a request has been written
upstream. Faults come from the same :class:`FaultInjector` as the fake's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import socket
import threading
import time
from collections import deque
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any, TypeVar

import h11
import httpx

from ._faults import Fault, FaultInjector
from ._graphql import describe, operation_of

# Never passed on: they describe one connection, not the message (RFC 9110
# §7.6.1), or are recomputed (host, content-length).
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
_SENT = "http11.send_request_body.complete"  # httpcore's trace event
_T = TypeVar("_T")


@dataclass(frozen=True)
class ProxyRecord:
    """One request as :class:`FaultProxy` handled it (``proxy.records``).

    Attributes:
        method: the request method.
        path: the request path, without the query string.
        operation_names: GraphQL operation names in a JSON body (one per
            item of a batch array).
        fields: the ``namespace.field``s they select (``pages.create``).
        fault: the fault applied, or ``None``.
        forwarded: the request was sent on to the upstream server, which may
            have acted on it.
        upstream_status: the upstream's answer; ``None`` if the request was
            not forwarded, failed upstream, or is still in flight.
        status: what the client was answered; ``None`` when it got no answer
            (dropped, or it gave up during a stall).
        upstream_seconds: how long the upstream took to answer.
    """

    method: str
    path: str
    operation_names: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    fault: Fault | None = None
    forwarded: bool = False
    upstream_status: int | None = None
    status: int | None = None
    upstream_seconds: float | None = None


@dataclass
class _Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    keep_alive: bool


class _Parsed:
    """Complete requests off one connection, in arrival order (parsed by h11)."""

    def __init__(self) -> None:
        self._connection = h11.Connection(h11.SERVER)
        self.done: deque[_Request] = deque()
        self._head: h11.Request | None = None
        self._body = bytearray()

    def feed_data(self, data: bytes) -> None:
        """Parse ``data``; raises ``h11.RemoteProtocolError`` on a malformed request."""
        self._connection.receive_data(data)
        while True:
            event = self._connection.next_event()
            if event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                return
            if event is h11.PAUSED:
                # One request is complete; h11 waits for its answer, which the
                # proxy writes itself. The bytes after it start the next one.
                rest, _ = self._connection.trailing_data
                self._connection = h11.Connection(h11.SERVER)
                if not rest:
                    return
                self._connection.receive_data(rest)
            elif isinstance(event, h11.Request):
                self._head, self._body = event, bytearray()
            elif isinstance(event, h11.Data):
                self._body += event.data
            elif isinstance(event, h11.EndOfMessage) and self._head is not None:
                head = self._head
                self.done.append(
                    _Request(
                        head.method.decode("ascii"),
                        head.target.decode("latin-1"),
                        [(k.decode("latin-1"), v.decode("latin-1")) for k, v in head.headers],
                        bytes(self._body),
                        _keep_alive(head),
                    )
                )
                self._head, self._body = None, bytearray()


def _keep_alive(head: h11.Request) -> bool:
    """HTTP/1.1 keeps the connection unless told to close; 1.0 only when asked."""
    tokens = {
        token.strip().lower()
        for name, value in head.headers
        if name == b"connection"
        for token in value.split(b",")
    }
    if head.http_version == b"1.0":
        return b"keep-alive" in tokens
    return b"close" not in tokens


def graphql_names(request: _Request) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Operation names and ``namespace.field``s of a JSON GraphQL body (single or batch)."""
    try:
        payload = json.loads(request.body) if request.body else None
    except ValueError:
        return (), ()
    operations: list[str] = []
    fields: list[str] = []
    for item in payload if isinstance(payload, list) else [payload]:
        if isinstance(item, dict) and isinstance(item.get("query"), str):
            name = item.get("operationName")
            operation = operation_of(item["query"], name if isinstance(name, str) else None)
            if operation is not None:
                if operation.name is not None:
                    operations.append(operation.name.value)
                fields.extend(describe(operation))
    return tuple(operations), tuple(fields)


def _head(status: int, headers: list[tuple[str, str]], length: int, keep_alive: bool) -> bytes:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers)]
    lines.append(f"content-length: {length}")
    lines.append("connection: " + ("keep-alive" if keep_alive else "close"))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class FaultProxy:
    """A loopback HTTP/1.1 reverse proxy that injects faults in front of a wiki.

    Point a client at ``proxy.url`` instead of the wiki's URL; requests are
    forwarded to ``upstream`` (a real Wiki.js or ``FakeWikiJS.serve()``)
    unless a fault says otherwise. Faults use the fake's vocabulary
    (:class:`Fault`), scripted or drawn at random from a seeded generator:

    * ``Fault.http(502)``, ``Fault.http(429, retry_after=1)``: answered by
      the proxy, never forwarded;
    * ``Fault.refuse()``: the connection is closed without forwarding
      ("drop before");
    * ``Fault.drop_after()``: forwarded, the upstream's answer awaited, then
      the connection is closed unanswered (the write landed);
      ``drop_after(wait=False)`` closes as soon as the request is forwarded;
    * ``Fault.stall(seconds)``: forwarded, then the answer is held for
      ``seconds`` (``math.inf``: never sent; the client's timeout ends it).

    Every request is recorded (:class:`ProxyRecord`): operation names, the
    fault, whether it was forwarded, the upstream's status.

    Example::

        with FakeWikiJS() as fake, fake.serve() as upstream, FaultProxy(upstream) as proxy:
            proxy.faults.push(Fault.http(502))                   # the next request
            proxy.faults.set_rate(0.2, [Fault.drop_after(), Fault.stall(math.inf)], seed=7)
            client = WikiJSClient(proxy.url, auth=fake.api_key, timeout=1)
            ...
            proxy.wait_idle()                                    # forwards all finished
            print([r.fault for r in proxy.records if r.forwarded])

    Args:
        upstream: the wiki's base URL.
        host: the interface to listen on.
        port: the port (``0``: any free one).
        upstream_timeout: seconds to wait for the upstream (real page writes
            take seconds).
    """

    def __init__(
        self,
        upstream: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        upstream_timeout: float = 300.0,
    ) -> None:
        self.upstream: str = upstream.rstrip("/")
        self.faults: FaultInjector = FaultInjector()
        self._timeout = upstream_timeout
        self._sock = socket.create_server((host, port))
        bound_host, bound_port = self._sock.getsockname()[:2]
        self.url: str = f"http://{bound_host}:{bound_port}"
        self._records: list[ProxyRecord] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    # -- public ------------------------------------------------------------------

    @property
    def records(self) -> list[ProxyRecord]:
        """Every request so far, in arrival order."""
        with self._lock:
            return list(self._records)

    def reset_log(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._records.clear()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no forwarded request is waiting for the upstream.

        Returns ``False`` if ``timeout`` seconds passed first.
        """
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def start(self) -> FaultProxy:
        """Start serving in a background thread (``with FaultProxy(...)`` does it)."""
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), daemon=True)
        self._thread.start()
        if not self._started.wait(timeout=10):
            raise RuntimeError(f"the fault proxy in front of {self.upstream} did not start")
        return self

    def stop(self) -> None:
        """Close every connection, abandon upstream requests in flight, stop the thread."""
        if self._loop is not None and self._stop is not None and self._thread is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"FaultProxy({self.url} -> {self.upstream})"

    # -- the loop ----------------------------------------------------------------

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        client = httpx.AsyncClient(base_url=self.upstream, timeout=self._timeout)
        client.headers.clear()  # send the client's headers, not httpx's defaults
        server = await asyncio.start_server(
            lambda r, w: self._connection(client, r, w), sock=self._sock
        )
        self._started.set()
        try:
            await self._stop.wait()
        finally:
            server.close()
            for writer in list(self._writers):
                writer.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await client.aclose()
            with self._idle:
                self._in_flight = 0
                self._idle.notify_all()

    def _spawn(self, coroutine: Coroutine[Any, Any, _T]) -> asyncio.Task[_T]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _connection(
        self, client: httpx.AsyncClient, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        current = asyncio.current_task()
        if current is not None:
            self._tasks.add(current)
            current.add_done_callback(self._tasks.discard)
        self._writers.add(writer)
        parsed = _Parsed()
        try:
            while data := await reader.read(65536):
                try:
                    parsed.feed_data(data)
                except h11.RemoteProtocolError:
                    writer.write(_head(400, [], 0, keep_alive=False))
                    return
                while parsed.done:
                    if not await self._exchange(client, parsed.done.popleft(), reader, writer):
                        return
        except ConnectionError:
            pass  # the client went away
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        request: _Request,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        """Handle one request; ``False`` when the connection must close."""
        path = request.target.split("?", 1)[0]
        operations, fields = graphql_names(request)
        fault = self.faults.take_for_body(path, [*operations, *fields]) if operations else None
        fault = fault or self.faults.take_for_head(path)
        with self._lock:
            index = len(self._records)
            self._records.append(ProxyRecord(request.method, path, operations, fields, fault))

        if fault is not None and fault.kind == "refuse":
            return False
        if fault is not None and fault.kind == "http":
            headers = [("content-type", "text/plain"), *fault.headers]
            self._update(index, status=fault.status)
            await self._answer(writer, request, fault.status, headers, fault.body)
            return request.keep_alive

        sent = asyncio.Event()
        forward = self._spawn(self._forward(client, request, index, sent))
        if fault is not None and fault.kind == "drop_after" and not fault.wait:
            waiter = asyncio.ensure_future(sent.wait())
            await asyncio.wait([forward, waiter], return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            return False
        answer = await forward
        if fault is not None and fault.kind == "drop_after":
            return False
        if fault is not None and fault.kind == "stall" and not await _hold(reader, fault.delay):
            return False
        status, headers, body = answer
        self._update(index, status=status)
        await self._answer(writer, request, status, headers, body)
        return request.keep_alive

    async def _forward(
        self, client: httpx.AsyncClient, request: _Request, index: int, sent: asyncio.Event
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Send the request upstream; a failure there becomes a 502, as in any proxy."""

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event == _SENT:
                sent.set()

        headers = [(k, v) for k, v in request.headers if k.lower() not in _HOP_BY_HOP]
        outgoing = client.build_request(
            request.method,
            request.target,
            headers=headers,
            content=request.body,
            extensions={"trace": trace},
        )
        with self._idle:
            self._in_flight += 1
        started = time.monotonic()
        try:
            self._update(index, forwarded=True)
            response = await client.send(outgoing, stream=True)
            try:
                body = b"".join([chunk async for chunk in response.aiter_raw()])
            finally:
                await response.aclose()
            # Recorded before the forward counts as finished: wait_idle() promises it.
            self._update(
                index,
                upstream_status=response.status_code,
                upstream_seconds=time.monotonic() - started,
            )
        except httpx.HTTPError as exc:
            if isinstance(exc, httpx.ConnectError):
                self._update(index, forwarded=False)
            return 502, [("content-type", "text/plain")], f"upstream failed: {exc!r}".encode()
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()
        kept = [(k, v) for k, v in response.headers.multi_items() if k not in _HOP_BY_HOP]
        return response.status_code, kept, body

    async def _answer(
        self,
        writer: asyncio.StreamWriter,
        request: _Request,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> None:
        writer.write(_head(status, headers, len(body), request.keep_alive) + body)
        await writer.drain()

    def _update(self, index: int, **changes: Any) -> None:
        with self._lock:
            if index < len(self._records):  # reset_log() may have cleared it
                self._records[index] = replace(self._records[index], **changes)


async def _hold(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Wait ``seconds`` (``inf``: for ever) unless the client hangs up; ``True`` if it stayed."""
    try:
        # A waiting HTTP/1.1 client sends nothing: any read result means it left.
        await asyncio.wait_for(reader.read(1), None if math.isinf(seconds) else seconds)
    except asyncio.TimeoutError:
        return True
    except ConnectionError:
        pass
    return False
