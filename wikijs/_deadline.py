"""The total deadline of one HTTP exchange, beside the timeouts of each read.

A read timeout bounds silence; it does not bound a server that trickles a
byte every half second, an endless chunked body or a flood of ``1xx``
answers. The deadline bounds the whole exchange (until the answer is read,
or for a streamed download until its head has arrived):

- **async** (:class:`AsyncDeadline`): one timer per transport and event
  loop watches every request in flight and cancels the ones past their
  deadline, wherever they wait, whatever the HTTP library; the request then
  raises :class:`~wikijs.errors.RequestTimeoutError`. (An ``asyncio.timeout``
  per request would cost a timer and a context manager on every call.)
- **sync** (:class:`Deadline`): the deadline is a context variable. The
  connection pool the SDK builds reads through :class:`DeadlineBackend`,
  which shortens every connect, read and write to what is left of it;
  bodies are also checked between chunks (the only check an
  ``http_client=`` of your own gets).

``_async/`` code uses ``AsyncDeadline``; its derived sync twin uses
``Deadline`` (``scripts/unasync`` renames one to the other).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import httpcore

from .errors import RequestTimeoutError, TransportError

#: When the current sync exchange must be over (``time.monotonic()``), if bounded.
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
    """Raise once the current sync exchange's deadline has passed (between body chunks)."""
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


class AsyncDeadline:
    """Cancels a transport's requests that run past ``seconds`` (one timer for all).

    Around an exchange::

        watch = deadline.start()
        try:
            result = ...
        except BaseException as exc:
            if (error := deadline.stop(watch, exc, operation)) is not None:
                raise error from None
            raise
        deadline.stop(watch, None, operation)

    Requests are watched in the order they started; as all share one
    length, the first is always the next to expire, so one timer, set for
    it, serves them all.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._due: dict[asyncio.Task[Any], float] = {}
        self._expired: set[asyncio.Task[Any]] = set()
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> asyncio.Task[Any] | None:
        """Watch the current task; what :meth:`stop` takes."""
        if self.seconds is None:
            return None
        task = asyncio.current_task()
        if task is None:
            return None
        loop = task.get_loop()
        if loop is not self._loop:  # a client reused from another event loop
            self._loop, self._due, self._expired, self._timer = loop, {}, set(), None
        when = loop.time() + self.seconds
        self._due[task] = when
        if self._timer is None:
            self._timer = loop.call_at(when, self._check)
        return task

    def _check(self) -> None:
        self._timer = None
        loop = self._loop
        assert loop is not None
        now = loop.time()
        due = self._due
        while due:
            task, when = next(iter(due.items()))
            if when > now:
                self._timer = loop.call_at(when, self._check)
                return
            del due[task]
            self._expired.add(task)
            task.cancel()

    def stop(
        self, task: asyncio.Task[Any] | None, error: BaseException | None, operation: str | None
    ) -> RequestTimeoutError | None:
        """Stop watching; the error to raise instead of ``error`` if the deadline passed."""
        if task is None:
            return None
        self._due.pop(task, None)
        if task not in self._expired:
            return None
        self._expired.discard(task)
        uncancel = getattr(task, "uncancel", None)  # Python 3.11+
        if uncancel is not None:
            uncancel()
        assert self.seconds is not None
        return deadline_error(self.seconds, operation)


class Deadline:
    """Bounds the socket operations of a sync exchange (see the module docstring).

    Used like :class:`AsyncDeadline`: ``start()``, then ``stop()``.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds

    def start(self) -> tuple[Any, float] | None:
        if self.seconds is None:
            return None
        until = time.monotonic() + self.seconds
        return _DEADLINE.set(until), until

    def stop(
        self, watch: tuple[Any, float] | None, error: BaseException | None, operation: str | None
    ) -> RequestTimeoutError | None:
        if watch is None:
            return None
        token, until = watch
        _DEADLINE.reset(token)
        if isinstance(error, TransportError) and time.monotonic() >= until:
            assert self.seconds is not None
            return deadline_error(self.seconds, operation, request_sent=error.request_sent)
        return None


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
