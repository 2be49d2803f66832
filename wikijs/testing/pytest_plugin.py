"""pytest fixtures for the fake Wiki.js.

Enable with ``pytest_plugins = ["wikijs.testing.pytest_plugin"]`` in your
top-level ``conftest.py``. Then::

    def test_publishes_the_changelog(wikijs_client):
        publish_changelog(wikijs_client)                  # your code under test
        page = wikijs_client.pages.get_by_path("changelog")
        assert page.is_published

    async def test_async_code(wikijs_async_client):
        page = await wikijs_async_client.pages.create(title="T", path="docs/t", content="x")
        assert (await wikijs_async_client.pages.get(page.id)).title == "T"

Fixtures (all function-scoped, so every test starts from an empty wiki):

``wikijs_fake``
    the :class:`~wikijs.testing.FakeWikiJS` itself: seed it, inject faults,
    advance its clock, read its request log.
``wikijs_client``
    a :class:`wikijs.WikiJSClient` talking to it in-process (no sockets),
    authenticated with the admin API key.
``wikijs_async_client``
    the same for :class:`wikijs.aio.AsyncWikiJSClient` (needs pytest-asyncio
    or anyio for async tests).
``wikijs_fake_server``
    the fake on a loopback port; yields its base URL, for code that builds
    its own client or talks HTTP directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from ._fake import FakeWikiJS

try:  # pytest-asyncio's strict mode only runs async fixtures it declared itself
    from pytest_asyncio import fixture as _async_fixture
except ImportError:  # pragma: no cover - anyio's plugin handles plain async fixtures
    _async_fixture = pytest.fixture  # type: ignore[assignment]

if TYPE_CHECKING:
    from .. import WikiJSClient
    from ..aio import AsyncWikiJSClient


@pytest.fixture
def wikijs_fake() -> Iterator[FakeWikiJS]:
    """A fresh in-memory fake Wiki.js, closed after the test."""
    fake = FakeWikiJS()
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture
def wikijs_fake_server(wikijs_fake: FakeWikiJS) -> Iterator[str]:
    """``wikijs_fake`` served on a loopback port; yields its base URL."""
    with wikijs_fake.serve() as url:
        yield url


@pytest.fixture
def wikijs_client(wikijs_fake: FakeWikiJS) -> Iterator[WikiJSClient]:
    """A ``WikiJSClient`` connected in-process to ``wikijs_fake`` as the admin."""
    from .. import WikiJSClient

    with WikiJSClient(
        wikijs_fake.url, auth=wikijs_fake.api_key, transport=wikijs_fake.sync_transport()
    ) as client:
        yield client


@_async_fixture
async def wikijs_async_client(wikijs_fake: FakeWikiJS) -> AsyncIterator[AsyncWikiJSClient]:
    """An ``AsyncWikiJSClient`` connected to ``wikijs_fake`` as the admin.

    It sends through aiohttp, as in production, to the fake served on a
    loopback socket in the test's event loop.
    """
    from ..aio import AsyncWikiJSClient

    async with AsyncWikiJSClient(
        wikijs_fake.url, auth=wikijs_fake.api_key, http_client=wikijs_fake.aiohttp_session
    ) as client:
        yield client
