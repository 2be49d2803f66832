"""The total deadline of one HTTP exchange, beside the timeouts of each read.

A read timeout bounds silence; it does not bound a server that trickles a
byte every half second, an endless chunked body or a flood of ``1xx``
answers. The deadline bounds the whole exchange (until the answer is read,
or for a streamed download until its head has arrived):

- **async**: the exchange runs under ``asyncio.timeout`` (``async_timeout``
  on Python 3.10): cancellation stops it wherever it waits, whatever the
  HTTP library.
- **sync**: the deadline is a context variable. The connection pool the
  SDK builds reads through :class:`DeadlineBackend`, which shortens every
  connect, read and write to what is left of it; bodies are also checked
  between chunks (the only check an ``http_client=`` of your own gets).

``_async/transport.py`` uses ``async_deadline``; its derived sync twin uses
``deadline`` (``scripts/unasync`` renames one to the other).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore

from .errors import RequestTimeoutError, TransportError

if sys.version_info >= (3, 11):
    from asyncio import timeout as _timeout
else:  # pragma: no cover - Python 3.10 (aiohttp depends on async-timeout there)
    from async_timeout import timeout as _timeout

#: When the current exchange must be over (``time.monotonic()``), if bounded.
_DEADLINE: ContextVar[float | None] = ContextVar("wikijs_deadline", default=None)


def deadline_error(
    seconds: float, operation: str | None, *, request_sent: bool = True
) -> RequestTimeoutError:
    where = "the server may have applied it" if request_sent else "it was never sent"
    return RequestTimeoutError(
        f"the request took longer than its deadline of {seconds:g}s ({where})",
        operation=operation,
        request_sent=request_sent,
    )


def check_deadline(operation: str | None) -> None:
    """Raise once the current exchange's deadline has passed (between body chunks)."""
    until = _DEADLINE.get()
    if until is not None and time.monotonic() >= until:
        raise RequestTimeoutError(
            "the request took longer than its deadline (the server may have applied it)",
            operation=operation,
        )


def _remaining(
    timeout: float | None, expired: type[Exception] = httpcore.ReadTimeout
) -> float | None:
    until = _DEADLINE.get()
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise expired("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


@asynccontextmanager
async def async_deadline(seconds: float | None, operation: str | None) -> AsyncIterator[None]:
    """Cancel what runs inside after ``seconds``; raise RequestTimeoutError then."""
    if seconds is None:
        yield
        return
    scope = _timeout(seconds)
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        async with scope:
            yield
    except asyncio.TimeoutError:
        expired = scope.expired
        if expired() if callable(expired) else expired:
            raise deadline_error(seconds, operation) from None
        raise
    finally:
        _DEADLINE.reset(token)


@contextmanager
def deadline(seconds: float | None, operation: str | None) -> Iterator[None]:
    """Bound the socket operations inside by ``seconds`` (see the module docstring)."""
    if seconds is None:
        yield
        return
    until = time.monotonic() + seconds
    token = _DEADLINE.set(until)
    try:
        yield
    except TransportError as exc:
        if time.monotonic() >= until:
            raise deadline_error(seconds, operation, request_sent=exc.request_sent) from exc
        raise
    finally:
        _DEADLINE.reset(token)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the current deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, _remaining(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, with connections that honour the deadline."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _remaining(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(
            self._backend.connect_unix_socket(
                path, _remaining(timeout, httpcore.ConnectTimeout), socket_options
            )
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def enforce_deadlines(transport: Any) -> bool:
    """Make an ``httpx.HTTPTransport`` the SDK built read through :class:`DeadlineBackend`.

    Returns whether it could (httpx keeps the pool in ``_pool``, httpcore its
    backend in ``_network_backend``; a future release may not).
    """
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(backend, httpcore.NetworkBackend):
        return False
    if not isinstance(backend, DeadlineBackend):
        pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
    return True


def async_enforce_deadlines(transport: Any) -> bool:
    """The async client needs nothing installed: the deadline cancels the exchange."""
    return True
