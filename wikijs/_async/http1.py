"""The async client's default path for GraphQL POSTs: lean HTTP/1.1 on asyncio.

Why it exists: at 100 concurrent requests, client CPU is what limits
throughput, and aiohttp's request machinery costs about 70 µs of it per
request (httpx's several times more; see ``docs/performance.md``). A GraphQL
call needs very little of that machinery: one origin, POST, a complete body,
keep-alive. This module does exactly that on an ``asyncio.Protocol`` in
about 15 µs, and leaves HTTP parsing — the part that must be exactly right —
to ``httptools`` (llhttp, the parser inside Node.js, which is also what
Wiki.js itself answers with).

Scope, on purpose: requests to the client's own origin, direct or over TLS.
When the environment sets a proxy for the wiki, or you pass
``http_backend="aiohttp"``/``"httpx"`` (or your own httpx client or
transport), requests take that path instead (``transport.py`` decides).
Async-only: ``scripts/unasync`` does not derive a sync twin.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
import time
import zlib
from collections.abc import Iterator, Mapping
from typing import Final
from urllib.parse import quote, urlsplit

import httptools

from .._config import ClientConfig
from .._core.transport import RawResponse, connection_lost
from ..errors import (
    ConnectError,
    ConnectionLostError,
    RequestTimeoutError,
    TransportError,
    ValidationError,
)

#: An idle connection is not reused after this many seconds (or a second
#: before the ``Keep-Alive: timeout=N`` the server announces, if sooner).
#: Node's HTTP server (Wiki.js) closes idle connections after 5 s; reusing one
#: just as the server closes it would fail a request that never got a chance.
KEEPALIVE_EXPIRY: Final = 4.0
_KEEP_ALIVE_TIMEOUT = re.compile(r"timeout\s*=\s*(\d+)", re.IGNORECASE)

# RFC 9110 token characters for header names; values may not break lines.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
# Characters a request target may carry as they are (RFC 3986 pchar, plus "/" and "%").
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


# Response headers that carry credentials (a renewed token, session cookies).
_SECRET_HEADERS = frozenset({"new-jwt", "set-cookie"})


class ResponseHeaders(Mapping[str, str]):
    """Response headers, looked up case-insensitively (repeats joined by ``, ``)."""

    __slots__ = ("_items",)

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        items: dict[str, str] = {}
        for name, value in raw:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            items[key] = f"{items[key]}, {text}" if key in items else text
        self._items = items

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._items.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        shown = {k: "<redacted>" if k in _SECRET_HEADERS else v for k, v in self._items.items()}
        return f"ResponseHeaders({shown!r})"


class _Lost(Exception):
    """The connection closed (or broke) before the answer was complete."""


class _BadHTTP(Exception):
    """The server's bytes are not a valid HTTP/1.1 answer."""


class _Answer:
    __slots__ = ("body", "headers", "keep_alive", "status")

    def __init__(
        self, status: int, headers: list[tuple[bytes, bytes]], body: bytes, keep_alive: bool
    ) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.keep_alive = keep_alive


class _Connection(asyncio.Protocol):
    """One keep-alive connection; at most one request in flight."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.lost: asyncio.Future[None] | None = None  # done once the socket is closed
        self.closed = False
        self.idle_since = 0.0
        self.expiry = KEEPALIVE_EXPIRY
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[_Answer] | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []
        self._headers_done = False
        self._length_known = False
        self._timeout: float | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_read = 0.0

    # -- asyncio.Protocol ------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.lost = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        if self._waiter is None:
            # Bytes nobody asked for: the connection's state is unknown.
            self.close()
            return
        if self._timeout is not None:
            self._last_read = asyncio.get_running_loop().time()
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(_BadHTTP(str(exc) or type(exc).__name__))
            self.close()

    def eof_received(self) -> bool:
        return False  # close the transport; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.lost is not None and not self.lost.done():
            self.lost.set_result(None)
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if self._headers_done and not self._length_known:
            # No Content-Length and not chunked: the body ends with the connection.
            self._complete(keep_alive=False)
        else:
            self._fail(_Lost(str(exc) if exc else "the server closed the connection"))

    # -- httptools callbacks ------------------------------------------------------

    def on_message_begin(self) -> None:
        if self._waiter is None:
            # A second answer in the same read: bytes nobody asked for.
            self.close()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))
        lowered = name.lower()
        if lowered == b"content-length" or (
            lowered == b"transfer-encoding" and b"chunked" in value.lower()
        ):
            self._length_known = True

    def on_headers_complete(self) -> None:
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self._parser.get_status_code() < 200:
            # An informational answer (100 Continue, 103 Early Hints): the real one follows.
            self._reset()
            return
        self._complete(keep_alive=self._parser.should_keep_alive())

    # -- requests ---------------------------------------------------------------

    async def request(self, data: bytes, timeout: float | None) -> _Answer:
        assert self.transport is not None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Answer] = loop.create_future()
        self._waiter = waiter
        self.transport.write(data)
        self._timeout = timeout
        if timeout is None:
            return await waiter
        # Like httpx's read timeout, the limit is on silence, not on the
        # whole answer: a large page arriving steadily is not cut off.
        self._last_read = now = loop.time()
        self._timer = loop.call_at(now + timeout, self._check_silence, waiter)
        try:
            return await waiter
        finally:
            self._timer.cancel()
            self._timer = None

    def _check_silence(self, waiter: asyncio.Future[_Answer]) -> None:
        if waiter.done() or self._timeout is None:
            return
        loop = asyncio.get_running_loop()
        deadline = self._last_read + self._timeout
        if loop.time() < deadline:
            self._timer = loop.call_at(deadline, self._check_silence, waiter)
        else:
            waiter.set_exception(TimeoutError())

    def usable(self, now: float) -> bool:
        return (
            not self.closed
            and self.transport is not None
            and not self.transport.is_closing()
            and now - self.idle_since < self.expiry
        )

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _complete(self, *, keep_alive: bool) -> None:
        waiter = self._waiter
        answer = _Answer(
            self._parser.get_status_code(), self._headers, b"".join(self._body), keep_alive
        )
        self._reset()
        self._waiter = None
        if waiter is not None and not waiter.done():
            waiter.set_result(answer)

    def _fail(self, exc: Exception) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def _reset(self) -> None:
        self._headers = []
        self._body = []
        self._headers_done = False
        self._length_known = False


def ssl_context(verify: bool | str | ssl.SSLContext) -> ssl.SSLContext:
    """The TLS context for ``verify``: the same trust store the sync (httpx) client uses."""
    if isinstance(verify, ssl.SSLContext):
        return verify  # yours, untouched: the protocol it negotiates is checked on connect
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif verify is True:
        import httpx

        # certifi's bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set, as in httpx
        context = httpx.create_ssl_context(verify=True)
    else:
        context = ssl.create_default_context(cafile=verify)
    context.set_alpn_protocols(["http/1.1"])
    return context


def _decode_body(body: bytes, encoding: str | None, operation: str) -> bytes:
    if not encoding or encoding == "identity":
        return body
    try:
        if encoding == "gzip":
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:  # raw deflate, without the zlib wrapper
                return zlib.decompress(body, -zlib.MAX_WBITS)
    except zlib.error as exc:
        raise TransportError(
            f"the server's {encoding} body does not decompress ({exc})", operation=operation
        ) from None
    raise TransportError(
        f"the server sent an unsupported Content-Encoding {encoding!r}", operation=operation
    )


class Http1Poster:
    """Keep-alive connections to one origin, sending POSTs with complete bodies.

    At most ``config.max_connections`` requests are in flight; the rest wait
    (up to the pool timeout). Connections belong to one event loop: a client
    reused from a new loop (``asyncio.run`` twice) starts a fresh pool.
    """

    def __init__(self, config: ClientConfig) -> None:
        parts = urlsplit(config.base_url)
        self._tls = parts.scheme == "https"
        host = parts.hostname or ""
        if not host.isascii():
            host = host.encode("idna").decode("ascii")  # an internationalised domain name
        self._host = host
        self._port = parts.port or (443 if self._tls else 80)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        shown = f"[{host}]" if ":" in host else host  # an IPv6 address
        self._host_header = shown if parts.port is None else f"{shown}:{parts.port}"
        self._verify = config.verify
        self._ssl: ssl.SSLContext | None = None
        timeout = config.timeout
        self._connect_timeout = timeout.connect
        self._read_timeout = timeout.read
        self._pool_timeout = timeout.pool
        self._limit = config.max_connections
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._idle: list[_Connection] = []
        self._targets: dict[str, bytes] = {}
        self._head: tuple[Mapping[str, str], bytes] | None = None
        self._expiries: dict[str, float] = {}
        self._closed = False

    async def post(
        self, url: str, content: bytes, headers: Mapping[str, str], operation: str
    ) -> RawResponse:
        loop = asyncio.get_running_loop()
        slots = self._slots
        if loop is not self._loop or slots is None:
            slots = self._bind(loop)
        data = self._request_bytes(url, headers, content, operation)
        if slots.locked() and self._pool_timeout is not None:
            try:
                await asyncio.wait_for(slots.acquire(), self._pool_timeout)
            except asyncio.TimeoutError:
                raise RequestTimeoutError(
                    "timed out waiting for a free connection in the pool",
                    operation=operation,
                    request_sent=False,
                ) from None
        else:
            await slots.acquire()
        try:
            connection = await self._connection(loop, operation)
            try:
                answer = await connection.request(data, self._read_timeout)
            except BaseException as exc:
                connection.close()  # its state is unknown now
                error = _request_error(exc, operation)
                if error is None:
                    raise  # cancellation and anything unexpected travel unchanged
                raise error from exc
        finally:
            slots.release()
        response_headers = ResponseHeaders(answer.headers)
        if answer.keep_alive and not connection.closed and not self._closed:
            connection.expiry = self._expiry(response_headers.get("keep-alive"))
            connection.idle_since = time.monotonic()
            self._idle.append(connection)
        else:
            connection.close()
        body = _decode_body(answer.body, response_headers.get("content-encoding"), operation)
        return RawResponse(answer.status, response_headers, body)

    async def aclose(self) -> None:
        """Close the idle connections and wait until their sockets are shut."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            with contextlib.suppress(RuntimeError):  # its loop may already be gone
                connection.close()
        if self._loop is asyncio.get_running_loop():
            closing = [c.lost for c in idle if c.lost is not None and not c.lost.done()]
            if closing:
                # a TLS close is a short exchange with the server; do not hang on it
                await asyncio.wait(closing, timeout=self._connect_timeout or 5.0)

    # -- internals ----------------------------------------------------------------

    def _expiry(self, keep_alive: str | None) -> float:
        if keep_alive is None:
            return KEEPALIVE_EXPIRY
        cached = self._expiries.get(keep_alive)
        if cached is None:
            match = _KEEP_ALIVE_TIMEOUT.search(keep_alive)
            cached = KEEPALIVE_EXPIRY
            if match:
                cached = min(cached, max(0.0, int(match.group(1)) - 1.0))
            if len(self._expiries) < 16:
                self._expiries[keep_alive] = cached
        return cached

    def _bind(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        # Connections from another (finished) loop cannot be used here.
        for connection in self._idle:
            with contextlib.suppress(RuntimeError):
                connection.close()
        self._idle = []
        self._loop = loop
        self._closed = False
        self._slots = asyncio.Semaphore(self._limit)
        return self._slots

    async def _connection(self, loop: asyncio.AbstractEventLoop, operation: str) -> _Connection:
        idle = self._idle
        if idle:
            now = time.monotonic()
            while idle:
                connection = idle.pop()
                if connection.usable(now):
                    return connection
                connection.close()
        return await self._connect(loop, operation)

    async def _connect(self, loop: asyncio.AbstractEventLoop, operation: str) -> _Connection:
        tls: ssl.SSLContext | None = None
        if self._tls:
            tls = self._ssl
            if tls is None:
                tls = self._ssl = ssl_context(self._verify)
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(
                    _Connection,
                    self._host,
                    self._port,
                    ssl=tls,
                    server_hostname=self._host if tls is not None else None,
                ),
                self._connect_timeout,
            )
        except asyncio.TimeoutError:
            raise RequestTimeoutError(
                f"timed out connecting to {self._host_header}",
                operation=operation,
                request_sent=False,
            ) from None
        except ssl.SSLError as exc:
            raise ConnectError(
                f"TLS with {self._host_header} failed ({exc})", operation=operation
            ) from exc
        except OSError as exc:
            raise ConnectError(
                f"cannot connect to {self._host_header} ({exc.strerror or exc})",
                operation=operation,
            ) from exc
        if tls is not None:
            assert connection.transport is not None
            tls_object = connection.transport.get_extra_info("ssl_object")
            protocol = tls_object.selected_alpn_protocol() if tls_object is not None else None
            if protocol not in (None, "http/1.1"):
                # an SSLContext of yours that offers h2, and a server that took it
                connection.close()
                raise ConnectError(
                    f"{self._host_header} chose {protocol} over TLS, which this path does "
                    'not speak; pass http_backend="httpx" or an SSLContext without h2 in ALPN',
                    operation=operation,
                )
        return connection

    def _request_bytes(
        self, url: str, headers: Mapping[str, str], content: bytes, operation: str
    ) -> bytes:
        request_line = self._targets.get(url)
        if request_line is None:
            request_line = self._request_line(url, operation)
        cached = self._head
        if cached is None or cached[0] is not headers:
            # The pipeline passes the same mapping while the token stays the
            # same, so the header block is encoded (and checked) once per token.
            cached = self._head = (headers, _encode_headers(headers, operation))
        length = str(len(content)).encode("ascii")
        return b"".join(
            (request_line, cached[1], b"Content-Length: ", length, b"\r\n\r\n", content)
        )

    def _request_line(self, url: str, operation: str) -> bytes:
        """``POST /path HTTP/1.1`` and the Host header, for a URL on this origin."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self._origin:
            raise ValidationError(
                f"this connection pool only serves {self._origin}, not {url!r}",
                operation=operation,
            )
        # Percent-encode what may not appear raw (spaces, non-ASCII, controls), as httpx does.
        path = quote(parts.path or "/", safe=_PATH_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_PATH_SAFE + "?")
        line = f"POST {path} HTTP/1.1\r\nHost: {self._host_header}\r\n".encode("ascii")
        if len(self._targets) < 64:
            self._targets[url] = line
        return line


def _encode_headers(headers: Mapping[str, str], operation: str) -> bytes:
    lines: list[bytes] = []
    names: set[str] = set()
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in ("host", "content-length", "transfer-encoding", "connection"):
            continue  # the poster writes these itself
        if not _TOKEN.fullmatch(name) or _BAD_VALUE.search(value):
            raise ValidationError(
                f"header {name!r} has a name or value that cannot be sent",
                operation=operation,
            )
        try:
            lines.append(f"{name}: {value}\r\n".encode("latin-1"))
        except UnicodeEncodeError:
            raise ValidationError(
                f"header {name!r} has characters outside Latin-1", operation=operation
            ) from None
        names.add(lowered)
    if "accept-encoding" not in names:
        lines.append(b"Accept-Encoding: gzip, deflate\r\n")
    return b"".join(lines)


def _request_error(exc: BaseException, operation: str) -> TransportError | None:
    if isinstance(exc, TimeoutError):
        return RequestTimeoutError("timed out waiting for the server", operation=operation)
    if isinstance(exc, _Lost):
        return connection_lost(str(exc), operation)
    if isinstance(exc, _BadHTTP):
        return ConnectionLostError(
            f"the server's answer is not valid HTTP ({exc}); "
            "the server may or may not have applied the request",
            operation=operation,
        )
    return None
