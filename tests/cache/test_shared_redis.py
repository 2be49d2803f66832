"""Several processes sharing one RedisCache, and Redis going away under a client."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from conftest_redis import RedisServer

from wikijs import WikiJSClient
from wikijs.aio import AsyncWikiJSClient
from wikijs.cache import RedisCache
from wikijs.testing import FakeWikiJS

from .conftest import Clock, cache_warnings
from .test_client import sent

pytestmark = pytest.mark.redis

WRITER = textwrap.dedent(
    """
    import sys
    from wikijs import WikiJSClient
    from wikijs.cache import RedisCache

    url, api_key, redis_url, page_id, content = sys.argv[1:]
    cache = RedisCache(url=redis_url, key_prefix="shared:")
    with WikiJSClient(url, auth=api_key, cache=cache) as client:
        client.pages.update(int(page_id), content=content)
    """
)


@pytest.fixture
def served(fake: FakeWikiJS) -> Iterator[str]:
    with fake.serve() as url:
        yield url


def test_a_write_in_another_process_invalidates_this_one(
    fake: FakeWikiJS, served: str, redis_url: str
) -> None:
    page_id = fake.add_page("docs/shared", content="from A's cache").id
    cache = RedisCache(url=redis_url, key_prefix="shared:")
    with WikiJSClient(served, auth=fake.api_key, cache=cache) as client:
        assert client.pages.get(page_id).content == "from A's cache"
        assert client.pages.get(page_id).content == "from A's cache"
        assert sent(fake, "GetPage") == 1

        subprocess.run(
            [sys.executable, "-c", WRITER, served, fake.api_key, redis_url, str(page_id), "by B"],
            check=True,
            timeout=60,
        )
        assert client.pages.get(page_id).content == "by B"


def test_stopping_redis_makes_calls_slower_not_failing(
    fake: FakeWikiJS, restartable_redis: RedisServer, clock: Clock
) -> None:
    page_id = fake.add_page("docs/outage", content="v1").id
    cache = RedisCache(url=restartable_redis.url, retry_interval=5, clock=clock)
    with WikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.sync_transport(), cache=cache
    ) as c:
        c.pages.get(page_id)
        c.pages.get(page_id)
        assert sent(fake, "GetPage") == 1

        restartable_redis.stop()
        with cache_warnings() as caught:
            assert c.pages.get(page_id).content == "v1"
            c.pages.update(page_id, content="v2")
            assert c.pages.get(page_id).content == "v2"
            assert c.pages.get(page_id).content == "v2"
        assert len(caught) == 1
        assert sent(fake, "GetPage") == 6  # every read went to the server

        restartable_redis.start()
        clock.advance(5)
        c.pages.get(page_id)
        assert c.pages.get(page_id).content == "v2"
        assert sent(fake, "GetPage") == 7  # caching resumed


async def test_stopping_redis_under_the_async_client(
    fake: FakeWikiJS, restartable_redis: RedisServer, clock: Clock
) -> None:
    page_id = fake.add_page("docs/outage", content="v1").id
    cache = RedisCache(url=restartable_redis.url, retry_interval=5, clock=clock)
    async with AsyncWikiJSClient(
        fake.url, auth=fake.api_key, transport=fake.async_transport(), cache=cache
    ) as c:
        await c.pages.get(page_id)
        restartable_redis.stop()
        with cache_warnings():
            await c.pages.update(page_id, content="v2")
            assert (await c.pages.get(page_id)).content == "v2"
        restartable_redis.start()
        clock.advance(5)
        await c.pages.get(page_id)
        before = sent(fake, "GetPage")
        assert (await c.pages.get(page_id)).content == "v2"
        assert sent(fake, "GetPage") == before
    await cache.aclose()
