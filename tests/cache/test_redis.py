"""RedisCache against a real redis-server: sharing, prefixes, outages, restarts."""

from __future__ import annotations

import asyncio
import sys
import time
import warnings

import pytest
import redis
from conftest_redis import RedisServer

from wikijs._protocol.cache_keys import ALL
from wikijs.cache import CacheWarning, RedisCache

from .conftest import Clock, cache_warnings

pytestmark = pytest.mark.redis

TAGS = (ALL, "page:1")


def raw(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def test_entries_and_tag_versions_expire_in_redis(redis_url: str) -> None:
    cache = RedisCache(url=redis_url, ttl=600, key_prefix="t:")
    cache.set("a", 1)
    cache.set("b", 1, ttl=5)
    cache.invalidate("page:1")
    server = raw(redis_url)
    assert 599_000 < server.pttl("t:a") <= 600_000
    assert 4_000 < server.pttl("t:b") <= 5_000
    assert 1_259_000 < server.pttl("t:_v:page:1") <= 1_260_000  # 2 * ttl + 60
    assert server.pttl("t:_clock") == -1  # the clock never expires
    clock = int(server.get("t:_clock"))  # type: ignore[arg-type]
    seconds, micros = server.time()
    assert abs(clock - (seconds * 1_000_000 + micros)) < 60_000_000
    assert server.get("t:_v:page:1") == server.get("t:_clock")
    cache.close()


def test_without_ttl_nothing_expires(redis_url: str) -> None:
    cache = RedisCache(url=redis_url, ttl=None, key_prefix="t:")
    cache.set("a", 1)
    cache.invalidate("page:1")
    server = raw(redis_url)
    assert server.pttl("t:a") == -1
    assert server.pttl("t:_v:page:1") == -1


def test_two_processes_share_entries_and_invalidation(redis_url: str) -> None:
    a = RedisCache(url=redis_url, key_prefix="shared:")
    b = RedisCache(url=redis_url, key_prefix="shared:")
    found = a.lookup("q:x", TAGS)
    a.store("q:x", {"v": 1}, TAGS, found.clock)  # type: ignore[union-attr]
    assert b.lookup("q:x", TAGS).value == {"v": 1}  # type: ignore[union-attr]
    b.invalidate("page:1")
    assert a.lookup("q:x", TAGS).value is None  # type: ignore[union-attr]


def test_key_prefixes_keep_tenants_apart(redis_url: str) -> None:
    a = RedisCache(url=redis_url, key_prefix="tenant-a:")
    b = RedisCache(url=redis_url, key_prefix="tenant-b:")
    odd = RedisCache(url=redis_url, key_prefix="we*ird[")
    for cache in (a, b, odd):
        found = cache.lookup("q:x", TAGS)
        cache.store("q:x", {"who": cache.key_prefix}, TAGS, found.clock)  # type: ignore[union-attr]
        cache.set("plain", 1)
    a.invalidate("page:1")
    assert b.lookup("q:x", TAGS).value == {"who": "tenant-b:"}  # type: ignore[union-attr]
    odd.clear()
    assert b.get("plain") == 1
    assert a.get("plain") == 1
    assert odd.get("plain") is None
    a.clear()
    assert a.get("plain") is None
    assert b.get("plain") == 1
    keys = {k.decode() for k in raw(redis_url).keys("*")}
    assert "tenant-a:_clock" in keys  # clear keeps the clock
    assert not any(k.startswith("tenant-a:") and k != "tenant-a:_clock"
                   and not k.startswith("tenant-a:_v:") for k in keys)  # fmt: skip


def test_clear_removes_large_numbers_of_keys(redis_url: str) -> None:
    cache = RedisCache(url=redis_url, key_prefix="many:")
    server = raw(redis_url)
    server.mset({f"many:k{i}": b"1" for i in range(1200)})
    cache.clear()
    assert server.keys("many:k*") == []


async def test_clear_removes_large_numbers_of_keys_async(redis_url: str) -> None:
    cache = RedisCache(url=redis_url, key_prefix="many:")
    server = raw(redis_url)
    server.mset({f"many:k{i}": b"1" for i in range(1200)})
    await cache.aclear()
    assert server.keys("many:k*") == []
    await cache.aclose()


def test_host_and_port_instead_of_a_url(redis_server: RedisServer, redis_url: str) -> None:
    cache = RedisCache(host="127.0.0.1", port=redis_server.port, ttl=600, key_prefix="wikijs:")
    cache.set("a", {"b": 1})
    assert cache.get("a") == {"b": 1}
    assert repr(cache) == (
        f"RedisCache(host='127.0.0.1', port={redis_server.port}, key_prefix='wikijs:', ttl=600.0)"
    )


def test_repr_never_shows_a_password() -> None:
    cache = RedisCache(url="redis://user:s3cret@cache.internal:6380/2")
    assert "s3cret" not in repr(cache)
    assert "cache.internal:6380" in repr(cache)
    assert "s3cret" not in repr(RedisCache(host="h", password="s3cret"))
    assert repr(RedisCache(url="redis://h:1/0")).startswith("RedisCache(url='redis://h:1/0'")


def test_bad_arguments_are_refused() -> None:
    from wikijs.errors import ValidationError

    with pytest.raises(ValidationError):
        RedisCache(url="localhost:6379")
    with pytest.raises(ValidationError):
        RedisCache(key_prefix=None)  # type: ignore[arg-type]


def test_tls_connections_are_configured_without_connecting() -> None:
    cache = RedisCache(host="redis.invalid", ssl=True, password="p")
    client = cache._client()
    assert client.connection_pool.connection_class is redis.SSLConnection
    cache.close()


def test_a_missing_redis_package_is_reported_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ImportError, match=r"pip install 'wikijs\[redis\]'"):
        RedisCache()


def test_redis_down_means_misses_and_one_warning(stopped_redis: RedisServer) -> None:
    cache = RedisCache(url=stopped_redis.url, retry_interval=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        started = time.perf_counter()
        for _ in range(20):
            assert cache.get("a") is None
            assert cache.lookup("q:x", TAGS) is None
            cache.invalidate("page:1")
        elapsed = time.perf_counter() - started
    assert [w.category for w in caught] == [CacheWarning]
    assert cache.stats().errors == 60
    assert elapsed < 5  # refused connections fail fast


def test_after_a_restart_caching_resumes(restartable_redis: RedisServer, clock: Clock) -> None:
    cache = RedisCache(url=restartable_redis.url, retry_interval=2, clock=clock)
    cache.set("a", 1)
    assert cache.get("a") == 1
    restartable_redis.stop()
    with pytest.warns(CacheWarning):
        assert cache.get("a") is None
    restartable_redis.start()
    assert cache.get("b") is None  # still pausing: Redis is not even asked
    assert cache.stats().errors == 1
    clock.advance(2)
    cache.set("b", 2)
    assert cache.get("b") == 2
    assert cache.get("a") is None  # --save "": the restart emptied it


def test_a_restart_between_two_calls_is_absorbed(restartable_redis: RedisServer) -> None:
    cache = RedisCache(url=restartable_redis.url)
    cache.set("a", 1)
    restartable_redis.restart()  # the pooled connection is now dead
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        cache.set("a", 2)  # reconnects on its one immediate retry
        assert cache.get("a") == 2


def test_the_clock_restarts_above_earlier_readings(restartable_redis: RedisServer) -> None:
    cache = RedisCache(url=restartable_redis.url, key_prefix="c:")
    before = cache.lookup("q:x", TAGS)
    cache.invalidate("page:1")
    restartable_redis.restart()  # loses the clock and every version
    cache.lookup("q:y", TAGS)  # reconnect
    cache.invalidate("page:1")
    # An answer read before the restart must not be taken for fresh.
    cache.store("q:x", {"old": 1}, TAGS, before.clock)  # type: ignore[union-attr]
    assert cache.lookup("q:x", TAGS).value is None  # type: ignore[union-attr]


async def test_async_on_several_event_loops(redis_url: str) -> None:
    cache = RedisCache(url=redis_url, key_prefix="loops:")
    await cache.aset("a", 1)

    def other_loop() -> object:
        async def read() -> object:
            value = await cache.aget("a")
            await cache.aclose()
            return value

        return asyncio.run(read())

    assert await asyncio.to_thread(other_loop) == 1
    assert await cache.aget("a") == 1
    await cache.aclose()
    await cache.aclose()  # twice is fine
    assert await cache.aget("a") == 1  # reopens
    await cache.aclose()


async def test_async_when_redis_is_down(stopped_redis: RedisServer) -> None:
    cache = RedisCache(url=stopped_redis.url, retry_interval=0)
    with cache_warnings():
        assert await cache.alookup("q:x", TAGS) is None
        await cache.ainvalidate("page:1")
    assert cache._pending == {"page:1"}
    stopped_redis.start()
    assert await cache.aget("a") is None
    assert cache._pending == set()
    assert raw(stopped_redis.url).get("wikijs:_v:page:1") is not None
    await cache.aclose()
