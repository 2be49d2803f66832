"""Shared fixtures: a fresh fake Wiki.js per test, and both clients wired to it
in-process (no sockets). Backoff and waits are zero in tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

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
        fake.url, auth=fake.api_key, transport=fake.async_transport()
    ) as c:
        yield c
