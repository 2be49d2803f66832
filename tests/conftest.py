"""Shared fixtures: a fresh fake Wiki.js per test, and both clients wired to it
beneath the HTTP library each uses in production: httpx in-process for the
sync client, aiohttp over a loopback socket in the test's event loop for the
async one (``FakeWikiJS.aiohttp_session``).

``wiki`` is the sync client, or the async client seen through
:class:`SyncView`, which runs each coroutine (and each step of an async
iterator) on a private event loop: a behaviour test taking ``wiki`` runs
twice, exercising both the written-once async code and its derived sync twin.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient
    from wikijs.testing import FakeWikiJS


@pytest.fixture
def fake() -> Iterator[FakeWikiJS]:
    from wikijs.testing import FakeWikiJS

    server = FakeWikiJS()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def client(fake: FakeWikiJS) -> Iterator[WikiJSClient]:
    from wikijs import WikiJSClient

    with WikiJSClient(fake.url, auth=fake.api_key, transport=fake.sync_transport()) as c:
        yield c


@pytest.fixture
async def aclient(fake: FakeWikiJS) -> AsyncIterator[AsyncWikiJSClient]:
    from wikijs.aio import AsyncWikiJSClient

    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, http_client=fake.aiohttp_session
    ) as c:
        yield c


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
    aclient = AsyncWikiJSClient(fake.url, auth=fake.api_key, http_client=fake.aiohttp_session)
    try:
        yield SyncView(aclient, loop)
    finally:
        loop.run_until_complete(aclient.aclose())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.fixture(params=["sync", "async"])
def make_wiki(request: pytest.FixtureRequest, fake: FakeWikiJS) -> Iterator[Any]:
    """Build clients of ``fake`` with options, like ``wiki`` (sync, or async through SyncView)."""
    from wikijs import WikiJSClient
    from wikijs.aio import AsyncWikiJSClient

    loop = asyncio.new_event_loop()
    closers: list[Any] = []

    def build(**options: Any) -> Any:
        options.setdefault("auth", fake.api_key)
        if request.param == "sync":
            client = WikiJSClient(fake.url, transport=fake.sync_transport(), **options)
            closers.append(client.close)
            return client
        aclient = AsyncWikiJSClient(fake.url, http_client=fake.aiohttp_session, **options)
        closers.append(lambda: loop.run_until_complete(aclient.aclose()))
        return SyncView(aclient, loop)

    try:
        yield build
    finally:
        for close in closers:
            close()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
