"""Fixtures for the resource tests: one test body, both clients.

``wiki`` is the sync client, or the async client seen through
:class:`SyncView`, which runs each coroutine (and each step of an async
iterator) on a private event loop. Every behaviour test taking ``wiki`` runs
twice, so both the written-once async resources and their derived sync twins
are exercised.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from wikijs.testing import FakeWikiJS


class SyncView:
    """Drive an async client (or one of its resources) with plain calls."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        from wikijs._async.resources._base import AsyncResource

        value = getattr(self._target, name)
        if isinstance(value, AsyncResource):
            return SyncView(value, self._loop)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if inspect.iscoroutine(result):
                return self._loop.run_until_complete(result)
            if inspect.isasyncgen(result):
                return self._iterate(result)
            return result

        return call

    def _iterate(self, agen: AsyncIterator[Any]) -> Iterator[Any]:
        while True:
            try:
                yield self._loop.run_until_complete(agen.__anext__())
            except StopAsyncIteration:
                return


@pytest.fixture(params=["sync", "async"])
def wiki(request: pytest.FixtureRequest, fake: FakeWikiJS) -> Iterator[Any]:
    """A client of ``fake``: the sync one, or the async one through SyncView."""
    if request.param == "sync":
        from wikijs import WikiJSClient

        with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as client:
            yield client
        return
    from wikijs.aio import AsyncWikiJSClient

    loop = asyncio.new_event_loop()
    aclient = AsyncWikiJSClient(fake.url, auth=fake.api_key, transport=fake.async_transport())
    try:
        yield SyncView(aclient, loop)
    finally:
        loop.run_until_complete(aclient.aclose())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
