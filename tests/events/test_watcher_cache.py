"""A watcher polling through a cached client still sees every change."""

from __future__ import annotations

from wikijs import WikiJSClient
from wikijs.cache import MemoryCache
from wikijs.events import Watcher
from wikijs.testing import FakeWikiJS


def test_a_cached_client_does_not_hide_changes(fake: FakeWikiJS) -> None:
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), cache=MemoryCache(ttl=3600)
    ) as client:
        watcher = Watcher(client, interval=0)
        assert watcher.poll() == []
        client.pages.list()  # warm the cache with the current listing
        fake.add_page("docs/new", title="New", content="x")  # a change made elsewhere
        events = watcher.poll()
        assert [(e.type, e.page.path) for e in events] == [("page.created", "docs/new")]
