"""wikijs.cache's public names, and custom credentials without a cache identity."""

from __future__ import annotations

import wikijs.cache
from wikijs import WikiJSClient
from wikijs.auth import Auth
from wikijs.cache import MemoryCache
from wikijs.testing import FakeWikiJS

from .test_client import sent


def test_all_is_sorted_and_complete() -> None:
    exported = wikijs.cache.__all__
    assert exported == sorted(exported)
    for name in exported:
        assert hasattr(wikijs.cache, name)
    assert {"MemoryCache", "FileCache", "RedisCache", "CacheBackend", "CacheStats"} <= set(exported)


class HeaderAuth(Auth):
    """Credentials that do not say whom they act as."""

    def __init__(self, token: str) -> None:
        self.token = token

    def bearer_token(self) -> str | None:
        return self.token


def test_credentials_without_an_identity_are_never_cached(fake: FakeWikiJS) -> None:
    page = fake.add_page("docs/anon", content="x")
    auth = HeaderAuth(fake.api_key)
    with WikiJSClient(
        fake.url, auth=auth, transport=fake.sync_transport(), cache=MemoryCache()
    ) as client:
        client.pages.get(page.id)
        client.pages.get(page.id)
    assert sent(fake, "GetPage") == 2
