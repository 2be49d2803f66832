"""The few I/O primitives that differ between the async and sync clients.

Code under ``wikijs/_async`` uses the ``Async*``/``async_*`` names;
``scripts/unasync`` rewrites them to the sync names below.
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")

AsyncLock = asyncio.Lock
Lock = threading.Lock
AsyncCondition = asyncio.Condition
Condition = threading.Condition


async def async_sleep(seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(seconds)


def sleep(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


monotonic = time.monotonic


async def async_gather_bounded(calls: Sequence[Callable[[], Awaitable[T]]], limit: int) -> list[T]:
    """Run the calls concurrently, at most ``limit`` at a time, results in order."""
    if len(calls) <= 1 or limit <= 1:
        return [await call() for call in calls]
    semaphore = asyncio.Semaphore(limit)

    async def bounded(call: Callable[[], Awaitable[T]]) -> T:
        async with semaphore:
            return await call()

    return list(await asyncio.gather(*(bounded(call) for call in calls)))


def gather_bounded(calls: Sequence[Callable[[], T]], limit: int) -> list[T]:
    """The sync twin: one call after the other."""
    return [call() for call in calls]


class AsyncLanes(Generic[T]):
    """Calls running at once, each result handed back as it finishes.

    ``async with AsyncLanes() as lanes``: :meth:`start` a call, :meth:`next_done`
    waits for whichever finishes first. Leaving the block (a failure,
    cancellation, Ctrl-C) cancels the calls still running.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Future[T]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, call: Callable[[], Awaitable[T]], *, alone: bool = False) -> None:
        """Run ``call`` beside the others (``alone`` matters to the sync twin only)."""
        self._tasks.add(asyncio.ensure_future(call()))

    async def next_done(self) -> T:
        """The result of the next call to finish (its exception, raised)."""
        done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
        task = min(done, key=id)
        self._tasks.discard(task)
        return task.result()

    async def __aenter__(self) -> AsyncLanes[T]:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        running, self._tasks = self._tasks, set()
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)


class Lanes(Generic[T]):
    """The sync twin of :class:`AsyncLanes`: each call in a thread of its own.

    The threads are daemons and hand their results over a queue that only
    the calling thread reads, so Ctrl-C (which reaches the calling thread)
    ends the batch at once, as it does for one request: the requests still
    in flight finish on the server, and their answers are dropped. A call
    started ``alone`` (nothing else in flight) runs in the calling thread.
    Each thread runs in a copy of the caller's context, so context-local
    settings (``bypass()``) hold in it.
    """

    def __init__(self) -> None:
        self._done: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
        self._running = 0

    def __len__(self) -> int:
        return self._running

    def start(self, call: Callable[[], T], *, alone: bool = False) -> None:
        """Run ``call`` in a thread (in this one when ``alone`` and nothing runs)."""
        if alone and not self._running:
            self._running += 1
            try:
                self._done.put((True, call()))
            except Exception as exc:  # handed back by next_done, as from a thread
                self._done.put((False, exc))
            return
        context = contextvars.copy_context()

        def run() -> None:
            try:
                outcome: tuple[bool, Any] = (True, context.run(call))
            except BaseException as exc:  # handed to the caller, raised there
                outcome = (False, exc)
            self._done.put(outcome)

        self._running += 1
        threading.Thread(target=run, name="wikijs-write-lane", daemon=True).start()

    def next_done(self) -> T:
        """The result of the next call to finish (its exception, raised)."""
        ok, value = self._done.get()
        self._running -= 1
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def __enter__(self) -> Lanes[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._running = 0  # threads still running finish on their own; nobody reads them
