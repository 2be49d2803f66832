"""The few I/O primitives that differ between the async and sync clients.

Code under ``wikijs/_async`` uses the ``Async*``/``async_*`` names;
``scripts/unasync`` rewrites them to the sync names below.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar, Union

if TYPE_CHECKING:
    import aiohttp
    import httpx

T = TypeVar("T")

AsyncLock = asyncio.Lock
Lock = threading.Lock

# The deprecated ``http_backend=`` (see ``_async/transport.py:build_transport``).
AsyncHttpBackend = Literal["auto", "builtin", "aiohttp", "httpx"]
HttpBackend = AsyncHttpBackend
HTTP_BACKENDS = ("auto", "builtin", "aiohttp", "httpx")

# What ``http_client=`` and ``transport=`` accept: the async client sends
# through aiohttp (a session, or a factory called in the running loop) or
# httpx; the sync client through httpx.
AsyncHttpClient = Union[
    "httpx.AsyncClient", "aiohttp.ClientSession", Callable[[], "aiohttp.ClientSession"]
]
HttpClient = Union["httpx.Client"]
AsyncHttpTransport = Union["httpx.AsyncBaseTransport"]
HttpTransport = Union["httpx.BaseTransport"]


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
