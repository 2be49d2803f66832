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
  connection pool the SDK builds reads through a network backend that
  honours it (``httpx_deadline.py``),
  which shortens every connect, read and write to what is left of it;
  bodies are also checked between chunks (the only check an
  ``http_client=`` of your own gets).

``_async/`` code uses ``AsyncDeadline``; its derived sync twin uses
``Deadline`` (``scripts/unasync`` renames one to the other).
"""

from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar
from typing import Any

from ..errors import RequestTimeoutError, TransportError

#: When the current sync exchange must be over (``time.monotonic()``), if bounded.
DEADLINE: ContextVar[float | None] = ContextVar("wikijs_deadline", default=None)


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
    until = DEADLINE.get()
    if until is not None and time.monotonic() >= until:
        raise RequestTimeoutError(
            "the request took longer than its deadline (the server may have applied it)",
            operation=operation,
        )


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
        return DEADLINE.set(until), until

    def stop(
        self, watch: tuple[Any, float] | None, error: BaseException | None, operation: str | None
    ) -> RequestTimeoutError | None:
        if watch is None:
            return None
        token, until = watch
        DEADLINE.reset(token)
        if isinstance(error, TransportError) and time.monotonic() >= until:
            assert self.seconds is not None
            return deadline_error(self.seconds, operation, request_sent=error.request_sent)
        return None
