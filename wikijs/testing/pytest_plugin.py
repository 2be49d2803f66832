"""pytest fixtures for the fake Wiki.js.

Enable with ``pytest_plugins = ["wikijs.testing.pytest_plugin"]`` in your
top-level ``conftest.py``.

Example:
    >>> def test_lists_pages(wikijs_fake):
    ...     wikijs_fake.add_page("docs/hello", title="Hello")
    ...     client = WikiJSClient(wikijs_fake.url, auth=wikijs_fake.api_key,
    ...                           transport=wikijs_fake.sync_transport())
    ...     assert [p.title for p in client.pages.list()] == ["Hello"]
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._fake import FakeWikiJS


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
