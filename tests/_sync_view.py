"""SyncView: drive an async client with plain calls (its own module, so that
test folders with a conftest of their own can import it by name)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any


class SyncView:
    """Drive an async client (or one of its resources) with plain calls."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        from wikijs._async.resources._base import AsyncResource, AsyncWithRawResponse
        from wikijs.aio import AsyncWikiJSClient

        value = getattr(self._target, name)
        if isinstance(value, (AsyncResource, AsyncWithRawResponse)):
            return SyncView(value, self._loop)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if inspect.iscoroutine(result):
                return self._loop.run_until_complete(result)
            if inspect.isasyncgen(result):
                return self._iterate(result)
            if isinstance(result, AsyncWikiJSClient):  # a view (with_options)
                return SyncView(result, self._loop)
            return result

        return call

    def _iterate(self, agen: AsyncIterator[Any]) -> Iterator[Any]:
        while True:
            try:
                yield self._loop.run_until_complete(agen.__anext__())
            except StopAsyncIteration:
                return
