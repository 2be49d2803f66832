"""The few I/O primitives that differ between the async and sync clients.

Code under ``wikijs/_async`` uses the ``Async*``/``async_*`` names;
``scripts/unasync`` rewrites them to the sync names below.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

AsyncLock = asyncio.Lock
Lock = threading.Lock


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
